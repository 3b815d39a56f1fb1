package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"authlens/capture"
)

const captureUsage = `usage: authlens capture [flags]
       authlens capture recover FILE.har.journal

Runs a local MITM proxy; point a browser at it, reproduce the 401/403, press
Ctrl+C. Every exchange is journaled to FILE.har.journal as it completes and
FILE.har is written on exit. Setup help: authlens ca help, or open
http://authlens.proxy/ in the proxied browser.

flags:
`

// runCapture is `authlens capture ...`.
func runCapture(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "recover" {
		return runCaptureRecover(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("authlens capture", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, captureUsage); fs.PrintDefaults() }
	listen := fs.String("listen", capture.DefaultListen, "`ADDR` (host:port) to listen on")
	out := fs.String("out", "", "`FILE`.har to write (default authlens-capture-DATE.har); the journal is FILE.har.journal")
	upstream := fs.String("upstream", "", "chain to this HTTP proxy `URL` (http://[user:pass@]host:port)")
	include := fs.String("include", "", "record only these `HOSTS` (comma-separated; subdomains match)")
	exclude := fs.String("exclude", "", "do not record these `HOSTS` (tunnelled undecrypted)")
	passthrough := fs.String("passthrough", "", "tunnel these `HOSTS` without decrypting (certificate-pinned apps); the CONNECT is recorded")
	bodyLimit := fs.String("body-limit", "1MiB", "record at most `N` bytes of each body (suffixes k, M, KiB, MiB; 0 = none)")
	allowRemote := fs.Bool("allow-remote", false, "allow listening on a non-loopback address (anyone reaching it can read your traffic)")
	pin := fs.String("pin", "auto", "connection pinning: auto (NTLM/Negotiate), always, never")
	upstreamCA := fs.String("upstream-ca", "", "also trust servers signed by the CA in this PEM `FILE` (test origins)")
	insecure := fs.Bool("insecure-upstream", false, "do not verify servers' certificates (testing only)")
	caDir := fs.String("ca-dir", "", "CA directory (default: the user config dir + /authlens)")
	quiet := fs.Bool("quiet", false, "do not print a line per exchange")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "authlens capture: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts := capture.Options{Listen: *listen, AllowRemote: *allowRemote, Out: *out, InsecureUpstream: *insecure}
	if opts.Out == "" {
		opts.Out = "authlens-capture-" + time.Now().Format("20060102-150405") + ".har"
	}
	var err error
	if opts.BodyLimit, err = parseSize(*bodyLimit); err != nil {
		fmt.Fprintf(stderr, "authlens capture: --body-limit: %v\n", err)
		return 2
	}
	if opts.BodyLimit == 0 {
		opts.BodyLimit = -1 // the flag's 0 means no bodies; Options' 0 means default
	}
	switch *pin {
	case "auto":
		opts.Pin = capture.PinAuto
	case "always":
		opts.Pin = capture.PinAlways
	case "never":
		opts.Pin = capture.PinNever
	default:
		fmt.Fprintf(stderr, "authlens capture: --pin must be auto, always or never, not %q\n", *pin)
		return 2
	}
	if *upstream != "" {
		u, err := url.Parse(*upstream)
		if err != nil || u.Host == "" {
			fmt.Fprintf(stderr, "authlens capture: --upstream must look like http://[user:pass@]host:port\n")
			return 2
		}
		opts.Upstream = u
	}
	opts.Include, opts.Exclude, opts.Passthrough = splitList(*include), splitList(*exclude), splitList(*passthrough)
	if *upstreamCA != "" {
		certs, err := readPEMCerts(*upstreamCA)
		if err != nil {
			fmt.Fprintf(stderr, "authlens capture: --upstream-ca: %v\n", err)
			return 1
		}
		opts.UpstreamRoots = certs
	}
	ca, created, err := loadCAFromFlag(*caDir)
	if err != nil {
		fmt.Fprintf(stderr, "authlens capture: %v\n", err)
		return 1
	}
	for _, w := range ca.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	opts.CA = ca
	opts.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	if !*quiet {
		opts.OnUpdate = func(u capture.Update) {
			if u.Err != nil {
				fmt.Fprintf(stderr, "warning: %v\n", u.Err)
			}
			for _, e := range u.Entries[u.First:] {
				x, ok := u.Exchange(e.Index)
				if ok {
					fmt.Fprintln(stdout, capture.Summary(e, &x))
				} else {
					fmt.Fprintln(stdout, capture.Summary(e, nil))
				}
			}
		}
	}

	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := capture.Start(sigCtx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "authlens capture: %v\n", err)
		return 1
	}
	if created {
		fmt.Fprintf(stderr, "created a new AuthLens CA in %s: browsers must trust it once (authlens ca help)\n", ca.Dir)
	}
	if !capture.IsLoopback(opts.Listen) {
		fmt.Fprintf(stderr, "WARNING: listening on %s, not loopback: anyone who can reach this address can read and change the traffic going through it.\n", p.Addr())
	}
	fmt.Fprintf(stderr, "AuthLens capture proxy on %s (CA %s, SHA-256 %s)\n", p.Addr(), ca.CertPath(), ca.Fingerprint())
	fmt.Fprintf(stderr, "journal: %s — open http://%s/ through the proxy for setup help; Ctrl+C to stop and write %s\n", p.JournalPath(), capture.MagicHost, opts.Out)
	if opts.Upstream != nil {
		fmt.Fprintf(stderr, "upstream proxy: %s\n", opts.Upstream.Redacted())
	}

	<-sigCtx.Done()
	stop() // a second Ctrl+C kills the process the default way
	fmt.Fprintln(stderr, "stopping: finishing exchanges in flight...")
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	path, err := p.Stop(stopCtx)
	if err != nil {
		fmt.Fprintf(stderr, "authlens capture: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "wrote %s (%d exchanges)\n", path, len(p.Entries()))
	return 0
}

func runCaptureRecover(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, "usage: authlens capture recover FILE.har.journal\n")
		return 2
	}
	res, err := capture.Recover(ctx, args[0])
	if err != nil {
		fmt.Fprintf(stderr, "authlens capture recover: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "recovered %d exchanges to %s\n", res.Entries, res.Path)
	return 0
}

const caUsage = `usage: authlens ca COMMAND
  path               print the CA certificate's path (creating the CA if needed)
  info               print the CA's subject, validity and fingerprints
  export FILE [--der] write the CA certificate as PEM (DER with --der)
  regenerate         replace the CA (browsers must trust the new one)
  help [ADDR]        how to trust the CA and point each browser at the proxy
flags: --ca-dir DIR (default: the user config dir + /authlens)
`

// runCA is `authlens ca ...`.
func runCA(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authlens ca", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, caUsage) }
	der := fs.Bool("der", false, "export DER instead of PEM")
	caDir := fs.String("ca-dir", "", "CA directory")
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
		d, err := capture.DefaultCADir()
		if err != nil {
			fmt.Fprintf(stderr, "authlens ca: %v\n", err)
			return 1
		}
		dir = d
	}
	fail := func(err error) int { fmt.Fprintf(stderr, "authlens ca %s: %v\n", pos[0], err); return 1 }
	switch pos[0] {
	case "regenerate":
		ca, err := capture.RegenerateCA(dir)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "new CA: %s\nSHA-256 %s\nBrowsers that trusted the old CA must trust this one instead (authlens ca help).\n", ca.CertPath(), ca.Fingerprint())
		return 0
	case "path", "info", "export", "help":
	default:
		fmt.Fprintf(stderr, "authlens ca: unknown command %q\n%s", pos[0], caUsage)
		return 2
	}
	ca, created, err := capture.LoadOrCreateCA(dir)
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

func loadCAFromFlag(dir string) (*capture.CA, bool, error) {
	if dir == "" {
		d, err := capture.DefaultCADir()
		if err != nil {
			return nil, false, err
		}
		dir = d
	}
	return capture.LoadOrCreateCA(dir)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseSize reads a byte count with an optional k/M/G (1000-based) or
// KiB/MiB/GiB suffix.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"k", 1000}, {"K", 1000}, {"M", 1000 * 1000}, {"G", 1000 * 1000 * 1000}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a byte count", s)
	}
	return n * mult, nil
}

func readPEMCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parsing a certificate in %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return certs, nil
}
