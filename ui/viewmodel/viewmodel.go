// Package viewmodel is what the AuthLens window shows, without the
// widgets: the loaded Session and the Analyzer that builds it (the one
// door to har, analysis and report), the entries table's rows and
// filters, the exchange detail (headers, bodies, cookies, timing) masked
// and in plain words, the guided walkthrough's state machine, and the
// export and report choices. It imports no Fyne package, so all of it is
// tested without a display; authlens/ui draws it, one widget file per
// view.
package viewmodel

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"authlens/analysis"
	"authlens/har"
	"authlens/redact"
	"authlens/report"
)

// Row is one line of the entries table, formatted once when the trace is
// loaded so that scrolling and filtering never format or parse again.
type Row struct {
	Index      int
	Time       string
	Method     string
	Host       string
	Path       string
	Status     string
	StatusCode int
	Type       string
	Size       string
	Duration   string
	// AuthFailure is true for the exchanges the report calls a problem.
	AuthFailure bool

	// Traits for the filter toggles, and the raw values the columns sort by.
	HasAuthorization bool // an Authorization or Proxy-Authorization header was sent
	HasCookies       bool // the request carried cookies
	CrossSite        bool // the request went to another site than the page that made it

	hostKey   string  // lower-case host, for the host filter
	startedMs int64   // start time (Unix ms; 0 unknown), for sorting by time
	sizeBytes int64   // response size (-1 unknown), for sorting by size
	durMs     float64 // duration (ms), for sorting by duration
}

// Column indexes of the entries table.
const (
	ColIndex = iota
	ColTime
	ColMethod
	ColHost
	ColPath
	ColStatus
	ColType
	ColSize
	ColDuration
	NumColumns
)

// ColumnTitle is the header of column col of the entries table.
func ColumnTitle(col int) string {
	return [NumColumns]string{"#", "Time", "Method", "Host", "Path", "Status", "Type", "Size", "Duration"}[col]
}

// Cell returns the text of one column.
func (r *Row) Cell(col int) string {
	switch col {
	case ColIndex:
		return strconv.Itoa(r.Index)
	case ColTime:
		return r.Time
	case ColMethod:
		return r.Method
	case ColHost:
		return r.Host
	case ColPath:
		return r.Path
	case ColStatus:
		return r.Status
	case ColType:
		return r.Type
	case ColSize:
		return r.Size
	case ColDuration:
		return r.Duration
	}
	return ""
}

// NewRow formats entry e. failing says whether the report lists it as a
// problem.
func NewRow(e *har.Entry, failing bool) Row {
	// The list never shows credentials or secret query values.
	host, path := SplitURL(redact.URL(e.Request.URL))
	r := Row{
		Index:       e.Index,
		Method:      report.Visible(e.Request.Method, true),
		Host:        report.Visible(host, true),
		Path:        report.Visible(path, true),
		StatusCode:  e.Response.Status,
		Type:        EntryType(e),
		Size:        FormatBytes(responseSize(e)),
		Duration:    FormatMillis(e.Time),
		AuthFailure: failing,
	}
	if e.StartedDateTime.IsZero() {
		r.Time = "—"
	} else {
		// Clock time to the second, as a customer reports it ("at 10:04
		// it failed"); # gives the order, the detail the full date.
		r.Time = e.StartedDateTime.Local().Format("15:04:05")
	}
	r.Status = statusCell(e)
	r.hostKey = strings.ToLower(host)
	if !e.StartedDateTime.IsZero() {
		r.startedMs = e.StartedDateTime.UnixMilli()
	}
	r.sizeBytes = responseSize(e)
	r.durMs = e.Time
	for _, h := range e.Request.Headers {
		switch strings.ToLower(h.Name) {
		case "authorization", "proxy-authorization":
			r.HasAuthorization = true
		case "cookie":
			r.HasCookies = r.HasCookies || h.Value != ""
		}
	}
	r.HasCookies = r.HasCookies || len(e.Request.Cookies) > 0
	return r
}

// RowSet is every row of a trace plus a search index: the lower-cased
// searchable text of all rows in one string, so that a search is one
// pass of strings.Index over it rather than one call per row.
type RowSet struct {
	Rows   []Row
	text   string
	starts []int // starts[i] is where row i's text begins; one extra at the end
}

// NewRowSet formats every entry. failing says which entries the report
// calls a problem (nil: none).
func NewRowSet(entries []*har.Entry, failing func(int) bool) *RowSet {
	rs := &RowSet{Rows: make([]Row, len(entries)), starts: make([]int, len(entries)+1)}
	var b strings.Builder
	b.Grow(len(entries) * 96)
	for i, e := range entries {
		rs.Rows[i] = NewRow(e, failing != nil && failing(i))
		r := &rs.Rows[i]
		rs.starts[i] = b.Len()
		writeLower(&b, r.Method)
		b.WriteByte(' ')
		writeLower(&b, e.Request.URL)
		b.WriteByte(' ')
		b.WriteString(r.Status)
		b.WriteByte(' ')
		writeLower(&b, e.Response.StatusText)
		b.WriteByte(' ')
		writeLower(&b, r.Type)
		b.WriteByte(' ')
		writeLower(&b, e.Response.Content.MimeType)
		b.WriteByte('\n') // a row separator no query contains
	}
	rs.starts[len(entries)] = b.Len()
	rs.text = b.String()
	return rs
}

// writeLower writes s lower-cased, with newlines turned into spaces.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			b.WriteString(strings.ReplaceAll(strings.ToLower(s[i:]), "\n", " "))
			return
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		} else if c == '\n' {
			c = ' '
		}
		b.WriteByte(c)
	}
}

func statusCell(e *har.Entry) string {
	if e.Response.Status <= 0 {
		if e.FailureReason() != "" {
			return "failed"
		}
		return "none"
	}
	return strconv.Itoa(e.Response.Status)
}

// SplitURL returns the host (without any user:password@) and the path
// with query of an absolute URL; for anything else, "" and the text.
func SplitURL(raw string) (host, path string) {
	k := strings.Index(raw, "://")
	if k <= 0 {
		return "", raw
	}
	rest := raw[k+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host = rest[:end]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:] // never show credentials in the list
	}
	path = rest[end:]
	if h := strings.IndexByte(path, '#'); h >= 0 {
		path = path[:h]
	}
	if path == "" || path[0] == '?' {
		path = "/" + path
	}
	return host, path
}

func responseSize(e *har.Entry) int64 {
	if e.Response.Content.Size > 0 {
		return e.Response.Content.Size
	}
	if e.Response.BodySize >= 0 {
		return e.Response.BodySize
	}
	return -1
}

// EntryType is the kind of an exchange as browsers' network panels name
// it: Chrome's recorded _resourceType when there is one, else a kind
// derived from the response's media type — document, script, style,
// image, font, media, xhr (data: JSON, XML, text) or other.
func EntryType(e *har.Entry) string {
	switch rt := strings.ToLower(e.ResourceType); rt {
	case "":
	case "stylesheet":
		return "style"
	case "xhr", "fetch":
		return scriptOrClient(e, rt) // viewmodel_words.go: curl is not a page's script
	default:
		return rt
	}
	if t := typeOfMIME(e.Response.Content.MimeType); t != "xhr" {
		return t
	}
	return scriptOrClient(e, "xhr")
}

// typeOfMIME maps a media type to the kinds of EntryType.
func typeOfMIME(mime string) string {
	mt := mime
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.ToLower(strings.TrimSpace(mt))
	top, sub, _ := strings.Cut(mt, "/")
	if sub == "xhtml+xml" {
		return "document"
	}
	if j := strings.LastIndexByte(sub, '+'); j >= 0 {
		sub = sub[j+1:] // application/problem+json → json
	}
	switch {
	case mt == "":
		return "other"
	case sub == "html":
		return "document"
	case strings.Contains(sub, "javascript") || strings.Contains(sub, "ecmascript") || sub == "wasm":
		return "script"
	case sub == "css":
		return "style"
	case top == "image":
		return "image"
	case top == "font" || strings.HasPrefix(sub, "font-") || strings.HasPrefix(sub, "x-font") || sub == "vnd.ms-fontobject":
		return "font"
	case top == "audio" || top == "video":
		return "media"
	case sub == "json" || sub == "xml" || sub == "x-www-form-urlencoded" || sub == "grpc" || sub == "x-protobuf":
		return "xhr"
	}
	return "other"
}

// FilterKind is the choice of the filter buttons.
type FilterKind int

// The filters of the entries table.
const (
	FilterAuthFailures FilterKind = iota // the report's problems (401/403 and flagged)
	FilterAll
	Filter4xx
	Filter5xx
)

// FilterLabels name the filters as the radio group shows them, in
// FilterKind order.
func FilterLabels() []string { return []string{"Auth failures", "All", "4xx", "5xx"} }

// Filter is the state of the filter bar.
type Filter struct {
	Kind FilterKind
	Text string // free text, case-insensitive, matched against method, URL, status, type and media type
	Host string // exact host; "" for every host
	Type string // exact type (EntryType); "" for every type

	// The toggles: when set, only rows with the trait pass.
	HasAuthorization, HasCookies, CrossSite bool

	// Match, when not nil, lets through only the rows whose position is
	// true: the hits of a Search.
	Match []bool
}

// MarkCrossSite sets Row.CrossSite from the trace's site contexts.
func (rs *RowSet) MarkCrossSite(crossSite func(i int) bool) {
	for i := range rs.Rows {
		rs.Rows[i].CrossSite = crossSite(i)
	}
}

// Types lists the types (EntryType) present in rows, most frequent first.
func Types(rows []Row) []string {
	m := map[string]int{}
	for i := range rows {
		m[rows[i].Type]++
	}
	out := make([]string, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(a, b int) bool {
		if m[out[a]] != m[out[b]] {
			return m[out[a]] > m[out[b]]
		}
		return out[a] < out[b]
	})
	return out
}

// Filter appends to out[:0] the positions of the rows that pass f and
// returns it. It allocates nothing when out has room.
func (rs *RowSet) Filter(f Filter, out []int) []int {
	out = out[:0]
	text := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(f.Text, "\n", " ")))
	host := strings.ToLower(f.Host)
	pass := func(r *Row) bool {
		switch f.Kind {
		case FilterAuthFailures:
			if !r.AuthFailure {
				return false
			}
		case Filter4xx:
			if r.StatusCode < 400 || r.StatusCode > 499 {
				return false
			}
		case Filter5xx:
			if r.StatusCode < 500 || r.StatusCode > 599 {
				return false
			}
		}
		switch {
		case f.HasAuthorization && !r.HasAuthorization,
			f.HasCookies && !r.HasCookies,
			f.CrossSite && !r.CrossSite,
			f.Type != "" && r.Type != f.Type:
			return false
		}
		return host == "" || r.hostKey == host
	}
	if text == "" {
		for i := range rs.Rows {
			if f.Match != nil && (i >= len(f.Match) || !f.Match[i]) {
				continue
			}
			if pass(&rs.Rows[i]) {
				out = append(out, i)
			}
		}
		return out
	}
	// One scan of the index: each match names its row; skip to the next
	// row after a match.
	row, pos := 0, 0
	for pos < len(rs.text) {
		k := strings.Index(rs.text[pos:], text)
		if k < 0 {
			break
		}
		at := pos + k
		for rs.starts[row+1] <= at {
			row++
		}
		if (f.Match == nil || row < len(f.Match) && f.Match[row]) && pass(&rs.Rows[row]) {
			out = append(out, row)
		}
		pos = rs.starts[row+1]
		row++
	}
	return out
}

// HostCount is one host and how many entries went to it.
type HostCount struct {
	Host  string
	Count int
}

// Hosts lists the hosts of rows, most requested first.
func Hosts(rows []Row) []HostCount {
	m := map[string]int{}
	for i := range rows {
		m[rows[i].Host]++
	}
	out := make([]HostCount, 0, len(m))
	for h, n := range m {
		if h != "" {
			out = append(out, HostCount{h, n})
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Count != out[b].Count {
			return out[a].Count > out[b].Count
		}
		return out[a].Host < out[b].Host
	})
	return out
}

// FormatBytes writes a size for people: "512 B", "1.2 kB", "3.4 MB";
// "—" when unknown (negative).
func FormatBytes(n int64) string {
	switch {
	case n < 0:
		return "—"
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// FormatMillis writes a HAR duration (milliseconds): "42 ms", "1.25 s";
// "—" when unknown (negative or NaN).
func FormatMillis(ms float64) string {
	switch {
	case ms < 0 || math.IsNaN(ms):
		return "—"
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	case ms < 60000:
		return fmt.Sprintf("%.2f s", ms/1000)
	}
	return fmt.Sprintf("%.1f min", ms/60000)
}

// HumanSpan writes a span of time the way people say it: "40 s", "12 min",
// "3 h", "3 h 20 min", "5 days".
func HumanSpan(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Second:
		return "less than a second"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		h := int(d / time.Hour)
		m := int((d % time.Hour) / time.Minute)
		if m == 0 || h >= 10 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// ExpiryPhrase says how an expiry time relates to the moment of the
// request: "expired 3 h before this request" or "still valid for 20 min
// after this request".
func ExpiryPhrase(expires, request time.Time) string {
	if request.IsZero() {
		return "request time unknown"
	}
	d := expires.Sub(request)
	if d <= 0 {
		return "expired " + HumanSpan(-d) + " before this request"
	}
	return "still valid for " + HumanSpan(d) + " after this request"
}

// NotBeforePhrase says how a not-before time relates to the request.
func NotBeforePhrase(nbf, request time.Time) string {
	if request.IsZero() {
		return "request time unknown"
	}
	if nbf.After(request) {
		return "not valid until " + HumanSpan(nbf.Sub(request)) + " after this request (clock difference?)"
	}
	return "valid since " + HumanSpan(request.Sub(nbf)) + " before this request"
}

// SummaryStats is what the summary strip shows.
type SummaryStats struct {
	Requests  int
	Status401 int
	Status403 int
	Problems  int // exchanges the report calls a problem
	// Causes are the leading causes: title and how many failing exchanges
	// name it first, most frequent first.
	Causes    []CauseCount
	Sanitized bool
	Notes     []string
}

// CauseCount is one cause and on how many failing exchanges it ranks first.
type CauseCount struct {
	ID    string
	Title string
	Count int
}

// Summarize counts what the summary strip shows.
func Summarize(entries []*har.Entry, rep *analysis.Report) SummaryStats {
	s := SummaryStats{Requests: len(entries), Sanitized: rep.Source.Sanitized}
	for _, e := range entries {
		switch e.Response.Status {
		case 401:
			s.Status401++
		case 403:
			s.Status403++
		}
	}
	counts := map[string]*CauseCount{}
	for _, x := range rep.Exchanges {
		if !x.Problem {
			continue
		}
		s.Problems++
		if len(x.Diagnoses) == 0 {
			continue
		}
		d := x.Diagnoses[0]
		c := counts[d.Cause]
		if c == nil {
			c = &CauseCount{ID: d.Cause, Title: d.Title}
			counts[d.Cause] = c
		}
		c.Count++
	}
	for _, c := range counts {
		s.Causes = append(s.Causes, *c)
	}
	sort.Slice(s.Causes, func(a, b int) bool {
		if s.Causes[a].Count != s.Causes[b].Count {
			return s.Causes[a].Count > s.Causes[b].Count
		}
		return s.Causes[a].Title < s.Causes[b].Title
	})
	for _, n := range rep.Notes {
		s.Notes = append(s.Notes, n.Text)
	}
	return s
}

// Headline is the one sentence at the top of the summary strip.
func (s SummaryStats) Headline() string {
	if s.Requests == 0 {
		return "This trace has no requests in it."
	}
	parts := []string{Plural(s.Requests, "request", "requests")}
	if s.Status401 > 0 {
		parts = append(parts, fmt.Sprintf("%d × 401 (not signed in / not accepted)", s.Status401))
	}
	if s.Status403 > 0 {
		parts = append(parts, fmt.Sprintf("%d × 403 (refused)", s.Status403))
	}
	if s.Problems == 0 {
		return strings.Join(parts, " · ") + " — no sign-in or permission failure found."
	}
	return strings.Join(parts, " · ") + " — " + Plural(s.Problems, "failure needs", "failures need") + " attention."
}

// CausesLine names the leading causes, e.g. "Most likely: The token
// expired (2), Missing permission (1)".
func (s SummaryStats) CausesLine() string {
	if s.Problems == 0 {
		return ""
	}
	if len(s.Causes) == 0 {
		return "No known cause was recognised automatically — open a failure to see what AuthLens could tell."
	}
	var parts []string
	for i, c := range s.Causes {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(s.Causes)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", c.Title, c.Count))
	}
	return "Most likely: " + strings.Join(parts, ", ")
}

// Plural is "1 one" or "N many", N grouped by thousands.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatCount(n) + " " + many
}

// FormatCount writes a count with thousands separators: "150,000".
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// StatusTitle is a short plain title for a status: "401 Unauthorized —
// not signed in, or sign-in not accepted".
func StatusTitle(code int, text string) string {
	switch code {
	case 401:
		return "401 — the site did not accept who you are (not signed in, or sign-in rejected)"
	case 403:
		return "403 — the site refused the request (permission or security check)"
	case 407:
		return "407 — a proxy in between wants its own sign-in"
	}
	if code <= 0 {
		return "No response — the browser gave up or blocked the request"
	}
	if text == "" {
		return strconv.Itoa(code)
	}
	return strconv.Itoa(code) + " " + text
}

// ConfidenceWords turns a confidence into words next to the bar.
func ConfidenceWords(c float64) string {
	switch {
	case c >= 0.8:
		return fmt.Sprintf("very likely (%.0f%%)", c*100)
	case c >= 0.5:
		return fmt.Sprintf("likely (%.0f%%)", c*100)
	case c >= 0.25:
		return fmt.Sprintf("possible (%.0f%%)", c*100)
	}
	return fmt.Sprintf("worth a check (%.0f%%)", c*100)
}
