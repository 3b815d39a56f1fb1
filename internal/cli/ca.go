package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"authlens/capture"
	"authlens/capture/localca"
)

const caUsage = `usage: authlens ca COMMAND
  path               print the CA certificate's path (creating the CA if needed)
  info               print the CA's subject, validity and fingerprints
  export FILE [--der] write the CA certificate as PEM (DER with --der)
  regenerate         replace the CA (browsers must trust the new one)
  install [--yes]    print the commands that trust the CA on this OS (Windows:
                     certutil -user -addstore Root; macOS: security
                     add-trusted-cert; Linux: NSS certutil), with the Firefox
                     and managed-machine notes; --yes runs them
  help [ADDR]        how to trust the CA and point each browser at the proxy
flags: --ca-dir DIR (default: the user config dir + /authlens)
       --os windows|darwin|linux (install: the commands for another OS)
`

// runCA is `authlens ca ...`.
func runCA(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authlens ca", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, caUsage) }
	der := fs.Bool("der", false, "export DER instead of PEM")
	caDir := fs.String("ca-dir", "", "CA directory")
	yes := fs.Bool("yes", false, "install: run the commands")
	goos := fs.String("os", runtime.GOOS, "install: the operating system")
	// Flags may follow the command and its argument (ca export FILE --der).
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) == 0 {
		fmt.Fprint(stderr, caUsage)
		return 2
	}
	dir := *caDir
	if dir == "" {
		d, err := localca.DefaultDir()
		if err != nil {
			fmt.Fprintf(stderr, "authlens ca: %v\n", err)
			return 1
		}
		dir = d
	}
	fail := func(err error) int { fmt.Fprintf(stderr, "authlens ca %s: %v\n", pos[0], err); return 1 }
	switch pos[0] {
	case "regenerate":
		ca, err := localca.Regenerate(dir)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "new CA: %s\nSHA-256 %s\nBrowsers that trusted the old CA must trust this one instead (authlens ca help).\n", ca.CertPath(), ca.Fingerprint())
		return 0
	case "path", "info", "export", "help", "install":
	default:
		fmt.Fprintf(stderr, "authlens ca: unknown command %q\n%s", pos[0], caUsage)
		return 2
	}
	ca, created, err := localca.LoadOrCreate(dir)
	if err != nil {
		return fail(err)
	}
	for _, w := range ca.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if created {
		fmt.Fprintf(stderr, "created a new AuthLens CA in %s\n", ca.Dir)
	}
	switch pos[0] {
	case "path":
		fmt.Fprintln(stdout, ca.CertPath())
	case "info":
		fmt.Fprintf(stdout, "certificate: %s\nkey:         %s (mode 0600)\nsubject:     %s\nvalid:       %s to %s\nSHA-256:     %s\nSPKI SHA-256 (base64, for Chromium's --ignore-certificate-errors-spki-list): %s\n",
			ca.CertPath(), ca.KeyPath(), ca.Cert.Subject.String(),
			ca.Cert.NotBefore.UTC().Format(time.DateOnly), ca.Cert.NotAfter.UTC().Format(time.DateOnly),
			ca.Fingerprint(), ca.SPKIHash())
	case "export":
		if len(pos) != 2 {
			fmt.Fprint(stderr, "usage: authlens ca export FILE [--der]\n")
			return 2
		}
		data := ca.PEM()
		if *der {
			data = ca.DER()
		}
		if err := os.WriteFile(pos[1], data, 0o644); err != nil {
			return fail(fmt.Errorf("writing %s: %w", pos[1], err))
		}
		fmt.Fprintf(stdout, "wrote %s (SHA-256 %s)\n", pos[1], ca.Fingerprint())
	case "install":
		home, _ := os.UserHomeDir()
		plan := trustPlanFor(*goos, ca.CertPath(), ca.Cert.Subject.CommonName, ca.Cert.SerialNumber.Text(16), home)
		fmt.Fprintf(stdout, "CA certificate: %s\nSHA-256 %s\n\n", ca.CertPath(), ca.Fingerprint())
		fmt.Fprint(stdout, plan.Text())
		if !*yes {
			fmt.Fprint(stdout, "\nRun them yourself, or run `authlens ca install --yes` to let AuthLens run them.\n")
			return 0
		}
		if *goos != runtime.GOOS {
			fmt.Fprintf(stderr, "authlens ca install: --yes runs the commands for this machine (%s) only, not for --os %s\n", runtime.GOOS, *goos)
			return 2
		}
		fmt.Fprintln(stdout)
		if err := runPlan(plan, stdout, stderr); err != nil {
			return fail(err)
		}
		fmt.Fprintln(stdout, "done: restart the browsers that should trust the CA.")
	case "help":
		addr := capture.DefaultListen
		if len(pos) > 1 {
			addr = pos[1]
		}
		fmt.Fprintf(stdout, "Export the CA first: authlens ca export authlens-ca.pem (and --der for authlens-ca.crt)\nSHA-256 %s\n\n", ca.Fingerprint())
		fmt.Fprint(stdout, capture.GuidesText(capture.Guides("authlens-ca.pem", addr)))
	}
	return 0
}
