package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/compare"
	"authlens/analysis/rules"
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

// TestCaseReportComparison: a case report given a comparison has a
// section with the divergence, the ranked differences and the side-by-side
// steps for engineering, and none for the customer.
func TestCaseReportComparison(t *testing.T) {
	ctx := context.Background()
	load := func(p string) *trace.Trace {
		h, err := har.Load(ctx, p, har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		return trace.FromHAR(h)
	}
	good, bad := load("../testdata/traces/healthy/session-login/trace.har"), load("../testdata/traces/cookie-rejected/cookie-rejected/trace.har")
	res, err := compare.Compare(ctx, good, bad, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analysis.Analyze(ctx, bad, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	for _, aud := range []report.Audience{report.Engineering, report.Customer} {
		c := report.Case{Report: rep, Audience: aud, Entries: bad.Entries, Focus: -1, Comparison: res}
		var html, md bytes.Buffer
		if err := report.WriteCaseHTML(&html, c); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteCaseMarkdown(&md, c); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"html": html.String(), "markdown": md.String()} {
			has := strings.Contains(out, "ompared with a working trace")
			if aud == report.Customer {
				if has {
					t.Errorf("customer %s report shows the comparison", name)
				}
				continue
			}
			if !has || !strings.Contains(out, "cookie-rejected") || !strings.Contains(out, "GET /app/") {
				t.Errorf("engineering %s report lacks the comparison:\n%s", name, out)
			}
		}
		if aud == report.Engineering && !strings.Contains(html.String(), "◀ first divergence") {
			t.Error("the HTML report has no side-by-side steps with the divergence marked")
		}
	}
}
