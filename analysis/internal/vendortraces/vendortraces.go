// Package vendortraces builds the public-sourced regression corpus under
// testdata/vendor-corpus/<cause>/<name>/ (issue 10, point 6): one trace per
// 401/403 (or vendor error) that a real platform documents or that appears
// verbatim in a public issue thread. In every trace the failing response is
// copied from the public source (status, the vendor's headers and body, as
// the source shows them) and the rest is reconstructed: the request with
// the credential the failure implies, a context entry where it matters,
// timings, addresses. Each README.md says which parts are verbatim and which
// are reconstructed, and each expect.txt names the public source and the
// catalogue cause a support engineer would name.
//
// The corpus is kept outside testdata/traces on purpose: it measures the
// rules, it does not gate them. Regenerate with
//
//	go run ./analysis/internal/vendortraces/gen -out testdata/vendor-corpus
//
// and score the current rules with `make vendor-score`.
package vendortraces

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"authlens/analysis/internal/expect"
	"authlens/analysis/internal/tracebuild"
	"authlens/har"
)

// Trace is one generated corpus trace.
type Trace = tracebuild.Trace

// Generator names the command that writes the corpus.
const Generator = "go run ./analysis/internal/vendortraces/gen -out testdata/vendor-corpus"

// HoldoutGenerator names the command that writes the held-out set
// (testdata/vendor-holdout), built from other public sources and scored
// before any rule is tuned on it.
const HoldoutGenerator = "go run ./analysis/internal/vendortraces/gen -set holdout -out testdata/vendor-holdout"

// ex is one exchange of a corpus trace. Headers are "Name: value".
type ex struct {
	Method, URL string
	Req         []string
	Body, Mime  string // request body and its media type
	Status      int
	Resp        []string
	RMime, Text string // response media type and body
	// Verdict is the expect.txt verdict: "cause=<id>", "ok", "flagged".
	// Empty means ok.
	Verdict string
	// Verbatim marks the exchange whose response is copied from the source.
	Verbatim bool
}

// vt is one corpus trace.
type vt struct {
	Name, Vendor string
	// Folder overrides the cause folder (healthy traces, traps that are
	// only flagged).
	Folder string
	// Client is the User-Agent of the capturing client; Browser marks a
	// browser capture (DevTools export), otherwise it is an API client
	// captured through a proxy (mitmproxy export: no Sec-Fetch-*, no
	// cookies unless the client sent them, no _resourceType).
	Client  string
	Browser bool
	// Source is the public source: "URL (title)".
	Source string
	// Story says what happened, in the README.
	Story string
	// Verbatim says exactly which parts of the marked response are copied.
	Verbatim string
	// Why is the expected diagnosis and why a support engineer names it.
	Why string
	// Trap, when set, names what the vendor text must NOT lead to.
	Trap string
	// Redacted, when set, describes the hand-redacted values in the trace.
	Redacted string
	Start    time.Time
	Entries  []ex
}

var base = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func split(h string) (string, string) {
	n, v, ok := strings.Cut(h, ": ")
	if !ok {
		panic("header without \": \": " + h)
	}
	return n, v
}

func (v vt) build() Trace { return v.buildBy(Generator) }

func (v vt) buildBy(generator string) Trace {
	start := v.Start
	if start.IsZero() {
		start = base
		// A Date header copied from the source places the recording at
		// the source's time: the entry starts just before the server's
		// Date, so no clock disagreement is made up.
	dated:
		for i, e := range v.Entries {
			for _, h := range e.Resp {
				if n, val := split(h); n == "Date" || n == "date" {
					if d, err := time.Parse(tracebuild.IMFDate, val); err == nil {
						start = d.Add(-time.Duration(i+1)*400*time.Millisecond - 200*time.Millisecond)
						break dated
					}
				}
			}
		}
	}
	style := tracebuild.Style{
		UserAgent:  v.Client,
		Step:       400 * time.Millisecond,
		Time:       180,
		Timings:    har.Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: 1, Wait: 176, Receive: 3},
		ServerIP:   "198.51.100.20",
		Connection: "",
	}
	b := tracebuild.NewBuilder(style, start)
	var lines strings.Builder
	var verbatimIdx []int
	for i, e := range v.Entries {
		var opts []tracebuild.Option
		for _, h := range e.Req {
			n, val := split(h)
			opts = append(opts, tracebuild.ReqHeader(n, val))
		}
		if e.Body != "" {
			opts = append(opts, tracebuild.PostBody(e.Mime, e.Body))
		}
		hasCT := false
		for _, h := range e.Resp {
			n, val := split(h)
			if n == "Date" || n == "date" {
				opts = append(opts, dateHeader(val))
				continue
			}
			hasCT = hasCT || strings.EqualFold(n, "Content-Type")
			opts = append(opts, tracebuild.RespHeader(n, val))
		}
		if e.Text != "" && !hasCT {
			opts = append(opts, tracebuild.RespHeader("Content-Type", e.RMime))
		}
		rmime := e.RMime
		if rmime == "" {
			rmime = "text/plain"
		}
		opts = append(opts, tracebuild.Body(rmime, e.Text))
		browser := v.Browser
		opts = append(opts, func(h *har.Entry) {
			h.Response.StatusText = http.StatusText(h.Response.Status)
			if h.Response.Status == 419 {
				h.Response.StatusText = "unknown status"
			}
			if !browser {
				h.ResourceType = ""
				var hs []har.Header
				for _, x := range h.Request.Headers {
					if x.Name != "Accept-Language" {
						hs = append(hs, x)
					}
				}
				h.Request.Headers = hs
			} else {
				h.ResourceType = "xhr"
			}
			if u, err := url.Parse(h.Request.URL); err == nil {
				h.Request.Headers = append([]har.Header{{Name: "Host", Value: u.Host}}, h.Request.Headers...)
			}
		})
		b.Add(e.Method, e.URL, e.Status, opts...)
		verdict := e.Verdict
		if verdict == "" {
			verdict = "ok"
		}
		fmt.Fprintf(&lines, "%d %s %s %d %s\n", i, e.Method, expect.PathOf(e.URL), e.Status, verdict)
		if e.Verbatim {
			verbatimIdx = append(verbatimIdx, i)
		}
	}
	head := "# source: public-sourced: " + v.Source + "; failing response verbatim, context reconstructed (README.md); generated by analysis/internal/vendortraces (" + generator + ")\n" +
		"# vendor: " + v.Vendor + "\n"
	if v.Trap != "" {
		head += "# trap: " + v.Trap + "\n"
	}
	if v.Redacted != "" {
		head += "# hand-redacted: " + v.Redacted + "\n"
	}
	creator := har.Creator{Name: "mitmproxy", Version: "11.0.2"}
	if v.Browser {
		creator = har.Creator{Name: "WebInspector", Version: "537.36"}
	}
	return Trace{Name: v.Name, Folder: v.Folder, Entries: b.Entries(), Log: har.Log{Creator: creator},
		Expect: head + lines.String(), Readme: v.readme(b.Entries(), verbatimIdx)}
}

func dateHeader(val string) tracebuild.Option {
	return func(e *har.Entry) {
		for k := range e.Response.Headers {
			if e.Response.Headers[k].Name == "Date" {
				e.Response.Headers[k].Value = val
			}
		}
	}
}

func (v vt) readme(entries []*har.Entry, verbatim []int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "# %s\n\n", v.Name)
	kind := "an API client, SDK or CLI captured through a proxy (mitmproxy HAR export): no browser headers, no Sec-Fetch-*, cookies only where the client sends them"
	if v.Browser {
		kind = "a browser (DevTools HAR export)"
	}
	fmt.Fprintf(&s, "Vendor: **%s**. Client: `%s` — %s.\n\n", v.Vendor, v.Client, kind)
	fmt.Fprintf(&s, "%s\n\n", v.Story)
	s.WriteString("## Verbatim and reconstructed\n\n")
	for _, i := range verbatim {
		e := entries[i]
		fmt.Fprintf(&s, "- **Verbatim** — entry %d (`%s %s` → %d): %s\n", i, e.Request.Method, expect.PathOf(e.Request.URL), e.Response.Status, v.Verbatim)
	}
	s.WriteString("- **Reconstructed** — everything else: the request line, host and request headers (the credential the failure implies), every other entry, the Date header (unless the source shows one), timings, addresses and the recording tool.\n")
	if v.Redacted != "" {
		fmt.Fprintf(&s, "- **Hand-redacted** (kept as a customer would attach it): %s\n", v.Redacted)
	}
	s.WriteString("\n## Expected diagnosis\n\n")
	fmt.Fprintf(&s, "%s\n", v.Why)
	if v.Trap != "" {
		fmt.Fprintf(&s, "\n**Trap:** %s\n", v.Trap)
	}
	fmt.Fprintf(&s, "\n## Source\n\n%s\n", v.Source)
	return s.String()
}

// All returns every corpus trace.
func All() []Trace {
	var out []Trace
	for _, v := range specs() {
		out = append(out, v.build())
	}
	return out
}

// Holdout returns every trace of the held-out set.
func Holdout() []Trace {
	var out []Trace
	for _, v := range holdoutSpecs() {
		out = append(out, v.buildBy(HoldoutGenerator))
	}
	return out
}

// Vendors returns the vendor of every trace, by trace name.
func Vendors() map[string]string {
	m := map[string]string{}
	for _, v := range specs() {
		m[v.Name] = v.Vendor
	}
	return m
}
