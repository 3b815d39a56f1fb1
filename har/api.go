package har

import (
	"fmt"
	"sync/atomic"
)

// Options tune how a trace is read. The zero value is sensible.
type Options struct {
	// InlineBodyLimit is the largest body (bytes of JSON text) kept in
	// memory; larger ones are left in the source (Content.Ref). 0 means 64 KiB.
	InlineBodyLimit int64
	// MaxDecompressed bounds how many bytes a .har.gz may expand to (a gzip
	// bomb guard). 0 means 16 GiB. Independently, a stream that expands
	// beyond 64 MiB at more than 200:1 is refused (ErrTooLarge).
	MaxDecompressed int64
	// Progress, when set, is called from the reading goroutine every few
	// hundred entries and at the end.
	Progress func(Progress)
	// OnEntry, when set, is called with every entry as soon as it is read
	// (before Load returns), so a viewer can show entries while loading.
	OnEntry func(*Entry)
	// MaxValueBytes is the longest JSON string held in memory; a longer
	// one is located and skipped: a body stays readable through Trace.Body,
	// any other value is emptied with a warning. 0 means
	// DefaultMaxValueBytes (never less than InlineBodyLimit).
	MaxValueBytes int64
	// MaxEntryBytes is the largest entry decoded (JSON text, huge strings
	// skipped); a larger entry is reported in Warnings and not loaded.
	// 0 means DefaultMaxEntryBytes.
	MaxEntryBytes int64

	// bombFloor overrides the size beyond which the ratio guard applies
	// (tests use a small one to stay fast); 0 means 64 MiB.
	bombFloor int64
}

// Progress reports how far reading has come.
type Progress struct {
	Entries int   // complete entries read so far
	Bytes   int64 // bytes of the (decoded) source consumed
	Total   int64 // size of the decoded source, 0 when unknown
	// FileRead and FileSize are the bytes of the file as stored (e.g.
	// compressed) read so far and its size: a progress bar for a .har.gz,
	// whose decoded Total is unknown.
	FileRead int64
	FileSize int64
}

// ErrorKind classifies why a source could not be (fully) read.
type ErrorKind int

// The kinds of reading errors.
const (
	ErrSyntax    ErrorKind = iota + 1 // invalid JSON at Offset
	ErrTruncated                      // the file ends in the middle of the JSON
	ErrNotHAR                         // valid JSON, but not a HAR (no log / no log.entries)
	ErrEncoding                       // unsupported or broken text encoding / compression
	ErrTooLarge                       // decompression or a value exceeded a limit
	ErrEntry                          // one entry has a value of the wrong type
)

// Error is a reading error that says what and where.
type Error struct {
	Path   string // file name as given
	Kind   ErrorKind
	Offset int64 // byte offset in the decoded source; -1 when unknown
	Entry  int   // index in log.entries being read; -1 when not in an entry
	Err    error // the underlying error
}

func (e *Error) Error() string {
	where := e.Path
	if e.Offset >= 0 {
		where += fmt.Sprintf(": byte %d", e.Offset)
	}
	if e.Entry >= 0 {
		where += fmt.Sprintf(", entry %d", e.Entry)
	}
	return where + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Trace is a HAR source that has been read: the log, every entry in file
// order, and access to bodies left in the source.
type Trace struct {
	Path    string
	Format  string // "har", "har.gz", "harp", "journal"
	Log     Log
	Entries []*Entry
	// Damage is non-nil when the source was damaged after some entries
	// were read (e.g. truncated): Entries holds every complete entry
	// before the damage.
	Damage *Error
	// Warnings are non-fatal quirks worth telling the user (UTF-16
	// decoded, numbers written as strings, NaN dates, ...).
	Warnings []string

	source sourceFile
	closed atomic.Bool
}
