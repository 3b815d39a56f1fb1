//go:build blocksdump

package rules_test

// A manual aid, built only with -tags blocksdump: prints the text report of
// the HAR named by BLOCKS_HAR, to read explanations and remedy steps.

import (
	"context"
	"os"
	"testing"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
)

func TestBlocksDumpReport(t *testing.T) {
	ctx := context.Background()
	h, err := har.Load(ctx, os.Getenv("BLOCKS_HAR"), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analysis.Analyze(ctx, trace.FromHAR(h), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	if err := analysis.WriteText(os.Stdout, rep); err != nil {
		t.Fatal(err)
	}
}
