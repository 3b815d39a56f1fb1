package report_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/internal/canary"
	"authlens/report"
)

// rawMarkup finds HTML tags, Markdown links and unescaped emphasis that
// came from the trace rather than from the report's own structure.
var rawMarkup = regexp.MustCompile(`<script|<h1>|(^|[^\\])\]\(https://evil|(^|[^\\])\[click`)

// TestCanaryNoSecretOrHostileTextInAnyFormat feeds one HAR full of
// secrets and hostile text through every report format and checks that
// no secret, no raw control character and no live Markdown/HTML comes out.
func TestCanaryNoSecretOrHostileTextInAnyFormat(t *testing.T) {
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
	rep, err := analysis.Analyze(ctx, trace.FromHAR(h), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Exchanges) < 4 {
		t.Fatalf("the canary trace gave %d exchanges, want every failure listed", len(rep.Exchanges))
	}
	outputs := map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return report.WriteText(b, rep) },
		"markdown": func(b *bytes.Buffer) error { return report.WriteMarkdown(b, rep) },
		"json":     func(b *bytes.Buffer) error { return report.WriteJSON(b, rep) },
	}
	for name, write := range outputs {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, s := range canary.Secrets {
				if strings.Contains(out, s) {
					t.Errorf("secret %q leaked into the %s report", s, name)
				}
			}
			for _, c := range []string{"\x1b", "\x07", "\u009b"} {
				if strings.Contains(out, c) {
					t.Errorf("raw control character %q in the %s report", c, name)
				}
			}
			if name == "markdown" {
				if m := rawMarkup.FindString(out); m != "" {
					t.Errorf("live markup %q from the trace in the Markdown report", m)
				}
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a*b_c":           `a\*b\_c`,
		"[x](http://e)":   `\[x\](http://e)`,
		"1. item":         `1\. item`,
		"- item":          `\- item`,
		"<b>&":            "&lt;b&gt;&amp;",
		"line\n# heading": `line \# heading`,
		"esc\x1b[31m":     `esc\\x1b\[31m`, // shown as esc\x1b[31m
		"bidi\u202eevil":  `bidi\\u202eevil`,
	} {
		got := report.Markdown(in)
		if got != want {
			t.Errorf("Markdown(%q) = %q, want %q", in, got, want)
		}
	}
	if got := report.Code("a``b"); got != "```a``b```" {
		t.Errorf("Code = %q: the fence must be longer than any backtick run inside", got)
	}
	if got := report.Visible("a\x1b[0m\x9bb", true); strings.ContainsAny(got, "\x1b\x9b") {
		t.Errorf("Visible left a control character: %q", got)
	}
}
