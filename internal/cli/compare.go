package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"

	"authlens/analysis/compare"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
)

// hostMapFlag collects repeated --map good=bad options.
type hostMapFlag map[string]string

func (m hostMapFlag) String() string { return "" }

func (m hostMapFlag) Set(v string) error {
	g, b, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(g) == "" || strings.TrimSpace(b) == "" {
		return fmt.Errorf("want GOOD-HOST=BAD-HOST, got %q", v)
	}
	m[strings.TrimSpace(g)] = strings.TrimSpace(b)
	return nil
}

// runCompare implements `authlens compare [--format text|json|markdown]
// [--map good=bad]... GOOD BAD`: the first exchange that worked in GOOD
// and failed in BAD, and the differences that explain it.
func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json or markdown")
	hosts := hostMapFlag{}
	fs.Var(hosts, "map", "a host (or origin) of GOOD and the one of BAD it stands for, as `good=bad` (repeatable); hosts not given are proposed")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: authlens compare [--format text|json|markdown] [--map good=bad]... GOOD BAD")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	write, ok := map[string]func(io.Writer, *compare.Result) error{
		"text": report.WriteCompareText, "json": report.WriteCompareJSON, "markdown": report.WriteCompareMarkdown, "md": report.WriteCompareMarkdown,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "authlens compare: unknown format %q (want text, json or markdown)\n", *format)
		return 2
	}
	if len(files) != 2 {
		fs.Usage()
		return 2
	}
	res, err := compareFiles(ctx, files[0], files[1], compare.Options{HostMap: hosts}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "authlens compare: %s\n", report.Visible(err.Error(), true))
		return 1
	}
	if err := write(stdout, res); err != nil {
		fmt.Fprintf(stderr, "authlens compare: %v\n", err)
		return 1
	}
	return 0
}

// parseInterspersed parses flags given before, between or after the file
// arguments, and returns the files.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// compareFiles loads two traces as analyze does, both at once (indexing
// a trace is most of the work), and compares them.
func compareFiles(ctx context.Context, goodPath, badPath string, opt compare.Options, stderr io.Writer) (*compare.Result, error) {
	type loaded struct {
		h   *har.Trace
		t   *trace.Trace
		err error
	}
	load := func(path string, into *loaded, done *sync.WaitGroup) {
		defer done.Done()
		h, err := har.Load(ctx, path, har.Options{})
		if err != nil {
			into.err = err
			return
		}
		into.h, into.t = h, trace.FromHAR(h)
	}
	var good, bad loaded
	var wg sync.WaitGroup
	wg.Add(2)
	go load(goodPath, &good, &wg)
	go load(badPath, &bad, &wg)
	wg.Wait()
	for _, l := range []*loaded{&good, &bad} {
		if l.h != nil {
			defer l.h.Close()
		}
	}
	for _, l := range []*loaded{&good, &bad} {
		if l.err != nil {
			return nil, l.err
		}
		if l.h.Damage != nil {
			fmt.Fprintf(stderr, "authlens compare: warning: %s (compared the %d complete entries before it)\n", report.Visible(l.h.Damage.Error(), true), len(l.h.Entries))
		}
	}
	res, err := compare.Compare(ctx, good.t, bad.t, opt)
	if err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %w", goodPath, badPath, err)
	}
	return res, nil
}
