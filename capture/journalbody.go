package capture

// Bodies left in the journal: the in-memory copy of a journaled entry
// keeps metadata and small bodies only; a body longer than
// inlineBodyBytes is located in the journal and read back on demand.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"authlens/har"
)

// inlineBodyBytes is the longest body text kept in memory: the size up to
// which the analysis looks for vendor signatures in 2xx pages
// (signatures.MaxOKBodyForSignatures), so the live analysis sees what it
// would see inline; longer bodies are read from the journal on demand.
const inlineBodyBytes = 16 << 10

// lastWrite counts the bytes written and keeps the last Write (the
// har.Writer writes each entry with one Write).
type lastWrite struct {
	w    io.Writer
	n    int64
	last []byte
}

func (l *lastWrite) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	l.n += int64(n)
	l.last = p
	return n, err
}

// leaveBodiesInFile returns the copy of e the journal keeps in memory:
// response and request body texts over inlineBodyBytes are replaced by
// their location in raw (the entry's JSON as written at file offset off).
func leaveBodiesInFile(e *har.Entry, raw []byte, off int64) *har.Entry {
	kept := *e
	if len(e.Response.Content.Text) > inlineBodyBytes {
		if ref := locateText(raw, `"content":{`, off); ref != nil {
			kept.Response.Content.Text, kept.Response.Content.Ref = "", ref
		}
	}
	if pd := e.Request.PostData; pd != nil && len(pd.Text) > inlineBodyBytes {
		if ref := locateText(raw, `"postData":{`, off); ref != nil {
			cp := *pd
			cp.Text, cp.Ref, cp.Params = "", ref, nil
			kept.Request.PostData = &cp
		}
	}
	return &kept
}

// locateText finds the "text" string of the object that follows key in
// raw. An unescaped `"content":{` or `"text":` can only be a member name:
// inside a JSON string every quote is escaped.
func locateText(raw []byte, key string, off int64) *har.BodyRef {
	i := bytes.Index(raw, []byte(key))
	if i < 0 {
		return nil
	}
	j := bytes.Index(raw[i:], []byte(`"text":`))
	if j < 0 {
		return nil
	}
	start := i + j + len(`"text":`)
	for start < len(raw) && (raw[start] == ' ' || raw[start] == '\n') {
		start++
	}
	v, err := jsontext.NewDecoder(bytes.NewReader(raw[start:]), jsontext.AllowInvalidUTF8(true)).ReadValue()
	if err != nil || v.Kind() != '"' {
		return nil
	}
	return &har.BodyRef{Offset: off + int64(start), Length: int64(len(v))}
}

// Body reads a body the journal left in its file.
func (j *Journal) Body(c *har.Content) ([]byte, error) {
	text, err := j.readRef(c.Ref)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(c.Encoding, "base64") {
		return base64.StdEncoding.DecodeString(string(text))
	}
	return text, nil
}

// PostText reads a request body the journal left in its file.
func (j *Journal) PostText(p *har.PostData) (string, error) {
	if p.Ref == nil {
		return p.Text, nil
	}
	text, err := j.readRef(p.Ref)
	return string(text), err
}

func (j *Journal) readRef(ref *har.BodyRef) ([]byte, error) {
	if ref == nil || ref.Length < 2 || ref.Length > 1<<31 {
		return nil, fmt.Errorf("reading a body from the capture journal: invalid location")
	}
	j.readMu.Lock()
	if j.reader == nil {
		f, err := os.Open(j.path)
		if err != nil {
			// Finished: the journal was renamed to the HAR.
			if f, err = os.Open(j.target); err != nil {
				j.readMu.Unlock()
				return nil, fmt.Errorf("reading a body from the capture journal: %w", err)
			}
		}
		j.reader = f
	}
	r := j.reader
	j.readMu.Unlock()
	raw := make([]byte, ref.Length)
	if _, err := r.ReadAt(raw, ref.Offset); err != nil {
		return nil, fmt.Errorf("reading a body at byte %d of the capture journal: %w", ref.Offset, err)
	}
	text, err := jsontext.AppendUnquote(nil, raw)
	if err != nil && text == nil { // invalid UTF-8 is replaced, not fatal
		return nil, fmt.Errorf("reading a body at byte %d of the capture journal: %w", ref.Offset, err)
	}
	return text, nil
}
