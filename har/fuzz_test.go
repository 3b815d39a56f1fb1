package har

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no input makes the reader panic, and that what it
// returns is consistent: entries in order with Index set, and every body
// reference readable.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(corpusDir, "*.har*"))
	malformed, _ := filepath.Glob(filepath.Join(corpusDir, "malformed", "*"))
	for _, path := range append(seeds, malformed...) {
		data, err := os.ReadFile(path)
		if err != nil || len(data) > 16<<10 {
			continue // keep the fuzzing corpus small and fast
		}
		f.Add(data)
	}
	f.Add([]byte(`{"log":{"entries":[{"request":{"url":"https://x/"},"response":{"status":"401","content":{"text":"abcdefghijklmnopqrstuvwxyz","encoding":"base64"}}}]}}`))
	f.Add(gzipBytes(f, []byte(`{"log":{"entries":[{}]}}`)))
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	f.Add([]byte("onInputData({\"log\":{\"entries\":[]}});"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := LoadBytes(context.Background(), "fuzz.har", data, Options{InlineBodyLimit: 16, MaxValueBytes: 64, MaxDecompressed: 1 << 20})
		if err != nil {
			if tr != nil {
				t.Fatalf("error %v with a trace", err)
			}
			return
		}
		defer tr.Close()
		for i, e := range tr.Entries {
			if e.Index != i {
				t.Fatalf("entry %d has Index %d", i, e.Index)
			}
			tr.Body(&e.Response.Content) // must not panic; errors are fine (bad base64)
			if p := e.Request.PostData; p != nil {
				if _, err := tr.PostText(p); err != nil {
					t.Fatalf("entry %d: post body reference unreadable: %v", i, err)
				}
			}
		}
	})
}
