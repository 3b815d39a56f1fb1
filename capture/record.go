package capture

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"authlens/har"
)

// maxPooledBuffer is the largest buffer returned to the pool; a rare huge
// body's buffer is left to the garbage collector.
const maxPooledBuffer = 256 << 10

// bodyRecorder keeps the first limit bytes of a body and counts them all.
// It is written by the goroutine copying the body and read when the entry
// is built (on the writer goroutine), hence the mutex.
type bodyRecorder struct {
	mu       sync.Mutex
	limit    int64
	pool     *sync.Pool    // the proxy's bodyBuffers
	buf      *bytes.Buffer // from pool; nil before the first byte and after release
	total    int64
	released bool
}

// newBodyRecorder records a body of the proxy's exchanges.
func (p *Proxy) newBodyRecorder() *bodyRecorder {
	return &bodyRecorder{limit: p.opts.BodyLimit, pool: &p.bodyBuffers}
}

// record keeps what fits of p and returns the total seen so far.
func (b *bodyRecorder) record(p []byte) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total += int64(len(p))
	if b.released || len(p) == 0 {
		return b.total
	}
	if b.buf == nil {
		b.buf, _ = b.pool.Get().(*bytes.Buffer)
		if b.buf == nil {
			b.buf = new(bytes.Buffer)
		}
		b.buf.Reset()
	}
	if room := b.limit - int64(b.buf.Len()); room > 0 {
		b.buf.Write(p[:min(int64(len(p)), room)])
	}
	return b.total
}

// view calls fn with the kept bytes (valid only during the call), the
// total seen, and whether bytes were dropped.
func (b *bodyRecorder) view(fn func(body []byte, total int64, truncated bool)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var kept []byte
	if b.buf != nil {
		kept = b.buf.Bytes()
	}
	fn(kept, b.total, b.total > int64(len(kept)))
}

// release returns the buffer to the pool once the entry is built.
func (b *bodyRecorder) release() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.released = true
	if b.buf != nil && b.buf.Cap() <= maxPooledBuffer {
		b.pool.Put(b.buf)
	}
	b.buf = nil
}

// requestBody records a request body as net/http sends it upstream.
type requestBody struct {
	io.ReadCloser
	rec *bodyRecorder
}

func (r *requestBody) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.rec.record(p[:n])
	return n, err
}

// exchange is one request/response going through the proxy, from the
// moment the request reached the round tripper until the entry is built.
type exchange struct {
	p      *Proxy
	record bool // false for excluded hosts: forwarded, not recorded
	start  time.Time
	req    *http.Request
	client *clientConn
	reqRec *bodyRecorder

	mu             sync.Mutex
	getConn        time.Time
	gotConn        time.Time
	dnsStart       time.Time
	dnsDone        time.Time
	connectStart   time.Time
	connectDone    time.Time
	tlsStart       time.Time
	tlsDone        time.Time
	wroteRequest   time.Time
	firstByte      time.Time
	reused         bool
	serverAddr     string
	upstreamConnID uint64
	res            *http.Response
	resHeader      http.Header // res.Header as the server sent it (set by received)
	resRec         *bodyRecorder
	comments       []string
	errText        string
	security       *har.SecurityDetails

	finishOnce sync.Once
}

func (x *exchange) note(format string, args ...any) {
	x.mu.Lock()
	x.comments = append(x.comments, fmt.Sprintf(format, args...))
	x.mu.Unlock()
}

// trace collects the phase timestamps of the upstream round trip.
func (x *exchange) trace() *httptrace.ClientTrace {
	at := func(t *time.Time) { x.mu.Lock(); *t = time.Now(); x.mu.Unlock() }
	return &httptrace.ClientTrace{
		GetConn: func(string) { at(&x.getConn) },
		GotConn: func(info httptrace.GotConnInfo) {
			x.mu.Lock()
			defer x.mu.Unlock()
			x.gotConn = time.Now()
			x.reused = info.Reused
			c := info.Conn
			if tc, ok := c.(*tls.Conn); ok {
				c = tc.NetConn()
			}
			if uc, ok := c.(*upstreamConn); ok {
				x.upstreamConnID = uc.id
			}
			if ra := info.Conn.RemoteAddr(); ra != nil {
				x.serverAddr = ra.String()
			}
		},
		DNSStart:             func(httptrace.DNSStartInfo) { at(&x.dnsStart) },
		DNSDone:              func(httptrace.DNSDoneInfo) { at(&x.dnsDone) },
		ConnectStart:         func(string, string) { at(&x.connectStart) },
		ConnectDone:          func(string, string, error) { at(&x.connectDone) },
		TLSHandshakeStart:    func() { at(&x.tlsStart) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { at(&x.tlsDone) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { at(&x.wroteRequest) },
		GotFirstResponseByte: func() { at(&x.firstByte) },
	}
}

// responseBody records the response body while martian copies it to the
// client. The entry is journaled before the last byte is handed over, so
// a client never holds a complete response the journal lacks.
type responseBody struct {
	io.ReadCloser
	x      *exchange
	rec    *bodyRecorder
	length int64 // Content-Length, -1 when unknown
}

func (b *responseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	total := b.rec.record(p[:n])
	switch {
	case errors.Is(err, io.EOF):
		b.x.finish("")
	case err != nil:
		b.x.finish(browserError(err) + ": reading the response body from the server: " + err.Error())
		if b.x.client != nil {
			b.x.client.abortAfterResponse()
		}
	case b.length >= 0 && total >= b.length:
		b.x.finish("")
	}
	return n, err
}

func (b *responseBody) Close() error {
	err := b.ReadCloser.Close()
	// Closed before the end: the client went away or the copy failed.
	b.x.finishIncomplete()
	return err
}

func (x *exchange) finishIncomplete() {
	x.finishOnce.Do(func() {
		x.mu.Lock()
		x.comments = append(x.comments, "the response was not completely delivered to the client (connection closed early)")
		if x.errText == "" {
			x.errText = "net::ERR_ABORTED: the client closed the connection before the whole response was delivered"
		}
		x.mu.Unlock()
		x.commit()
	})
}

// finish builds the entry and journals it (once).
func (x *exchange) finish(errText string) {
	x.finishOnce.Do(func() {
		if errText != "" {
			x.mu.Lock()
			x.errText = errText
			x.mu.Unlock()
		}
		x.commit()
	})
}

// commit hands the exchange to the writer goroutine, which builds and
// journals its entry: the response goes on at once.
func (x *exchange) commit() {
	if !x.record {
		x.release()
		return
	}
	x.p.writer.enqueue(finished{x: x, end: time.Now()})
}

// release returns the exchange's body buffers to the pool.
func (x *exchange) release() {
	x.reqRec.release()
	x.mu.Lock()
	rec := x.resRec
	x.mu.Unlock()
	rec.release()
}

// ms is the duration between two instants in milliseconds, or -1 when
// either is unknown.
func ms(from, to time.Time) float64 {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return -1
	}
	return float64(to.Sub(from).Microseconds()) / 1000
}

// entry builds the HAR entry of the exchange as it stands at end.
func (x *exchange) entry(end time.Time) *har.Entry {
	x.mu.Lock()
	defer x.mu.Unlock()
	e := &har.Entry{
		StartedDateTime: x.start,
		Request:         harRequest(x.req),
		Cache:           har.Cache{},
	}
	if x.client != nil {
		e.Connection = strconv.FormatUint(x.client.id, 10)
	}
	if x.upstreamConnID != 0 {
		e.ConnectionID = strconv.FormatUint(x.upstreamConnID, 10)
	}
	if host, _, err := net.SplitHostPort(x.serverAddr); err == nil {
		e.ServerIPAddress = host
	}
	if x.reqRec != nil {
		x.reqRec.view(func(body []byte, total int64, truncated bool) {
			e.Request.BodySize = total
			if total > 0 {
				e.Request.PostData = postData(x.req.Header, body, total, truncated)
			}
		})
	}

	t := har.Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: 0, Wait: 0, Receive: 0}
	if !x.reused {
		t.DNS = ms(x.dnsStart, x.dnsDone)
		t.Connect = ms(x.connectStart, x.connectDone)
		t.SSL = ms(x.tlsStart, x.tlsDone)
		if t.Connect >= 0 && t.SSL >= 0 {
			t.Connect += t.SSL // HAR 1.2: connect includes ssl
		}
	}
	if b := ms(x.start, x.gotConn); b >= 0 {
		setup := max(t.DNS, 0) + max(t.Connect, 0)
		t.Blocked = max(b-setup, 0)
	}
	t.Send = max(ms(x.gotConn, x.wroteRequest), 0)
	t.Wait = max(ms(x.wroteRequest, x.firstByte), 0)
	t.Receive = max(ms(x.firstByte, end), 0)
	e.Timings = t
	e.Time = max(t.Blocked, 0) + max(t.DNS, 0) + max(t.Connect, 0) + t.Send + t.Wait + t.Receive

	if x.res != nil {
		h := x.resHeader
		if h == nil {
			h = x.res.Header
		}
		e.Response = harResponse(x.res, h)
		if x.resRec != nil {
			x.resRec.view(func(body []byte, total int64, truncated bool) {
				e.Response.BodySize = total
				e.Response.Content = content(h, body, total, truncated, x.resRec.limit)
			})
		}
		if x.security == nil && x.res.TLS != nil {
			x.security = securityDetails(x.res.TLS)
		}
		e.SecurityDetails = x.security
	} else {
		e.Response = har.Response{Status: 0, HTTPVersion: "", Cookies: []har.Cookie{}, Headers: []har.Header{},
			Content: har.Content{MimeType: "x-unknown"}, HeadersSize: -1, BodySize: -1}
	}
	if x.errText != "" {
		e.Error = x.errText
	}
	if len(x.comments) > 0 {
		e.Comment = strings.Join(x.comments, "; ")
	}
	return e
}

// harRequest converts the request as the client sent it.
func harRequest(req *http.Request) har.Request {
	u := *req.URL
	r := har.Request{
		Method:      req.Method,
		URL:         u.String(),
		HTTPVersion: req.Proto,
		Cookies:     []har.Cookie{},
		Headers:     harHeaders(req.Header, req.Host),
		QueryString: []har.NameValue{},
		BodySize:    0,
	}
	for _, c := range req.Cookies() {
		r.Cookies = append(r.Cookies, har.CookieFromHTTP(c))
	}
	for k, vs := range u.Query() {
		for _, v := range vs {
			r.QueryString = append(r.QueryString, har.NameValue{Name: k, Value: v})
		}
	}
	sort.SliceStable(r.QueryString, func(a, b int) bool { return r.QueryString[a].Name < r.QueryString[b].Name })
	// Request line + headers + blank line, as sent on the wire.
	size := len(req.Method) + 1 + len(req.RequestURI) + 1 + len(req.Proto) + 2 + 2
	for _, h := range r.Headers {
		size += len(h.Name) + 2 + len(h.Value) + 2
	}
	r.HeadersSize = int64(size)
	return r
}

// harHeaders lists headers sorted by name (Go keeps no wire order); host,
// when given, is added as the Host header the client sent.
func harHeaders(h http.Header, host string) []har.Header {
	out := []har.Header{}
	if host != "" {
		out = append(out, har.Header{Name: "Host", Value: host})
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, har.Header{Name: k, Value: v})
		}
	}
	return out
}

// harResponse converts res with its header h (as the server sent it).
func harResponse(res *http.Response, h http.Header) har.Response {
	r := har.Response{
		Status:      res.StatusCode,
		StatusText:  strings.TrimSpace(strings.TrimPrefix(res.Status, strconv.Itoa(res.StatusCode))),
		HTTPVersion: res.Proto,
		Cookies:     []har.Cookie{},
		Headers:     harHeaders(h, ""),
		RedirectURL: h.Get("Location"),
	}
	if r.StatusText == "" {
		r.StatusText = http.StatusText(res.StatusCode)
	}
	for _, c := range (&http.Response{Header: h}).Cookies() {
		r.Cookies = append(r.Cookies, har.CookieFromHTTP(c))
	}
	size := len(res.Proto) + 1 + len(res.Status) + 2 + 2
	for _, h := range r.Headers {
		size += len(h.Name) + 2 + len(h.Value) + 2
	}
	r.HeadersSize = int64(size)
	return r
}

func securityDetails(cs *tls.ConnectionState) *har.SecurityDetails {
	sd := &har.SecurityDetails{Protocol: tls.VersionName(cs.Version)}
	if len(cs.PeerCertificates) > 0 {
		leaf := cs.PeerCertificates[0]
		sd.SubjectName = leaf.Subject.CommonName
		if sd.SubjectName == "" && len(leaf.DNSNames) > 0 {
			sd.SubjectName = leaf.DNSNames[0]
		}
		sd.Issuer = leaf.Issuer.CommonName
		if sd.Issuer == "" {
			sd.Issuer = leaf.Issuer.String()
		}
		sd.ValidFrom = float64(leaf.NotBefore.Unix())
		sd.ValidTo = float64(leaf.NotAfter.Unix())
	}
	return sd
}

// content builds response.content from the recorded bytes: decoded when
// the Content-Encoding is gzip or deflate (never past limit bytes of
// decoded output: a compression bomb costs at most limit), text when it is
// text, base64 otherwise; a truncated body says so in the comment.
func content(h http.Header, body []byte, total int64, truncated bool, limit int64) har.Content {
	c := har.Content{MimeType: h.Get("Content-Type"), Size: total}
	if c.MimeType == "" {
		c.MimeType = "x-unknown"
	}
	var notes []string
	if truncated {
		notes = append(notes, fmt.Sprintf("body truncated by AuthLens: first %d of %d bytes kept", len(body), total))
	}
	if enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding"))); enc != "" && enc != "identity" && len(body) > 0 {
		decoded, err := decodeBody(enc, body, limit)
		switch {
		case errors.Is(err, errDecodedLimit):
			notes = append(notes, fmt.Sprintf("decoded body truncated by AuthLens at the body limit: first %d bytes kept", len(decoded)))
			body = decoded
		case err == nil:
			if !truncated {
				c.Size = int64(len(decoded))
				c.Compression = c.Size - total
			}
			body = decoded
		case errors.Is(err, io.ErrUnexpectedEOF) && len(decoded) > 0:
			notes = append(notes, "content-encoding "+enc+" decoded as far as the kept bytes go")
			body = decoded
		default:
			notes = append(notes, "content-encoding "+enc+" kept as received (not decoded)")
		}
	}
	c.Text, c.Encoding = bodyText(body)
	c.Comment = strings.Join(notes, "; ")
	return c
}

// errDecodedLimit says a decoded body went past the body limit.
var errDecodedLimit = errors.New("decoded body exceeds the body limit")

// decodeBody expands body, stopping at limit bytes of output.
func decodeBody(enc string, body []byte, limit int64) ([]byte, error) {
	var r io.ReadCloser
	var err error
	switch enc {
	case "gzip", "x-gzip":
		r, err = gzip.NewReader(bytes.NewReader(body))
	case "deflate":
		// "deflate" is zlib in the RFC, raw deflate in some servers.
		r, err = zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			r, err = flate.NewReader(bytes.NewReader(body)), nil
		}
	default:
		return nil, fmt.Errorf("content-encoding %q is not decoded", enc)
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(out)) > limit {
		return out[:limit], errDecodedLimit
	}
	return out, err
}

// bodyText returns the body as HAR text: plain when it is text, base64
// otherwise.
func bodyText(body []byte) (text, encoding string) {
	if len(body) == 0 {
		return "", ""
	}
	// Valid UTF-8 without NUL bytes reads as text whatever the declared
	// type; anything else (images, protobuf, a cut-off multibyte
	// character) is kept exactly, in base64.
	if bytes.ContainsRune(body, 0) {
		return base64.StdEncoding.EncodeToString(body), "base64"
	}
	if utf8.Valid(body) {
		return string(body), ""
	}
	// A body cut at the limit may end inside a multibyte character.
	for k := 1; k <= 3 && k < len(body); k++ {
		if !utf8.FullRune(body[len(body)-k:]) && utf8.Valid(body[:len(body)-k]) {
			return string(body[:len(body)-k]), ""
		}
	}
	return base64.StdEncoding.EncodeToString(body), "base64"
}

func postData(h http.Header, body []byte, total int64, truncated bool) *har.PostData {
	pd := &har.PostData{MimeType: h.Get("Content-Type")}
	var notes []string
	if truncated {
		notes = append(notes, fmt.Sprintf("body truncated by AuthLens: first %d of %d bytes kept", len(body), total))
	}
	text, enc := bodyText(body)
	pd.Text = text
	if enc == "base64" {
		notes = append(notes, "binary body, base64-encoded")
	}
	if mt, _, _ := mime.ParseMediaType(pd.MimeType); mt == "application/x-www-form-urlencoded" && !truncated {
		if vals, err := url.ParseQuery(string(body)); err == nil {
			for k, vs := range vals {
				for _, v := range vs {
					pd.Params = append(pd.Params, har.NameValue{Name: k, Value: v})
				}
			}
			sort.SliceStable(pd.Params, func(a, b int) bool { return pd.Params[a].Name < pd.Params[b].Name })
		}
	}
	pd.Comment = strings.Join(notes, "; ")
	return pd
}
