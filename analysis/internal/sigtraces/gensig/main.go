// Command gensig writes the signature test traces (trace.har, expect.txt,
// README.md per directory) used by the analysis scenario tests.
//
//	go run ./analysis/internal/sigtraces/gensig -out testdata/signatures
package main

import (
	"flag"
	"fmt"
	"os"

	"authlens/analysis/internal/sigtraces"
)

func main() {
	out := flag.String("out", "testdata/signatures", "directory to write the traces into")
	flag.Parse()
	if err := sigtraces.WriteAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gensig:", err)
		os.Exit(1)
	}
}
