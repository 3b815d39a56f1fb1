package rules

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// authTB builds small hand-made traces for the authentication rules.
type authTB struct {
	t0      time.Time
	entries []*har.Entry
	log     har.Log
}

type entryOpt func(*har.Entry)

func newAuthTB() *authTB {
	return &authTB{t0: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		log: har.Log{Version: "1.2", Creator: har.Creator{Name: "test", Version: "1"}}}
}

// add appends an entry started n seconds after the previous one.
func (b *authTB) add(method, url string, status int, opts ...entryOpt) int {
	i := len(b.entries)
	e := &har.Entry{Index: i, StartedDateTime: b.t0.Add(time.Duration(i) * time.Second),
		Request:  har.Request{Method: method, URL: url, HTTPVersion: "HTTP/1.1", HeadersSize: -1, BodySize: -1},
		Response: har.Response{Status: status, HTTPVersion: "HTTP/1.1", HeadersSize: -1, BodySize: -1}}
	e.Request.Headers = append(e.Request.Headers, har.Header{Name: "User-Agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"})
	for _, o := range opts {
		o(e)
	}
	b.entries = append(b.entries, e)
	return i
}

func reqH(name, value string) entryOpt {
	return func(e *har.Entry) {
		e.Request.Headers = append(e.Request.Headers, har.Header{Name: name, Value: value})
	}
}

func respH(name, value string) entryOpt {
	return func(e *har.Entry) {
		e.Response.Headers = append(e.Response.Headers, har.Header{Name: name, Value: value})
	}
}

func respBody(mime, text string) entryOpt {
	return func(e *har.Entry) {
		e.Response.Content = har.Content{MimeType: mime, Text: text, Size: int64(len(text))}
	}
}

func postBody(mime, text string) entryOpt {
	return func(e *har.Entry) { e.Request.PostData = &har.PostData{MimeType: mime, Text: text} }
}

func socket(id string) entryOpt { return func(e *har.Entry) { e.ConnectionID = id } }

func serverIP(ip string) entryOpt { return func(e *har.Entry) { e.ServerIPAddress = ip } }

func failure(text string) entryOpt { return func(e *har.Entry) { e.FailureText = text } }

func dateHeader(t time.Time) entryOpt { return respH("Date", t.UTC().Format(httpTimeFormat)) }

const httpTimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func testJWT(claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(c) + "." + enc([]byte("sig"))
}

func (b *authTB) trace() *trace.Trace {
	return trace.New(trace.SourceInfo{Path: "test.har", Format: "har"}, b.log, b.entries, nil)
}

// analyzeAll runs every rule.
func analyzeAll(t *testing.T, tr *trace.Trace) *analysis.Report {
	t.Helper()
	rep, err := analysis.Analyze(context.Background(), tr, All())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range rep.Notes {
		if n.ID == "rule-failed" {
			t.Errorf("a rule panicked: %s", n.Text)
		}
	}
	return rep
}

func exchange(rep *analysis.Report, i int) (analysis.Exchange, bool) {
	for _, x := range rep.Exchanges {
		if x.Index == i {
			return x, true
		}
	}
	return analysis.Exchange{}, false
}

func causeList(x analysis.Exchange) string {
	var s []string
	for _, d := range x.Diagnoses {
		s = append(s, fmt.Sprintf("%s(%.2f)", d.Cause, d.Confidence))
	}
	return strings.Join(s, ", ")
}

// wantTop asserts entry i is a problem whose top cause is id.
func wantTop(t *testing.T, rep *analysis.Report, i int, id string) analysis.Diagnosis {
	t.Helper()
	x, ok := exchange(rep, i)
	if !ok || !x.Problem || len(x.Diagnoses) == 0 || x.Diagnoses[0].Cause != id {
		t.Fatalf("entry %d: want top cause %s, got listed=%v problem=%v [%s]", i, id, ok, x.Problem, causeList(x))
	}
	d := x.Diagnoses[0]
	if len(d.Evidence) == 0 || len(d.Remedy) == 0 {
		t.Errorf("entry %d %s: evidence %d rows, remedy %d steps; want both", i, id, len(d.Evidence), len(d.Remedy))
	}
	return d
}

// wantNot asserts entry i has no diagnosis id.
func wantNot(t *testing.T, rep *analysis.Report, i int, id string) {
	t.Helper()
	x, _ := exchange(rep, i)
	for _, d := range x.Diagnoses {
		if d.Cause == id {
			t.Fatalf("entry %d: %s must not be named, got [%s]", i, id, causeList(x))
		}
	}
}

func wantHas(t *testing.T, rep *analysis.Report, i int, id string) analysis.Diagnosis {
	t.Helper()
	x, _ := exchange(rep, i)
	for _, d := range x.Diagnoses {
		if d.Cause == id {
			return d
		}
	}
	t.Fatalf("entry %d: want %s among [%s]", i, id, causeList(x))
	return analysis.Diagnosis{}
}

// wantNoSecret asserts no evidence, explanation or remedy text of the
// report contains the secret.
func wantNoSecret(t *testing.T, rep *analysis.Report, secret string) {
	t.Helper()
	// Exchange.URL is the request URL as recorded (the runner's field);
	// what rules write — diagnoses and notes — must not leak.
	var parts []any
	for _, x := range rep.Exchanges {
		parts = append(parts, x.Diagnoses, x.Explanation)
	}
	parts = append(parts, rep.Notes)
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), secret) {
		t.Fatalf("report contains the secret %q", secret)
	}
}

func harCreator(name, version string) har.Creator { return har.Creator{Name: name, Version: version} }

func harHeader(name, value string) har.Header { return har.Header{Name: name, Value: value} }

func time1h() time.Duration { return time.Hour }
