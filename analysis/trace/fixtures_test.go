package trace

import (
	"strings"
	"time"

	"authlens/har"
)

// Hand-built exchanges for the tests of the shared reasoning.

var fixtureStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const fixtureUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

// headers turns "Name: value" lines into headers.
func headers(lines ...string) []har.Header {
	var hs []har.Header
	for _, l := range lines {
		n, v, _ := strings.Cut(l, ":")
		hs = append(hs, har.Header{Name: strings.TrimSpace(n), Value: strings.TrimSpace(v)})
	}
	return hs
}

// entry is one exchange, sec seconds after fixtureStart.
func entry(sec int, method, url string, status int, req, resp []string, body string) *har.Entry {
	e := &har.Entry{StartedDateTime: fixtureStart.Add(time.Duration(sec) * time.Second)}
	e.Request = har.Request{Method: method, URL: url, HTTPVersion: "HTTP/1.1", Headers: headers(append([]string{"User-Agent: " + fixtureUA}, req...)...)}
	e.Response = har.Response{Status: status, HTTPVersion: "HTTP/1.1", Headers: headers(resp...),
		Content: har.Content{Size: int64(len(body)), MimeType: "application/json", Text: body}}
	return e
}

// fixture indexes the exchanges as one trace.
func fixture(es ...*har.Entry) *Trace {
	for i, e := range es {
		e.Index = i
	}
	return New(SourceInfo{Path: "fixture.har"}, har.Log{Version: "1.2", Creator: har.Creator{Name: "fixture", Version: "1"}}, es, nil)
}
