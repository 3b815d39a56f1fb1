package har

// Bodies: reading back a body that the reader left in the source, and
// releasing the source.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// maxBodyRef bounds a single body read back from the source.
const maxBodyRef = 1 << 31

// Body returns the decoded bytes of a response body, whether inline or
// left in the source (base64 bodies are decoded). Bodies left in the
// source can be read once Load has returned and until Close; Body is
// safe for concurrent use.
func (t *Trace) Body(c *Content) ([]byte, error) {
	if c.Ref == nil {
		return c.InlineBytes()
	}
	text, err := t.readRef(c.Ref)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(c.Encoding, "base64") {
		return text, nil
	}
	return decodeBase64(text)
}

// PostText returns the text of a request body, whether inline or left in
// the source.
func (t *Trace) PostText(p *PostData) (string, error) {
	if p.Ref == nil {
		return p.Text, nil
	}
	text, err := t.readRef(p.Ref)
	if err != nil {
		return "", err
	}
	return string(text), nil
}

// readRef reads the JSON string at ref and unquotes it.
func (t *Trace) readRef(ref *BodyRef) ([]byte, error) {
	if t.closed.Load() {
		return nil, fmt.Errorf("reading a body of %s: the trace is closed", t.Path)
	}
	if t.source == nil {
		return nil, fmt.Errorf("reading a body of %s: the trace has no source to read bodies from", t.Path)
	}
	if ref.Length < 2 || ref.Length > maxBodyRef || ref.Offset < 0 {
		return nil, fmt.Errorf("reading a body of %s: invalid body location %d+%d", t.Path, ref.Offset, ref.Length)
	}
	raw := make([]byte, ref.Length)
	if _, err := t.source.ReadAt(raw, ref.Offset); err != nil {
		return nil, fmt.Errorf("reading the body at byte %d of %s: %w", ref.Offset, t.Path, err)
	}
	if raw[0] != '"' {
		return nil, fmt.Errorf("reading the body at byte %d of %s: the file changed since it was loaded", ref.Offset, t.Path)
	}
	// Check the string first; unquoting then only complains about invalid
	// UTF-8, which is replaced as when loading.
	if _, err := jsontext.NewDecoder(bytes.NewBuffer(raw), jsontext.AllowInvalidUTF8(true)).ReadValue(); err != nil {
		return nil, fmt.Errorf("reading the body at byte %d of %s: %w", ref.Offset, t.Path, err)
	}
	text, _ := jsontext.AppendUnquote(make([]byte, 0, len(raw)), raw)
	return text, nil
}

// decodeBase64 decodes a body marked base64, accepting missing padding
// like Content.InlineBytes.
func decodeBase64(text []byte) ([]byte, error) {
	s := strings.TrimSpace(string(text))
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return b, nil
	}
	if b2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err2 == nil {
		return b2, nil
	}
	return nil, fmt.Errorf("response body marked base64 is not valid base64: %w", err)
}

// Close releases the source file (and any spooled decompressed copy).
// It is safe to call more than once.
func (t *Trace) Close() error {
	if t.closed.Swap(true) || t.source == nil {
		return nil
	}
	if err := t.source.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", t.Path, err)
	}
	return nil
}
