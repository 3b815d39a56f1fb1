package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"authlens/analysis/compare"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/internal/canary"
	"authlens/report"
)

// TestCanaryComparison compares the canary trace (secrets and hostile
// text everywhere) with a copy of itself in which every exchange worked:
// no comparison format may show a secret, a raw control character or
// live markup from the trace.
func TestCanaryComparison(t *testing.T) {
	ctx := context.Background()
	path, err := canary.WriteHAR(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h, err := har.Load(ctx, path, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	bad := trace.FromHAR(h)
	goodEntries := make([]*har.Entry, len(h.Entries))
	for i, e := range h.Entries {
		c := *e
		c.Response.Status = 200
		c.Request.Headers = append([]har.Header{{Name: "X-CSRFToken", Value: canary.Secrets[0]}}, e.Request.Headers...)
		goodEntries[i] = &c
	}
	good := trace.New(trace.SourceInfo{Path: "good\x1b[31m.har"}, h.Log, goodEntries, nil)
	res, err := compare.Compare(ctx, good, bad, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Divergence == nil || len(res.Meaningful()) == 0 {
		t.Fatalf("the canary comparison found nothing: %+v", res.Divergence)
	}
	outputs := map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return report.WriteCompareText(b, res) },
		"markdown": func(b *bytes.Buffer) error { return report.WriteCompareMarkdown(b, res) },
		"json":     func(b *bytes.Buffer) error { return report.WriteCompareJSON(b, res) },
	}
	for name, write := range outputs {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, s := range canary.Secrets {
			if strings.Contains(out, s) {
				t.Errorf("secret %q leaked into the %s comparison", s, name)
			}
		}
		if name != "json" {
			for _, c := range []string{"\x1b", "\x07", "\u009b"} {
				if strings.Contains(out, c) {
					t.Errorf("raw control character %q in the %s comparison", c, name)
				}
			}
		}
		if name == "markdown" {
			if m := rawMarkup.FindString(out); m != "" {
				t.Errorf("live markup %q from the trace in the Markdown comparison", m)
			}
		}
	}
}
