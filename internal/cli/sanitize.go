package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
	"authlens/sanitize"
)

// namesFlag collects repeated --secret-name options (commas allowed).
type namesFlag []string

func (n *namesFlag) String() string { return strings.Join(*n, ",") }

func (n *namesFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*n = append(*n, s)
		}
	}
	return nil
}

const sanitizeUsage = `usage: authlens sanitize [options] IN OUT

Writes OUT, a copy of the HAR file IN without its passwords, cookies and
tokens, that AuthLens still diagnoses the same way: credentials keep their
scheme, JWTs their header and claims, cookies their names and attributes;
each secret becomes a stable placeholder (the same secret, the same
placeholder), keyed by a random salt per export unless --salt-file is given.

Options:
`

// runSanitize implements `authlens sanitize [options] IN OUT`.
func runSanitize(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sanitize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bodies := fs.String("bodies", "errors", "response bodies to keep: errors (the text of error responses and of the exchanges the diagnosis points at), text, keep or drop")
	dropClaims := fs.Bool("drop-jwt-claims", false, "empty the claims of JWTs too (by default only their signature is replaced)")
	keepUser := fs.Bool("keep-basic-user", false, "keep the user-id of Basic credentials and NTLM messages")
	saltFile := fs.String("salt-file", "", "read the salt from this file (created when missing), so several files share placeholders")
	force := fs.Bool("force", false, "overwrite OUT when it exists")
	var names namesFlag
	fs.Var(&names, "secret-name", "one more parameter, JSON key, cookie or header `NAME` whose value is secret (repeatable, or comma-separated)")
	fs.Usage = func() {
		fmt.Fprint(stderr, sanitizeUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	in, out := fs.Arg(0), fs.Arg(1)
	policy, err := sanitize.ParseBodyPolicy(*bodies)
	if err != nil {
		fmt.Fprintf(stderr, "authlens sanitize: %v\n", err)
		return 2
	}
	opts := sanitize.Options{Bodies: policy, DropJWTClaims: *dropClaims, KeepBasicUser: *keepUser, ExtraNames: names}
	if *saltFile != "" {
		salt, created, err := sanitize.LoadSalt(*saltFile)
		if err != nil {
			fmt.Fprintf(stderr, "authlens sanitize: %v\n", err)
			return 1
		}
		if created {
			fmt.Fprintf(stderr, "authlens sanitize: created the salt file %s (keep it as private as the HAR files)\n", report.Visible(*saltFile, true))
		}
		opts.Salt = salt
	}
	st, err := sanitizeFile(ctx, in, out, opts, *force)
	if err != nil {
		fmt.Fprintf(stderr, "authlens sanitize: %s\n", report.Visible(err.Error(), true))
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: %d entries; replaced %d credential(s), %d cookie value(s), %d secret parameter(s), %d other secret header(s), %d JWT signature(s); dropped %d response bodies\n",
		report.Visible(out, true), st.Entries, st.Credentials, st.Cookies, st.Params, st.Headers, st.JWTs, st.BodiesDropped)
	return 0
}

// sanitizeFile loads in, analyses it (to keep the bodies its diagnosis
// points at) and writes the sanitized copy to out through a temporary
// file, so a failure never leaves half a file.
func sanitizeFile(ctx context.Context, in, out string, opts sanitize.Options, force bool) (sanitize.Stats, error) {
	if same(in, out) {
		return sanitize.Stats{}, errors.New("IN and OUT are the same file: write the sanitized copy elsewhere")
	}
	if _, err := os.Stat(out); err == nil && !force {
		return sanitize.Stats{}, fmt.Errorf("%s exists (use --force to overwrite it)", out)
	}
	h, err := har.Load(ctx, in, har.Options{})
	if err != nil {
		return sanitize.Stats{}, err
	}
	defer h.Close()
	if h.Damage != nil {
		return sanitize.Stats{}, fmt.Errorf("%w: the file is damaged; sanitizing only part of it is refused", h.Damage)
	}
	rep, err := analysis.Analyze(ctx, trace.FromHAR(h), rules.All())
	if err != nil {
		return sanitize.Stats{}, fmt.Errorf("analysing %s: %w", in, err)
	}
	opts.KeepBodies = report.Entries(rep)
	return sanitize.WriteFile(ctx, out, h, opts)
}

// same reports whether two paths name one file.
func same(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}
