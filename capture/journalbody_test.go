package capture

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// With a journal, recorded entries in memory keep metadata and small
// bodies only: a large body is read back from the journal, in full, by
// Proxy.Body, SaveHAR and the final HAR — and memory does not grow with
// the bodies.
func TestLargeBodiesStayInTheJournalNotInMemory(t *testing.T) {
	text := strings.Repeat("large body line é\n", 20000) // ~380 KB
	bin := bytes.Repeat([]byte{0, 1, 2, 250, 251}, 40000)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/bin" {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(bin)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, text)
	}))
	defer origin.Close()
	out := filepath.Join(t.TempDir(), "bodies.har")
	p, stop := startProxy(t, Options{Out: out})
	proxy := "http://" + p.Addr().String()
	curl(t, "-x", proxy, "-o", "/dev/null", origin.URL+"/text")
	curl(t, "-x", proxy, "-o", "/dev/null", origin.URL+"/bin")
	postFile := filepath.Join(t.TempDir(), "post.txt")
	if err := os.WriteFile(postFile, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	curl(t, "-x", proxy, "-o", "/dev/null", "-H", "Content-Type: text/plain", "--data-binary", "@"+postFile, origin.URL+"/post")
	es := waitEntries(t, p, 3)
	for i, want := range [][]byte{[]byte(text), bin, []byte(text)} {
		c := &es[i].Response.Content
		if c.Ref == nil || c.Text != "" {
			t.Errorf("entry %d: body held in memory (%d bytes)", i, len(c.Text))
			continue
		}
		got, err := p.Body(c)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("entry %d: body read back %d bytes, want %d (%v)", i, len(got), len(want), err)
		}
	}
	if pd := es[2].Request.PostData; pd == nil || pd.Ref == nil || pd.Text != "" {
		t.Errorf("request body held in memory")
	} else if got, err := p.journal.PostText(pd); err != nil || got != text {
		t.Errorf("request body read back: %d bytes, %v", len(got), err)
	}

	// Memory: 15 more large responses (5.6 MB of bodies) add far less.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 15; i++ {
		curl(t, "-x", proxy, "-o", "/dev/null", origin.URL+"/text?"+itoa(i))
	}
	waitEntries(t, p, 18)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > 2<<20 {
		t.Errorf("15 responses of %d KB grew the heap by %d KiB", len(text)>>10, grown>>10)
	}

	saved := filepath.Join(t.TempDir(), "saved.har")
	if err := p.SaveHAR(saved); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{saved, stop()} {
		tr := loadHAR(t, path)
		b, err := tr.Body(&tr.Entries[1].Response.Content)
		if err != nil || !bytes.Equal(b, bin) {
			t.Errorf("%s: binary body %d bytes, %v", path, len(b), err)
		}
		pt, err := tr.PostText(tr.Entries[2].Request.PostData)
		if err != nil || pt != text {
			t.Errorf("%s: post body %d bytes, %v", path, len(pt), err)
		}
	}
	// Bodies stay readable after the capture stopped (the journal became
	// the HAR).
	if got, err := p.Body(&es[0].Response.Content); err != nil || string(got) != text {
		t.Errorf("after Stop: %d bytes, %v", len(got), err)
	}
}
