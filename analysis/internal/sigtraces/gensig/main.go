// Command gensig writes the signature test traces (trace.har, expect.txt,
// README.md per directory) used by the analysis scenario tests.
//
//	go run ./analysis/internal/sigtraces/gensig -out testdata/traces
package main

import (
	"authlens/analysis/internal/sigtraces"
	"authlens/analysis/internal/tracebuild"
)

func main() { tracebuild.RunGenerator("gensig", sigtraces.All) }
