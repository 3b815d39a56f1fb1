package capture

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"authlens/capture/internal/atomicfile"
	"authlens/har"
)

// JournalSuffix is appended to the output path to name the journal that a
// capture writes while it runs.
const JournalSuffix = ".journal"

// Journal is the capture's durable record: an unclosed HAR 1.2 document
// on disk to which every completed exchange is appended. The capture's
// writer goroutine appends in batches and syncs at most every
// syncInterval (group commit): an entry is in the file (the page cache)
// as soon as its batch is written, so a killed process loses nothing; a
// power cut loses at most the last interval. After a crash it is
// readable as a (truncated) HAR; Finish closes it and renames it to the
// final HAR.
type Journal struct {
	path   string // FILE.har.journal
	target string // FILE.har

	mu      sync.Mutex // serialises writes and protects the fields below
	f       *os.File
	buf     *bufio.Writer
	cw      *lastWrite
	w       *har.Writer
	forget  bool         // keep no entries in memory (Options.JournalOnly)
	entries []*har.Entry // every entry handed to write, in Index order (unless forget)
	written int          // entries handed to write
	flushed int          // the first flushed entries are in the file
	durable int          // the first durable entries are synced
	closed  bool

	readMu sync.Mutex
	reader *os.File // opened on the first Body call
}

// JournalPath returns the journal path for an output HAR path.
func JournalPath(out string) string { return out + JournalSuffix }

// OpenJournal creates FILE.har.journal for the output path out and writes
// the HAR log header. It refuses to overwrite an existing journal: that is
// an earlier capture's record, to be recovered first.
func OpenJournal(out string, log har.Log) (*Journal, error) {
	path := JournalPath(out)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("a journal of an earlier capture exists at %s: recover it (`authlens analyze %s`, or the app's recovery offer) or remove it first: %w", path, path, err)
		}
		return nil, fmt.Errorf("creating the capture journal: %w", err)
	}
	buf := bufio.NewWriterSize(f, 256<<10)
	cw := &lastWrite{w: buf}
	w, err := har.NewWriter(cw, log)
	if err == nil {
		err = buf.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("writing the capture journal header to %s: %w", path, err)
	}
	return &Journal{path: path, target: out, f: f, buf: buf, cw: cw, w: w}, nil
}

// Path is the journal's file name.
func (j *Journal) Path() string { return j.path }

// Append writes e to the journal, sets e.Index, and returns once e is on
// disk (fsync). The journal keeps a copy of e in memory with its large
// bodies left in the file (Content.Ref, PostData.Ref; read back with Body
// and PostText). The capture proxy does not use it: its writer goroutine
// batches writes and syncs (write, flush, sync).
func (j *Journal) Append(e *har.Entry) error {
	if _, err := j.write(e); err != nil {
		return err
	}
	if err := j.flush(); err != nil {
		return err
	}
	return j.sync()
}

// write encodes e into the journal's buffer, sets e.Index, and returns the
// copy the journal keeps. It is not in the file before flush.
func (j *Journal) write(e *har.Entry) (*har.Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil, fmt.Errorf("capture journal %s is closed", j.path)
	}
	e.Index = j.written
	// har.Writer hands each entry to cw in one Write: its bytes and offset
	// locate the bodies left in the file. bufio passes a Write larger than
	// its free space straight to the file, which is still one Write here.
	if err := j.w.WriteEntry(e); err != nil {
		return nil, fmt.Errorf("appending entry %d to the capture journal: %w", e.Index, err)
	}
	kept := leaveBodiesInFile(e, j.cw.last, j.cw.n-int64(len(j.cw.last)))
	j.cw.last = nil
	j.written++
	if !j.forget {
		j.entries = append(j.entries, kept)
	}
	return kept, nil
}

// flush writes the buffered entries to the file (the page cache: they
// survive the process, not a power cut).
func (j *Journal) flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return fmt.Errorf("capture journal %s is closed", j.path)
	}
	if err := j.buf.Flush(); err != nil {
		return fmt.Errorf("writing to the capture journal %s: %w", j.path, err)
	}
	j.flushed = j.written
	return nil
}

// sync makes the flushed entries durable. Only the writer calls it, so
// the fsync runs outside the lock: readers of Durable do not wait for it.
func (j *Journal) sync() error {
	j.mu.Lock()
	n, f := j.flushed, j.f
	closed := j.closed
	j.mu.Unlock()
	if closed {
		return fmt.Errorf("capture journal %s is closed", j.path)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing the capture journal %s: %w", j.path, err)
	}
	j.mu.Lock()
	j.durable = max(j.durable, n)
	j.mu.Unlock()
	return nil
}

// Durable returns the entries that are synced to disk, in journal order.
// The slice is shared: callers must not modify it or its entries.
func (j *Journal) Durable() []*har.Entry {
	j.mu.Lock()
	n := j.durable
	if !j.forget {
		defer j.mu.Unlock()
		return j.entries[:n:n]
	}
	j.mu.Unlock()
	return j.readBack(n)
}

// Written returns the entries that are in the file (synced or not), in
// journal order. The slice is shared and read-only.
func (j *Journal) Written() []*har.Entry {
	j.mu.Lock()
	n := j.flushed
	if !j.forget {
		defer j.mu.Unlock()
		return j.entries[:n:n]
	}
	j.mu.Unlock()
	return j.readBack(n)
}

// Count is how many entries are in the file.
func (j *Journal) Count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.flushed
}

// readBack reads the first n entries from the file, for a journal that
// keeps none in memory: its bodies stay in the file, where Body reads
// them. A failure is logged and yields what could be read.
func (j *Journal) readBack(n int) []*har.Entry {
	path := j.path
	if _, err := os.Stat(path); err != nil {
		path = j.target // finished: the journal is the HAR now
	}
	tr, err := har.Load(context.Background(), path, har.Options{InlineBodyLimit: inlineBodyBytes})
	if err != nil {
		slog.Error("reading the capture journal back", "path", path, "err", err)
		return nil
	}
	tr.Close() // the entries stay; bodies in the file are read through Body
	return tr.Entries[:min(n, len(tr.Entries))]
}

// Finish closes the HAR document, syncs it and renames the journal to the
// output path: a valid HAR 1.2 file replaces the journal atomically.
func (j *Journal) Finish() (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return "", fmt.Errorf("capture journal %s is already closed", j.path)
	}
	j.closed = true
	err := j.w.Close()
	if err == nil {
		err = j.buf.Flush()
	}
	if err == nil {
		err = j.f.Sync()
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("closing the capture journal %s (it stays on disk for recovery): %w", j.path, err)
	}
	if err := os.Rename(j.path, j.target); err != nil {
		return "", fmt.Errorf("moving the capture journal %s to %s (it stays on disk for recovery): %w", j.path, j.target, err)
	}
	if err := syncDir(filepath.Dir(j.target)); err != nil {
		return j.target, fmt.Errorf("syncing the directory of %s: %w", j.target, err)
	}
	return j.target, nil
}

// Abandon closes the journal without finishing it: it stays on disk as an
// unclosed HAR, exactly as after a crash.
func (j *Journal) Abandon() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	err := j.buf.Flush()
	if serr := j.f.Sync(); err == nil {
		err = serr
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing the capture journal %s: %w", j.path, err)
	}
	return nil
}

func syncDir(dir string) error {
	// Windows cannot flush a directory (FlushFileBuffers needs a handle
	// opened for writing, which a directory is not: "Access denied"); NTFS
	// journals the rename itself. Found by the Wine test of the Windows
	// build: every capture failed at its first journal write.
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some filesystems refuse fsync on directories (EINVAL); the rename
	// is done all the same.
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// JournalInfo describes a journal left behind by a capture that did not
// finish (crash, kill -9, power loss).
type JournalInfo struct {
	Path    string    // FILE.har.journal
	Target  string    // FILE.har, where a recovery writes the HAR
	Size    int64     // bytes
	ModTime time.Time // last write: roughly when the capture stopped
}

// FindJournals lists the capture journals in dir, newest first.
func FindJournals(dir string) ([]JournalInfo, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("looking for capture journals in %s: %w", dir, err)
	}
	var out []JournalInfo
	for _, de := range des {
		if de.IsDir() || !strings.HasSuffix(de.Name(), JournalSuffix) {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		p := filepath.Join(dir, de.Name())
		out = append(out, JournalInfo{Path: p, Target: strings.TrimSuffix(p, JournalSuffix), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ModTime.After(out[b].ModTime) })
	return out, nil
}

// RecoveryResult says what Recover saved.
type RecoveryResult struct {
	Path    string // the HAR written
	Entries int    // exchanges recovered
	// Damage describes the unfinished tail the reader stopped at (normal
	// for a journal: the capture never closed it).
	Damage string
}

// Recover reads a journal left by an interrupted capture and writes every
// complete exchange in it to a valid HAR at info.Target (or, when that
// exists, next to it with a "-recovered" suffix), then removes the
// journal. The journal is kept if anything fails.
func Recover(ctx context.Context, journal string) (*RecoveryResult, error) {
	tr, err := har.Load(ctx, journal, har.Options{InlineBodyLimit: 1 << 40})
	if err != nil {
		return nil, fmt.Errorf("reading the capture journal %s: %w", journal, err)
	}
	defer tr.Close()
	target := strings.TrimSuffix(journal, JournalSuffix)
	if target == journal {
		target = journal + ".har"
	}
	if _, err := os.Stat(target); err == nil {
		ext := filepath.Ext(target)
		target = strings.TrimSuffix(target, ext) + "-recovered" + ext
	}
	var buf strings.Builder
	w, err := har.NewWriter(&buf, tr.Log)
	if err != nil {
		return nil, fmt.Errorf("recovering %s: %w", journal, err)
	}
	w.SetBodySource(tr.Body)
	for _, e := range tr.Entries {
		if err := w.WriteEntry(e); err != nil {
			return nil, fmt.Errorf("recovering %s: writing entry %d: %w", journal, e.Index, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("recovering %s: %w", journal, err)
	}
	if err := atomicfile.Write(target, []byte(buf.String()), 0o600); err != nil {
		return nil, fmt.Errorf("recovering %s: %w", journal, err)
	}
	res := &RecoveryResult{Path: target, Entries: len(tr.Entries)}
	if tr.Damage != nil {
		res.Damage = tr.Damage.Error()
	}
	if err := os.Remove(journal); err != nil {
		return res, fmt.Errorf("recovered %s to %s but could not remove the journal: %w", journal, target, err)
	}
	return res, nil
}
