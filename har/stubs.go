package har

import (
	"context"
	"errors"
	"io"
)

// TEMPORARY: signatures of the reader and writer, replaced by reader.go
// and writer.go.

// Load reads the HAR at path (plain, gzip, HARP/JSONP, BOM, UTF-16 —
// detected by content). On damage after some entries it returns the
// Trace with Damage set and a nil error; it returns an error (an *Error)
// only when nothing usable could be read.
func Load(ctx context.Context, path string, opt Options) (*Trace, error) {
	return nil, errors.New("not implemented")
}

// LoadBytes reads a HAR held in memory (the embedded demo trace); name is
// used in messages.
func LoadBytes(ctx context.Context, name string, data []byte, opt Options) (*Trace, error) {
	return nil, errors.New("not implemented")
}

// Body returns the decoded bytes of a response body, whether inline or
// left in the source.
func (t *Trace) Body(c *Content) ([]byte, error) { return c.InlineBytes() }

// Close releases the source file (and any spooled decompressed copy).
func (t *Trace) Close() error { return nil }

// Writer writes a HAR 1.2 document entry by entry, so that what it has
// written is always a readable (if unclosed) HAR: the capture journal.
type Writer struct{ w io.Writer }

// NewWriter writes the log header (version, creator, browser, pages).
func NewWriter(w io.Writer, log Log) (*Writer, error) { return &Writer{w: w}, nil }

// WriteEntry appends one entry.
func (w *Writer) WriteEntry(e *Entry) error { return nil }

// Close writes the closing brackets. It does not close the underlying writer.
func (w *Writer) Close() error { return nil }
