package har

// Tolerant decoding of one JSON value of the log (an entry, the creator,
// the pages) into the model. Each producer bends the HAR spec a little:
// numbers written as strings, floats for integers, null for objects,
// missing fields, unparseable dates. Such a value is mapped to the
// nearest sensible one and recorded as a warning; only an entry that is
// not an object at all is refused.

import (
	"bytes"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// tolerant decodes values already checked for JSON syntax by the walk.
type tolerant struct {
	dec    *jsontext.Decoder
	base   int64 // offset of the value's first byte in the decoded source
	index  int   // entry index for warnings; -1 outside entries
	limit  int64 // inline body limit in bytes of JSON text
	warns  *warnings
	intern *interner
	name   []byte // scratch for member names
	text   []byte // scratch for unquoted strings
	err    error  // first decoder error (should not happen on validated input)
}

func newTolerant(limit int64, warns *warnings) *tolerant {
	return &tolerant{
		dec:    jsontext.NewDecoder(bytes.NewReader(nil)),
		limit:  limit,
		warns:  warns,
		intern: newInterner(),
	}
}

// reset points the decoder at raw, which starts at offset base. raw is
// decoded in place (a bytes.Buffer is read without copying); it must stay
// untouched until decoding is done.
func (t *tolerant) reset(raw []byte, base int64, entry int) {
	t.dec.Reset(bytes.NewBuffer(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	t.base, t.index, t.err = base, entry, nil
}

func (t *tolerant) warn(path, problem string, example []byte) {
	t.warns.add(t.index, path, problem, example)
}

// value reads the next raw value; nil after an error.
func (t *tolerant) value() jsontext.Value {
	if t.err != nil {
		return nil
	}
	v, err := t.dec.ReadValue()
	if err != nil {
		t.err = err
		return nil
	}
	return v
}

func (t *tolerant) skip() { t.value() }

// peek returns the kind of the next value, 0 at the end or after an error.
func (t *tolerant) peek() jsontext.Kind {
	if t.err != nil {
		return 0
	}
	return t.dec.PeekKind()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "text"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "nothing"
}

// unquote returns the text of a JSON string value, copied.
func (t *tolerant) unquote(v jsontext.Value) string {
	t.text, _ = jsontext.AppendUnquote(t.text[:0], v) // invalid UTF-8 is replaced, not fatal
	return string(t.text)
}

// object walks the members of the next value when it is an object,
// calling member with each name; member must consume the value. It
// returns false for null (absent) and for other kinds (with a warning).
func (t *tolerant) object(path string, member func(name string)) bool {
	switch k := t.peek(); k {
	case '{':
	case 'n', 0:
		t.skip()
		return false
	default:
		t.warn(path, "is "+kindName(k)+", expected an object", t.value())
		return false
	}
	if _, err := t.dec.ReadToken(); err != nil {
		t.err = err
		return false
	}
	for {
		if k := t.peek(); k == '}' || k == 0 {
			break
		}
		v := t.value()
		if v == nil {
			break
		}
		t.name, _ = jsontext.AppendUnquote(t.name[:0], v)
		member(t.intern.get(t.name)) // names repeat: no allocation per member

	}
	if t.err == nil {
		if _, err := t.dec.ReadToken(); err != nil {
			t.err = err
		}
	}
	return true
}

// array walks the elements of the next value when it is an array. It
// returns false for null (absent) and for other kinds (with a warning).
func (t *tolerant) array(path string, element func()) bool {
	switch k := t.peek(); k {
	case '[':
	case 'n', 0:
		t.skip()
		return false
	case '{':
		// IE's exporter writes a lone cookie object where a list belongs.
		t.warn(path, "is a single object, expected an array; read as a list of one", nil)
		element()
		return true
	default:
		t.warn(path, "is "+kindName(k)+", expected an array", t.value())
		return false
	}
	if _, err := t.dec.ReadToken(); err != nil {
		t.err = err
		return false
	}
	for {
		if k := t.peek(); k == ']' || k == 0 {
			break
		}
		element()
	}
	if t.err == nil {
		if _, err := t.dec.ReadToken(); err != nil {
			t.err = err
		}
	}
	return true
}

// str reads text; numbers and booleans are kept as written (with a
// warning), null is "".
func (t *tolerant) str(path string) string { return t.strValue(path, t.value()) }

func (t *tolerant) strValue(path string, v jsontext.Value) string {
	switch v.Kind() {
	case '"':
		return t.unquote(v)
	case '0', 't', 'f':
		t.warn(path, "is "+kindName(v.Kind())+", expected text", v)
		return string(v)
	case '{', '[':
		t.warn(path, "is "+kindName(v.Kind())+", expected text", v)
	}
	return ""
}

// id reads a value that producers write as text or as a number (Chrome's
// _connectionId, the connection field); both are normal, no warning.
func (t *tolerant) id(path string) string {
	v := t.value()
	if v.Kind() == '0' {
		return string(v)
	}
	return t.strValue(path, v)
}

// internStr reads text that repeats across entries (header names and
// values, methods, MIME types) and shares one copy of each.
func (t *tolerant) internStr(path string) string {
	v := t.value()
	if v.Kind() != '"' {
		return t.strValue(path, v)
	}
	t.text, _ = jsontext.AppendUnquote(t.text[:0], v)
	return t.intern.get(t.text)
}

// number reads a number; text holding a number is accepted with a
// warning. It returns ok=false for null, a missing value, or one that is
// not a number at all (with a warning), so the caller's default applies.
func (t *tolerant) number(path string) (float64, bool) {
	v := t.value()
	switch v.Kind() {
	case '0':
		if n, ok := parseSmallInt(v); ok {
			return float64(n), true
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil { // out of range: ParseFloat gave ±Inf
			t.warn(path, "is a number out of range", v)
			return math.Copysign(math.MaxFloat64, f), true
		}
		return f, true
	case '"':
		s := strings.TrimSpace(t.unquote(v))
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			t.warn(path, "is a number written as text", v)
			return f, true
		}
		// "200 OK": keep the leading digits.
		if n := leadingDigits(s); n > 0 {
			if f, err := strconv.ParseFloat(s[:n], 64); err == nil {
				t.warn(path, "is text starting with a number", v)
				return f, true
			}
		}
		t.warn(path, "is text that is not a number", v)
	case 't', 'f', '{', '[':
		t.warn(path, "is "+kindName(v.Kind())+", expected a number", v)
	}
	return 0, false
}

func parseSmallInt(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	neg := v[0] == '-'
	if neg {
		v = v[1:]
		if len(v) == 0 {
			return 0, false
		}
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func leadingDigits(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 1 && s[0] == '-' {
		return 0
	}
	return i
}

// float reads a number with a default for missing or unusable values.
func (t *tolerant) float(path string, def float64) float64 {
	if f, ok := t.number(path); ok {
		return f
	}
	return def
}

// integer reads a whole number; floats are rounded (producers write
// 1234.0 or 12.5 for byte counts) and huge values clamped.
func (t *tolerant) integer(path string, def int64) int64 {
	f, ok := t.number(path)
	if !ok {
		return def
	}
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(math.Round(f))
}

// boolean reads true/false; "true", "1" and non-zero numbers count as
// true (with a warning).
func (t *tolerant) boolean(path string) bool {
	v := t.value()
	switch v.Kind() {
	case 't':
		return true
	case 'f', 'n', 0:
		return false
	case '"':
		s := strings.ToLower(strings.TrimSpace(t.unquote(v)))
		t.warn(path, "is a boolean written as text", v)
		return s == "true" || s == "1" || s == "yes"
	case '0':
		t.warn(path, "is a number, expected a boolean", v)
		return string(v) != "0"
	}
	t.warn(path, "is "+kindName(v.Kind())+", expected a boolean", v)
	return false
}

// date reads a timestamp. It returns the zero time and the text as
// written when it cannot be parsed (Firebug's "NaN-NaN-NaN...").
func (t *tolerant) date(path string) (time.Time, string) {
	v := t.value()
	switch v.Kind() {
	case '"':
		s := t.unquote(v)
		tm, exact, ok := parseTime(s)
		switch {
		case !ok:
			if s != "" {
				t.warn(path, "is not a date; the time is unknown", v)
			}
			return time.Time{}, s
		case !exact:
			t.warn(path, "is not in ISO 8601 form with a time zone; read as "+tm.Location().String(), v)
		}
		return tm, ""
	case '0':
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f <= 0 {
			t.warn(path, "is a number that is not a time", v)
			return time.Time{}, string(v)
		}
		t.warn(path, "is a number; read as Unix time", v)
		if f > 1e11 { // milliseconds
			return time.UnixMilli(int64(f)).UTC(), ""
		}
		return time.Unix(int64(f), int64((f-math.Floor(f))*1e9)).UTC(), ""
	case 'n', 0:
		return time.Time{}, ""
	}
	t.warn(path, "is "+kindName(v.Kind())+", expected a date", v)
	return time.Time{}, string(v)
}

// parseTime parses the date forms seen in HAR files. exact is false for
// forms outside ISO 8601 with a zone.
func parseTime(s string) (tm time.Time, exact, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, false
	}
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return tm, true, true
	}
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999Z0700", // zone without colon
		"2006-01-02T15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z0700",
	} {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm, true, true
		}
	}
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999", // no zone: UTC
		"2006-01-02 15:04:05.999999999",
		time.RFC1123,
		time.RFC1123Z,
		"Mon, 02-Jan-2006 15:04:05 MST", // cookie dates
		time.ANSIC,
		time.UnixDate,
	} {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm, false, true
		}
	}
	return time.Time{}, false, false
}

// entry decodes one element of log.entries. It fails only when the
// element is not an object.
func (t *tolerant) entry(raw jsontext.Value, off int64, index int) (*Entry, error) {
	if k := raw.Kind(); k != '{' {
		return nil, fmt.Errorf("the entry is %s, not an object: it cannot be read as an HTTP exchange", kindName(k))
	}
	t.reset(raw, off, index)
	e := &Entry{Index: index, Offset: off}
	var hasTime, hasRequest, hasResponse, hasTimings, hasStarted bool
	var reqCookies, respCookies bool
	e.Request.HeadersSize, e.Request.BodySize = -1, -1
	e.Response.HeadersSize, e.Response.BodySize = -1, -1
	e.Timings = Timings{Blocked: -1, DNS: -1, Connect: -1, Send: -1, Wait: -1, Receive: -1, SSL: -1}
	t.object("entry", func(name string) {
		switch name {
		case "pageref":
			e.Pageref = t.internStr("pageref")
		case "startedDateTime":
			hasStarted = true
			e.StartedDateTime, e.StartedRaw = t.date("startedDateTime")
		case "time":
			e.Time, hasTime = t.number("time")
		case "request":
			hasRequest, reqCookies = t.request(&e.Request)
		case "response":
			hasResponse, respCookies = t.response(e)
		case "cache":
			t.cache(&e.Cache)
		case "timings":
			hasTimings = t.timings(&e.Timings)
		case "serverIPAddress":
			e.ServerIPAddress = normaliseIP(t.id("serverIPAddress"))
		case "connection":
			e.Connection = t.id("connection")
		case "comment":
			e.Comment = t.str("comment")
		case "_connectionId":
			e.ConnectionID = t.id("_connectionId")
		case "_resourceType":
			e.ResourceType = t.internStr("_resourceType")
		case "_initiator":
			e.Initiator = t.initiator()
		case "_fromCache":
			e.FromCache = t.fromCache()
		case "_failureText":
			e.FailureText = t.str("_failureText")
		case "_error":
			e.Error = t.str("_error")
		case "_transferSize":
			e.TransferSize = t.integer("_transferSize", 0)
		case "_webSocketMessages":
			e.WebSocketMessages = t.webSocketMessages()
		case "_securityDetails":
			e.SecurityDetails = t.securityDetails()
		default:
			t.skip()
		}
	})
	if t.err != nil {
		return nil, fmt.Errorf("decoding the entry: %w", t.err)
	}
	if !hasRequest {
		t.warn("request", "is missing", nil)
	}
	if !hasResponse {
		t.warn("response", "is missing; the exchange is treated as having no response", nil)
	}
	if !hasStarted {
		t.warn("startedDateTime", "is missing; the time is unknown", nil)
	}
	if !hasTimings {
		t.warn("timings", "is missing", nil)
	}
	if !hasTime {
		e.Time = e.Timings.total()
	}
	if !reqCookies || (len(e.Request.Cookies) == 0 && hasHeader(e.Request.Headers, "Cookie")) {
		if cs := requestCookies(e.Request.Headers); len(cs) > 0 {
			e.Request.Cookies, e.Request.CookiesDerived = cs, true
		}
	}
	if !respCookies || (len(e.Response.Cookies) == 0 && hasHeader(e.Response.Headers, "Set-Cookie")) {
		if cs := responseCookies(e.Response.Headers); len(cs) > 0 {
			e.Response.Cookies, e.Response.CookiesDerived = cs, true
		}
	}
	return e, nil
}

func (tm Timings) total() float64 {
	var sum float64
	for _, v := range []float64{tm.Blocked, tm.DNS, tm.Connect, tm.Send, tm.Wait, tm.Receive} {
		if v > 0 {
			sum += v
		}
	}
	return sum // ssl is part of connect
}

// normaliseIP removes the brackets some producers put around IPv6
// addresses ("[2001:db8::1]"), so the field always holds a plain address.
func normaliseIP(s string) string {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		return s[1 : len(s)-1]
	}
	return s
}

// request decodes entry.request; cookiesPresent is false when the
// producer wrote no cookies array.
func (t *tolerant) request(r *Request) (present, cookiesPresent bool) {
	present = t.object("request", func(name string) {
		switch name {
		case "method":
			r.Method = t.internStr("request.method")
		case "url":
			r.URL = t.str("request.url")
		case "httpVersion":
			r.HTTPVersion = t.internStr("request.httpVersion")
		case "cookies":
			r.Cookies, cookiesPresent = t.cookies("request.cookies")
		case "headers":
			r.Headers = t.headers("request.headers")
		case "queryString":
			r.QueryString = t.nameValues("request.queryString")
		case "postData":
			r.PostData = t.postData()
		case "headersSize":
			r.HeadersSize = t.integer("request.headersSize", -1)
		case "bodySize":
			r.BodySize = t.integer("request.bodySize", -1)
		default:
			t.skip()
		}
	})
	return present, cookiesPresent
}

// response decodes entry.response, including the producer extensions
// some write there instead of on the entry.
func (t *tolerant) response(e *Entry) (present, cookiesPresent bool) {
	r := &e.Response
	present = t.object("response", func(name string) {
		switch name {
		case "status":
			r.Status = int(t.integer("response.status", 0))
		case "statusText":
			r.StatusText = t.internStr("response.statusText")
		case "httpVersion":
			r.HTTPVersion = t.internStr("response.httpVersion")
		case "cookies":
			r.Cookies, cookiesPresent = t.cookies("response.cookies")
		case "headers":
			r.Headers = t.headers("response.headers")
		case "content":
			t.content(&r.Content)
		case "redirectURL":
			r.RedirectURL = t.str("response.redirectURL")
		case "headersSize":
			r.HeadersSize = t.integer("response.headersSize", -1)
		case "bodySize":
			r.BodySize = t.integer("response.bodySize", -1)
		case "_transferSize": // current Chrome writes it here
			e.TransferSize = t.integer("response._transferSize", 0)
		case "_error": // mitmproxy
			if s := t.str("response._error"); s != "" {
				e.Error = s
			}
		case "_failureText":
			if s := t.str("response._failureText"); s != "" {
				e.FailureText = s
			}
		default:
			t.skip()
		}
	})
	return present, cookiesPresent
}

func (t *tolerant) headers(path string) []Header {
	var hs []Header
	t.array(path, func() {
		var h Header
		if t.object(path+"[]", func(name string) {
			switch name {
			case "name":
				h.Name = t.internStr(path + "[].name")
			case "value":
				h.Value = t.internStr(path + "[].value")
			case "comment":
				h.Comment = t.str(path + "[].comment")
			default:
				t.skip()
			}
		}) {
			hs = append(hs, h)
		}
	})
	if hs == nil {
		hs = []Header{}
	}
	return hs
}

func (t *tolerant) nameValues(path string) []NameValue {
	var out []NameValue
	t.array(path, func() {
		var nv NameValue
		if t.object(path+"[]", func(name string) {
			switch name {
			case "name":
				nv.Name = t.str(path + "[].name")
			case "value":
				nv.Value = t.str(path + "[].value")
			case "comment":
				nv.Comment = t.str(path + "[].comment")
			default:
				t.skip()
			}
		}) {
			out = append(out, nv)
		}
	})
	if out == nil {
		out = []NameValue{}
	}
	return out
}

func (t *tolerant) cookies(path string) (cs []Cookie, present bool) {
	present = t.array(path, func() {
		var c Cookie
		if t.object(path+"[]", func(name string) {
			switch name {
			case "name":
				c.Name = t.str(path + "[].name")
			case "value":
				c.Value = t.str(path + "[].value")
			case "path":
				c.Path = t.str(path + "[].path")
			case "domain":
				c.Domain = t.str(path + "[].domain")
			case "expires":
				if tm, _ := t.date(path + "[].expires"); !tm.IsZero() {
					c.Expires = &tm // an unparseable expiry stays unknown (warned by date)
				}
			case "httpOnly":
				c.HTTPOnly = t.boolean(path + "[].httpOnly")
			case "secure":
				c.Secure = t.boolean(path + "[].secure")
			case "sameSite":
				c.SameSite = t.str(path + "[].sameSite")
			case "comment":
				c.Comment = t.str(path + "[].comment")
			default:
				t.skip()
			}
		}) {
			cs = append(cs, c)
		}
	})
	if cs == nil {
		cs = []Cookie{}
	}
	return cs, present
}

func (t *tolerant) postData() *PostData {
	p := &PostData{}
	if !t.object("request.postData", func(name string) {
		switch name {
		case "mimeType":
			p.MimeType = t.internStr("request.postData.mimeType")
		case "params":
			p.Params = t.nameValues("request.postData.params")
		case "text":
			p.Text, p.Ref = t.body("request.postData.text")
		case "comment":
			p.Comment = t.str("request.postData.comment")
		default:
			t.skip()
		}
	}) {
		return nil
	}
	return p
}

func (t *tolerant) content(c *Content) {
	hasSize := false
	t.object("response.content", func(name string) {
		switch name {
		case "size":
			c.Size = t.integer("response.content.size", 0)
			hasSize = true
		case "compression":
			c.Compression = t.integer("response.content.compression", 0)
		case "mimeType":
			c.MimeType = t.internStr("response.content.mimeType")
		case "text":
			c.Text, c.Ref = t.body("response.content.text")
		case "encoding":
			c.Encoding = t.internStr("response.content.encoding")
		case "comment":
			c.Comment = t.str("response.content.comment")
		default:
			t.skip()
		}
	})
	if !hasSize && c.Ref == nil && c.Encoding == "" {
		c.Size = int64(len(c.Text))
	}
}

// body reads a body text: inline when small, otherwise a reference to
// the JSON string in the source (quotes included) that Trace.Body reads.
func (t *tolerant) body(path string) (string, *BodyRef) {
	v := t.value()
	switch v.Kind() {
	case '"':
		if int64(len(v)) > t.limit {
			start := t.dec.InputOffset() - int64(len(v))
			return "", &BodyRef{Offset: t.base + start, Length: int64(len(v))}
		}
		return t.unquote(v), nil
	case 'n', 0:
		return "", nil
	case '{', '[':
		// Some tools embed a JSON body as JSON rather than text.
		t.warn(path, "is "+kindName(v.Kind())+", expected text; kept as its JSON text", nil)
		return string(v), nil
	}
	t.warn(path, "is "+kindName(v.Kind())+", expected text", v)
	return string(v), nil
}

func (t *tolerant) cache(c *Cache) {
	t.object("cache", func(name string) {
		switch name {
		case "beforeRequest":
			c.BeforeRequest = t.cacheState("cache.beforeRequest")
		case "afterRequest":
			c.AfterRequest = t.cacheState("cache.afterRequest")
		case "comment":
			c.Comment = t.str("cache.comment")
		default:
			t.skip()
		}
	})
}

func (t *tolerant) cacheState(path string) *CacheState {
	s := &CacheState{}
	if !t.object(path, func(name string) {
		switch name {
		case "expires":
			s.Expires = t.str(path + ".expires")
		case "lastAccess":
			s.LastAccess = t.str(path + ".lastAccess")
		case "eTag":
			s.ETag = t.str(path + ".eTag")
		case "hitCount":
			s.HitCount = int(t.integer(path+".hitCount", 0))
		case "comment":
			s.Comment = t.str(path + ".comment")
		default:
			t.skip()
		}
	}) {
		return nil
	}
	return s
}

func (t *tolerant) timings(tm *Timings) bool {
	return t.object("timings", func(name string) {
		switch name {
		case "blocked":
			tm.Blocked = t.float("timings.blocked", -1)
		case "dns":
			tm.DNS = t.float("timings.dns", -1)
		case "connect":
			tm.Connect = t.float("timings.connect", -1)
		case "send":
			tm.Send = t.float("timings.send", -1)
		case "wait":
			tm.Wait = t.float("timings.wait", -1)
		case "receive":
			tm.Receive = t.float("timings.receive", -1)
		case "ssl":
			tm.SSL = t.float("timings.ssl", -1)
		case "comment":
			tm.Comment = t.str("timings.comment")
		default:
			t.skip()
		}
	})
}

// initiator reads Chrome's _initiator object; WebPagetest writes the
// initiating URL as plain text instead.
func (t *tolerant) initiator() *Initiator {
	if t.peek() == '"' {
		s := t.str("_initiator")
		if s == "" {
			return nil
		}
		if strings.Contains(s, "://") {
			return &Initiator{URL: s}
		}
		return &Initiator{Type: s}
	}
	in := &Initiator{}
	if !t.object("_initiator", func(name string) {
		switch name {
		case "type":
			in.Type = t.internStr("_initiator.type")
		case "url":
			in.URL = t.str("_initiator.url")
		case "lineNumber":
			if f, ok := t.number("_initiator.lineNumber"); ok {
				n := int(f)
				in.LineNumber = &n
			}
		default:
			t.skip()
		}
	}) {
		return nil
	}
	return in
}

// fromCache reads Chrome's _fromCache ("memory"/"disk"); some tools
// write a boolean.
func (t *tolerant) fromCache() string {
	switch t.peek() {
	case 't':
		t.skip()
		return "true"
	case 'f':
		t.skip()
		return ""
	}
	return t.internStr("_fromCache")
}

func (t *tolerant) webSocketMessages() []WebSocketMessage {
	var out []WebSocketMessage
	t.array("_webSocketMessages", func() {
		var m WebSocketMessage
		if t.object("_webSocketMessages[]", func(name string) {
			switch name {
			case "type":
				m.Type = t.internStr("_webSocketMessages[].type")
			case "time":
				m.Time = t.float("_webSocketMessages[].time", 0)
			case "opcode":
				m.Opcode = int(t.integer("_webSocketMessages[].opcode", 0))
			case "data":
				m.Data = t.str("_webSocketMessages[].data")
			default:
				t.skip()
			}
		}) {
			out = append(out, m)
		}
	})
	return out
}

func (t *tolerant) securityDetails() *SecurityDetails {
	s := &SecurityDetails{}
	if !t.object("_securityDetails", func(name string) {
		switch name {
		case "protocol":
			s.Protocol = t.internStr("_securityDetails.protocol")
		case "subjectName":
			s.SubjectName = t.str("_securityDetails.subjectName")
		case "issuer":
			s.Issuer = t.internStr("_securityDetails.issuer")
		case "validFrom":
			s.ValidFrom = t.float("_securityDetails.validFrom", 0)
		case "validTo":
			s.ValidTo = t.float("_securityDetails.validTo", 0)
		default:
			t.skip()
		}
	}) {
		return nil
	}
	return s
}

// creator decodes log.creator or log.browser.
func (t *tolerant) creator(path string) Creator {
	var c Creator
	t.object(path, func(name string) {
		switch name {
		case "name":
			c.Name = t.str(path + ".name")
		case "version":
			c.Version = t.id(path + ".version")
		case "comment":
			c.Comment = t.str(path + ".comment")
		default:
			t.skip()
		}
	})
	return c
}

// pages decodes log.pages.
func (t *tolerant) pages() []Page {
	var out []Page
	t.array("log.pages", func() {
		p := Page{PageTimings: PageTimings{OnContentLoad: -1, OnLoad: -1}}
		if t.object("log.pages[]", func(name string) {
			switch name {
			case "startedDateTime":
				p.StartedDateTime, _ = t.date("log.pages[].startedDateTime")
			case "id":
				p.ID = t.id("log.pages[].id")
			case "title":
				p.Title = t.str("log.pages[].title")
			case "pageTimings":
				t.object("log.pages[].pageTimings", func(name string) {
					switch name {
					case "onContentLoad":
						p.PageTimings.OnContentLoad = t.float("log.pages[].pageTimings.onContentLoad", -1)
					case "onLoad":
						p.PageTimings.OnLoad = t.float("log.pages[].pageTimings.onLoad", -1)
					default:
						t.skip()
					}
				})
			case "comment":
				p.Comment = t.str("log.pages[].comment")
			default:
				t.skip()
			}
		}) {
			out = append(out, p)
		}
	})
	return out
}

func hasHeader(hs []Header, name string) bool {
	_, ok := HeaderValue(hs, name)
	return ok
}

// requestCookies derives request cookies from the Cookie headers, for
// producers that write no cookies array.
func requestCookies(hs []Header) []Cookie {
	var out []Cookie
	for _, line := range HeaderValues(hs, "Cookie") {
		if cs, err := http.ParseCookie(line); err == nil {
			for _, c := range cs {
				out = append(out, Cookie{Name: c.Name, Value: c.Value})
			}
			continue
		}
		// One malformed pair must not hide the others.
		for part := range strings.SplitSeq(line, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, Cookie{Name: name, Value: strings.TrimSpace(value)})
			}
		}
	}
	return out
}

// responseCookies derives response cookies from the Set-Cookie headers.
// Several producers join multiple Set-Cookie lines with newlines.
func responseCookies(hs []Header) []Cookie {
	var out []Cookie
	for _, value := range HeaderValues(hs, "Set-Cookie") {
		for line := range strings.SplitSeq(value, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			c, err := http.ParseSetCookie(line)
			if err != nil {
				first, _, _ := strings.Cut(line, ";")
				name, value, _ := strings.Cut(first, "=")
				if name = strings.TrimSpace(name); name != "" {
					out = append(out, Cookie{Name: name, Value: strings.TrimSpace(value)})
				}
				continue
			}
			out = append(out, fromHTTPCookie(c))
		}
	}
	return out
}

func fromHTTPCookie(c *http.Cookie) Cookie {
	out := Cookie{Name: c.Name, Value: c.Value, Path: c.Path, Domain: c.Domain, HTTPOnly: c.HttpOnly, Secure: c.Secure}
	if !c.Expires.IsZero() {
		exp := c.Expires
		out.Expires = &exp
	}
	switch c.SameSite {
	case http.SameSiteLaxMode:
		out.SameSite = "Lax"
	case http.SameSiteStrictMode:
		out.SameSite = "Strict"
	case http.SameSiteNoneMode:
		out.SameSite = "None"
	}
	return out
}

// interner shares one copy of strings that repeat across entries (header
// names and common values), which keeps a large trace's memory small.
type interner struct {
	m map[string]string
}

const (
	internMaxLen     = 256
	internMaxEntries = 1 << 16
)

func newInterner() *interner { return &interner{m: make(map[string]string)} }

func (in *interner) get(b []byte) string {
	if len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < internMaxEntries {
		in.m[s] = s
	}
	return s
}

// validIP reports whether s is an IP address (the writer drops
// serverIPAddress values that are not, as HAR 1.2 requires).
func validIP(s string) bool { return net.ParseIP(s) != nil }
