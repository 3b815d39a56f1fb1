package sanitize

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"authlens/har"
	"authlens/redact"
)

// BodyPolicy says which response bodies the sanitized file keeps.
type BodyPolicy string

// The body policies. Whatever is kept has its secrets replaced.
const (
	// BodiesErrors keeps the text of error responses (4xx, 5xx and failed
	// requests) and drops every other body, images included: the default.
	BodiesErrors BodyPolicy = "errors"
	// BodiesText keeps every text body (HTML, JSON, XML, scripts, forms)
	// and drops images and other binary bodies.
	BodiesText BodyPolicy = "text"
	// BodiesKeep keeps every body; binary bodies are kept as they are.
	BodiesKeep BodyPolicy = "keep"
	// BodiesDrop drops every response body.
	BodiesDrop BodyPolicy = "drop"
)

// ParseBodyPolicy reads a policy name as the command line spells it.
func ParseBodyPolicy(s string) (BodyPolicy, error) {
	switch p := BodyPolicy(strings.ToLower(strings.TrimSpace(s))); p {
	case BodiesErrors, BodiesText, BodiesKeep, BodiesDrop:
		return p, nil
	case "", "default":
		return BodiesErrors, nil
	case "text-only":
		return BodiesText, nil
	}
	return "", fmt.Errorf("unknown body policy %q (want errors, text, keep or drop)", s)
}

// Options tune what is replaced. The zero value is the safe default.
type Options struct {
	// Salt keys the placeholders. Empty means a fresh random salt for
	// this export; pass the same salt (see LoadSalt) to give two files
	// the same placeholders for the same secrets.
	Salt []byte
	// DropJWTClaims empties the claims of every JWT too (by default a JWT
	// keeps its header and claims and loses only its signature).
	DropJWTClaims bool
	// KeepBasicUser keeps the user-id of Basic credentials and the user
	// name of NTLM messages (by default they are replaced too).
	KeepBasicUser bool
	// ExtraNames are more parameter, JSON key, cookie and header names
	// whose values are secrets, on top of redact.SecretNames.
	ExtraNames []string
	// Bodies is the response body policy; "" means BodiesErrors.
	Bodies BodyPolicy
	// KeepBodies lists entries (log.entries indexes) whose text body
	// BodiesErrors keeps whatever their status: the exchanges a diagnosis
	// points at, such as a firewall's block page served with 200.
	// report.Entries lists them from an analysis report.
	KeepBodies []int
}

// Stats counts what a Sanitizer replaced.
type Stats struct {
	Entries       int // entries written
	Credentials   int // Authorization / Proxy-Authorization values
	Cookies       int // cookie values (headers and arrays)
	Params        int // secret-named parameters, JSON keys, form fields, tags
	Headers       int // other secret headers (X-Api-Key, X-CSRF-Token, ...)
	JWTs          int // JWTs whose signature was replaced
	Values        int // distinct secret values replaced
	BodiesDropped int // response bodies dropped by the body policy
}

// extraSecretNames are names the sanitizer treats as secret on top of
// redact.SecretNames: an OAuth "state" and "nonce", SAML's RelayState, and
// session-like cookie names. (Candidates for redact.SecretNames.)
var extraSecretNames = []string{"state", "nonce", "relaystate", "csrf", "xsrf", "csrftoken", "session_state", "code_challenge"}

// Sanitizer replaces the secrets of HAR entries with stable placeholders.
// Build one per export with New; it remembers every secret it replaced
// (so the same secret gets the same placeholder, and Sweep can replace it
// wherever else it occurs), so it is not safe for concurrent use.
type Sanitizer struct {
	opts    Options
	salt    []byte
	names   map[string]bool
	memo    map[string]string // secret -> placeholder
	urlMemo map[string]string
	keep    map[int]bool // Options.KeepBodies
	stats   Stats
}

// SaltSize is the length of a random salt in bytes.
const SaltSize = 32

// New returns a Sanitizer. With no Options.Salt it draws a random one.
func New(opts Options) (*Sanitizer, error) {
	if opts.Bodies == "" {
		opts.Bodies = BodiesErrors
	}
	if _, err := ParseBodyPolicy(string(opts.Bodies)); err != nil {
		return nil, err
	}
	salt := append([]byte(nil), opts.Salt...)
	if len(salt) == 0 {
		salt = make([]byte, SaltSize)
		if _, err := rand.Read(salt); err != nil {
			return nil, fmt.Errorf("drawing a random salt: %w", err)
		}
	}
	s := &Sanitizer{opts: opts, salt: salt, names: map[string]bool{},
		memo: map[string]string{}, urlMemo: map[string]string{}, keep: map[int]bool{}}
	for _, i := range opts.KeepBodies {
		s.keep[i] = true
	}
	for _, n := range append(append([]string(nil), extraSecretNames...), opts.ExtraNames...) {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			s.names[n] = true
		}
	}
	return s, nil
}

// Stats returns what was replaced so far.
func (s *Sanitizer) Stats() Stats { return s.stats }

// secretNameStrict is redact's judgement of a name.
func (s *Sanitizer) secretNameStrict(name string) bool { return redact.IsSecretName(name) }

// secretHeader reports whether a header (other than Authorization and
// the cookie headers) carries a secret value.
func (s *Sanitizer) secretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return redact.IsSecretHeader(name) || s.names[n] || s.names[strings.TrimPrefix(n, "x-")]
}

// Header returns the replacement of one header value.
func (s *Sanitizer) Header(name, value string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "authorization", "proxy-authorization":
		return s.Authorization(value)
	case "cookie":
		return s.CookieHeader(value)
	case "set-cookie":
		return s.SetCookie(value)
	case "location", "content-location", "referer", "origin":
		return s.URL(value)
	case "www-authenticate", "proxy-authenticate":
		// Challenges: realms, nonces, errors and scopes are what the rules
		// read; a JWT or URL secret inside is still replaced.
		return s.Text(value)
	}
	if s.secretHeader(name) {
		s.stats.Headers++
		return s.Value(value)
	}
	return s.Text(value)
}

// Entry returns a sanitized copy of e; e is not modified. body reads a
// body the reader left in the source (har.Trace.Body); it may be nil when
// every body is inline. Call Sweep on every returned entry once all
// entries of the file went through Entry.
func (s *Sanitizer) Entry(e *har.Entry, body func(*har.Content) ([]byte, error), postText func(*har.PostData) (string, error)) (*har.Entry, error) {
	out := *e
	req, resp := &out.Request, &out.Response
	req.URL = s.URL(e.Request.URL)
	req.Headers = s.headers(e.Request.Headers)
	req.Cookies = s.cookies(e.Request.Cookies)
	req.QueryString = make([]har.NameValue, len(e.Request.QueryString))
	for i, q := range e.Request.QueryString {
		q.Value = s.Param(q.Name, q.Value, false)
		req.QueryString[i] = q
	}
	if e.Request.PostData != nil {
		p := *e.Request.PostData
		if p.Ref != nil {
			if postText == nil {
				return nil, fmt.Errorf("entry %d: the request body was left in the source and no body source is given", e.Index)
			}
			t, err := postText(&p)
			if err != nil {
				return nil, fmt.Errorf("entry %d: reading the request body: %w", e.Index, err)
			}
			p.Text, p.Ref = t, nil
		}
		p.Params = make([]har.NameValue, len(e.Request.PostData.Params))
		for i, q := range e.Request.PostData.Params {
			q.Value = s.Param(q.Name, q.Value, false)
			p.Params[i] = q
		}
		p.Text = s.postText(p.Text, p.MimeType)
		p.Comment = s.Text(p.Comment)
		req.PostData = &p
	}
	resp.Headers = s.headers(e.Response.Headers)
	resp.Cookies = s.cookies(e.Response.Cookies)
	resp.RedirectURL = s.URL(e.Response.RedirectURL)
	if err := s.content(&out, body); err != nil {
		return nil, fmt.Errorf("entry %d: %w", e.Index, err)
	}
	out.Comment = s.Text(e.Comment)
	if e.Initiator != nil {
		in := *e.Initiator
		in.URL = s.URL(in.URL)
		out.Initiator = &in
	}
	if len(e.WebSocketMessages) > 0 {
		out.WebSocketMessages = make([]har.WebSocketMessage, len(e.WebSocketMessages))
		for i, m := range e.WebSocketMessages {
			m.Data = s.Text(m.Data)
			out.WebSocketMessages[i] = m
		}
	}
	s.stats.Entries++
	return &out, nil
}

func (s *Sanitizer) headers(hs []har.Header) []har.Header {
	if hs == nil {
		return nil
	}
	out := make([]har.Header, len(hs))
	for i, h := range hs {
		h.Value = s.Header(h.Name, h.Value)
		out[i] = h
	}
	return out
}

func (s *Sanitizer) cookies(cs []har.Cookie) []har.Cookie {
	if cs == nil {
		return nil
	}
	out := make([]har.Cookie, len(cs))
	for i, c := range cs {
		c.Value = s.cookieValue(c.Value)
		out[i] = c
	}
	return out
}

// postText replaces the secrets of a request body by its type.
func (s *Sanitizer) postText(text, mimeType string) string {
	mt, _, _ := mime.ParseMediaType(mimeType)
	switch {
	case text == "":
		return text
	case mt == "application/x-www-form-urlencoded":
		return s.Query(text)
	case strings.HasPrefix(mt, "multipart/"):
		return s.multipart(text, mimeType)
	}
	return s.Text(text)
}

// content applies the body policy to the response body and replaces the
// secrets of what is kept.
func (s *Sanitizer) content(e *har.Entry, body func(*har.Content) ([]byte, error)) error {
	c := &e.Response.Content
	if c.Text == "" && c.Ref == nil {
		return nil
	}
	text := isTextMime(c.MimeType)
	keep := false
	switch s.opts.Bodies {
	case BodiesKeep:
		keep = true
	case BodiesText:
		keep = text
	case BodiesErrors:
		st := e.Response.Status
		keep = text && (st >= 400 || st <= 0 || s.keep[e.Index])
	}
	if !keep {
		c.Text, c.Encoding, c.Ref = "", "", nil
		c.Comment = "body removed by AuthLens sanitize (body policy " + string(s.opts.Bodies) + ")"
		s.stats.BodiesDropped++
		return nil
	}
	var raw []byte
	var err error
	if c.Ref != nil {
		if body == nil {
			return fmt.Errorf("the response body was left in the source and no body source is given")
		}
		raw, err = body(c)
	} else {
		raw, err = c.InlineBytes()
	}
	if err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}
	c.Ref = nil
	if !utf8.Valid(raw) {
		// Binary (only BodiesKeep and mislabelled text get here): kept
		// as it is, since it cannot be searched for secrets.
		c.Text, c.Encoding = base64.StdEncoding.EncodeToString(raw), "base64"
		return nil
	}
	c.Text, c.Encoding = s.Text(string(raw)), ""
	return nil
}

// isTextMime reports whether a body of this type is text a person or a
// rule reads: text/*, JSON, XML, JavaScript, forms. A missing type counts
// as text (producers often omit it on error pages).
func isTextMime(m string) bool {
	mt, _, err := mime.ParseMediaType(m)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(m, ";")[0]))
	}
	switch {
	case mt == "", strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "json"), strings.HasSuffix(mt, "+xml"),
		mt == "application/xml", strings.Contains(mt, "javascript"), mt == "application/x-www-form-urlencoded",
		mt == "application/problem+json", mt == "application/xhtml+xml":
		return true
	}
	return false
}

// sweepMin is the shortest secret Sweep looks for elsewhere: shorter
// values ("1", "en") would match ordinary text.
const sweepMin = 8

// Sweep replaces, in every text field of a sanitized entry, any remaining
// occurrence of a secret that the Sanitizer replaced somewhere in the
// file: a body echoing a request header, a comment quoting a cookie.
// Call it after every entry went through Entry.
func (s *Sanitizer) Sweep(entries []*har.Entry) {
	var pairs []string
	olds := make([]string, 0, len(s.memo))
	for o, p := range s.memo {
		if len(o) >= sweepMin && o != p {
			olds = append(olds, o)
		}
	}
	sort.Slice(olds, func(a, b int) bool {
		if len(olds[a]) != len(olds[b]) {
			return len(olds[a]) > len(olds[b])
		}
		return olds[a] < olds[b]
	})
	for _, o := range olds {
		pairs = append(pairs, o, s.memo[o])
		if e := url.QueryEscape(o); e != o && len(e) >= sweepMin {
			pairs = append(pairs, e, url.QueryEscape(s.memo[o]))
		}
	}
	if len(pairs) == 0 {
		return
	}
	r := strings.NewReplacer(pairs...)
	rs := r.Replace
	for _, e := range entries {
		e.Request.URL = rs(e.Request.URL)
		e.Response.RedirectURL = rs(e.Response.RedirectURL)
		for _, hs := range [][]har.Header{e.Request.Headers, e.Response.Headers} {
			for i := range hs {
				hs[i].Value = rs(hs[i].Value)
			}
		}
		for _, cs := range [][]har.Cookie{e.Request.Cookies, e.Response.Cookies} {
			for i := range cs {
				cs[i].Value = rs(cs[i].Value)
			}
		}
		for i := range e.Request.QueryString {
			e.Request.QueryString[i].Value = rs(e.Request.QueryString[i].Value)
		}
		if p := e.Request.PostData; p != nil {
			p.Text = rs(p.Text)
			for i := range p.Params {
				p.Params[i].Value = rs(p.Params[i].Value)
			}
		}
		if c := &e.Response.Content; c.Encoding == "" {
			c.Text = rs(c.Text)
		}
		e.Comment = rs(e.Comment)
		for i := range e.WebSocketMessages {
			e.WebSocketMessages[i].Data = rs(e.WebSocketMessages[i].Data)
		}
		if e.Initiator != nil {
			e.Initiator.URL = rs(e.Initiator.URL)
		}
	}
}

// Log returns the log header of the sanitized file: pages' titles (often
// URLs) sanitized, and log.comment saying that and how the file was
// sanitized.
func (s *Sanitizer) Log(l har.Log) har.Log {
	out := l
	out.Pages = make([]har.Page, len(l.Pages))
	for i, p := range l.Pages {
		p.Title = s.Text(p.Title)
		out.Pages[i] = p
	}
	note := s.Describe()
	if out.Comment != "" {
		out.Comment = s.Text(out.Comment) + "\n" + note
	} else {
		out.Comment = note
	}
	return out
}

// CommentPrefix starts the log.comment line a sanitized file carries.
const CommentPrefix = "Sanitized by AuthLens"

// Describe says how the file was sanitized, for log.comment.
func (s *Sanitizer) Describe() string {
	jwt := "JWTs keep header and claims, signature replaced"
	if s.opts.DropJWTClaims {
		jwt = "JWTs keep their header only (claims emptied, signature replaced)"
	}
	user := "Basic and NTLM user names replaced"
	if s.opts.KeepBasicUser {
		user = "Basic and NTLM user names kept"
	}
	extra := ""
	if len(s.opts.ExtraNames) > 0 {
		extra = "; extra secret names: " + strings.Join(s.opts.ExtraNames, ", ")
	}
	return CommentPrefix + ": credentials (scheme kept), every cookie value, secret-named URL, form, JSON and multipart values, URL userinfo and tokens replaced by stable placeholders (HMAC-SHA256 under a per-export salt: equal secrets give equal placeholders, lengths and character classes kept); " +
		jwt + "; " + user + "; NTLM/Negotiate keep message type and flags; response bodies: " + bodyWords(s.opts.Bodies) + extra + "."
}

func bodyWords(p BodyPolicy) string {
	switch p {
	case BodiesKeep:
		return "all kept"
	case BodiesText:
		return "text kept, binary dropped"
	case BodiesDrop:
		return "all dropped"
	}
	return "text of error responses (and of the exchanges the diagnosis points at) kept, the rest dropped"
}

// Write sanitizes every entry of h and writes a HAR 1.2 file to w. It
// returns what was replaced.
func Write(ctx context.Context, w io.Writer, h *har.Trace, opts Options) (Stats, error) {
	s, err := New(opts)
	if err != nil {
		return Stats{}, err
	}
	return s.Write(ctx, w, h)
}

// Write sanitizes every entry of h and writes a HAR 1.2 file to w.
func (s *Sanitizer) Write(ctx context.Context, w io.Writer, h *har.Trace) (Stats, error) {
	out := make([]*har.Entry, 0, len(h.Entries))
	for _, e := range h.Entries {
		if err := ctx.Err(); err != nil {
			return s.stats, err
		}
		se, err := s.Entry(e, h.Body, h.PostText)
		if err != nil {
			return s.stats, fmt.Errorf("sanitizing %s: %w", h.Path, err)
		}
		out = append(out, se)
	}
	s.Sweep(out)
	hw, err := har.NewWriter(w, s.Log(h.Log))
	if err != nil {
		return s.stats, err
	}
	for _, e := range out {
		if err := hw.WriteEntry(e); err != nil {
			return s.stats, err
		}
	}
	if err := hw.Close(); err != nil {
		return s.stats, err
	}
	return s.stats, nil
}
