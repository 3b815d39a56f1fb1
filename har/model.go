// Package har reads and writes HTTP Archive (HAR 1.1 and 1.2) traces.
//
// It is the one place that knows the quirks of every HAR producer (Chrome,
// Edge, Firefox, Safari, Charles, Fiddler, Playwright, mitmproxy, Postman,
// Insomnia, ...). Everything downstream sees the normalised model below:
// entries in file order, each with its position in log.entries, its byte
// offset in the source, and bodies that are either inline (small) or a
// reference into the source that is read on demand (large).
//
// Load and LoadBytes read .har/.json, .har.gz, HARP (JSONP-wrapped) and
// UTF-16 or BOM-prefixed files, detected by content, streaming entry by
// entry with progress and cancellation; a damaged or cut file yields every
// entry before the damage. Writer writes HAR 1.2 entry by entry, so its
// output doubles as a crash-safe capture journal.
//
// Files: source.go (format detection and decoding), reader.go (the
// streaming walk and errors), entry.go and values.go (tolerant entry
// decoding), body.go (bodies left in the source), writer.go (the writer).
// internal/genhar and internal/measure generate a large HAR and measure
// loading it.
package har

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Log is the trace-wide part of a HAR file: everything except the entries,
// which are streamed.
type Log struct {
	Version string   `json:"version"`
	Creator Creator  `json:"creator"`
	Browser *Creator `json:"browser,omitempty"`
	Pages   []Page   `json:"pages,omitempty"`
	Comment string   `json:"comment,omitempty"`
}

// Creator names the program that wrote the HAR (log.creator) or the browser
// (log.browser).
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Comment string `json:"comment,omitempty"`
}

// Page is one page of log.pages.
type Page struct {
	StartedDateTime time.Time   `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     PageTimings `json:"pageTimings"`
	Comment         string      `json:"comment,omitempty"`
}

// PageTimings are page load times in milliseconds; -1 means unknown.
type PageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

// Entry is one HTTP exchange (log.entries[Index]).
type Entry struct {
	// Index is the position in log.entries (0-based) — the number every
	// report and evidence row uses to point at an entry.
	Index int `json:"-"`
	// Offset is the byte offset of the entry's opening brace in the decoded
	// source (after gzip / BOM / JSONP unwrapping), for error messages and
	// for re-reading.
	Offset int64 `json:"-"`

	Pageref         string    `json:"pageref,omitempty"`
	StartedDateTime time.Time `json:"startedDateTime"`
	// StartedRaw keeps the text of startedDateTime when it could not be
	// parsed (e.g. Firebug's "NaN-NaN-NaN..."); StartedDateTime is then zero.
	StartedRaw string   `json:"-"`
	Time       float64  `json:"time"`
	Request    Request  `json:"request"`
	Response   Response `json:"response"`
	Cache      Cache    `json:"cache"`
	Timings    Timings  `json:"timings"`

	// ServerIPAddress is a plain address: the reader removes the brackets
	// some producers put around IPv6 addresses.
	ServerIPAddress string `json:"serverIPAddress,omitempty"`
	// Connection is log.entries[].connection as written. Its meaning
	// differs by producer (current Chrome writes the server port there);
	// analysis normalises it, the model does not.
	Connection string `json:"connection,omitempty"`
	Comment    string `json:"comment,omitempty"`

	// Producer extensions that analysis relies on.
	ConnectionID      string             `json:"_connectionId,omitempty"` // Chrome: socket id
	ResourceType      string             `json:"_resourceType,omitempty"` // Chrome: document, xhr, fetch, ...
	Initiator         *Initiator         `json:"_initiator,omitempty"`
	FromCache         string             `json:"_fromCache,omitempty"`   // Chrome: "memory" or "disk"
	FailureText       string             `json:"_failureText,omitempty"` // Playwright/Chrome: net::ERR_...
	Error             string             `json:"_error,omitempty"`       // other producers' failure text
	TransferSize      int64              `json:"_transferSize,omitempty"`
	WebSocketMessages []WebSocketMessage `json:"_webSocketMessages,omitempty"`
	SecurityDetails   *SecurityDetails   `json:"_securityDetails,omitempty"`
}

// Initiator is Chrome's _initiator: what caused the request.
type Initiator struct {
	Type       string `json:"type"`
	URL        string `json:"url,omitempty"`
	LineNumber *int   `json:"lineNumber,omitempty"`
}

// WebSocketMessage is one frame of Chrome's _webSocketMessages.
type WebSocketMessage struct {
	Type   string  `json:"type"` // "send" or "receive"
	Time   float64 `json:"time"`
	Opcode int     `json:"opcode"`
	Data   string  `json:"data"`
}

// SecurityDetails is the TLS information Playwright and AuthLens capture record.
type SecurityDetails struct {
	Protocol    string  `json:"protocol,omitempty"`
	SubjectName string  `json:"subjectName,omitempty"`
	Issuer      string  `json:"issuer,omitempty"`
	ValidFrom   float64 `json:"validFrom,omitempty"`
	ValidTo     float64 `json:"validTo,omitempty"`
}

// Request is entry.request.
type Request struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []Header    `json:"headers"`
	QueryString []NameValue `json:"queryString"`
	PostData    *PostData   `json:"postData,omitempty"`
	HeadersSize int64       `json:"headersSize"`
	BodySize    int64       `json:"bodySize"`
	// CookiesDerived is true when the producer wrote no cookies array and
	// the reader derived Cookies from the Cookie header.
	CookiesDerived bool `json:"-"`
}

// Response is entry.response.
type Response struct {
	Status      int      `json:"status"`
	StatusText  string   `json:"statusText"`
	HTTPVersion string   `json:"httpVersion"`
	Cookies     []Cookie `json:"cookies"`
	Headers     []Header `json:"headers"`
	Content     Content  `json:"content"`
	RedirectURL string   `json:"redirectURL"`
	HeadersSize int64    `json:"headersSize"`
	BodySize    int64    `json:"bodySize"`
	// CookiesDerived is true when the producer wrote no cookies array and
	// the reader derived Cookies from the Set-Cookie headers.
	CookiesDerived bool `json:"-"`
}

// Header is one name/value pair of a header list.
type Header struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Comment string `json:"comment,omitempty"`
}

// NameValue is one query-string or form parameter.
type NameValue struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Comment string `json:"comment,omitempty"`
}

// Cookie is one cookie of request.cookies or response.cookies.
type Cookie struct {
	Name     string     `json:"name"`
	Value    string     `json:"value"`
	Path     string     `json:"path,omitempty"`
	Domain   string     `json:"domain,omitempty"`
	Expires  *time.Time `json:"expires,omitempty"`
	HTTPOnly bool       `json:"httpOnly,omitempty"`
	Secure   bool       `json:"secure,omitempty"`
	SameSite string     `json:"sameSite,omitempty"`
	Comment  string     `json:"comment,omitempty"`
}

// PostData is request.postData. Like a response body, a text larger than
// the reader's inline limit is left in the source: Text is empty, Ref says
// where it is, and Trace.PostText loads it.
type PostData struct {
	MimeType string      `json:"mimeType"`
	Params   []NameValue `json:"params,omitempty"`
	Text     string      `json:"text"`
	Comment  string      `json:"comment,omitempty"`
	Ref      *BodyRef    `json:"-"`
}

// Content is response.content. A body larger than the reader's inline
// limit is not held in memory: Text is empty, Ref says where it is, and
// Trace.Body loads it.
type Content struct {
	Size        int64  `json:"size"`
	Compression int64  `json:"compression,omitempty"`
	MimeType    string `json:"mimeType"`
	Text        string `json:"text,omitempty"`
	Encoding    string `json:"encoding,omitempty"` // "base64" or ""
	Comment     string `json:"comment,omitempty"`
	// Ref locates a body that was left in the source; nil when Text holds it
	// (or there is none).
	Ref *BodyRef `json:"-"`
}

// BodyRef is the location of a JSON string (quotes included) in the
// decoded source.
type BodyRef struct {
	Offset int64
	Length int64
}

// Cache is entry.cache; AuthLens keeps it only as written.
type Cache struct {
	BeforeRequest *CacheState `json:"beforeRequest,omitempty"`
	AfterRequest  *CacheState `json:"afterRequest,omitempty"`
	Comment       string      `json:"comment,omitempty"`
}

// CacheState is cache.beforeRequest / cache.afterRequest.
type CacheState struct {
	Expires    string `json:"expires,omitempty"`
	LastAccess string `json:"lastAccess"`
	ETag       string `json:"eTag"`
	HitCount   int    `json:"hitCount"`
	Comment    string `json:"comment,omitempty"`
}

// Timings are the phases of an exchange in milliseconds; -1 means the
// phase does not apply or is unknown.
type Timings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
	Comment string  `json:"comment,omitempty"`
}

// HeaderValues returns the values of every header with the given name
// (case-insensitive), in order.
func HeaderValues(hs []Header, name string) []string {
	var out []string
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

// HeaderValue returns the first value of the named header and whether
// there was one.
func HeaderValue(hs []Header, name string) (string, bool) {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Failed reports whether the browser gave up on the request (status 0 or
// -1, or a failure text).
func (e *Entry) Failed() bool {
	return e.Response.Status <= 0 || e.FailureText != "" || e.Error != ""
}

// FailureReason returns the producer's failure text, if any.
func (e *Entry) FailureReason() string {
	if e.FailureText != "" {
		return e.FailureText
	}
	return e.Error
}

// InlineBytes returns the inline body (Text), base64-decoded when the
// producer marked it so. A body left in the source (Ref != nil) is read
// with the Trace that loaded it.
func (c *Content) InlineBytes() ([]byte, error) {
	if !strings.EqualFold(c.Encoding, "base64") {
		return []byte(c.Text), nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.Text))
	if err != nil {
		// Some producers omit padding or use the URL alphabet.
		if b2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(c.Text), "=")); err2 == nil {
			return b2, nil
		}
		return nil, fmt.Errorf("response body marked base64 is not valid base64: %w", err)
	}
	return b, nil
}
