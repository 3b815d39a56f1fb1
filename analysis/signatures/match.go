package signatures

import (
	"html"
	"regexp"
	"strings"

	"authlens/analysis/internal/excerpt"
	"authlens/har"
	"authlens/redact"
)

// Vendor signatures: the block pages, headers and error texts of WAFs,
// CDNs, CMS security plugins, frameworks' CSRF checks and proxies
// (signatures.md). The table is data (signatures_data.go); this file is the
// small matcher that applies it to one exchange.

// Strength is how unique a signature is to its product.
type Strength int

const (
	Generic Strength = iota + 1 // many products emit it: evidence only with something else
	Strong                      // very likely that product
	Unique                      // only that product emits it
)

func (s Strength) String() string {
	switch s {
	case Unique:
		return "unique"
	case Strong:
		return "strong"
	case Generic:
		return "generic"
	}
	return "unknown"
}

// HeaderRule matches one response header: present when value is nil,
// else its value must match.
type HeaderRule struct {
	name  string
	value *regexp.Regexp
}

// Signature is one documented fingerprint.
type Signature struct {
	ID       string
	Vendor   string
	Meaning  string   // what the page or header means, in plain words
	Cause    string   // the catalogue cause it names
	Also     []string // further causes it supports (e.g. a lockout is also rate-limited)
	strength Strength
	// Unconfirmed is true where signatures.md could not confirm the text
	// against a primary source: confidence is kept lower.
	Unconfirmed bool
	// proxy is true for forward-proxy products: the network, not the site, refused.
	proxy bool
	// statuses limits the signature to these statuses; nil means any
	// status of 400 and above (and failed entries).
	statuses []int
	// anyStatus lets the signature match 1xx-3xx responses too (block pages
	// sent with 200, AWS WAF's 202/405 are >= 400 anyway).
	anyStatus bool
	Headers   []HeaderRule   // all must match
	URL       *regexp.Regexp // the request URL must match
	// Hint lists lower-case literals, separated by "|", one of which must
	// occur in the body before the body expression runs (a cheap
	// pre-filter: most bodies are scanned by no expression at all).
	Hint string
	Body *regexp.Regexp // on the entity-decoded body
	// refName names the reference a person should quote ("Cloudflare Ray ID").
	refName   string
	ref       *regexp.Regexp // group 1 is the reference, on the decoded body
	refHeader string         // a header whose value is the reference
	// maskRef is a body expression whose group 1 is a secret to mask in excerpts.
	maskRef *regexp.Regexp
	Source  string
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
	Where   har.Location
	Excerpt string
	Source  string
}

// Confidence turns a signature's strength into a finding confidence.
func (s *Signature) Confidence() float64 {
	c := map[Strength]float64{Unique: 0.92, Strong: 0.8, Generic: 0.4}[s.strength]
	if s.Unconfirmed {
		c -= 0.2
	}
	return c
}

func (s *Signature) names(cause string) bool {
	if s.Cause == cause {
		return true
	}
	for _, a := range s.Also {
		if a == cause {
			return true
		}
	}
	return false
}

// MaxSignatureBody bounds the body text signatures look at: block pages
// and error JSON are small.
const MaxSignatureBody = 64 << 10

// MaxOKBodyForSignatures bounds the 1xx-3xx bodies scanned for block pages
// sent with 200 (F5, Imperva); real pages are larger and are skipped.
const MaxOKBodyForSignatures = 16 << 10

// MatchAll applies a signature table to one exchange.
func MatchAll(e *har.Entry, body string, table []*Signature) []SignatureMatch {
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
		if s.URL != nil && !s.URL.MatchString(e.Request.URL) {
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

func (s *Signature) match(e *har.Entry, text, lower string) (SignatureMatch, bool) {
	var where har.Location
	detail := ""
	for _, h := range s.Headers {
		found := false
		for _, v := range har.HeaderValues(e.Response.Headers, h.name) {
			if h.value == nil || h.value.MatchString(v) {
				found = true
				if where.Part == "" {
					where, detail = har.ResponseHeader(h.name), h.name+": "+excerpt.Clip(v, 120)
				}
				break
			}
		}
		if !found {
			return SignatureMatch{}, false
		}
	}
	if s.Body != nil {
		if !ContainsAnyHint(lower, s.Hint) {
			return SignatureMatch{}, false
		}
		loc := s.Body.FindStringIndex(text)
		if loc == nil {
			return SignatureMatch{}, false
		}
		where, detail = har.At(har.PartResponseBody), ExcerptAround(text, loc[0], loc[1])
	}
	if where.Part == "" {
		return SignatureMatch{}, false
	}
	m := SignatureMatch{
		ID: s.ID, Vendor: s.Vendor, Meaning: s.Meaning, Cause: s.Cause, Also: s.Also,
		Strength: s.strength.String(), Confidence: s.Confidence(), Proxy: s.proxy,
		RefName: s.refName, Where: where, Source: s.Source,
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
			detail = strings.ReplaceAll(detail, r[1], redact.CookieValue(r[1]))
		}
	}
	m.Excerpt = redact.Text(detail)
	return m, true
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	SpacePattern = regexp.MustCompile(`\s+`)
)

// ExcerptAround returns the matched text with some context, tags
// removed and whitespace collapsed.
func ExcerptAround(text string, start, end int) string {
	win, _ := excerpt.Around(text, start, end, 100, 140)
	s := tagPattern.ReplaceAllString(win, " ")
	s = strings.TrimSpace(SpacePattern.ReplaceAllString(s, " "))
	return excerpt.Clip(s, 240)
}

// ContainsAnyHint reports whether text holds one of the "|"-separated hints.
func ContainsAnyHint(text, hints string) bool {
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
