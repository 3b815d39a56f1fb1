// Package tracebuild is the shared workshop of the signature-trace
// generators (analysis/internal/blocktraces and analysis/internal/sigtraces):
// it assembles HAR entries from documented vendor texts and headers, renders
// a trace directory (trace.har, expect.txt, README.md) under
// testdata/signatures, runs a generator command and checks in a test that
// the committed files still equal what the generator produces.
package tracebuild

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"authlens/har"
)

// IMFDate is the IMF-fixdate format of the Date header (RFC 9110 §5.6.7).
const IMFDate = "Mon, 02 Jan 2006 15:04:05 GMT"

// Trace is one generated trace directory.
type Trace struct {
	Name    string
	Log     har.Log // the HAR log header: creator and comment
	Entries []*har.Entry
	// Expect is expect.txt (the scenario harness format).
	Expect string
	// Readme is README.md: what the trace shows and the source of every
	// Signature in it.
	Readme string
}

// HAR renders the trace as HAR 1.2 with the project's writer.
func (t Trace) HAR() ([]byte, error) {
	var buf bytes.Buffer
	w, err := har.NewWriter(&buf, t.Log)
	if err != nil {
		return nil, fmt.Errorf("trace %s: %w", t.Name, err)
	}
	for _, e := range t.Entries {
		if err := w.WriteEntry(e); err != nil {
			return nil, fmt.Errorf("trace %s, entry %d: %w", t.Name, e.Index, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("trace %s: %w", t.Name, err)
	}
	return buf.Bytes(), nil
}

// Files returns the files of the trace's directory: name -> content.
func (t Trace) Files() (map[string][]byte, error) {
	h, err := t.HAR()
	if err != nil {
		return nil, err
	}
	return map[string][]byte{"trace.har": h, "expect.txt": []byte(t.Expect), "README.md": []byte(t.Readme)}, nil
}

// WriteAll writes every trace into dir/<name>/.
func WriteAll(dir string, traces []Trace) error {
	for _, t := range traces {
		files, err := t.Files()
		if err != nil {
			return err
		}
		d := filepath.Join(dir, t.Name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", d, err)
		}
		for name, data := range files {
			p := filepath.Join(d, name)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				return fmt.Errorf("writing %s: %w", p, err)
			}
		}
	}
	return nil
}

// RunGenerator is the body of a generator command: it parses -out and
// writes the traces there, exiting 1 with the error on failure.
func RunGenerator(prog string, all func() []Trace) {
	out := flag.String("out", "testdata/signatures", "directory to write the traces into")
	flag.Parse()
	if err := WriteAll(*out, all()); err != nil {
		fmt.Fprintln(os.Stderr, prog+":", err)
		os.Exit(1)
	}
}

// CheckCommitted fails t unless dir holds exactly the files the traces
// render, so the committed traces stay reproducible; regenerate is the
// command that rewrites them, named in every failure.
func CheckCommitted(t testing.TB, dir string, traces []Trace, regenerate string) {
	t.Helper()
	for _, tr := range traces {
		files, err := tr.Files()
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range files {
			got, err := os.ReadFile(filepath.Join(dir, tr.Name, name))
			if err != nil {
				t.Errorf("%s/%s: %v (run %s)", tr.Name, name, err, regenerate)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from the generator's output (run %s)", tr.Name, name, regenerate)
			}
		}
	}
}

// Style is how one generator's entries look: the browser, the server and
// the pace of the recording.
type Style struct {
	UserAgent  string
	Step       time.Duration // time between the starts of two entries
	Time       float64       // total time of an entry, ms
	Timings    har.Timings
	ServerIP   string
	Connection string
}

// Option changes an entry as Builder.Add makes it.
type Option func(*har.Entry)

// Builder assembles the entries of one trace, one browser request at a time.
type Builder struct {
	style   Style
	clock   time.Time
	entries []*har.Entry
}

// NewBuilder starts a trace whose first entry begins one step after start.
func NewBuilder(style Style, start time.Time) *Builder {
	return &Builder{style: style, clock: start}
}

// Wait lets d pass before the next entry starts.
func (b *Builder) Wait(d time.Duration) { b.clock = b.clock.Add(d) }

// Entries returns the entries added so far.
func (b *Builder) Entries() []*har.Entry { return b.entries }

// Add appends a request with the style's browser headers, a response with
// a Date header and the options applied in order; the query string and the
// response body sizes follow from the URL and the body text.
func (b *Builder) Add(method, url string, status int, opts ...Option) *har.Entry {
	b.clock = b.clock.Add(b.style.Step)
	e := &har.Entry{Index: len(b.entries), StartedDateTime: b.clock, Time: b.style.Time,
		Request: har.Request{Method: method, URL: url, HTTPVersion: "HTTP/1.1", HeadersSize: -1, BodySize: 0,
			Headers: []har.Header{{Name: "User-Agent", Value: b.style.UserAgent}, {Name: "Accept-Language", Value: "en-US,en;q=0.9"}}},
		Response: har.Response{Status: status, StatusText: StatusText(status), HTTPVersion: "HTTP/1.1", HeadersSize: -1, BodySize: 0,
			Headers: []har.Header{{Name: "Date", Value: b.clock.UTC().Format(IMFDate)}},
			Content: har.Content{MimeType: "text/html"}},
		Timings:         b.style.Timings,
		ServerIPAddress: b.style.ServerIP, Connection: b.style.Connection, ResourceType: "document",
	}
	if q := strings.Index(url, "?"); q >= 0 {
		for _, kv := range strings.Split(url[q+1:], "&") {
			k, v, _ := strings.Cut(kv, "=")
			e.Request.QueryString = append(e.Request.QueryString, har.NameValue{Name: k, Value: v})
		}
	}
	for _, o := range opts {
		o(e)
	}
	if n := int64(len(e.Response.Content.Text)); n > 0 {
		e.Response.Content.Size, e.Response.BodySize = n, n
	}
	b.entries = append(b.entries, e)
	return e
}

// StatusText is the reason phrase the traces record for a status code;
// 419 (Laravel's CSRF answer) is not a registered code, so its phrase is
// "unknown status".
func StatusText(status int) string {
	switch status {
	case 200:
		return "OK"
	case 202:
		return "Accepted"
	case 302:
		return "Found"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 405:
		return "Method Not Allowed"
	case 419:
		return "unknown status"
	case 503:
		return "Service Unavailable"
	}
	return ""
}

// ReqHeader adds a request header.
func ReqHeader(name, value string) Option {
	return func(e *har.Entry) {
		e.Request.Headers = append(e.Request.Headers, har.Header{Name: name, Value: value})
	}
}

// RespHeader adds a response header.
func RespHeader(name, value string) Option {
	return func(e *har.Entry) {
		e.Response.Headers = append(e.Response.Headers, har.Header{Name: name, Value: value})
	}
}

// Body sets the response body (and nothing else: no Content-Type header).
func Body(mime, text string) Option {
	return func(e *har.Entry) { e.Response.Content = har.Content{MimeType: mime, Text: text} }
}

// PostBody sets the request body, its size and its Content-Type header.
func PostBody(mime, text string) Option {
	return func(e *har.Entry) {
		e.Request.PostData = &har.PostData{MimeType: mime, Text: text}
		e.Request.BodySize = int64(len(text))
		e.Request.Headers = append(e.Request.Headers, har.Header{Name: "Content-Type", Value: mime})
	}
}
