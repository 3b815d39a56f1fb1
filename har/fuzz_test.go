package har

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
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

// FuzzStringCutter: cutting long strings out of valid JSON leaves valid
// JSON, and every offset of the cut text maps back to the same byte of
// the source when no cut lies before it.
func FuzzStringCutter(f *testing.F) {
	f.Add([]byte(`{"a":"0123456789abcdef\u00e9\\\"","b":["xx","yyyyyyyyyyyyyyyyyyyyyy"]}`), uint8(4))
	f.Add([]byte(`"\ud83d\ude00\ud83d\ude00\ud83d\ude00"`), uint8(1))
	f.Add([]byte(`[1,2,{"k\"ey":"v\\"}]`), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, keep uint8) {
		if len(data) > 8192 {
			return
		}
		c := newStringCutter(bytes.NewReader(data), int64(keep))
		out, err := io.ReadAll(c)
		if err != nil {
			t.Fatal(err)
		}
		valid := jsontext.Value(data).IsValid(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))
		if valid && !jsontext.Value(out).IsValid(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true)) {
			t.Fatalf("valid %q cut to invalid %q", data, out)
		}
		if int64(len(out))+c.totalSkip != int64(len(data)) {
			t.Fatalf("%d bytes out + %d skipped != %d in", len(out), c.totalSkip, len(data))
		}
		for i := range out {
			if src := c.source(int64(i)); src < int64(i) || src >= int64(len(data)) {
				t.Fatalf("offset %d maps to %d", i, src)
			} else if hit, _ := c.cutWithin(0, int64(i)+1); !hit && data[src] != out[i] {
				t.Fatalf("offset %d maps to byte %d: %q vs %q", i, src, data[src], out[i])
			}
		}
	})
}
