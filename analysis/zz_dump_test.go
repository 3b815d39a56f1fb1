package analysis_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"authlens/analysis"
	"authlens/har"
)

func TestZZDump(t *testing.T) {
	root := os.Getenv("DUMPDIR")
	if root == "" {
		t.Skip()
	}
	ms, _ := filepath.Glob(filepath.Join(root, "*", "trace.har"))
	for _, m := range ms {
		h, err := har.Load(context.Background(), m, har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, _ := analysis.Analyze(context.Background(), analysis.FromHAR(h))
		fmt.Printf("== %s (sanitized=%v)\n", filepath.Base(filepath.Dir(m)), rep.Source.Sanitized)
		for _, x := range rep.Exchanges {
			s := ""
			for _, d := range x.Diagnoses {
				s += fmt.Sprintf(" %s(%.2f)", d.Cause, d.Confidence)
			}
			fmt.Printf("  %d %s %d problem=%v:%s\n", x.Index, x.Method, x.Status, x.Problem, s)
		}
		for _, n := range rep.Notes {
			fmt.Printf("  note %s: %.150s\n", n.ID, n.Text)
		}
	}
}
