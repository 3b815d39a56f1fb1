package tracebuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"authlens/har"
)

func testStyle() Style {
	return Style{UserAgent: "test-agent", Step: 250 * time.Millisecond, Time: 12,
		Timings:  har.Timings{Blocked: 1, DNS: -1, Connect: -1, Send: 1, Wait: 9, Receive: 1, SSL: -1},
		ServerIP: "192.0.2.7", Connection: "443"}
}

func TestBuilderAdd(t *testing.T) {
	testStart := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b := NewBuilder(testStyle(), testStart)
	first := b.Add("GET", "https://example.com/a?x=1&y=two", 200, RespHeader("Server", "nginx"))
	b.Wait(time.Minute)
	second := b.Add("POST", "https://example.com/login", 419, ReqHeader("X-CSRF-Token", "abc"),
		PostBody("application/json", `{"u":"jdoe"}`), Body("text/html", "<p>expired</p>"))

	if got := b.Entries(); len(got) != 2 || got[0] != first || got[1] != second {
		t.Fatalf("Entries() = %v, want the two added entries in order", got)
	}
	if first.Index != 0 || second.Index != 1 {
		t.Errorf("indexes %d, %d, want 0, 1", first.Index, second.Index)
	}
	if want := testStart.Add(250 * time.Millisecond); !first.StartedDateTime.Equal(want) {
		t.Errorf("first start %v, want %v", first.StartedDateTime, want)
	}
	if want := testStart.Add(500*time.Millisecond + time.Minute); !second.StartedDateTime.Equal(want) {
		t.Errorf("second start %v, want %v (step + wait + step)", second.StartedDateTime, want)
	}
	if date, _ := har.HeaderValue(second.Response.Headers, "Date"); date != second.StartedDateTime.Format(IMFDate) {
		t.Errorf("Date header %q, want the entry's start", date)
	}
	if ua, _ := har.HeaderValue(first.Request.Headers, "User-Agent"); ua != "test-agent" {
		t.Errorf("User-Agent %q, want the style's", ua)
	}
	if first.ServerIPAddress != "192.0.2.7" || first.Connection != "443" || first.Time != 12 || first.Timings.Wait != 9 {
		t.Errorf("style not applied: ip %q conn %q time %v wait %v", first.ServerIPAddress, first.Connection, first.Time, first.Timings.Wait)
	}
	wantQuery := []har.NameValue{{Name: "x", Value: "1"}, {Name: "y", Value: "two"}}
	if fmt.Sprint(first.Request.QueryString) != fmt.Sprint(wantQuery) {
		t.Errorf("query %v, want %v", first.Request.QueryString, wantQuery)
	}
	if server, _ := har.HeaderValue(first.Response.Headers, "Server"); server != "nginx" {
		t.Errorf("Server header %q, want nginx", server)
	}
	if first.Response.StatusText != "OK" || second.Response.StatusText != "unknown status" {
		t.Errorf("status texts %q, %q", first.Response.StatusText, second.Response.StatusText)
	}
	if first.Response.BodySize != 0 || first.Response.Content.Size != 0 {
		t.Errorf("empty body sized %d/%d, want 0", first.Response.BodySize, first.Response.Content.Size)
	}
	if n := int64(len("<p>expired</p>")); second.Response.BodySize != n || second.Response.Content.Size != n {
		t.Errorf("body sized %d/%d, want %d", second.Response.BodySize, second.Response.Content.Size, n)
	}
	if ct, _ := har.HeaderValue(second.Response.Headers, "Content-Type"); ct != "" {
		t.Errorf("Body added a Content-Type header %q; it must not", ct)
	}
	if second.Request.PostData == nil || second.Request.BodySize != int64(len(`{"u":"jdoe"}`)) {
		t.Fatalf("post body not set: %+v, size %d", second.Request.PostData, second.Request.BodySize)
	}
	if ct, _ := har.HeaderValue(second.Request.Headers, "Content-Type"); ct != "application/json" {
		t.Errorf("request Content-Type %q, want application/json", ct)
	}
}

func sampleTrace() Trace {
	b := NewBuilder(testStyle(), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b.Add("GET", "https://example.com/", 403, Body("text/html", "<h1>Forbidden</h1>"))
	return Trace{Name: "sample", Log: har.Log{Creator: har.Creator{Name: "tracebuild-test", Version: "1"}},
		Entries: b.Entries(), Expect: "0 GET / 403 cause=x\n", Readme: "# sample\n"}
}

func TestWriteAllRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, []Trace{sampleTrace()}); err != nil {
		t.Fatal(err)
	}
	loaded, err := har.Load(context.Background(), filepath.Join(dir, "x", "sample", "trace.har"), har.Options{})
	if err != nil {
		t.Fatalf("reading the written HAR: %v", err)
	}
	if len(loaded.Entries) != 1 || loaded.Entries[0].Response.Status != 403 || loaded.Log.Creator.Name != "tracebuild-test" {
		t.Errorf("round trip lost data: %d entries, creator %q", len(loaded.Entries), loaded.Log.Creator.Name)
	}
	expect, err := os.ReadFile(filepath.Join(dir, "x", "sample", "expect.txt"))
	if err != nil || string(expect) != "0 GET / 403 cause=x\n" {
		t.Errorf("expect.txt = %q, %v", expect, err)
	}
	// A fresh write of the same trace is what CheckCommitted accepts.
	CheckCommitted(t, dir, []Trace{sampleTrace()}, "regen")
}

// recorder stands in for *testing.T to see what CheckCommitted reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestCheckCommittedReportsDrift(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, []Trace{sampleTrace()}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x", "sample", "README.md"), []byte("# hand-edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "x", "sample", "expect.txt")); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	CheckCommitted(r, dir, []Trace{sampleTrace()}, "go run ./gen")
	if len(r.errors) != 2 {
		t.Fatalf("want 2 reports (edited README, missing expect), got %q", r.errors)
	}
	for _, e := range r.errors {
		if !strings.Contains(e, "go run ./gen") {
			t.Errorf("report %q does not name the regenerate command", e)
		}
	}
}
