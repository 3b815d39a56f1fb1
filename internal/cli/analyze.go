package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
)

// runAnalyze implements `authlens analyze [--format text|json|markdown] FILE...`.
// With one FILE and --format json it prints exactly one JSON document (the
// contract in the architecture notes); with several, a JSON array of them.
func runAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json or markdown")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: authlens analyze [--format text|json|markdown] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	write, ok := map[string]func(io.Writer, *analysis.Report) error{
		"text": report.WriteText, "json": report.WriteJSON, "markdown": report.WriteMarkdown, "md": report.WriteMarkdown,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "authlens analyze: unknown format %q (want text, json or markdown)\n", *format)
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	status := 0
	var reports []*analysis.Report
	for _, path := range fs.Args() {
		rep, err := analyzeFile(ctx, path, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "authlens analyze: %v\n", err)
			status = 1
			continue
		}
		reports = append(reports, rep)
	}
	if *format == "json" && fs.NArg() > 1 {
		if err := writeJSONArray(stdout, reports); err != nil {
			fmt.Fprintf(stderr, "authlens analyze: %v\n", err)
			return 1
		}
		return status
	}
	for i, rep := range reports {
		if i > 0 && *format != "json" {
			fmt.Fprintln(stdout)
		}
		if err := write(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "authlens analyze: %v\n", err)
			return 1
		}
	}
	return status
}

// analyzeFile loads and analyses one trace. A damaged file that still gave
// entries is analysed, with a warning on stderr and a note in the report.
func analyzeFile(ctx context.Context, path string, stderr io.Writer) (*analysis.Report, error) {
	h, err := har.Load(ctx, path, har.Options{})
	if err != nil {
		return nil, err
	}
	defer h.Close()
	rep, err := analysis.Analyze(ctx, trace.FromHAR(h), rules.All())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rep.Notes = append(rep.Notes, loadNotes(h)...)
	if h.Damage != nil {
		fmt.Fprintf(stderr, "authlens analyze: warning: %v (analysed the %d complete entries before it)\n", h.Damage, len(h.Entries))
	}
	return rep, nil
}

// loadNotes turns what the reader noticed into report notes.
func loadNotes(h *har.Trace) []analysis.Note {
	var notes []analysis.Note
	if h.Damage != nil {
		id := "damaged-file"
		if h.Damage.Kind == har.ErrTruncated {
			id = "truncated-file"
		}
		text := fmt.Sprintf("%v. Only the %d complete entries before that point were analysed.", h.Damage, len(h.Entries))
		if h.Format == "journal" {
			id = "recovered-journal"
			text = fmt.Sprintf("This is a capture journal that was not closed (the capture stopped unexpectedly); all %d exchanges it recorded were analysed.", len(h.Entries))
		}
		notes = append(notes, analysis.Note{ID: id, Text: text})
	}
	for _, w := range h.Warnings {
		notes = append(notes, analysis.Note{ID: "reader-warning", Text: w})
	}
	return notes
}

func writeJSONArray(w io.Writer, reports []*analysis.Report) error {
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	for i, r := range reports {
		if i > 0 {
			if _, err := io.WriteString(w, ",\n"); err != nil {
				return err
			}
		}
		if err := report.WriteJSON(w, r); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]\n")
	return err
}
