// Command gen writes the public-sourced vendor corpus (trace.har,
// expect.txt, README.md per directory) under testdata/vendor-corpus, or,
// with -set holdout, the held-out set under testdata/vendor-holdout.
//
//	go run ./analysis/internal/vendortraces/gen -out testdata/vendor-corpus
//	go run ./analysis/internal/vendortraces/gen -set holdout -out testdata/vendor-holdout
package main

import (
	"flag"
	"fmt"
	"os"

	"authlens/analysis/internal/tracebuild"
	"authlens/analysis/internal/vendortraces"
)

func main() {
	set := flag.String("set", "corpus", "which set to write: corpus or holdout")
	tracebuild.RunGenerator("gen", func() []tracebuild.Trace {
		switch *set {
		case "corpus":
			return vendortraces.All()
		case "holdout":
			return vendortraces.Holdout()
		}
		fmt.Fprintln(os.Stderr, "gen: -set must be corpus or holdout")
		os.Exit(2)
		return nil
	})
}
