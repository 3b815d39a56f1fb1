package viewmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"authlens/analysis/decode"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
	"authlens/report"
)

// HeaderRow is one header as the detail tabs show it. Secret headers show
// Masked until the person presses Reveal.
type HeaderRow struct {
	Name   string
	Value  string
	Masked string // equals Value for headers that are not secret
	Secret bool
}

// HeaderRows prepares headers for display, masking secrets.
func HeaderRows(hs []har.Header) []HeaderRow {
	out := make([]HeaderRow, 0, len(hs))
	for _, h := range hs {
		// Control characters from the trace are shown, not obeyed.
		name, value := report.Visible(h.Name, true), report.Visible(h.Value, true)
		r := HeaderRow{Name: name, Value: value, Masked: value}
		switch {
		case strings.EqualFold(h.Name, "Authorization") || strings.EqualFold(h.Name, "Proxy-Authorization"):
			// Decoded: the scheme, the user name, a JWT's claims.
			r.Masked = report.Visible(decode.ParseCredentials(h.Value).Masked, true)
		default:
			// Secret headers by name, and tokens inside any other value
			// (a Location or Referer carrying ?access_token=).
			r.Masked = report.Visible(redact.Header(h.Name, h.Value), true)
		}
		r.Secret = redact.IsSecretHeader(h.Name) || r.Masked != value
		out = append(out, r)
	}
	return out
}

// AuthLines describes decoded credentials in plain lines ("Scheme: Basic",
// "Username: bob", "Expires: … (expired 3 h before this request)").
// ref is the time of the request.
func AuthLines(c *decode.Credentials, ref time.Time) []string {
	if c == nil {
		return nil
	}
	var out []string
	scheme := c.Scheme
	if scheme == "" {
		scheme = "(none written)"
	}
	out = append(out, "Scheme: "+scheme)
	if c.Malformed != "" {
		out = append(out, "Problem with the header: "+c.Malformed)
	}
	if b := c.Basic; b != nil {
		out = append(out, "Username: "+b.Username)
		if b.HasPassword {
			out = append(out, "Password: sent (never shown)")
		} else {
			out = append(out, "Password: empty")
		}
		if b.NonASCII {
			out = append(out, "Note: the username or password has non-ASCII characters (encoding problems are common)")
		}
		if b.ColonInUser {
			out = append(out, "Note: more than one colon — a colon in the username breaks Basic sign-in")
		}
	}
	if b := c.Bearer; b != nil {
		if b.JWT == nil {
			out = append(out, fmt.Sprintf("Token: opaque, %d characters (its content cannot be read here)", b.Length))
		} else {
			out = append(out, JWTLines(b.JWT, ref)...)
		}
	}
	if len(c.Digest) > 0 {
		for _, k := range []string{"username", "realm", "uri", "qop", "algorithm", "nc"} {
			if v, ok := c.Digest[k]; ok {
				out = append(out, "Digest "+k+": "+v)
			}
		}
	}
	if n := c.NTLM; n != nil {
		out = append(out, fmt.Sprintf("NTLM message type %d (%s)", n.Type, ntlmStage(n.Type)))
		if n.Domain != "" || n.User != "" {
			out = append(out, "Account: "+strings.TrimPrefix(n.Domain+`\`+n.User, `\`))
		}
		if n.Workstation != "" {
			out = append(out, "Workstation: "+n.Workstation)
		}
		if n.Anonymous {
			out = append(out, "Anonymous sign-in (no user): the browser did not send Windows credentials")
		}
	}
	if c.Kerberos {
		out = append(out, "Kerberos ticket (Windows sign-in)")
	}
	return out
}

func ntlmStage(t int) string {
	switch t {
	case 1:
		return "browser starts Windows sign-in"
	case 2:
		return "server's challenge"
	case 3:
		return "browser's answer with the account"
	}
	return "unknown"
}

// JWTLines describes a JWT's claims; times are related to the request.
func JWTLines(j *decode.JWT, ref time.Time) []string {
	out := []string{"Token: a JWT (its claims can be read; the signature is not shown)"}
	if alg, ok := j.Header["alg"].(string); ok {
		out = append(out, "Signed with: "+alg)
	}
	if j.Subject != "" {
		out = append(out, "Subject (who): "+j.Subject)
	}
	if j.Issuer != "" {
		out = append(out, "Issuer (who made it): "+j.Issuer)
	}
	if len(j.Audience) > 0 {
		out = append(out, "Audience (meant for): "+strings.Join(j.Audience, ", "))
	}
	if j.IssuedAt != nil {
		out = append(out, "Issued: "+j.IssuedAt.UTC().Format(time.RFC3339)+" ("+HumanSpan(ref.Sub(*j.IssuedAt))+" before this request)")
	}
	if j.NotBefore != nil {
		out = append(out, "Not before: "+j.NotBefore.UTC().Format(time.RFC3339)+" ("+NotBeforePhrase(*j.NotBefore, ref)+")")
	}
	if j.Expires != nil {
		out = append(out, "Expires: "+j.Expires.UTC().Format(time.RFC3339)+" ("+ExpiryPhrase(*j.Expires, ref)+")")
	} else {
		out = append(out, "Expires: no expiry claim")
	}
	if len(j.Scopes) > 0 {
		out = append(out, "Scopes (what it allows): "+strings.Join(j.Scopes, " "))
	}
	if len(j.Roles) > 0 {
		out = append(out, "Roles: "+strings.Join(j.Roles, ", "))
	}
	return out
}

// ChallengeLines describes parsed WWW-Authenticate challenges.
func ChallengeLines(chs []decode.Challenge) []string {
	var out []string
	for _, c := range chs {
		line := "The site asks for: " + c.Scheme
		if c.Token68 != "" {
			line += " (with a " + fmt.Sprint(len(c.Token68)) + "-character token)"
		}
		keys := make([]string, 0, len(c.Params))
		for k := range c.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			line += "\n    " + k + " = " + c.Params[k]
		}
		out = append(out, line)
	}
	return out
}

// BodyKind is how a body preview is shown.
type BodyKind int

// The body preview kinds.
const (
	BodyNone BodyKind = iota
	BodyText
	BodyJSON
	BodyHTML
	BodyImage
	BodyBinary
)

// maxPreview bounds the text a preview shows: every character of a label
// is shaped when drawn, so a long body would stall the window.
const maxPreview = 16 << 10

// BodyPreview decides how to show a body and prepares its text.
func BodyPreview(mime string, body []byte) (BodyKind, string) {
	if len(body) == 0 {
		return BodyNone, ""
	}
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(mime, ";", 2)[0]))
	switch {
	case strings.HasPrefix(mt, "image/") && mt != "image/svg+xml":
		return BodyImage, fmt.Sprintf("%s image, %s", mt, FormatBytes(int64(len(body))))
	case strings.Contains(mt, "json") || (mt == "" || mt == "text/plain") && looksJSON(body):
		var buf bytes.Buffer
		if err := json.Indent(&buf, body, "", "  "); err == nil {
			return BodyJSON, clip(buf.String())
		}
		return BodyText, clip(string(body))
	case strings.Contains(mt, "html") || strings.Contains(mt, "xml"):
		return BodyHTML, clip(string(body))
	}
	if !utf8.Valid(body[:min(len(body), 4096)]) {
		return BodyBinary, fmt.Sprintf("binary data (%s), %s", mt, FormatBytes(int64(len(body))))
	}
	return BodyText, clip(string(body))
}

func looksJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 1 && (t[0] == '{' || t[0] == '[')
}

func clip(s string) string {
	if len(s) <= maxPreview {
		return s
	}
	cut := maxPreview
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n\n… (%s more not shown)", FormatBytes(int64(len(s)-cut)))
}

// TimingRow is one phase of the Timing tab.
type TimingRow struct {
	Phase   string
	Meaning string
	Millis  float64 // -1 when not recorded
}

// TimingRows lists the phases of an exchange.
func TimingRows(t har.Timings) []TimingRow {
	return []TimingRow{
		{"Blocked", "waiting for a free connection", t.Blocked},
		{"DNS", "looking up the address", t.DNS},
		{"Connect", "opening the connection", t.Connect},
		{"TLS", "securing the connection (part of Connect)", t.SSL},
		{"Send", "sending the request", t.Send},
		{"Wait", "the server thinking", t.Wait},
		{"Receive", "downloading the answer", t.Receive},
	}
}

// Detail tabs, by the name evidence navigation uses.
const (
	TabSummary  = "Summary"
	TabGuide    = "Guided fix"
	TabCauses   = "Causes"
	TabRequest  = "Request"
	TabResponse = "Response"
	TabCookies  = "Cookies"
	TabTiming   = "Timing"
)

// EvidenceTarget maps an evidence location ("request.headers.Authorization",
// "response.content.text", ...) to the detail tab that shows it and the
// field to highlight there (a header name, "body", a cookie name, ...).
func EvidenceTarget(where har.Location) (tab, field string) {
	switch where.Part {
	case har.PartRequestCookies, har.PartResponseCookies:
		return TabCookies, where.Name
	case har.PartRequestHeaders:
		return TabRequest, where.Name
	case har.PartResponseHeaders:
		return TabResponse, where.Name
	case har.PartResponseBody:
		return TabResponse, "body"
	case har.PartTimings, har.PartStartedDateTime, "time":
		return TabTiming, ""
	}
	switch {
	case strings.HasPrefix(string(where.Part), "timings."):
		return TabTiming, ""
	case where.IsRequest():
		return TabRequest, strings.TrimPrefix(string(where.Part), "request.")
	case where.IsResponse():
		return TabResponse, strings.TrimPrefix(string(where.Part), "response.")
	}
	return TabSummary, ""
}

// WhereWords says where an evidence points in words: "request header
// Authorization", "response body", "cookie session (sent)".
func WhereWords(where har.Location) string {
	switch where.Part {
	case har.PartRequestHeaders:
		if where.Name != "" {
			return "Request header " + where.Name
		}
		return "Request headers"
	case har.PartResponseHeaders:
		if where.Name != "" {
			return "Response header " + where.Name
		}
		return "Response headers"
	case har.PartResponseBody:
		return "Response body"
	case har.PartRequestCookies:
		return "Cookie " + where.Name + " (sent)"
	case har.PartResponseCookies:
		return "Cookie " + where.Name + " (set)"
	case har.PartResponseStatus:
		return "Response status"
	case har.PartRequestURL:
		return "Address"
	case har.PartRequestBody:
		return "Request body"
	case har.PartTimings:
		return "Timing"
	}
	return where.String()
}

// CookieEvent is one moment in a cookie's life in the trace, in words.
type CookieEvent struct {
	Entry   int
	Name    string
	What    string // "set by the server", "sent by the browser", "REFUSED by the browser", ...
	Detail  string // masked value, domain/path, attributes
	Reason  string // why refused / cleared / not sent, in plain words
	Problem bool   // refused or not sent: worth a look
	When    time.Time
}

// cookieWhat says what a cookie event means for support staff.
func cookieWhat(k jar.CookieEventKind) (string, bool) {
	switch k {
	case jar.CookieEventSet:
		return "set by the server", false
	case jar.CookieEventChanged:
		return "changed by the server", false
	case jar.CookieEventCleared:
		return "cleared by the server", false
	case jar.CookieEventRejected:
		return "REFUSED by the browser", true
	case jar.CookieEventSent:
		return "sent by the browser", false
	case jar.CookieEventMissing:
		return "NOT sent, although the browser had it", true
	case jar.CookieEventExpired:
		return "EXPIRED in the browser, so not sent", true
	}
	return k.String(), false
}

// CookieTimeline returns, for every cookie entry i sent, set or should
// have sent, that cookie's whole life in the trace (from the analysis's
// cookie index), keyed by cookie name. Values are masked.
func CookieTimeline(tr *trace.Trace, i int) map[string][]CookieEvent {
	ci := tr.Cookies()
	out := map[string][]CookieEvent{}
	for _, ev := range ci.ForEntry(i) {
		if _, done := out[ev.Name]; done {
			continue
		}
		var list []CookieEvent
		for _, x := range ci.Timeline(ev.Name) {
			what, problem := cookieWhat(x.Kind)
			detail := x.Name + "=" + x.Value
			if x.Domain != "" {
				detail += " for " + x.Domain + x.Path
			}
			if x.Attributes != "" {
				detail += "; " + x.Attributes
			}
			var when time.Time
			if x.Entry >= 0 && x.Entry < len(tr.Entries) {
				when = tr.Entries[x.Entry].StartedDateTime
			}
			list = append(list, CookieEvent{Entry: x.Entry, Name: x.Name, What: what, Detail: detail, Reason: x.Reason, Problem: problem, When: when})
		}
		out[ev.Name] = list
	}
	return out
}

// ReadError is what the error dialog says about a file that could not be
// opened.
type ReadError struct {
	Title  string // "AuthLens could not open x.har"
	What   string // what went wrong and where, in plain words
	Next   string // what to do
	Detail string // the technical message, for a developer
}

// ReadErrorText turns a reading error into what the error dialog says.
func ReadErrorText(name string, err error) ReadError {
	r := ReadError{
		Title:  "AuthLens could not open " + name,
		What:   "The file could not be read.",
		Next:   "Ask the customer to export the HAR again (in the browser's developer tools: Network tab ▸ Export HAR) and send the file unchanged.",
		Detail: err.Error(),
	}
	if errors.Is(err, fs.ErrNotExist) {
		r.What = "The file does not exist (it may have been moved or deleted)."
		r.Next = "Open it again from where it is now with File ▸ Open."
		return r
	}
	if errors.Is(err, fs.ErrPermission) {
		r.What = "AuthLens is not allowed to read the file."
		r.Next = "Copy the file somewhere in your own folders and open the copy."
		return r
	}
	he := readError(err)
	if he == nil {
		return r
	}
	where := ""
	if he.Offset >= 0 {
		where = fmt.Sprintf(" at byte %d", he.Offset)
	}
	if he.Entry >= 0 {
		where += fmt.Sprintf(" (in request number %d)", he.Entry)
	}
	switch he.Kind {
	case har.ErrSyntax:
		if he.Offset >= 0 && he.Offset < 16 && he.Entry < 0 {
			r.What = "This is not a HAR file: it does not start like one (it may be a text file, a screenshot or a web page saved with the .har name)."
			r.Next = "Check that the customer sent the HAR export itself. " + r.Next
		} else {
			r.What = "The file is broken" + where + ": it stops being valid JSON there."
			r.Next = "The file was probably edited or damaged in transfer. " + r.Next
		}
	case har.ErrTruncated:
		r.What = "The file ends too early" + where + " and no complete request could be read."
		r.Next = "The export or the upload was cut short. " + r.Next
	case har.ErrNotHAR:
		r.What = "The file is JSON, but not a HAR trace (it has no list of requests)."
		r.Next = "Check that the customer sent the HAR export and not another file. " + r.Next
	case har.ErrEncoding:
		r.What = "The file's text encoding or compression could not be read" + where + "."
	case har.ErrTooLarge:
		r.What = "The file is too large to open" + where + "."
		r.Next = "Ask for a shorter recording: start recording just before reproducing the problem."
	case har.ErrEntry:
		r.What = "A request in the file has a value of the wrong type" + where + "."
	}
	return r
}

// DamageText is the warning bar's text for a damaged file.
func DamageText(d *har.Error, entries int) string {
	s := fmt.Sprintf("This file is damaged: it ends or breaks after %s", Plural(entries, "request", "requests"))
	if d.Offset >= 0 {
		s += fmt.Sprintf(" (byte %d)", d.Offset)
	}
	return s + ". AuthLens shows what it could read; anything recorded later is missing. Ask the customer for a fresh export if the failure is not in the list."
}
