package har_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"authlens/har"
	"authlens/har/internal/harfake"
)

// BenchmarkLoad reads a generated 32 MB HAR from a file; bytes/s is the
// decoded source.
func BenchmarkLoad(b *testing.B) {
	var buf bytes.Buffer
	n, err := harfake.Generate(&buf, harfake.Options{TargetBytes: 32 << 20, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "bench.har")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		tr, err := har.Load(context.Background(), path, har.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(tr.Entries) != n {
			b.Fatalf("read %d entries, wrote %d", len(tr.Entries), n)
		}
		tr.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
