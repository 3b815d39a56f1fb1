package report_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/internal/canary"
	"authlens/report"
)

// hostileText is what a support person might paste, or a HAR might hold.
const hostileText = "<script>alert(1)</script><img src=x onerror=alert(2)>[link](javascript:alert(3)) ![i](https://evil.example/i.png)\n# heading\n- item `tick` | table | \x1b[31mred\x1b]8;;https://evil.example\x07 Bearer SessCookieV4lue77 \" onmouseover=\"alert(4)"

// canaryCase loads the canary HAR, analyses it and builds a case with
// hostile notes, tried steps and a ruled-out cause.
func canaryCase(t *testing.T, aud report.Audience) report.Case {
	t.Helper()
	path, err := canary.WriteHAR(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h, err := har.Load(context.Background(), path, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	tr := trace.FromHAR(h)
	rep, err := analysis.Analyze(context.Background(), tr, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	// Hostile text in what the analysis quotes, too.
	if len(rep.Exchanges) > 0 {
		x := &rep.Exchanges[0]
		x.Method = "GET" + hostileText
		x.URL = "javascript:alert(5)//" + hostileText
		x.Explanation += hostileText
		if len(x.Diagnoses) > 0 {
			d := &x.Diagnoses[0]
			d.Evidence = append(d.Evidence, analysis.Evidence{Entry: 0, Where: har.ResponseHeader("X" + hostileText), Detail: hostileText})
			d.Remedy = append(d.Remedy, analysis.Step{Who: analysis.User, Step: "Retry " + hostileText})
		}
	}
	return report.Case{Report: rep, Audience: aud, Entries: h.Entries, Focus: -1, Notes: hostileText,
		Tried:     []report.Tried{{Cause: "invalid-credentials", Title: hostileText, Outcome: "did not help", Done: []string{"Customer: " + hostileText}}},
		RuledOut:  []report.RuledOut{{Cause: "waf-block", Title: hostileText, Why: hostileText}},
		Generated: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
}

// allowedTags are the only HTML elements the case template writes.
var allowedTags = map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"header": true, "h1": true, "h2": true, "h3": true, "h4": true, "div": true, "span": true, "section": true, "p": true,
	"strong": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "code": true, "ol": true,
	"ul": true, "li": true, "article": true, "footer": true}

// allowedAttrs are the only attributes it writes.
var allowedAttrs = map[string]bool{"lang": true, "charset": true, "http-equiv": true, "content": true, "name": true, "class": true, "style": true}

var (
	tagRe  = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	attrRe = regexp.MustCompile(`([a-zA-Z-]+)\s*=\s*"([^"]*)"`)
)

func TestCaseHTMLCannotBeInjected(t *testing.T) {
	for _, aud := range []report.Audience{report.Engineering, report.Customer} {
		var buf bytes.Buffer
		if err := report.WriteCaseHTML(&buf, canaryCase(t, aud)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		checkNoSecrets(t, string(aud)+" html", out)
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s: a raw control character reached the HTML", aud)
		}
		for _, m := range tagRe.FindAllStringSubmatch(out, -1) {
			if !allowedTags[strings.ToLower(m[1])] {
				t.Errorf("%s: unexpected element <%s%s>", aud, m[1], m[2])
			}
			rest := attrRe.ReplaceAllString(m[2], "")
			if strings.TrimSpace(rest) != "" {
				t.Errorf("%s: unexpected attribute text in <%s%s>: %q", aud, m[1], m[2], rest)
			}
			for _, a := range attrRe.FindAllStringSubmatch(m[2], -1) {
				if !allowedAttrs[strings.ToLower(a[1])] {
					t.Errorf("%s: unexpected attribute %s=%q", aud, a[1], a[2])
				}
				if strings.Contains(strings.ToLower(a[2]), "javascript") || strings.Contains(a[2], "alert") {
					t.Errorf("%s: hostile text inside an attribute: %s=%q", aud, a[1], a[2])
				}
			}
		}
		for _, bad := range []string{"<script", "<img", "<a ", "url(", "@import"} {
			if strings.Contains(strings.ToLower(out), bad) {
				t.Errorf("%s: %q in the HTML", aud, bad)
			}
		}
		if !strings.Contains(out, "&lt;script&gt;") && aud == report.Engineering {
			t.Errorf("%s: the hostile text is not shown escaped", aud)
		}
	}
}

func TestCaseMarkdownCannotBeInjected(t *testing.T) {
	codeSpan := regexp.MustCompile("(`+)[^`]*?(`+)")
	// "](" or "![" not preceded by a backslash would make a link or image.
	live := regexp.MustCompile(`(^|[^\\])(\]\(|!\[)`)
	for _, aud := range []report.Audience{report.Engineering, report.Customer} {
		var buf bytes.Buffer
		if err := report.WriteCaseMarkdown(&buf, canaryCase(t, aud)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		checkNoSecrets(t, string(aud)+" markdown", out)
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s: a raw control character reached the Markdown", aud)
		}
		for n, line := range strings.Split(out, "\n") {
			prose := codeSpan.ReplaceAllString(line, "")
			if strings.Contains(prose, "<") {
				t.Errorf("%s line %d: raw < outside a code span: %s", aud, n+1, line)
			}
			if live.MatchString(prose) {
				t.Errorf("%s line %d: a live link or image outside a code span: %s", aud, n+1, line)
			}
			if strings.HasPrefix(line, "# heading") || strings.HasPrefix(line, "- item") {
				t.Errorf("%s line %d: hostile text started a Markdown block: %s", aud, n+1, line)
			}
		}
	}
}

func checkNoSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range canary.Secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s: secret %q leaked", what, s)
		}
	}
	if strings.Contains(out, "SessCookieV4lue77") {
		t.Errorf("%s: the cookie in the notes leaked", what)
	}
}

// demoCase is the case of the recorded demo trace.
func demoCase(t *testing.T, aud report.Audience) report.Case {
	t.Helper()
	h, err := har.Load(context.Background(), "../testdata/traces/expired-token/demo/trace.har", har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	tr := trace.FromHAR(h)
	rep, err := analysis.Analyze(context.Background(), tr, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	hidden := tr.Sanitized()
	return report.Case{Report: rep, Audience: aud, Entries: h.Entries, Hidden: &hidden, Focus: -1,
		Notes: "Customer says it started after lunch.",
		Tried: []report.Tried{{Cause: "expired-token", Title: "The token or link has expired", Outcome: "did not help",
			Done: []string{"Customer: Sign out of the application and sign in again, then retry http://127.0.0.1:38329/api/reports: it should answer 200."}}}}
}

func TestCaseAudiences(t *testing.T) {
	var eng, cust bytes.Buffer
	if err := report.WriteCaseMarkdown(&eng, demoCase(t, report.Engineering)); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteCaseMarkdown(&cust, demoCase(t, report.Customer)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"`expired-token`", "`request.headers.Authorization`", "**Tried**", "did not help", "**Notes**", "**Timeline**", "sign-in", "- [x] Customer: Sign out"} {
		if !strings.Contains(eng.String(), want) {
			t.Errorf("engineering Markdown lacks %q:\n%s", want, eng.String())
		}
	}
	for _, not := range []string{"expired-token", "request.headers", "confidence", "%", "after lunch", "Developer", "Site admin", "Timeline"} {
		if strings.Contains(cust.String(), not) {
			t.Errorf("customer Markdown holds %q:\n%s", not, cust.String())
		}
	}
	if !strings.Contains(cust.String(), "1. ") || !strings.Contains(cust.String(), "What to do") {
		t.Errorf("customer Markdown has no steps:\n%s", cust.String())
	}
	// The tried cause is not offered to the customer again.
	if strings.Contains(cust.String(), "Sign out of the application and sign in again, then retry") {
		t.Errorf("the customer is told to redo a step that did not help:\n%s", cust.String())
	}
	if n := strings.Count(eng.String(), "\n"); n > 60 {
		t.Errorf("engineering Markdown is %d lines: too long for a ticket", n)
	}
	var html bytes.Buffer
	if err := report.WriteCaseHTML(&html, demoCase(t, report.Engineering)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"At a glance", "Timeline of the exchanges that matter", "Causes ruled out", "not reported by this version", "What was tried", "Support notes", "☑", "@page"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestCaseSanitizedExport(t *testing.T) {
	c := demoCase(t, report.Engineering)
	c.Report.Source.Sanitized = true
	c.Hidden = &trace.Sanitization{Sanitized: true, CookiesHidden: true}
	var b bytes.Buffer
	if err := report.WriteCaseHTML(&b, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "Not confirmed: the export removed the cookies") || !strings.Contains(out, "Export HAR (with sensitive data)") {
		t.Errorf("a sanitized export's report does not say what it could not confirm, or what to ask")
	}
	if strings.Contains(out, "removed the login headers") {
		t.Errorf("the login headers were not hidden, yet the report says so")
	}
	if report.Unconfirmed("waf-block", trace.Sanitization{AuthHidden: true, CookiesHidden: true}) != "" {
		t.Error("a firewall block does not rest on cookies or credentials")
	}
	c.Audience = report.Customer
	b.Reset()
	report.WriteCaseMarkdown(&b, c)
	if !strings.Contains(b.String(), "What we need from you") || !strings.Contains(b.String(), "Save All As HAR") {
		t.Errorf("the customer is not told how to export again:\n%s", b.String())
	}
}

func TestEntries(t *testing.T) {
	r := &analysis.Report{Exchanges: []analysis.Exchange{{Index: 7, Diagnoses: []analysis.Diagnosis{{Evidence: []analysis.Evidence{{Entry: 2}, {Entry: 7}, {Entry: 3}}}}}, {Index: 1}}}
	if got := report.Entries(r); len(got) != 4 || got[0] != 1 || got[1] != 2 || got[2] != 3 || got[3] != 7 {
		t.Fatalf("Entries = %v, want [1 2 3 7]", got)
	}
}
