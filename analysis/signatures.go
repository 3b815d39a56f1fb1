package analysis

import (
	"fmt"
	"html"
	"regexp"
	"strings"

	"authlens/har"
)

// Vendor signatures: the block pages, headers and error texts of WAFs,
// CDNs, CMS security plugins, frameworks' CSRF checks and proxies
// (signatures.md). The table is data (signatures_data.go); this file is the
// small matcher that applies it to one exchange.

// sigStrength is how unique a signature is to its product.
type sigStrength int

const (
	sigGeneric sigStrength = iota + 1 // many products emit it: evidence only with something else
	sigStrong                         // very likely that product
	sigUnique                         // only that product emits it
)

func (s sigStrength) String() string {
	switch s {
	case sigUnique:
		return "unique"
	case sigStrong:
		return "strong"
	case sigGeneric:
		return "generic"
	}
	return "unknown"
}

// headerRule matches one response header: present when value is nil,
// else its value must match.
type headerRule struct {
	name  string
	value *regexp.Regexp
}

// signature is one documented fingerprint.
type signature struct {
	id       string
	vendor   string
	meaning  string   // what the page or header means, in plain words
	cause    string   // the catalogue cause it names
	also     []string // further causes it supports (e.g. a lockout is also rate-limited)
	strength sigStrength
	// unconfirmed is true where signatures.md could not confirm the text
	// against a primary source: confidence is kept lower.
	unconfirmed bool
	// proxy is true for forward-proxy products: the network, not the site, refused.
	proxy bool
	// statuses limits the signature to these statuses; nil means any
	// status of 400 and above (and failed entries).
	statuses []int
	// anyStatus lets the signature match 1xx-3xx responses too (block pages
	// sent with 200, AWS WAF's 202/405 are >= 400 anyway).
	anyStatus bool
	headers   []headerRule   // all must match
	url       *regexp.Regexp // the request URL must match
	// hint lists lower-case literals, separated by "|", one of which must
	// occur in the body before the body expression runs (a cheap
	// pre-filter: most bodies are scanned by no expression at all).
	hint string
	body *regexp.Regexp // on the entity-decoded body
	// refName names the reference a person should quote ("Cloudflare Ray ID").
	refName   string
	ref       *regexp.Regexp // group 1 is the reference, on the decoded body
	refHeader string         // a header whose value is the reference
	// maskRef is a body expression whose group 1 is a secret to mask in excerpts.
	maskRef *regexp.Regexp
	source  string
}

// SignatureMatch is one signature found in one exchange.
type SignatureMatch struct {
	ID         string
	Vendor     string
	Meaning    string
	Cause      string
	Also       []string
	Strength   string
	Confidence float64
	Proxy      bool
	// RefName and Reference: the ID to quote to the site owner ("" when none).
	RefName   string
	Reference string
	// Where and Excerpt point at the matched text; secrets are masked.
	Where   string
	Excerpt string
	Source  string
}

// confidence turns a signature's strength into a finding confidence.
func (s *signature) confidence() float64 {
	c := map[sigStrength]float64{sigUnique: 0.92, sigStrong: 0.8, sigGeneric: 0.4}[s.strength]
	if s.unconfirmed {
		c -= 0.2
	}
	return c
}

func (s *signature) names(cause string) bool {
	if s.cause == cause {
		return true
	}
	for _, a := range s.also {
		if a == cause {
			return true
		}
	}
	return false
}

// maxSignatureBody bounds the body text signatures look at: block pages
// and error JSON are small.
const maxSignatureBody = 64 << 10

// maxOKBodyForSignatures bounds the 1xx-3xx bodies scanned for block pages
// sent with 200 (F5, Imperva); real pages are larger and are skipped.
const maxOKBodyForSignatures = 16 << 10

// Signatures returns every vendor signature found in entry i, strongest
// first. The slice must not be modified.
func (t *Trace) Signatures(i int) []SignatureMatch {
	if i < len(t.sigs) {
		return t.sigs[i]
	}
	return t.scanSignatures(i)
}

// buildSignatureIndex scans every entry once; several rules read it.
func buildSignatureIndex(t *Trace) [][]SignatureMatch {
	out := make([][]SignatureMatch, len(t.Entries))
	for i := range t.Entries {
		out[i] = t.scanSignatures(i)
	}
	return out
}

func (t *Trace) scanSignatures(i int) []SignatureMatch {
	e := t.Entries[i]
	st := e.Response.Status
	errorStatus := st >= 400 || st <= 0
	body := ""
	if errorStatus || (len(e.Response.Content.Text) <= maxOKBodyForSignatures && e.Response.Content.Ref == nil && pageLikeMIME(e.Response.Content.MimeType)) {
		body = t.Body(i)
	}
	if len(body) > maxSignatureBody {
		body = body[:maxSignatureBody]
	}
	return matchSignatures(e, body, signatureTable)
}

// pageLikeMIME reports content types a block page can have (not images,
// scripts, styles or fonts).
func pageLikeMIME(m string) bool {
	m = strings.ToLower(m)
	return m == "" || strings.Contains(m, "html") || strings.Contains(m, "json") || strings.Contains(m, "text/plain") || strings.Contains(m, "xml")
}

// matchSignatures applies a signature table to one exchange.
func matchSignatures(e *har.Entry, body string, table []*signature) []SignatureMatch {
	st := e.Response.Status
	errorStatus := st >= 400 || st <= 0
	text := body
	if strings.Contains(text, "&") {
		text = html.UnescapeString(text)
	}
	lower := strings.ToLower(text)
	var out []SignatureMatch
	for _, s := range table {
		if s.statuses != nil {
			if !containsInt(s.statuses, st) {
				continue
			}
		} else if !errorStatus && !s.anyStatus {
			continue
		}
		if s.url != nil && !s.url.MatchString(e.Request.URL) {
			continue
		}
		m, ok := s.match(e, text, lower)
		if ok {
			out = append(out, m)
		}
	}
	// strongest first, stable
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && out[b].Confidence > out[b-1].Confidence; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}

func (s *signature) match(e *har.Entry, text, lower string) (SignatureMatch, bool) {
	where, detail := "", ""
	for _, h := range s.headers {
		found := false
		for _, v := range har.HeaderValues(e.Response.Headers, h.name) {
			if h.value == nil || h.value.MatchString(v) {
				found = true
				if where == "" {
					where, detail = "response.headers."+h.name, h.name+": "+clip(v, 120)
				}
				break
			}
		}
		if !found {
			return SignatureMatch{}, false
		}
	}
	if s.body != nil {
		if !containsAnyHint(lower, s.hint) {
			return SignatureMatch{}, false
		}
		loc := s.body.FindStringIndex(text)
		if loc == nil {
			return SignatureMatch{}, false
		}
		where, detail = "response.content.text", excerptAround(text, loc[0], loc[1])
	}
	if where == "" {
		return SignatureMatch{}, false
	}
	m := SignatureMatch{
		ID: s.id, Vendor: s.vendor, Meaning: s.meaning, Cause: s.cause, Also: s.also,
		Strength: s.strength.String(), Confidence: s.confidence(), Proxy: s.proxy,
		RefName: s.refName, Where: where, Source: s.source,
	}
	if s.ref != nil {
		if r := s.ref.FindStringSubmatch(text); r != nil {
			m.Reference = strings.TrimSpace(r[1])
		}
	}
	if m.Reference == "" && s.refHeader != "" {
		if v, ok := har.HeaderValue(e.Response.Headers, s.refHeader); ok {
			m.Reference = strings.TrimSpace(v)
		}
	}
	if s.maskRef != nil {
		if r := s.maskRef.FindStringSubmatch(text); r != nil && r[1] != "" {
			detail = strings.ReplaceAll(detail, r[1], maskCookieValue(r[1]))
		}
	}
	m.Excerpt = maskTokensInText(detail)
	return m, true
}

var (
	tagPattern        = regexp.MustCompile(`<[^>]*>`)
	spacePattern      = regexp.MustCompile(`\s+`)
	tokenLikePattern  = regexp.MustCompile(`\b[A-Za-z0-9_\-+/=.]{32,}\b`)
	hasLetterAndDigit = regexp.MustCompile(`[A-Za-z].*[0-9]|[0-9].*[A-Za-z]`)
)

// excerptAround returns the matched text with some context, tags
// removed and whitespace collapsed.
func excerptAround(text string, start, end int) string {
	win, _ := around(text, start, end, 100, 140)
	s := tagPattern.ReplaceAllString(win, " ")
	s = strings.TrimSpace(spacePattern.ReplaceAllString(s, " "))
	return clip(s, 240)
}

// maskTokensInText hides long token-like strings (session IDs, JWTs,
// CSRF tokens) that a page may echo. Pure digit runs (support IDs) stay.
func maskTokensInText(s string) string {
	return tokenLikePattern.ReplaceAllStringFunc(s, func(tok string) string {
		if !hasLetterAndDigit.MatchString(tok) || strings.Contains(tok, "://") {
			return tok
		}
		return maskCookieValue(tok)
	})
}

// containsAnyHint reports whether text holds one of the "|"-separated hints.
func containsAnyHint(text, hints string) bool {
	for hints != "" {
		h, rest, _ := strings.Cut(hints, "|")
		if h != "" && strings.Contains(text, h) {
			return true
		}
		hints = rest
	}
	return false
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// signatureFor returns the strongest match in ms naming cause, if any.
func signatureFor(ms []SignatureMatch, cause string) (SignatureMatch, bool) {
	for _, m := range ms {
		if m.Cause == cause {
			return m, true
		}
	}
	for _, m := range ms {
		for _, a := range m.Also {
			if a == cause {
				return m, true
			}
		}
	}
	return SignatureMatch{}, false
}

// signatureEvidence is the evidence row for a match at entry i.
func signatureEvidence(i int, m SignatureMatch) Evidence {
	d := fmt.Sprintf("%s (%s signature): %s", m.Vendor, m.Strength, m.Excerpt)
	if m.Reference != "" {
		d += fmt.Sprintf(" — %s %s", m.RefName, m.Reference)
	}
	return Evidence{Entry: i, Where: m.Where, Detail: d}
}

// plainServerPage names the web server whose built-in error page the
// body is ("Apache", "nginx", "IIS", "LiteSpeed", "Tomcat"), "" otherwise.
// Such a page says nothing about why: ModSecurity, allow-lists, file
// permissions and folder listings all produce it.
func plainServerPage(e *har.Entry, body string) string {
	b := strings.ToLower(body)
	server, _ := har.HeaderValue(e.Response.Headers, "Server")
	server = strings.ToLower(server)
	switch {
	case strings.Contains(b, "you don't have permission to access") || (strings.Contains(b, "<h1>forbidden</h1>") && strings.Contains(b, "apache")):
		return "Apache"
	case strings.Contains(b, "<center>nginx") || strings.Contains(b, "<center>openresty"):
		return "nginx"
	case iisCustomPage.MatchString(body):
		return "IIS"
	case strings.Contains(b, "litespeed") && strings.Contains(b, "403"):
		return "LiteSpeed"
	case strings.Contains(b, "apache tomcat") && strings.Contains(b, "http status 403"):
		return "Tomcat"
	case strings.TrimSpace(b) == "" && e.Response.Status == 403 && (strings.HasPrefix(server, "apache") || strings.HasPrefix(server, "nginx")):
		if strings.HasPrefix(server, "apache") {
			return "Apache"
		}
		return "nginx"
	}
	return ""
}
