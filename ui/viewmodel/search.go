package viewmodel

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"authlens/har"
	"authlens/redact"
)

// SearchOptions tune a Search.
type SearchOptions struct {
	// Bodies also searches request and response bodies, read one at a
	// time through the session (bodies of large files stay in the file).
	Bodies bool
	// Progress, when set, receives snapshots while the search runs: once
	// the headers and addresses are searched, then about every
	// ProgressEvery while bodies are read. It is called on the searching
	// goroutine; the snapshot is the receiver's to keep.
	Progress      func(SearchResult)
	ProgressEvery time.Duration // 0 means 150 ms
}

// SearchHit says where an exchange matched, first place only.
type SearchHit struct {
	Row   int    // position in Session.Rows.Rows
	Where string // "address, status or type", "request header", "response body", …
	// Excerpt shows the match in its context, secrets masked (redact):
	// searching for a token finds it, but the excerpt never shows it.
	Excerpt string
	InBody  bool
}

// SearchResult is what a search found so far.
type SearchResult struct {
	Query string
	// Match[i] is true when row i matches; feed it to Filter.Match.
	Match []bool
	// Hits are the matching rows in the order found: every metadata hit
	// in file order first, then the body hits.
	Hits []SearchHit
	// BodiesRead and BodiesTotal count the exchanges whose bodies are
	// searched; Done is true once all were (or bodies are not searched).
	BodiesRead, BodiesTotal int
	Done                    bool
}

// Matches is the number of matching exchanges.
func (r *SearchResult) Matches() int { return len(r.Hits) }

// InBodies is the number of exchanges found only in a body.
func (r *SearchResult) InBodies() int {
	n := 0
	for _, h := range r.Hits {
		if h.InBody {
			n++
		}
	}
	return n
}

// Hit returns where row matched, if it did.
func (r *SearchResult) Hit(row int) (SearchHit, bool) {
	if row < 0 || row >= len(r.Match) || !r.Match[row] {
		return SearchHit{}, false
	}
	for _, h := range r.Hits {
		if h.Row == row {
			return h, true
		}
	}
	return SearchHit{}, false
}

// Summary is the hit count in words: "12 exchanges match — 3 in bodies",
// with how far the bodies are while they are being read.
func (r *SearchResult) Summary() string {
	n := r.Matches()
	var s string
	switch n {
	case 0:
		s = "No exchange matches"
	case 1:
		s = "1 exchange matches"
	default:
		s = FormatCount(n) + " exchanges match"
	}
	if b := r.InBodies(); b > 0 {
		s += " — " + FormatCount(b) + " in bodies"
	}
	if !r.Done && r.BodiesTotal > 0 {
		s += " (searching bodies: " + FormatCount(r.BodiesRead) + " of " + FormatCount(r.BodiesTotal) + ")"
	}
	return s
}

// snapshot copies what the receiver of a progress report may keep.
func (r *SearchResult) snapshot() SearchResult {
	c := *r
	c.Match = append([]bool(nil), r.Match...)
	c.Hits = r.Hits[:len(r.Hits):len(r.Hits)] // later appends go elsewhere
	return c
}

// Search finds query, case-insensitively, in each exchange's method,
// URL, status, type, header names and values, cookie names and — with
// opts.Bodies — request and response bodies. Metadata is searched first,
// so the cheap hits arrive at once; bodies are read one at a time and
// the search stops when ctx is cancelled (the query changed), returning
// ctx's error with what it found so far.
func Search(ctx context.Context, s *Session, query string, opts SearchOptions) (SearchResult, error) {
	q := normalizeQuery(query)
	entries := s.Entries()
	res := SearchResult{Query: query, Match: make([]bool, len(entries))}
	if q == "" {
		res.Done = true
		return res, nil
	}
	for i, e := range entries {
		if i%4096 == 0 && ctx.Err() != nil {
			return res, ctx.Err()
		}
		if h, ok := s.Rows.matchMetadata(i, e, q); ok {
			res.Match[i] = true
			res.Hits = append(res.Hits, h)
		}
	}
	var toRead []int
	if opts.Bodies {
		for i, e := range entries {
			if !res.Match[i] && hasSearchableBody(e) {
				toRead = append(toRead, i)
			}
		}
	}
	res.BodiesTotal = len(toRead)
	res.Done = len(toRead) == 0
	report := func() {
		if opts.Progress != nil {
			opts.Progress(res.snapshot())
		}
	}
	report()
	if res.Done {
		return res, nil
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 150 * time.Millisecond
	}
	last := time.Now()
	for _, i := range toRead {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if h, ok := searchBodies(s, i, q); ok {
			res.Match[i] = true
			res.Hits = append(res.Hits, h)
		}
		res.BodiesRead++
		if time.Since(last) >= every {
			last = time.Now()
			report()
		}
	}
	res.Done = true
	report()
	return res, nil
}

// normalizeQuery lower-cases the query and trims it; a newline cannot
// match anything the rows index, so it becomes a space.
func normalizeQuery(q string) string {
	return strings.ToLower(strings.TrimSpace(strings.ReplaceAll(q, "\n", " ")))
}

// matchMetadata looks for q in entry e (row i) without reading bodies.
func (rs *RowSet) matchMetadata(i int, e *har.Entry, q string) (SearchHit, bool) {
	if strings.Contains(rs.text[rs.starts[i]:rs.starts[i+1]], q) {
		return SearchHit{Row: i, Where: "address, status or type", Excerpt: excerptLine(e.Request.Method + " " + redact.URL(e.Request.URL) + " → " + rs.Rows[i].Status)}, true
	}
	for _, side := range []struct {
		where   string
		headers []har.Header
		cookies []har.Cookie
	}{
		{"request", e.Request.Headers, e.Request.Cookies},
		{"response", e.Response.Headers, e.Response.Cookies},
	} {
		for _, h := range side.headers {
			if indexFold(h.Name, q) >= 0 || indexFold(h.Value, q) >= 0 {
				return SearchHit{Row: i, Where: side.where + " header", Excerpt: excerptLine(h.Name + ": " + redact.Header(h.Name, h.Value))}, true
			}
		}
		for _, c := range side.cookies {
			if indexFold(c.Name, q) >= 0 {
				return SearchHit{Row: i, Where: side.where + " cookie", Excerpt: excerptLine(c.Name + "=" + redact.CookieValue(c.Value))}, true
			}
		}
	}
	return SearchHit{}, false
}

// hasSearchableBody is true when e has a request or response body that
// is text worth reading (images, fonts and media are skipped).
func hasSearchableBody(e *har.Entry) bool {
	if pd := e.Request.PostData; pd != nil && (pd.Text != "" || pd.Ref != nil) {
		return true
	}
	c := &e.Response.Content
	if c.Text == "" && c.Ref == nil {
		return false
	}
	switch typeOfMIME(c.MimeType) {
	case "image", "font", "media":
		return false
	}
	return true
}

// searchBodies reads entry i's bodies and looks for q in them. A body
// that cannot be read is not a match (the detail pane says why).
func searchBodies(s *Session, i int, q string) (SearchHit, bool) {
	if text, err := s.RequestBody(i); err == nil {
		if k := indexFold(text, q); k >= 0 {
			return SearchHit{Row: i, Where: "request body", Excerpt: bodyExcerpt(text, k, len(q)), InBody: true}, true
		}
	}
	e := s.Entries()[i]
	c := &e.Response.Content
	if c.Text == "" && c.Ref == nil {
		return SearchHit{}, false
	}
	switch typeOfMIME(c.MimeType) {
	case "image", "font", "media":
		return SearchHit{}, false
	}
	body, err := s.ResponseBody(i)
	if err != nil {
		return SearchHit{}, false
	}
	if k := indexFold(body, q); k >= 0 {
		return SearchHit{Row: i, Where: "response body", Excerpt: bodyExcerpt(string(body[max(k-excerptReach, 0):min(k+len(q)+excerptReach, len(body))]), min(k, excerptReach), len(q)), InBody: true}, true
	}
	return SearchHit{}, false
}

// How far around a match an excerpt looks for the token it sits in, and
// how long an excerpt may be.
const (
	excerptReach = 2048
	excerptMax   = 140
)

// bodyExcerpt is the text around text[at:at+n], masked. The piece masked
// reaches to whitespace around the match so that a secret is masked
// whole, never cut into pieces too short to look secret.
func bodyExcerpt(text string, at, n int) string {
	lo := max(at-excerptReach, 0)
	hi := min(at+n+excerptReach, len(text))
	if k := strings.LastIndexAny(text[lo:at], " \t\r\n"); k >= 0 && at-(lo+k) > 40 {
		lo += k + 1
	}
	if k := strings.IndexAny(text[at+n:hi], " \t\r\n"); k >= 0 && k > 40 {
		hi = at + n + k
	}
	masked := redact.Text(text[lo:hi])
	if k := indexFold(masked, strings.ToLower(text[at:at+n])); k >= 0 {
		// Centre on the match when it survived masking.
		from := max(k-excerptMax/3, 0)
		if from > 0 {
			// Start at a word (or tag) boundary rather than mid-word.
			if j := strings.IndexAny(masked[from:k], " >\t\n"); j >= 0 && j < 24 {
				from += j + 1
			}
		}
		masked = masked[from:]
		if from > 0 {
			masked = "…" + trimToRune(masked)
		}
	}
	return excerptLine(masked)
}

// excerptLine puts s on one line and cuts it to excerptMax bytes.
func excerptLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > excerptMax {
		cut := excerptMax
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// trimToRune drops bytes before the first whole rune.
func trimToRune(s string) string {
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return s
}

// indexFold is the position of q (lower-case) in s ignoring ASCII case;
// -1 when absent. Non-ASCII letters match only in the case typed.
func indexFold[T string | []byte](s T, q string) int {
	n := len(q)
	if n == 0 {
		return 0
	}
	first := q[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c != first && c != upper {
			continue
		}
		j := 1
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != q[j] {
				break
			}
		}
		if j == n {
			return i
		}
	}
	return -1
}
