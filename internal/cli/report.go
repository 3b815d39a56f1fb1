package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"authlens/analysis"
	"authlens/analysis/compare"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
)

// runReport implements `authlens report --format html|markdown
// [--audience engineering|customer] [--notes FILE] IN OUT`: the case
// report of a trace, for a ticket (Markdown) or to send or print (HTML).
// OUT "-" writes to standard output.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "html", "html (one self-contained file that prints on A4/Letter) or markdown (short, for a ticket)")
	audience := fs.String("audience", "engineering", "engineering (evidence, headers, cause IDs, timeline) or customer (only the customer's steps, in plain words)")
	notesFile := fs.String("notes", "", "a text `FILE` with the support person's notes (engineering audience)")
	goodFile := fs.String("compare", "", "a working trace `GOOD` of the same flow: the report adds the comparison of IN with it (engineering audience)")
	hosts := hostMapFlag{}
	fs.Var(hosts, "map", "with --compare: a host of GOOD and the host of IN it stands for, as `good=bad` (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: authlens report [--format html|markdown] [--audience engineering|customer] [--notes FILE] [--compare GOOD [--map good=bad]...] IN OUT")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	write, ok := map[string]func(io.Writer, report.Case) error{
		"html": report.WriteCaseHTML, "markdown": report.WriteCaseMarkdown, "md": report.WriteCaseMarkdown,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "authlens report: unknown format %q (want html or markdown)\n", *format)
		return 2
	}
	aud, err := report.ParseAudience(*audience)
	if err != nil {
		fmt.Fprintf(stderr, "authlens report: %v\n", err)
		return 2
	}
	c := report.Case{Audience: aud, Focus: -1, Generated: time.Now()}
	if *notesFile != "" {
		b, err := os.ReadFile(*notesFile)
		if err != nil {
			fmt.Fprintf(stderr, "authlens report: reading the notes: %s\n", report.Visible(err.Error(), true))
			return 1
		}
		c.Notes = string(b)
	}
	in, out := fs.Arg(0), fs.Arg(1)
	h, err := har.Load(ctx, in, har.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "authlens report: %s\n", report.Visible(err.Error(), true))
		return 1
	}
	defer h.Close()
	t := trace.FromHAR(h)
	rep, err := analysis.Analyze(ctx, t, rules.All())
	if err != nil {
		fmt.Fprintf(stderr, "authlens report: %s\n", report.Visible(err.Error(), true))
		return 1
	}
	rep.Notes = append(rep.Notes, loadNotes(h)...)
	hidden := t.Sanitized()
	c.Report, c.Entries, c.Hidden = rep, h.Entries, &hidden
	if *goodFile != "" {
		if c.Comparison, err = compareWith(ctx, *goodFile, t, compare.Options{HostMap: hosts}); err != nil {
			fmt.Fprintf(stderr, "authlens report: %s\n", report.Visible(err.Error(), true))
			return 1
		}
	}
	var buf bytes.Buffer
	if err := write(&buf, c); err != nil {
		fmt.Fprintf(stderr, "authlens report: %v\n", err)
		return 1
	}
	if out == "-" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return 1
		}
		return 0
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		fmt.Fprintf(stderr, "authlens report: %s\n", report.Visible(err.Error(), true))
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (%s, for %s)\n", report.Visible(out, true), *format, aud)
	return 0
}

// compareWith compares the trace bad with the working trace at goodPath.
func compareWith(ctx context.Context, goodPath string, bad *trace.Trace, opt compare.Options) (*compare.Result, error) {
	h, err := har.Load(ctx, goodPath, har.Options{})
	if err != nil {
		return nil, fmt.Errorf("the working trace: %w", err)
	}
	defer h.Close()
	res, err := compare.Compare(ctx, trace.FromHAR(h), bad, opt)
	if err != nil {
		return nil, fmt.Errorf("comparing with %s: %w", goodPath, err)
	}
	return res, nil
}
