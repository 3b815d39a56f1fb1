package har

// Tolerant decoding of one JSON value of the log (an entry, the creator,
// the pages) into the model. Each producer bends the HAR spec a little:
// numbers written as strings, floats for integers, null for objects,
// missing fields, unparseable dates. Such a value is mapped to the
// nearest sensible one and recorded as a warning; only an entry that is
// not an object at all is refused.

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// entry decodes one element of log.entries. It fails only when the
// element is not an object.
func (t *tolerant) entry(raw jsontext.Value, off int64, index int) (*Entry, error) {
	if k := raw.Kind(); k != '{' {
		return nil, fmt.Errorf("the entry is %s, not an object: it cannot be read as an HTTP exchange", kindName(k))
	}
	t.reset(raw, off, index)
	e := &Entry{Index: index, Offset: t.cuts.source(off)}
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
	t.keepCut = true
	v := t.value()
	t.keepCut = false
	switch v.Kind() {
	case '"':
		if int64(len(v)) > t.limit {
			start := t.base + t.dec.InputOffset() - int64(len(v))
			_, n := t.cuts.cutWithin(start, start+int64(len(v)))
			return "", &BodyRef{Offset: t.cuts.source(start), Length: n}
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
			out = append(out, CookieFromHTTP(c))
		}
	}
	return out
}

// CookieFromHTTP converts a cookie parsed by net/http (from a Cookie or
// Set-Cookie header) to the HAR model.
func CookieFromHTTP(c *http.Cookie) Cookie {
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

// validIP reports whether s is an IP address (the writer drops
// serverIPAddress values that are not, as HAR 1.2 requires).
func validIP(s string) bool { return net.ParseIP(s) != nil }
