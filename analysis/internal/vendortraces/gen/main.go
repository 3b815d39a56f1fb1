// Command gen writes the public-sourced vendor corpus (trace.har,
// expect.txt, README.md per directory) under testdata/vendor-corpus.
//
//	go run ./analysis/internal/vendortraces/gen -out testdata/vendor-corpus
package main

import (
	"authlens/analysis/internal/tracebuild"
	"authlens/analysis/internal/vendortraces"
)

func main() { tracebuild.RunGenerator("gen", vendortraces.All) }
