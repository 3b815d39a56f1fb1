package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"authlens/analysis/rules"
	"authlens/report"
)

// runCauses prints every cause AuthLens knows, from the rules themselves
// (docs/causes.md is this command's Markdown output).
func runCauses(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("causes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or markdown")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: authlens causes [--format text|markdown]")
		return 2
	}
	if err := report.WriteCauses(stdout, rules.All(), *format); err != nil {
		fmt.Fprintf(stderr, "authlens causes: %v\n", err)
		return 2
	}
	return 0
}
