// Command genblocks writes the firewall, plugin, IIS, CSRF and rate-limit
// Signature traces (trace.har, expect.txt, README.md per directory).
//
//	go run ./analysis/internal/blocktraces/genblocks -out testdata/traces
package main

import (
	"authlens/analysis/internal/blocktraces"
	"authlens/analysis/internal/tracebuild"
)

func main() { tracebuild.RunGenerator("genblocks", blocktraces.All) }
