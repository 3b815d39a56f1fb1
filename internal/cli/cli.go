// Package cli is AuthLens's command line: `authlens analyze`, `compare`, `sanitize`,
// `report`, `capture`, `ca`, `causes`, `version` and `help`. It has no window code, so it builds and
// tests without cgo or a display; the authlens binary (package main) asks
// WantsGUI first and opens the desktop app itself.
package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Version is the AuthLens version and AppID the desktop app's ID; both
// must match FyneApp.toml (a test checks it), the one place the version
// is written. Release builds (make package) stamp Version from
// FyneApp.toml and Commit from git with
// -ldflags "-X authlens/internal/cli.Version=... -X authlens/internal/cli.Commit=...".
var (
	Version = "0.1.0"
	Commit  = ""
)

// AppID is the desktop app's ID (its preferences folder).
const AppID = "io.authlens.app"

// VersionString is the version as `authlens version` and the About box
// show it: "0.1.0 (commit 1a2b3c4d5e6f)", or "0.1.0 (development build)"
// when no commit was stamped.
func VersionString() string {
	if Commit == "" {
		return Version + " (development build)"
	}
	return Version + " (commit " + Commit + ")"
}

// command returns the subcommand called name, or nil.
func command(name string) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch name {
	case "analyze":
		return runAnalyze
	case "compare":
		return runCompare
	case "capture":
		return runCapture
	case "ca":
		return runCA
	case "causes":
		return runCauses
	case "sanitize":
		return runSanitize
	case "report":
		return runReport
	case "version", "--version", "-version":
		return runVersion
	case "help", "-h", "--help", "-help":
		return runHelp
	}
	return nil
}

// WantsGUI reports whether a command line (without the program name) asks
// for the desktop app rather than a command: no argument at all (the demo
// trace, path ""), or a single argument that is neither a command nor an
// option (the file to open).
func WantsGUI(args []string) (path string, ok bool) {
	switch {
	case len(args) == 0:
		return "", true
	case len(args) == 1 && command(args[0]) == nil && !strings.HasPrefix(args[0], "-"):
		return args[0], true
	}
	return "", false
}

// Run runs the command line args (without the program name) and returns
// the exit status. ctx ending asks a running command to stop cleanly (a
// capture then writes its HAR). A command line for the desktop app (see
// WantsGUI) is a usage error here.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if cmd := command(args[0]); cmd != nil {
			return cmd(ctx, args[1:], stdout, stderr)
		}
	}
	what := "no command given"
	if len(args) > 0 {
		what = fmt.Sprintf("unknown command or option %q", args[0])
	}
	fmt.Fprintf(stderr, "authlens: %s\n\n%s", what, usage)
	return 2
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "AuthLens %s\n", VersionString())
	return 0
}

func runHelp(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprint(stdout, usage)
	return 0
}

const usage = `AuthLens explains why a site answered 401 Unauthorized or 403 Forbidden.

Usage:
  authlens [FILE]                       open the app on FILE (.har, .json, .har.gz, .harp),
                                        or on the built-in demo trace when no FILE is given
  authlens analyze [--format text|json|markdown] FILE...
                                        print every 401/403 exchange with its likely causes
  authlens compare [--format text|json|markdown] [--map good=bad]... GOOD BAD
                                        line up a working and a failing trace of one flow: the
                                        first step that failed and the differences that explain it
  authlens capture [--listen 127.0.0.1:8080] --out FILE.har [--upstream URL] ...
                                        record live traffic through the local proxy
                                        ('authlens capture --help' lists every option)
  authlens ca export [--der] FILE       write the proxy's CA certificate (to trust it)
  authlens ca path | info | regenerate  where the CA is, its fingerprint, a new CA
  authlens ca install [--yes] [--os windows|darwin|linux]
                                        how to trust the CA on this OS (--yes runs it)
  authlens sanitize [--bodies errors|text|keep|drop] [--salt-file FILE] [--secret-name NAME]... IN OUT
                                        write a copy of IN without passwords, cookies and tokens
                                        that AuthLens still diagnoses the same way
  authlens report [--format html|markdown] [--audience engineering|customer] [--notes FILE]
                [--compare GOOD [--map good=bad]...] IN OUT
                                        the case report: for a ticket, a customer or to print;
                                        --compare adds the comparison with a working trace
  authlens causes [--format text|markdown]
                                        every cause AuthLens diagnoses, with its remedy
  authlens version                      print the version
  authlens help                         print this help

analyze exits 0 whatever it finds, and non-zero with a message on standard
error when a file cannot be read.
`
