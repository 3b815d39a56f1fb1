package signatures

import (
	"encoding/json"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"authlens/analysis/decode"
	"authlens/har"
	"authlens/redact"
)

// ServerWords is what a server said about a failure in its own
// vocabulary: the error codes and the message of a documented error format
// (an OAuth error, an RFC 9457 problem, a google.rpc.Status, a Kubernetes
// Status, an AWS or Azure error document, a vendor header). Values are
// as the server sent them; callers mask them before showing them.
type ServerWords struct {
	// Format names the shape the words were read from, e.g. "OAuth 2
	// error", "Bearer challenge", "problem+json", "Kubernetes Status".
	Format string
	// Codes are the error codes and reasons, most specific first:
	// "invalid_grant", "AccessDenied", "AADSTS700016", "E0000011".
	Codes []string
	// Message is the human-readable explanation, if the server gave one.
	Message string
	// Where is the part of the response the words come from.
	Where har.Location
}

// Empty reports whether the server said nothing readable.
func (w ServerWords) Empty() bool { return len(w.Codes) == 0 && w.Message == "" }

// HasCode reports whether code is one of the words' codes, ignoring case.
func (w ServerWords) HasCode(code string) bool {
	for _, c := range w.Codes {
		if strings.EqualFold(c, code) {
			return true
		}
	}
	return false
}

// Quote is the words for people, masked: the codes, then the message
// in quotation marks ("" when the server said nothing readable).
func (w ServerWords) Quote() string {
	return redact.Text(joinQuote(strings.Join(w.Codes, ", "), w.Message))
}

// maxWordsBody bounds the body parsed for error documents: error JSON
// and XML are small, and a large body is a page, not an error object.
const maxWordsBody = 64 << 10

// maxMessage bounds the quoted message.
const maxMessage = 300

// ReadServerWords reads the server's own error words from one exchange:
// the WWW-Authenticate error parameters, vendor error headers, and an
// error document in the body (JSON or XML). body is the decoded response
// body. The first source that names a code or a message wins, in the
// order a vendor's documentation puts its authority: body document,
// challenge parameters, headers; codes from the others are kept.
func ReadServerWords(e *har.Entry, body string) ServerWords {
	var w ServerWords
	if len(body) <= maxWordsBody {
		w = bodyWords(e, body)
	}
	if cw := challengeWords(e); !cw.Empty() {
		w = merge(w, cw)
	}
	if hw := headerWords(e); !hw.Empty() {
		w = merge(w, hw)
	}
	// Entra ID puts its AADSTS code in the message text only.
	if m := aadstsCode.FindString(w.Message); m != "" && !w.HasCode(m) {
		w.Codes = append([]string{m}, w.Codes...)
	}
	return w
}

var aadstsCode = regexp.MustCompile(`\bAADSTS\d{5,7}\b`)

// merge adds the codes of b to a, and b's message and place when a has none.
func merge(a, b ServerWords) ServerWords {
	if a.Empty() {
		return b
	}
	for _, c := range b.Codes {
		if !a.HasCode(c) {
			a.Codes = append(a.Codes, c)
		}
	}
	if a.Message == "" {
		a.Message = b.Message
	}
	return a
}

// challengeWords reads RFC 6750's error and error_description parameters.
func challengeWords(e *har.Entry) ServerWords {
	vals := har.HeaderValues(e.Response.Headers, "WWW-Authenticate")
	if len(vals) == 0 {
		vals = har.HeaderValues(e.Response.Headers, "Proxy-Authenticate")
	}
	chs, _ := decode.ParseChallenges(vals...)
	for _, ch := range chs {
		code, _ := ch.Param("error")
		desc, _ := ch.Param("error_description")
		if code == "" && desc == "" {
			continue
		}
		w := ServerWords{Format: ch.Scheme + " challenge", Message: clipMessage(cleanText(desc)), Where: har.ResponseHeader("WWW-Authenticate")}
		if validCode(code) {
			w.Codes = []string{code}
		}
		if w.Empty() {
			continue
		}
		return w
	}
	return ServerWords{}
}

// errorHeaders are the vendor headers that carry an error code.
var errorHeaders = []struct{ name, format string }{
	{"x-amzn-ErrorType", "AWS error header"}, // "MissingAuthenticationTokenException:http://internal.amazon.com/..."
	{"x-amz-error-code", "AWS error header"},
	{"x-ms-error-code", "Azure error header"},
	{"X-Seraph-LoginReason", "Atlassian login header"},
	{"X-Authentication-Denied-Reason", "Atlassian login header"},
	{"grpc-message", "gRPC status"},
	{"x-error-code", "error header"},
}

func headerWords(e *har.Entry) ServerWords {
	var w ServerWords
	for _, h := range errorHeaders {
		v, ok := har.HeaderValue(e.Response.Headers, h.name)
		v = strings.TrimSpace(v)
		if !ok || v == "" {
			continue
		}
		if h.name == "grpc-message" {
			if w.Message == "" {
				w.Message, w.Format, w.Where = clipMessage(cleanText(v)), h.format, har.ResponseHeader(h.name)
			}
			continue
		}
		code, _, _ := strings.Cut(v, ":")
		code, _, _ = strings.Cut(code, ";")
		code = strings.TrimSpace(code)
		if !validCode(code) || w.HasCode(code) {
			continue
		}
		w.Codes = append(w.Codes, code)
		if w.Format == "" {
			w.Format, w.Where = h.format, har.ResponseHeader(h.name)
		}
	}
	return w
}

func bodyWords(e *har.Entry, body string) ServerWords {
	s := strings.TrimSpace(body)
	if s == "" {
		return ServerWords{}
	}
	where := har.At(har.PartResponseBody)
	switch s[0] {
	case '{', '[':
		var doc any
		if json.Unmarshal([]byte(s), &doc) != nil {
			return ServerWords{}
		}
		w := jsonWords(doc)
		w.Where = where
		if w.Format != "" && strings.Contains(strings.ToLower(e.Response.Content.MimeType), "problem+json") {
			w.Format = "problem+json"
		}
		return w
	case '<':
		if w := xmlWords(s); !w.Empty() {
			w.Where = where
			return w
		}
		if w := jettyWords(s); !w.Empty() {
			w.Where = where
			return w
		}
		return ServerWords{}
	}
	// A short plain-text answer is the message itself ("No valid crumb
	// was included in the request", "401: Unauthorized").
	if len(s) <= maxMessage && !strings.ContainsAny(s, "<{") && plainTextMIME(e.Response.Content.MimeType) {
		if msg := cleanText(s); msg != "" {
			return ServerWords{Format: "text", Message: clipMessage(msg), Where: where}
		}
	}
	return ServerWords{}
}

func plainTextMIME(m string) bool {
	m = strings.ToLower(m)
	return m == "" || strings.HasPrefix(m, "text/plain")
}

// Keys of JSON error documents, most specific first. A code key's value
// must look like a code (no spaces), a message key's like a sentence.
var (
	codeKeys    = []string{".tag", "error_summary", "reason", "errorCode", "error_code", "errorcode", "code", "__type", "error", "type", "status", "statuscode", "subcode", "scimType"}
	messageKeys = []string{"error_description", "errorSummary", "message", "detail", "errorMessage", "errorMessages", "title", "msg", "description", "error"}
	// containers hold a nested error object (Google, Azure, Stripe,
	// Docker registry, Artifactory, Salesforce's array, the OData
	// "odata.error" of Azure AD Graph and SharePoint, Nextcloud's OCS
	// {"ocs":{"meta":{statuscode,message}}}).
	containers = []string{"error", "errors", "details", "fault", "Error", "odata.error", "ocs", "meta"}
)

// genericCodes are values that say nothing beyond the status.
var genericCodes = map[string]bool{
	"error": true, "failure": true, "fail": true, "false": true, "true": true, "unknown": true,
	"unknown_error": true, "about:blank": true,
}

func jsonWords(doc any) ServerWords {
	var w ServerWords
	collectJSON(doc, 0, &w)
	if w.Empty() {
		return ServerWords{}
	}
	if d := odataDetail(doc); d != "" {
		// As in Azure Storage's XML: the detail names the cause, the
		// message is generic ("Server failed to authenticate the request").
		w.Message = clipMessage(strings.TrimSpace(d + " " + w.Message))
	}
	w.Format = jsonFormat(doc)
	return w
}

// jsonFormat names well-known shapes, for the person reading the quote.
func jsonFormat(doc any) string {
	m, ok := doc.(map[string]any)
	if !ok {
		return "JSON error"
	}
	if k, _ := m["kind"].(string); k == "Status" {
		return "Kubernetes Status"
	}
	if _, ok := m["ocs"].(map[string]any); ok {
		return "OCS error"
	}
	if _, ok := m["error_description"]; ok {
		return "OAuth 2 error"
	}
	if schemas, ok := m["schemas"].([]any); ok && len(schemas) > 0 {
		if s, _ := schemas[0].(string); strings.Contains(s, "scim") {
			return "SCIM error"
		}
	}
	if inner, ok := m["error"].(map[string]any); ok {
		if _, ok := inner["status"].(string); ok {
			return "google.rpc.Status"
		}
	}
	if _, ok := m["ok"].(bool); ok {
		return "Slack-style {ok:false}"
	}
	if _, ok := m["type"]; ok {
		if _, ok := m["title"]; ok {
			return "problem+json"
		}
	}
	return "JSON error"
}

// collectJSON walks an error document breadth-first by specificity:
// nested error objects before the top level's generic words.
func collectJSON(v any, depth int, w *ServerWords) {
	if depth > 4 {
		return
	}
	switch x := v.(type) {
	case []any:
		for k, el := range x {
			if k >= 3 {
				break
			}
			collectJSON(el, depth+1, w)
		}
	case map[string]any:
		for _, c := range containers {
			if inner, ok := lookup(x, c); ok {
				switch inner.(type) {
				case map[string]any, []any:
					collectJSON(inner, depth+1, w)
				}
			}
		}
		for _, k := range codeKeys {
			if val, ok := lookup(x, k); ok {
				if c := codeValue(val); c != "" && !w.HasCode(c) {
					w.Codes = append(w.Codes, c)
				}
			}
		}
		if w.Message == "" {
			for _, k := range messageKeys {
				val, ok := lookup(x, k)
				if !ok {
					continue
				}
				if msg := messageValue(val); msg != "" {
					w.Message = msg
					break
				}
			}
		}
	}
}

// lookup finds key in m, ignoring case (vendors disagree: "Message",
// "message").
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic when two keys differ only by case
	for _, k := range keys {
		if strings.EqualFold(k, key) {
			return m[k], true
		}
	}
	return nil, false
}

// codePrefix is a product tag before a code: "[jwt_auth] incorrect_password".
var codePrefix = regexp.MustCompile(`^\[[\w.-]{1,40}\]\s+`)

func codeValue(v any) string {
	switch x := v.(type) {
	case string:
		x = strings.TrimSpace(codePrefix.ReplaceAllString(strings.TrimSpace(x), ""))
		if !strings.HasPrefix(x, "http") {
			x = strings.TrimRight(x, "/.") // Dropbox's error_summary: "expired_access_token/"
		}
		if !validCode(x) || genericCodes[strings.ToLower(x)] {
			return ""
		}
		if strings.HasPrefix(x, "http") { // problem+json type URIs, AWS's __type URLs
			if i := strings.LastIndexAny(strings.TrimRight(x, "/"), "/#"); i >= 0 {
				x = strings.TrimRight(x[i+1:], "/")
				if !validCode(x) || genericCodes[strings.ToLower(x)] {
					return ""
				}
				return x
			}
		}
		if _, err := strconv.Atoi(x); err == nil && len(x) == 3 {
			return "" // "401" as a string says nothing beyond the status
		}
		return x
	case float64:
		// Numeric vendor codes (Twilio 20003, Graph subcodes); an HTTP
		// status repeated in the body says nothing new.
		if x >= 100 && x < 600 || x != float64(int64(x)) {
			return ""
		}
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}

// odataDetail is the AuthenticationErrorDetail of an Azure OData error
// (Table storage, Batch): {"code":…,"message":{…},"values":[{"key":
// "AuthenticationErrorDetail","value":"…"}]}.
func odataDetail(doc any) string {
	m, ok := doc.(map[string]any)
	if !ok {
		return ""
	}
	if inner, ok := m["odata.error"].(map[string]any); ok {
		m = inner
	}
	vals, _ := m["values"].([]any)
	for k, el := range vals {
		if k >= 8 {
			break
		}
		kv, _ := el.(map[string]any)
		if key, _ := kv["key"].(string); key == "AuthenticationErrorDetail" {
			if s, _ := kv["value"].(string); s != "" {
				return cleanText(s)
			}
		}
	}
	return ""
}

func messageValue(v any) string {
	switch x := v.(type) {
	case string:
		x = cleanText(x)
		if len(x) < 3 || !strings.ContainsAny(x, " ") && !strings.Contains(x, ".") {
			return "" // a code, not a sentence
		}
		return clipMessage(x)
	case []any:
		for _, el := range x {
			if s := messageValue(el); s != "" {
				return s
			}
		}
	case map[string]any:
		// OData: "message": {"lang": "en", "value": "Insufficient privileges…"}
		if s, ok := x["value"].(string); ok {
			return messageValue(s)
		}
	}
	return ""
}

var (
	xmlCode    = regexp.MustCompile(`(?is)<(Code|statuscode|ErrorCode)>\s*([^<\s]{1,80})\s*</(?:Code|statuscode|ErrorCode)>`)
	xmlMessage = regexp.MustCompile(`(?is)<(Message|message|ErrorMessage)>([^<]{1,1000})</(?:Message|message|ErrorMessage)>`)
	// xmlDetail is Azure Storage's AuthenticationErrorDetail: the specific
	// reason ("Request date header too old: …", "Signature not valid in the
	// specified time frame: …") next to a generic <Message>.
	xmlDetail = regexp.MustCompile(`(?is)<AuthenticationErrorDetail>([^<]{1,1000})</AuthenticationErrorDetail>`)
)

// xmlWords reads AWS (S3, STS, IAM), Azure Storage and OCS (Nextcloud)
// error documents, which all put <Code> and <Message> in an error element.
func xmlWords(s string) ServerWords {
	if !strings.HasPrefix(s, "<?xml") && !strings.HasPrefix(s, "<Error") && !strings.HasPrefix(s, "<ocs") {
		return ServerWords{}
	}
	var w ServerWords
	if m := xmlCode.FindStringSubmatch(s); m != nil && validCode(m[2]) && !genericCodes[strings.ToLower(m[2])] {
		w.Codes = []string{m[2]}
	}
	msg := ""
	if m := xmlMessage.FindStringSubmatch(s); m != nil {
		msg = cleanText(m[2])
	}
	if m := xmlDetail.FindStringSubmatch(s); m != nil {
		// The detail first: the generic message is long enough to be
		// clipped, and the detail is what names the cause.
		msg = strings.TrimSpace(cleanText(m[1]) + " " + msg)
	}
	w.Message = clipMessage(msg)
	if w.Empty() {
		return w
	}
	w.Format = "XML error"
	if strings.Contains(s, "<ocs") {
		w.Format = "OCS error"
	}
	return w
}

// jettyTitle is the title of Jetty's default error page ("Error 403 No
// valid crumb was included in the request"): Jenkins and other Jetty
// applications put the reason there. Other servers' error pages ("403
// Forbidden") are pages, not words, and are left to the signatures.
var jettyTitle = regexp.MustCompile(`(?is)^(?:<!DOCTYPE[^>]*>\s*)?(?:<html>\s*)?<head>.{0,200}?<title>\s*Error [45]\d\d ([^<]{3,300})</title>`)

// jettyWords reads the reason of a Jetty error page.
func jettyWords(s string) ServerWords {
	m := jettyTitle.FindStringSubmatch(s)
	if m == nil {
		return ServerWords{}
	}
	msg := cleanText(html.UnescapeString(m[1]))
	if msg == "" {
		return ServerWords{}
	}
	return ServerWords{Format: "Jetty error page", Message: clipMessage(msg)}
}

// cleanText makes a server's text fit to show and to match: valid UTF-8
// (invalid bytes become U+FFFD), no control characters (a header or an
// XML body can carry any byte, and a terminal or log would act on them),
// runs of spaces collapsed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return collapse(s)
}

// validCode reports whether c can be a code: 1 to 80 bytes of valid UTF-8
// without spaces or control characters ("invalid token" is a sentence,
// and a code is shown as is).
func validCode(c string) bool {
	if c == "" || len(c) > 80 || !utf8.ValidString(c) {
		return false
	}
	for _, r := range c {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func collapse(s string) string {
	return strings.TrimSpace(SpacePattern.ReplaceAllString(s, " "))
}

func clipMessage(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut-- // do not split a UTF-8 sequence
	}
	return s[:cut] + "…"
}
