package har

// The writer: HAR 1.2 output, entry by entry, so that what has been
// written is always a readable HAR prefix (the capture journal).

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// harTimeLayout is RFC 3339 with milliseconds, as browsers write it.
const harTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Writer writes a HAR 1.2 document entry by entry, so that what it has
// written is always a readable (if unclosed) HAR: the capture journal.
// After each WriteEntry the output is a HAR prefix that Load reads back as
// a truncated HAR holding every entry written; Close completes it. The
// output passes the HAR 1.2 schema (npm har-validator): required fields
// are written even when empty. A Writer is safe for concurrent use.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	entries int
	closed  bool
	bodies  func(*Content) ([]byte, error)
	opts    json.Options
}

// NewWriter writes the log header (version, creator, browser, pages).
// The version is always "1.2"; an empty creator name becomes "AuthLens".
func NewWriter(w io.Writer, log Log) (*Writer, error) {
	wr := &Writer{w: w}
	wr.opts = json.JoinOptions(
		json.WithMarshalers(json.MarshalFunc(func(t time.Time) ([]byte, error) {
			return []byte(`"` + t.Format(harTimeLayout) + `"`), nil
		})),
		jsonv1.OmitEmptyWithLegacySemantics(true), // omit 0 and false extension fields
		jsontext.AllowInvalidUTF8(true),
	)
	creator := log.Creator
	if creator.Name == "" {
		creator.Name = "AuthLens"
	}
	header := struct {
		Version string   `json:"version"`
		Creator Creator  `json:"creator"`
		Browser *Creator `json:"browser,omitempty"`
		Pages   []Page   `json:"pages"`
		Comment string   `json:"comment,omitempty"`
	}{"1.2", creator, log.Browser, log.Pages, log.Comment}
	if header.Pages == nil {
		header.Pages = []Page{}
	}
	b, err := json.Marshal(header, wr.opts)
	if err != nil {
		return nil, fmt.Errorf("writing HAR header: %w", err)
	}
	// {"log":{...header members...,"entries":[
	var buf bytes.Buffer
	buf.WriteString(`{"log":`)
	buf.Write(b[:len(b)-1])
	buf.WriteString(",\"entries\":[\n")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("writing HAR header: %w", err)
	}
	return wr, nil
}

// SetBodySource lets the writer re-export entries whose bodies were left
// in the source file (Content.Ref or PostData.Ref set): pass the loading
// Trace's Body method. Without it, writing such an entry fails.
func (w *Writer) SetBodySource(body func(*Content) ([]byte, error)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bodies = body
}

// WriteEntry appends one entry with a single Write call.
func (w *Writer) WriteEntry(e *Entry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("writing HAR entry: the writer is closed")
	}
	out, err := w.prepare(e)
	if err != nil {
		return fmt.Errorf("writing HAR entry %d: %w", w.entries, err)
	}
	b, err := json.Marshal(out, w.opts)
	if err != nil {
		return fmt.Errorf("writing HAR entry %d: %w", w.entries, err)
	}
	if w.entries > 0 {
		b = append([]byte(",\n"), b...)
	}
	if _, err := w.w.Write(b); err != nil {
		return fmt.Errorf("writing HAR entry %d: %w", w.entries, err)
	}
	w.entries++
	return nil
}

// Close writes the closing brackets. It does not close the underlying writer.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if _, err := io.WriteString(w.w, "\n]}}\n"); err != nil {
		return fmt.Errorf("closing HAR: %w", err)
	}
	return nil
}

// harDate matches the date form the HAR 1.2 schema requires.
var harDate = regexp.MustCompile(`^(\d{4})(-)?(\d\d)(-)?(\d\d)(T)?(\d\d)(:)?(\d\d)(:)?(\d\d)(\.\d+)?(Z|([+-])(\d\d)(:)?(\d\d))?`)

// prepare returns a copy of e that satisfies the HAR 1.2 schema: bodies
// resolved, invalid optional values dropped, required lists non-nil.
func (w *Writer) prepare(e *Entry) (*Entry, error) {
	out := *e
	if out.ServerIPAddress != "" && !validIP(normaliseIP(out.ServerIPAddress)) {
		out.ServerIPAddress = "" // the schema allows only an IP address here
	} else {
		out.ServerIPAddress = normaliseIP(out.ServerIPAddress)
	}
	if out.Time < 0 {
		out.Time = 0
	}
	out.Cache.BeforeRequest = validCacheState(out.Cache.BeforeRequest)
	out.Cache.AfterRequest = validCacheState(out.Cache.AfterRequest)

	req, resp := &out.Request, &out.Response
	req.Cookies = nonNil(req.Cookies)
	req.Headers = nonNil(req.Headers)
	req.QueryString = nonNil(req.QueryString)
	resp.Cookies = nonNil(resp.Cookies)
	resp.Headers = nonNil(resp.Headers)
	if req.PostData != nil {
		p := *req.PostData
		if p.Ref != nil {
			text, err := w.body(&Content{Ref: p.Ref})
			if err != nil {
				return nil, fmt.Errorf("request body: %w", err)
			}
			p.Text, p.Ref = string(text), nil
		}
		req.PostData = &p
	}
	c := &resp.Content
	if c.Ref == nil && c.Encoding == "" && !utf8.ValidString(c.Text) {
		// Binary text would be mangled by JSON: keep it exact as base64.
		c.Text, c.Encoding = base64.StdEncoding.EncodeToString([]byte(c.Text)), "base64"
	}
	if c.Ref != nil {
		body, err := w.body(c)
		if err != nil {
			return nil, fmt.Errorf("response body: %w", err)
		}
		c.Ref = nil
		switch {
		case strings.EqualFold(c.Encoding, "base64"):
			c.Text = base64.StdEncoding.EncodeToString(body)
		case utf8.Valid(body):
			c.Text = string(body)
		default:
			c.Text, c.Encoding = base64.StdEncoding.EncodeToString(body), "base64"
		}
	}
	return &out, nil
}

func (w *Writer) body(c *Content) ([]byte, error) {
	if w.bodies == nil {
		return nil, errors.New("the body was left in the source file and no body source is set (Writer.SetBodySource)")
	}
	return w.bodies(c)
}

// validCacheState drops a cache state whose dates the schema would reject.
func validCacheState(s *CacheState) *CacheState {
	if s == nil {
		return nil
	}
	if !harDate.MatchString(s.LastAccess) || (s.Expires != "" && !harDate.MatchString(s.Expires)) {
		return nil
	}
	return s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
