package har

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// validatorScript is the repository's npm har-validator wrapper.
const validatorScript = "../testdata/tools/validate-har.js"

// validateHAR runs npm har-validator on files; it skips only when node
// is missing.
func validateHAR(t *testing.T, files ...string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: cannot run har-validator (CI has node)")
	}
	if _, err := os.Stat("../testdata/tools/node_modules/har-validator"); err != nil {
		t.Fatalf("node is installed but har-validator is not: run `npm ci` in testdata/tools (make deps-test does): %v", err)
	}
	out, err := exec.Command(node, append([]string{validatorScript}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("har-validator rejected the output: %v\n%s", err, out)
	}
}

// rewrite loads src and writes every entry with a Writer to dst.
func rewrite(t *testing.T, tr *Trace, dst string) {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, tr.Log)
	if err != nil {
		t.Fatal(err)
	}
	w.SetBodySource(tr.Body)
	for _, e := range tr.Entries {
		if err := w.WriteEntry(e); err != nil {
			t.Fatalf("WriteEntry(%d): %v", e.Index, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWriterRoundTripCorpusValidates(t *testing.T) {
	needCorpus(t)
	dir := t.TempDir()
	var outs []string
	for _, row := range manifest(t) {
		// A small inline limit forces bodies to go through Ref and the body source.
		tr, err := Load(context.Background(), filepath.Join(corpusDir, row.file), Options{InlineBodyLimit: 512})
		if err != nil {
			t.Fatalf("%s: %v", row.file, err)
		}
		dst := filepath.Join(dir, row.file)
		rewrite(t, tr, dst)
		back, err := Load(context.Background(), dst, Options{})
		if err != nil {
			t.Fatalf("%s: reading back: %v", row.file, err)
		}
		if back.Damage != nil || len(back.Entries) != len(tr.Entries) {
			t.Fatalf("%s: read back %d entries (damage %v), wrote %d", row.file, len(back.Entries), back.Damage, len(tr.Entries))
		}
		if back.Log.Version != "1.2" {
			t.Errorf("%s: written version %q", row.file, back.Log.Version)
		}
		for i, e := range tr.Entries {
			b := back.Entries[i]
			if b.Request.URL != e.Request.URL || b.Response.Status != e.Response.Status ||
				!reflect.DeepEqual(b.Request.Headers, e.Request.Headers) ||
				!b.StartedDateTime.Equal(e.StartedDateTime.Truncate(time.Millisecond)) {
				t.Errorf("%s: entry %d differs after the round trip", row.file, i)
			}
			want, err1 := tr.Body(&e.Response.Content)
			got, err2 := back.Body(&b.Response.Content)
			if err1 == nil && (err2 != nil || !bytes.Equal(want, got)) {
				t.Errorf("%s: entry %d: body differs after the round trip (%v)", row.file, i, err2)
			}
		}
		tr.Close()
		back.Close()
		outs = append(outs, dst)
	}
	validateHAR(t, outs...)
}

func TestWriterIsACrashSafeJournal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "capture.journal")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, Log{Creator: Creator{Name: "AuthLens", Version: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 25, 10, 0, 0, 123e6, time.UTC)
	for i := range 5 {
		e := &Entry{
			StartedDateTime: start.Add(time.Duration(i) * time.Second),
			Request:         Request{Method: "GET", URL: "https://app.example.test/api/" + string(rune('a'+i)), HTTPVersion: "HTTP/1.1"},
			Response:        Response{Status: 401, StatusText: "Unauthorized", HTTPVersion: "HTTP/1.1", Headers: []Header{{Name: "WWW-Authenticate", Value: `Bearer realm="api"`}}},
		}
		if err := w.WriteEntry(e); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		// As after a crash: the journal so far is a truncated HAR with every entry.
		tr, err := Load(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("after %d entries: %v", i+1, err)
		}
		if len(tr.Entries) != i+1 {
			t.Fatalf("after %d entries the journal reads back %d", i+1, len(tr.Entries))
		}
		if tr.Damage == nil || tr.Damage.Kind != ErrTruncated || !strings.Contains(tr.Damage.Error(), "between entries") {
			t.Fatalf("unclosed journal: Damage = %v, want ErrTruncated between entries", tr.Damage)
		}
		if tr.Format != "journal" {
			t.Errorf("Format = %q, want journal", tr.Format)
		}
		last := tr.Entries[i]
		if last.Response.Status != 401 || !last.StartedDateTime.Equal(e.StartedDateTime) {
			t.Errorf("entry %d read back as %+v", i, last.Response)
		}
		tr.Close()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteEntry(&Entry{}); err == nil {
		t.Error("WriteEntry after Close succeeded")
	}
	tr, err := Load(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if tr.Damage != nil || len(tr.Entries) != 5 {
		t.Fatalf("closed journal: %d entries, damage %v", len(tr.Entries), tr.Damage)
	}
	raw, _ := os.ReadFile(path)
	if !strings.Contains(string(raw), `"startedDateTime":"2026-11-25T10:00:00.123Z"`) {
		t.Errorf("time not written as RFC 3339 with milliseconds:\n%s", raw[:300])
	}
	harPath := filepath.Join(dir, "capture.har")
	if err := os.WriteFile(harPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	validateHAR(t, harPath)
}

func TestWriterRefusesUnresolvedBody(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Log{})
	if err != nil {
		t.Fatal(err)
	}
	e := &Entry{Response: Response{Content: Content{Ref: &BodyRef{Offset: 10, Length: 20}}}}
	if err := w.WriteEntry(e); err == nil || !strings.Contains(err.Error(), "SetBodySource") {
		t.Fatalf("WriteEntry with an unresolved body: err = %v", err)
	}
}

func TestWriterKeepsBinaryBodiesExact(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Log{})
	if err != nil {
		t.Fatal(err)
	}
	binary := string([]byte{0xff, 0x00, 0x89, 'P', 'N', 'G'})
	e := &Entry{Response: Response{Status: 200, Content: Content{MimeType: "image/png", Text: binary}}}
	if err := w.WriteEntry(e); err != nil {
		t.Fatal(err)
	}
	if e.Response.Content.Encoding != "" {
		t.Error("WriteEntry changed the caller's entry")
	}
	w.Close()
	tr, err := LoadBytes(context.Background(), "bin.har", buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &tr.Entries[0].Response.Content
	if b, err := tr.Body(c); err != nil || string(b) != binary || c.Encoding != "base64" {
		t.Errorf("binary body read back as %q (%v), encoding %q", b, err, c.Encoding)
	}
}
