package har

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writeHugeHAR writes entries: normal, a header value of stringBytes, a
// body of bodyBytes, normal.
func writeHugeHAR(t *testing.T, path string, stringBytes, bodyBytes int) {
	t.Helper()
	var b bytes.Buffer
	entry := func(url, headers, body string, status int) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-01-01T00:00:00Z","time":1,"request":{"method":"GET","url":"https://example.test/%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[%s],"queryString":[],"headersSize":-1,"bodySize":0},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":%d,"mimeType":"text/plain","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":0,"receive":0}}`, url, headers, status, len(body), body)
	}
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[`)
	b.WriteString(entry("first", "", "ok", 200) + ",")
	b.WriteString(entry("huge-header", `{"name":"X-Huge","value":"`+strings.Repeat("v", stringBytes)+`"}`, "", 200) + ",")
	b.WriteString(entry("huge-body", "", strings.Repeat("b", bodyBytes-2)+`\u00e9`, 200) + ",")
	b.WriteString(entry("last", "", "no", 401) + "]}}")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// One huge value (20 MB header, 25 MB body) is located and skipped
// without being held: the load allocates a small fraction of the file,
// the body stays readable in full, and the header is reported.
func TestHugeValuesAreSkippedWithoutHoldingThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.har")
	writeHugeHAR(t, path, 20<<20, 25<<20)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tr, err := Load(context.Background(), path, Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("loading a 45 MB file with two huge values allocated %d MiB in all", alloc>>20)
	} else {
		t.Logf("allocated %.1f MiB in all while loading 45 MB", float64(alloc)/(1<<20))
	}
	if len(tr.Entries) != 4 || tr.Entries[3].Response.Status != 401 {
		t.Fatalf("%d entries", len(tr.Entries))
	}
	if v, _ := HeaderValue(tr.Entries[1].Request.Headers, "X-Huge"); v != "" {
		t.Errorf("the huge header value was held: %d bytes", len(v))
	}
	if !strings.Contains(strings.Join(tr.Warnings, "\n"), "too large to hold in memory") {
		t.Errorf("the skipped value is not reported: %q", tr.Warnings)
	}
	c := &tr.Entries[2].Response.Content
	if c.Ref == nil {
		t.Fatal("the huge body is not left in the file")
	}
	body, err := tr.Body(c)
	if err != nil || len(body) != 25<<20 || !strings.HasSuffix(string(body), "bbé") {
		t.Errorf("the huge body read back: %d bytes, %v", len(body), err)
	}
	// The entries after the huge values are where the file says.
	if tr.Entries[3].Offset <= c.Ref.Offset+c.Ref.Length {
		t.Errorf("entry offsets not mapped back to the file: %d", tr.Entries[3].Offset)
	}
}

// An entry larger than MaxEntryBytes is reported, not loaded.
func TestEntryOverTheLimitIsReportedNotLoaded(t *testing.T) {
	var headers []string
	for i := 0; i < 2000; i++ {
		headers = append(headers, fmt.Sprintf(`{"name":"X-%d","value":"%s"}`, i, strings.Repeat("h", 500)))
	}
	doc := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[` +
		`{"request":{"method":"GET","url":"https://a.test/big","headers":[` + strings.Join(headers, ",") + `]},"response":{"status":200}},` +
		`{"request":{"method":"GET","url":"https://a.test/small"},"response":{"status":401}}]}}`
	tr, err := LoadBytes(context.Background(), "big-entry.har", []byte(doc), Options{MaxEntryBytes: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if len(tr.Entries) != 1 || tr.Entries[0].Request.URL != "https://a.test/small" {
		t.Fatalf("entries: %d", len(tr.Entries))
	}
	if !strings.Contains(strings.Join(tr.Warnings, "\n"), "reported, not loaded") {
		t.Errorf("the big entry is not reported: %q", tr.Warnings)
	}
}

// The cut never splits an escape sequence, and a cut body reads back
// exactly, escapes included.
func TestCutStringsKeepEscapesAndOffsets(t *testing.T) {
	body := strings.Repeat(`a\"\\\u00e9\n`, 40)
	doc := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[` +
		`{"request":{"method":"POST","url":"https://a.test/1","headers":[{"name":"X","value":"` + body + `"}],"postData":{"mimeType":"text/plain","text":"` + body + `"}},"response":{"status":200,"content":{"size":1,"mimeType":"text/plain","text":"` + body + `"}}},` +
		`{"request":{"method":"GET","url":"https://a.test/2"},"response":{"status":401}}]}}`
	for keep := int64(20); keep < 40; keep++ {
		tr, err := LoadBytes(context.Background(), "cut.har", []byte(doc), Options{InlineBodyLimit: 16, MaxValueBytes: keep})
		if err != nil {
			t.Fatalf("keep %d: %v", keep, err)
		}
		if len(tr.Entries) != 2 || tr.Entries[1].Response.Status != 401 {
			t.Fatalf("keep %d: %d entries", keep, len(tr.Entries))
		}
		want := strings.Repeat("a\"\\é\n", 40)
		got, err := tr.Body(&tr.Entries[0].Response.Content)
		if err != nil || string(got) != want {
			t.Fatalf("keep %d: body %q, %v", keep, got, err)
		}
		post, err := tr.PostText(tr.Entries[0].Request.PostData)
		if err != nil || post != want {
			t.Fatalf("keep %d: post text %q, %v", keep, post, err)
		}
		if !bytes.HasPrefix([]byte(doc[tr.Entries[1].Offset:]), []byte(`{"request":{"method":"GET"`)) {
			t.Fatalf("keep %d: entry 1 offset %d points at %.20q", keep, tr.Entries[1].Offset, doc[tr.Entries[1].Offset:])
		}
		tr.Close()
	}
}
