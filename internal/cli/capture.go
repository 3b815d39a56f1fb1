package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"authlens/capture"
	"authlens/capture/localca"
	"authlens/live"
)

const captureUsage = `usage: authlens capture [flags]
       authlens capture recover FILE.har.journal

Runs a local MITM proxy; point a browser at it, reproduce the 401/403, press
Ctrl+C. Every exchange is journaled to FILE.har.journal as it completes and
FILE.har is written on exit. Setup help: authlens ca help, or open
http://authlens.proxy/ in the proxied browser.

flags:
`

// lastLinesBudget bounds the live analysis of the last exchanges after a
// stop: SIGTERM must end the process within 2 s whatever the capture's
// size.
const lastLinesBudget = time.Second

// captureGCPercent is the garbage collector's target while capturing.
const captureGCPercent = 400

// runCapture is `authlens capture ...`. It records until ctx ends (the
// binary's first Ctrl+C or SIGTERM), then lets exchanges in flight finish
// and writes the HAR.
func runCapture(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "recover" {
		return runCaptureRecover(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("authlens capture", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, captureUsage); fs.PrintDefaults() }
	var cfg capture.Config
	fs.StringVar(&cfg.Listen, capture.FieldListen, capture.DefaultListen, "`ADDR` (host:port) to listen on")
	fs.StringVar(&cfg.Out, "out", "", "`FILE`.har to write (default authlens-capture-DATE.har); the journal is FILE.har.journal")
	fs.StringVar(&cfg.Upstream, capture.FieldUpstream, "", "chain to this HTTP proxy `URL` (http://host:port; credentials from --upstream-auth-file or $"+capture.EnvUpstreamAuth+", not here: argv is visible in ps)")
	fs.StringVar(&cfg.UpstreamAuthFile, capture.FieldUpstreamAuthFile, "", "`FILE` holding user:password for the upstream proxy")
	fs.StringVar(&cfg.Include, "include", "", "record only these `HOSTS` (comma-separated; subdomains match)")
	fs.StringVar(&cfg.Exclude, "exclude", "", "do not record these `HOSTS` (tunnelled undecrypted)")
	fs.StringVar(&cfg.Passthrough, "passthrough", "", "tunnel these `HOSTS` without decrypting (certificate-pinned apps); the CONNECT is recorded")
	fs.StringVar(&cfg.BodyLimit, capture.FieldBodyLimit, "1MiB", "record at most `N` bytes of each body (suffixes k, M, KiB, MiB; 0 = none)")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow listening on a non-loopback address; needs --allow-from, and remote clients must send the proxy password")
	fs.StringVar(&cfg.AllowFrom, capture.FieldAllowFrom, "", "client `CIDRS` (comma-separated) allowed to connect besides loopback")
	fs.StringVar(&cfg.ProxyPasswordFile, capture.FieldProxyPasswordFile, "", "`FILE` holding the password remote clients must send (else $"+capture.EnvProxyPassword+", else one generated and printed once)")
	fs.StringVar(&cfg.MaxHeaderBytes, capture.FieldMaxHeaderBytes, "1MiB", "largest request line + headers, `N` bytes (431 beyond)")
	fs.StringVar(&cfg.MaxConns, capture.FieldMaxConns, strconv.Itoa(capture.DefaultMaxConns), "most concurrent client connections `N` (503 beyond)")
	fs.StringVar(&cfg.IdleTimeout, capture.FieldIdleTimeout, capture.DefaultIdleTimeout.String(), "close a kept-alive client connection idle this `DURATION`")
	fs.StringVar(&cfg.HeaderTimeout, capture.FieldHeaderTimeout, capture.DefaultHeaderTimeout.String(), "a request's line and headers must arrive within `DURATION` (408 beyond)")
	fs.StringVar(&cfg.ResponseTimeout, capture.FieldResponseTimeout, capture.DefaultResponseTimeout.String(), "a server must start answering within `DURATION` (504 beyond)")
	fs.StringVar(&cfg.RequestTimeout, capture.FieldRequestTimeout, capture.DefaultRequestTimeout.String(), "one whole exchange must end within `DURATION`")
	fs.StringVar(&cfg.JournalLimit, capture.FieldJournalLimit, "2GiB", "stop recording (keep proxying) when the journal reaches `N` bytes (0 = no limit)")
	fs.StringVar(&cfg.MinFreeDisk, capture.FieldMinFreeDisk, "512MiB", "stop recording (keep proxying) before the journal's disk has less than `N` bytes free (0 = no limit)")
	fs.StringVar(&cfg.Pin, capture.FieldPin, "auto", "connection pinning: auto (NTLM/Negotiate), always, never")
	fs.StringVar(&cfg.UpstreamCA, capture.FieldUpstreamCA, "", "also trust servers signed by the CA in this PEM `FILE` (test origins)")
	fs.BoolVar(&cfg.InsecureUpstream, "insecure-upstream", false, "do not verify servers' certificates (testing only; warns)")
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
	if cfg.Out == "" {
		cfg.Out = "authlens-capture-" + time.Now().Format("20060102-150405") + ".har"
	}
	opts, err := capture.ParseConfig(cfg)
	if err != nil {
		var fe *capture.FieldError
		if errors.As(err, &fe) {
			fmt.Fprintf(stderr, "authlens capture: --%s: %v\n", fe.Field, fe.Err)
		} else {
			fmt.Fprintf(stderr, "authlens capture: %v\n", err)
		}
		return 2
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
	opts.Version = Version
	opts.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }

	// The live analysis outlives ctx: after the stop it judges the last
	// exchanges and prints their lines (CloseContext), for at most
	// lastLinesBudget: the HAR is written first, and its analysis when it
	// is opened covers everything.
	bodies := &live.LateBodies{}
	// Neither keeps the exchanges in memory: the journal has them, and a
	// long capture must not grow the process.
	liveOpts := live.Options{Log: capture.NewLog(opts.Version), Path: capture.JournalPath(opts.Out), Bodies: bodies, Forget: true}
	if !*quiet {
		var text strings.Builder // reused: one write per update, not one per line
		liveOpts.OnUpdate = func(u live.Update) {
			if u.Err != nil {
				fmt.Fprintf(stderr, "warning: %v\n", u.Err)
			}
			text.Reset()
			for _, l := range live.NewLines(u) {
				text.WriteString(l)
				text.WriteByte('\n')
			}
			io.WriteString(stdout, text.String())
		}
	}
	an := live.Start(context.WithoutCancel(ctx), liveOpts)
	defer an.CloseContext(ctx) // ctx has ended by then, or the start failed
	opts.OnEntry = an.Add
	opts.JournalOnly = true

	// The capture holds little (JournalOnly, Forget) but allocates per
	// exchange: collecting at 5× the live heap instead of 2× costs tens of
	// MB and saves about a tenth of the CPU per proxied request.
	defer debug.SetGCPercent(debug.SetGCPercent(captureGCPercent))

	p, err := capture.Start(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "authlens capture: %v\n", err)
		return 1
	}
	bodies.Set(p) // large bodies stay in the journal; the analysis reads them there
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
	fmt.Fprintf(stderr, "limits: %s\n", opts.Limits)
	if opts.ProxyPasswordGenerated {
		// Shown once, here, and nowhere else (never logged or recorded).
		fmt.Fprintf(stderr, "remote clients must log in to the proxy with any user name and this password (generated for this run): %s\n", opts.ProxyPassword)
	}

	<-ctx.Done()
	fmt.Fprintln(stderr, "stopping: finishing exchanges in flight (Ctrl+C again to quit at once; the journal stays recoverable)...")
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	path, err := p.Stop(stopCtx)
	lastLines, cancelLines := context.WithTimeout(context.Background(), lastLinesBudget)
	defer cancelLines()
	an.CloseContext(lastLines)
	if err != nil {
		fmt.Fprintf(stderr, "authlens capture: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "wrote %s (%d exchanges)\n", path, p.Recorded())
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

func loadCAFromFlag(dir string) (*localca.CA, bool, error) {
	if dir == "" {
		d, err := localca.DefaultDir()
		if err != nil {
			return nil, false, err
		}
		dir = d
	}
	return localca.LoadOrCreate(dir)
}
