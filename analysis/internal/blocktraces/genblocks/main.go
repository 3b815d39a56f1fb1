// Command genblocks writes the firewall, plugin, IIS, CSRF and rate-limit
// signature traces (trace.har, expect.txt, README.md per directory).
//
//	go run ./analysis/internal/blocktraces/genblocks -out testdata/signatures
package main

import (
	"flag"
	"fmt"
	"os"

	"authlens/analysis/internal/blocktraces"
)

func main() {
	out := flag.String("out", "testdata/signatures", "directory to write the traces into")
	flag.Parse()
	if err := blocktraces.WriteAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genblocks:", err)
		os.Exit(1)
	}
}
