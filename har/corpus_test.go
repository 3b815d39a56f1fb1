package har

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// corpusDir is the shared public HAR corpus (never copied into the repo).
const corpusDir = "../../shared/corpus/public"

func needCorpus(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(corpusDir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("public HAR corpus not present at %s", corpusDir)
	}
}

type manifestRow struct {
	file    string
	version string
	entries int
}

// manifest reads the parseable-files table of MANIFEST.md.
func manifest(t testing.TB) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.md"))
	if err != nil {
		t.Fatalf("reading manifest: %v", err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## malformed") {
			break
		}
		cols := strings.Split(line, "|")
		if len(cols) < 10 {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(cols[8]))
		if err != nil {
			continue // header or separator row
		}
		rows = append(rows, manifestRow{file: strings.TrimSpace(cols[1]), version: strings.TrimSpace(cols[7]), entries: n})
	}
	if len(rows) < 40 {
		t.Fatalf("manifest lists %d parseable files, expected at least 40", len(rows))
	}
	return rows
}

func loadCorpus(t testing.TB, name string) *Trace {
	t.Helper()
	tr, err := Load(context.Background(), filepath.Join(corpusDir, name), Options{})
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

func TestCorpusEntryCounts(t *testing.T) {
	needCorpus(t)
	rows := manifest(t)
	for _, row := range rows {
		t.Run(row.file, func(t *testing.T) {
			tr := loadCorpus(t, row.file)
			if tr.Damage != nil {
				t.Errorf("unexpected damage: %v", tr.Damage)
			}
			if len(tr.Entries) != row.entries {
				t.Errorf("read %d entries, manifest says %d", len(tr.Entries), row.entries)
			}
			if tr.Log.Version != row.version {
				t.Errorf("log.version = %q, manifest says %q", tr.Log.Version, row.version)
			}
			if tr.Log.Creator.Name == "" {
				t.Errorf("no creator name")
			}
			for i, e := range tr.Entries {
				if e.Index != i {
					t.Fatalf("entry %d has Index %d", i, e.Index)
				}
				if e.Request.URL == "" || e.Request.Method == "" {
					t.Errorf("entry %d: empty method or URL", i)
				}
				if i > 0 && e.Offset <= tr.Entries[i-1].Offset {
					t.Errorf("entry %d: offset %d not after previous %d", i, e.Offset, tr.Entries[i-1].Offset)
				}
				if _, err := tr.Body(&e.Response.Content); err != nil && !strings.EqualFold(e.Response.Content.Encoding, "base64") {
					t.Errorf("entry %d: body: %v", i, err)
				}
			}
			if tr.Format != "har" {
				t.Errorf("Format = %q, want har", tr.Format)
			}
		})
	}
}

// TestCorpusFullyCovered makes sure no corpus file escapes the tests: each
// is in the manifest's table, is the HARP file, or is a malformed fixture.
func TestCorpusFullyCovered(t *testing.T) {
	needCorpus(t)
	known := map[string]bool{"firebug-harp-jsonp-wrapped-harviewer.harp": true}
	for _, row := range manifest(t) {
		known[row.file] = true
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.har*"))
	malformed, _ := filepath.Glob(filepath.Join(corpusDir, "malformed", "*"))
	for _, f := range files {
		if !known[filepath.Base(f)] {
			t.Errorf("%s is not covered by the corpus tests", f)
		}
	}
	if len(files) != 41 || len(malformed) != 4 {
		t.Errorf("corpus has %d files and %d malformed ones; the tests expect 41 and 4", len(files), len(malformed))
	}
}
