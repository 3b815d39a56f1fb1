package trace

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"authlens/analysis/decode"
	"authlens/analysis/signatures"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// BodyReader loads a response body that the reader left in the source.
// *har.Trace implements it; a live capture holds bodies inline.
type BodyReader interface {
	Body(c *har.Content) ([]byte, error)
}

// Trace is a set of entries plus the indexes that rules share. Build it
// with New; it is read-only afterwards and safe for concurrent reads.
type Trace struct {
	Source  SourceInfo
	Log     har.Log
	Entries []*har.Entry // in file order: Entries[i].Index == i

	bodies BodyReader

	byTime  []int            // entry indexes ordered by startedDateTime (stable)
	origins []string         // per entry: scheme://host[:port]
	auth    []EntryAuth      // per entry: decoded auth headers
	byOrig  map[string][]int // origin -> entry indexes in time order

	cookies   *jar.CookieIndex
	cacheHits []*BrowserCacheHit            // per entry: a browser-cache hit HAR does not mark, or nil
	sigs      [][]signatures.SignatureMatch // per entry: vendor signatures found (signatures.go)
	words     []signatures.ServerWords      // per entry: the server's own error words (vocabulary.go)
	vocab     [][]signatures.VocabularyMatch

	prefilters Prefilters // literal pre-checks of the rules' body regexps
	bodyCache  bodyCache  // bodies (and lower-cased copies) rules have asked for

	browser   Browser
	sanitized Sanitization
	sockets   []string            // per entry: normalised socket key, "" unknown
	serverIPs []string            // per entry: server address, brackets stripped
	hosts     []string            // per entry: lower-cased host
	hostIPs   map[string][]string // host -> distinct server addresses in time order
	redirNext []int               // per entry: the entry that followed its 3xx, -1
	redirPrev []int               // per entry: the 3xx entry that led to it, -1
	Sites     []SiteContext       // per entry: cross-site context
	Attempts  []AuthAttempt       // per entry: its row of the auth history
	history   map[string][]AuthAttempt
	// accepted: origin + "\x00" + identity -> entries accepted (2xx/304) with it.
	accepted map[string][]int
	// userFailures: origin + "\x00" + user -> 401/403 count for that user.
	userFailures map[string]int
	answered     []answer // per entry: whether it is an answered challenge leg

	reqKeys    []string         // per entry: method + normalised URL
	sameReq    map[string][]int // request key -> entries in time order
	sameReqPos []int            // per entry: its position in sameReq[key]
}

// EntryAuth is the decoded authentication material of one exchange.
type EntryAuth struct {
	// Credentials from the request's Authorization header, nil when absent.
	Credentials *decode.Credentials
	// ProxyCredentials from Proxy-Authorization, nil when absent.
	ProxyCredentials *decode.Credentials
	// URLUserinfo is true when the request URL carries user:pass@.
	URLUserinfo bool
	// Challenges from every WWW-Authenticate header of the response.
	Challenges []decode.Challenge
	// ProxyChallenges from every Proxy-Authenticate header of the response.
	ProxyChallenges []decode.Challenge
	// ChallengeError is the first syntax problem in the challenge headers.
	ChallengeError error
}

// Bodies is the reader of the bodies left in the source (nil when every
// body is inline).
func (t *Trace) Bodies() BodyReader { return t.bodies }

// New indexes entries for the rules. entries must be in file order
// with Index set; bodies may be nil when every body is inline.
func New(src SourceInfo, log har.Log, entries []*har.Entry, bodies BodyReader) *Trace {
	t := &Trace{Source: src, Log: log, Entries: entries, bodies: bodies}
	if t.Source.Entries == 0 {
		t.Source.Entries = len(entries)
	}
	if t.Source.Creator == "" {
		t.Source.Creator = strings.TrimSpace(log.Creator.Name + " " + log.Creator.Version)
	}
	t.indexEntries()
	t.browser = buildBrowser(t)
	t.sockets = buildSockets(t)
	buildNetInfo(t)
	buildRedirects(t)
	buildRequestKeys(t)
	t.Sites = buildSiteContexts(t)
	t.sanitized = buildSanitization(t)
	buildAuthHistory(t)
	t.cacheHits = browserCacheHits(t)
	t.cookies = jar.BuildCookieIndex(t.CookieInput())
	t.answered = buildAnswered(t) // reads the cookie index (refused sign-in cookies)
	t.sigs = BuildSignatureIndex(t)
	t.words, t.vocab = buildServerWords(t)
	return t
}

func (t *Trace) indexEntries() {
	n := len(t.Entries)
	t.byTime = make([]int, n)
	t.origins = make([]string, n)
	t.auth = make([]EntryAuth, n)
	t.byOrig = map[string][]int{}
	for i, e := range t.Entries {
		t.byTime[i] = i
		t.origins[i] = har.OriginOf(e.Request.URL)
		t.auth[i] = decodeAuth(e)
	}
	sort.SliceStable(t.byTime, func(a, b int) bool {
		ea, eb := t.Entries[t.byTime[a]], t.Entries[t.byTime[b]]
		return ea.StartedDateTime.Before(eb.StartedDateTime)
	})
	for _, i := range t.byTime {
		t.byOrig[t.origins[i]] = append(t.byOrig[t.origins[i]], i)
	}
}

func decodeAuth(e *har.Entry) EntryAuth {
	var a EntryAuth
	if v, ok := har.HeaderValue(e.Request.Headers, "Authorization"); ok {
		c := decode.ParseCredentials(v)
		a.Credentials = &c
	}
	if v, ok := har.HeaderValue(e.Request.Headers, "Proxy-Authorization"); ok {
		c := decode.ParseCredentials(v)
		a.ProxyCredentials = &c
	}
	if u, err := url.Parse(e.Request.URL); err == nil && u.User != nil {
		a.URLUserinfo = true
	}
	if vs := har.HeaderValues(e.Response.Headers, "WWW-Authenticate"); len(vs) > 0 {
		a.Challenges, a.ChallengeError = decode.ParseChallenges(vs...)
	}
	if vs := har.HeaderValues(e.Response.Headers, "Proxy-Authenticate"); len(vs) > 0 {
		a.ProxyChallenges, _ = decode.ParseChallenges(vs...)
	}
	return a
}

// Origin returns the origin (scheme://host[:port]) of entry i.
func (t *Trace) Origin(i int) string { return t.origins[i] }

// Auth returns the decoded authentication headers of entry i.
func (t *Trace) Auth(i int) *EntryAuth { return &t.auth[i] }

// TimeOrder returns every entry index ordered by start time (file order
// among equal times). The slice must not be modified.
func (t *Trace) TimeOrder() []int { return t.byTime }

// SameOrigin returns the entries to the given origin in time order. The
// slice must not be modified.
func (t *Trace) SameOrigin(origin string) []int { return t.byOrig[origin] }

// Cookies returns the cookie timeline of the trace.
func (t *Trace) Cookies() *jar.CookieIndex { return t.cookies }

// maxBodyForRules bounds how much of a body rules look at: block pages and
// error JSON are small, and a rule must not pull a 2 GB download into memory.
const maxBodyForRules = 256 << 10

// Body returns the response body of entry i as text (base64 decoded),
// at most 256 KiB of it; "" when there is none or it cannot be read.
func (t *Trace) Body(i int) string {
	c := &t.Entries[i].Response.Content
	var b []byte
	if c.Ref != nil && t.bodies != nil {
		var err error
		if b, err = t.bodies.Body(c); err != nil {
			return ""
		}
	} else {
		b = inlineBody(c)
	}
	if len(b) > maxBodyForRules {
		b = b[:maxBodyForRules]
	}
	return string(b)
}

// ResponseDate returns the response's Date header when it parses, else the
// Entry's start time. Tokens are judged against the server's clock.
func (t *Trace) ResponseDate(i int) time.Time {
	e := t.Entries[i]
	if v, ok := har.HeaderValue(e.Response.Headers, "Date"); ok {
		if d, err := HTTPDate(v); err == nil {
			return d
		}
	}
	return e.StartedDateTime
}

// FromHAR indexes a HAR that har.Load read. Bodies the reader left in the
// file are read from it on demand.
func FromHAR(h *har.Trace) *Trace {
	src := SourceInfo{Path: h.Path, Format: h.Format, Entries: len(h.Entries)}
	return New(src, h.Log, h.Entries, h)
}

// CookieInput is what the cookie replay reads from this trace.
func (t *Trace) CookieInput() jar.CookieInput {
	cached := make([]bool, len(t.Entries))
	failed := make([]bool, len(t.Entries))
	for i, e := range t.Entries {
		src := strings.ToLower(e.FromCache)
		cached[i] = t.cacheHits[i] != nil || src == "memory" || src == "disk"
		failed[i] = FailedForCookies(e)
	}
	return jar.CookieInput{
		Entries:       t.Entries,
		Order:         t.TimeOrder(),
		Fetch:         func(i int) jar.FetchContext { return FetchContextOf(t, i) },
		Browser:       detectCookieBrowser(t),
		CookiesHidden: t.Sanitized().CookiesHidden,
		Cached:        cached,
		Failed:        failed,
	}
}

// CacheHits returns, per entry, the footprints of a browser-cache hit
// that HAR does not mark (cache.go); nil where there is none. A cache
// hit sent nothing, so it proves nothing about cookies or credentials.
func (t *Trace) CacheHits() []*BrowserCacheHit { return t.cacheHits }
