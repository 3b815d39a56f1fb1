package har

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestCorpusQuirks(t *testing.T) {
	needCorpus(t)

	t.Run("BOM", func(t *testing.T) {
		for _, f := range []string{"chrome-mitmproxy-with-bom.har", "fiddler-2.3-pages-null-bom-harviewer.har", "fiddler-4.6-ie11-harviewer.har"} {
			tr := loadCorpus(t, f)
			// Offsets count from after the 3-byte BOM: the first entry's
			// brace is found there in the decoded text.
			if tr.Entries[0].Offset <= 0 {
				t.Errorf("%s: first entry offset %d", f, tr.Entries[0].Offset)
			}
		}
	})
	t.Run("pages null, absent, empty", func(t *testing.T) {
		for _, f := range []string{"fiddler-2.3-pages-null-bom-harviewer.har", "alta-proxy-binary-json.har", "fiddler-2.3-empty-pages-harviewer.har", "firebug-no-pages-harviewer.har"} {
			if tr := loadCorpus(t, f); len(tr.Log.Pages) != 0 {
				t.Errorf("%s: %d pages", f, len(tr.Log.Pages))
			}
		}
		tr := loadCorpus(t, "chrome-har-0.2-multi-page.har")
		if len(tr.Log.Pages) != 3 || tr.Log.Pages[0].ID == "" || tr.Log.Pages[0].StartedDateTime.IsZero() {
			t.Errorf("multi-page: pages = %+v", tr.Log.Pages)
		}
		tr = loadCorpus(t, "firebug-no-page-timings-harviewer.har")
		if p := tr.Log.Pages[0].PageTimings; p.OnLoad != -1 || p.OnContentLoad != -1 {
			t.Errorf("page without pageTimings: %+v, want -1 (unknown)", p)
		}
	})
	t.Run("status 0", func(t *testing.T) {
		count := func(tr *Trace) (n int) {
			for _, e := range tr.Entries {
				if e.Response.Status == 0 {
					if !e.Failed() {
						t.Errorf("entry %d: status 0 but not Failed()", e.Index)
					}
					n++
				}
			}
			return n
		}
		tr := loadCorpus(t, "chrome51-status0-harviewer.har")
		if n := count(tr); n != 3 {
			t.Errorf("chrome51: %d entries with status 0, want 3", n)
		}
		if v := tr.Entries[1].Response.HTTPVersion; v != "unknown" {
			t.Errorf("chrome51: httpVersion %q, want unknown", v)
		}
		if n := count(loadCorpus(t, "firefox47-status0-harviewer.har")); n != 2 {
			t.Errorf("firefox47: %d entries with status 0, want 2", n)
		}
		if n := count(loadCorpus(t, "mitmproxy-export-incomplete-log.har")); n != 4 {
			t.Errorf("mitmproxy incomplete: %d entries with status 0, want 4", n)
		}
		tr = loadCorpus(t, "mitmproxy-export-error-log.har")
		if tr.Entries[0].FailureReason() == "" {
			t.Error("mitmproxy error flow: response._error not read")
		}
	})
	t.Run("NaN dates", func(t *testing.T) {
		tr := loadCorpus(t, "firebug-1.12-nan-startdate.har")
		nan := 0
		for _, e := range tr.Entries {
			if e.StartedDateTime.IsZero() {
				nan++
				if !strings.HasPrefix(e.StartedRaw, "NaN-NaN") {
					t.Errorf("entry %d: StartedRaw = %q", e.Index, e.StartedRaw)
				}
			} else if e.StartedRaw != "" || e.StartedDateTime.Year() != 2014 && e.StartedDateTime.Year() != 2013 {
				t.Logf("entry %d started %v", e.Index, e.StartedDateTime)
			}
		}
		if nan != 2 {
			t.Errorf("%d entries with an unparseable date, want 2", nan)
		}
		if !containsWarning(tr, "startedDateTime is not a date") {
			t.Errorf("no warning about the NaN dates: %q", tr.Warnings)
		}
	})
	t.Run("huge number", func(t *testing.T) {
		tr := loadCorpus(t, "firebug-1.12-huge-timing.har")
		found := false
		for _, e := range tr.Entries {
			if e.Timings.Receive == 63596250212317 {
				found = true
			}
		}
		if !found {
			t.Error("timings.receive 63596250212317 not read exactly")
		}
	})
	t.Run("odd httpVersion", func(t *testing.T) {
		versions := func(f string) map[string]bool {
			m := map[string]bool{}
			for _, e := range loadCorpus(t, f).Entries {
				m[e.Response.HTTPVersion] = true
				m[e.Request.HTTPVersion] = true
			}
			return m
		}
		if v := versions("chrome-hargo-quic-httpversion.har"); !v["http/2.0+quic/46"] {
			t.Errorf("quic version not kept: %v", v)
		}
		if v := versions("brave-mitmproxy-import-example.har"); !v["h3"] {
			t.Errorf("h3 not kept: %v", v)
		}
		if v := versions("safari-mitmproxy-import-test.har"); !v[""] {
			t.Errorf("empty httpVersion not kept: %v", v)
		}
	})
	t.Run("base64 bodies", func(t *testing.T) {
		// With a small inline limit the larger bodies are read back
		// from the file through Ref.
		want := map[string]int{"brave-mitmproxy-import-example.har": 7, "edge-mitmproxy-import-example.har": 8,
			"fiddler-2.3-empty-pages-harviewer.har": 64, "fiddler-2.3-pages-null-bom-harviewer.har": 14,
			"chrome51-svg-base64-harviewer.har": 1, "safari-mitmproxy-import-test.har": 7, "firefox47-status0-harviewer.har": 2}
		for f, n := range want {
			tr, err := Load(context.Background(), filepath.Join(corpusDir, f), Options{InlineBodyLimit: 256})
			if err != nil {
				t.Fatal(err)
			}
			got, refs := 0, 0
			for _, e := range tr.Entries {
				c := &e.Response.Content
				if !strings.EqualFold(c.Encoding, "base64") {
					continue
				}
				got++
				if c.Ref != nil {
					refs++
				}
				b, err := tr.Body(c)
				if err != nil {
					t.Errorf("%s entry %d: %v", f, e.Index, err)
				} else if c.Size > 0 && int64(len(b)) != c.Size && c.Compression == 0 {
					t.Logf("%s entry %d: decoded %d bytes, content.size %d", f, e.Index, len(b), c.Size)
				}
			}
			if got != n {
				t.Errorf("%s: %d base64 bodies, want %d", f, got, n)
			}
			if f == "fiddler-2.3-empty-pages-harviewer.har" && refs == 0 {
				t.Errorf("%s: no body was left in the file with a 256-byte limit", f)
			}
			tr.Close()
		}
		tr := loadCorpus(t, "chrome51-svg-base64-harviewer.har")
		b, err := tr.Body(&tr.Entries[0].Response.Content)
		if err != nil || !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("svg body: %v %.60q", err, b)
		}
	})
	t.Run("HARP", func(t *testing.T) {
		tr := loadCorpus(t, "firebug-harp-jsonp-wrapped-harviewer.harp")
		if tr.Format != "harp" || len(tr.Entries) != 1 || tr.Log.Version != "1.1" {
			t.Errorf("harp: format %q, %d entries, version %q", tr.Format, len(tr.Entries), tr.Log.Version)
		}
	})
	t.Run("websocket", func(t *testing.T) {
		tr := loadCorpus(t, "mitmproxy-export-websocket.har")
		for _, e := range tr.Entries {
			if len(e.WebSocketMessages) == 0 || e.Response.Status != 101 {
				t.Errorf("entry %d: %d websocket messages, status %d", e.Index, len(e.WebSocketMessages), e.Response.Status)
			}
		}
		if m := tr.Entries[0].WebSocketMessages[0]; m.Type == "" || m.Opcode == 0 || m.Data == "" {
			t.Errorf("first message: %+v", m)
		}
	})
	t.Run("Chrome extensions", func(t *testing.T) {
		tr := loadCorpus(t, "edge-mitmproxy-import-example.har")
		for _, e := range tr.Entries {
			if e.Initiator == nil || e.Initiator.Type == "" || e.ResourceType == "" {
				t.Errorf("entry %d: initiator %+v, resource type %q", e.Index, e.Initiator, e.ResourceType)
			}
		}
		tr = loadCorpus(t, "webpagetest-redirect-https.har")
		if in := tr.Entries[2].Initiator; in == nil || !strings.Contains(in.URL, "://") {
			t.Errorf("WebPagetest text initiator: %+v", in)
		}
		tr = loadCorpus(t, "playwright-har-redirect.har")
		if sd := tr.Entries[0].SecurityDetails; sd == nil || sd.Protocol != "TLS 1.2" || sd.ValidTo == 0 {
			t.Errorf("Playwright _securityDetails: %+v", sd)
		}
		tr = loadCorpus(t, "chrome-har-validator-valid.har")
		if ip := tr.Entries[0].ServerIPAddress; ip != "::1" {
			t.Errorf("serverIPAddress %q", ip)
		}
	})
	t.Run("cookies", func(t *testing.T) {
		tr := loadCorpus(t, "ie11-network-inspector-harviewer.har")
		if c := tr.Entries[0].Request.Cookies; len(c) != 1 || c[0].Name != "previewCols" {
			t.Errorf("IE11 lone cookie object: %+v", c)
		}
		tr = loadCorpus(t, "alta-proxy-binary-json.har")
		r := tr.Entries[0].Response
		if !r.CookiesDerived || len(r.Cookies) != 1 || r.Cookies[0].Name != "NID" || !r.Cookies[0].HTTPOnly ||
			r.Cookies[0].Domain != ".google.com" || r.Cookies[0].Expires == nil {
			t.Errorf("Set-Cookie not derived: %+v", r.Cookies)
		}
	})
}

func containsWarning(tr *Trace, s string) bool {
	for _, w := range tr.Warnings {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

func TestMalformedCorpus(t *testing.T) {
	needCorpus(t)
	for f, want := range map[string]struct {
		kind ErrorKind
		text string
	}{
		"malformed/mitmproxy-brokenfile.har":        {ErrSyntax, "invalid JSON"},
		"malformed/harviewer-not-json.har":          {ErrSyntax, "invalid character 'x'"},
		"malformed/harviewer-no-entries.har":        {ErrNotHAR, "valid JSON but not a HAR: no log.entries"},
		"malformed/har-validator-invalid-cases.har": {ErrNotHAR, "valid JSON but not a HAR: no log.entries"},
	} {
		path := filepath.Join(corpusDir, f)
		tr, err := Load(context.Background(), path, Options{})
		var herr *Error
		if !errors.As(err, &herr) {
			t.Fatalf("%s: Load = %v, %v; want an *Error", f, tr, err)
		}
		if herr.Kind != want.kind || !strings.Contains(err.Error(), want.text) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v (kind %d), want kind %d with %q and the path", f, err, herr.Kind, want.kind, want.text)
		}
		if herr.Kind == ErrSyntax && herr.Offset <= 0 {
			t.Errorf("%s: syntax error without an offset", f)
		}
	}
}
