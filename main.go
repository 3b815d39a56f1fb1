// Command authlens explains why a web site answered 401 Unauthorized or
// 403 Forbidden, from a browser's HAR export or a live capture.
//
//	authlens [FILE]                     open the desktop app (the demo trace when no FILE)
//	authlens analyze [--format F] FILE  print the diagnosis (text, json or markdown)
//	authlens capture --out FILE.har     record through the local MITM proxy
//	authlens ca export FILE             write the capture proxy's CA certificate
//	authlens version | help
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	_ "authlens/ui/localefix" // before Fyne reads the locale
)

// version must match FyneApp.toml (a test checks it).
const (
	version = "0.1.0"
	appID   = "io.authlens.app"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 {
		return runGUI(ctx, "", stderr)
	}
	switch args[0] {
	case "analyze":
		return runAnalyze(ctx, args[1:], stdout, stderr)
	case "capture":
		return runCapture(ctx, args[1:], stdout, stderr)
	case "ca":
		return runCA(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "AuthLens %s\n", version)
		return 0
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	if strings.HasPrefix(args[0], "-") || len(args) > 1 {
		fmt.Fprintf(stderr, "authlens: unknown command or option %q\n\n%s", args[0], usage)
		return 2
	}
	return runGUI(ctx, args[0], stderr)
}

const usage = `AuthLens explains why a site answered 401 Unauthorized or 403 Forbidden.

Usage:
  authlens [FILE]                       open the app on FILE (.har, .json, .har.gz, .harp),
                                        or on the built-in demo trace when no FILE is given
  authlens analyze [--format text|json|markdown] FILE...
                                        print every 401/403 exchange with its likely causes
  authlens capture [--listen 127.0.0.1:8080] --out FILE.har [--upstream URL] ...
                                        record live traffic through the local proxy
                                        ('authlens capture --help' lists every option)
  authlens ca export [--der] FILE       write the proxy's CA certificate (to trust it)
  authlens ca path | info | regenerate  where the CA is, its fingerprint, a new CA
  authlens version                      print the version
  authlens help                         print this help

analyze exits 0 whatever it finds, and non-zero with a message on standard
error when a file cannot be read.
`
