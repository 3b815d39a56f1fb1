package sanitize

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"authlens/analysis/decode"
)

// CookieHeader replaces every value of a Cookie header, keeping names,
// separators and quotes.
func (s *Sanitizer) CookieHeader(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		eq := strings.IndexByte(p, '=')
		if eq < 0 {
			continue
		}
		parts[i] = p[:eq+1] + s.cookieValue(p[eq+1:])
	}
	return strings.Join(parts, ";")
}

// SetCookie replaces the value of each Set-Cookie line (some producers
// join several with newlines), keeping name and attributes.
func (s *Sanitizer) SetCookie(v string) string {
	lines := strings.Split(v, "\n")
	for i, line := range lines {
		first, attrs, has := strings.Cut(line, ";")
		eq := strings.IndexByte(first, '=')
		if eq < 0 {
			continue
		}
		line = first[:eq+1] + s.cookieValue(first[eq+1:])
		if has {
			line += ";" + attrs
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// cookieValue replaces one cookie value, keeping the spaces and the
// quotes around it.
func (s *Sanitizer) cookieValue(raw string) string {
	t := strings.TrimSpace(raw)
	if t == "" {
		return raw
	}
	lead := raw[:strings.Index(raw, t)]
	trail := raw[len(lead)+len(t):]
	if strings.ContainsAny(t, " \t") {
		// Whitespace is not allowed in a cookie value (RFC 6265), so this
		// is not a session token but text someone put there — often the
		// payload a firewall blocked ("' OR '1'='1' --"). It is kept for
		// that reasoning, with any secret inside it replaced.
		return lead + s.Text(t) + trail
	}
	s.stats.Cookies++
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		return lead + `"` + s.Value(t[1:len(t)-1]) + `"` + trail
	}
	return lead + s.Value(t) + trail
}

// secretValue reports whether the value of a parameter or key called name
// is a secret: the name is secret, except that a "code" whose value is
// an error code — up to 6 digits, or lower-case words joined by "_", "-"
// or "." ("rest_cookie_invalid_nonce", "invalid_grant") — is kept, since
// rules read it. An OAuth authorization code is random and mixes cases
// and digits.
func (s *Sanitizer) secretValue(name, value string) bool {
	if !s.secretName(name) {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(name), "code") && errorCode(value) {
		return false
	}
	return true
}

// errorCode reports whether v reads as an error code rather than an
// OAuth code: 1 to 6 digits, or lower-case words and separators.
func errorCode(v string) bool {
	if v == "" {
		return false
	}
	digitsOnly, words := true, true
	for i := 0; i < len(v); i++ {
		c := v[i]
		digitsOnly = digitsOnly && '0' <= c && c <= '9'
		words = words && ('a' <= c && c <= 'z' || c == '_' || c == '-' || c == '.')
	}
	return digitsOnly && len(v) <= 6 || words && len(v) <= 64
}

// secretName reports whether a parameter, JSON key or header-like name
// carries a secret: redact's list, the few names the sanitizer adds
// (extraSecretNames) and the user's Options.ExtraNames.
func (s *Sanitizer) secretName(name string) bool {
	return s.secretNameStrict(name) || s.names[strings.ToLower(strings.TrimSpace(name))]
}

// URL replaces the secrets of a URL, keeping everything else byte for
// byte: the userinfo, the values of secret-named query and fragment
// parameters, JWTs and token-like path segments, secret matrix
// parameters.
func (s *Sanitizer) URL(raw string) string {
	if raw == "" {
		return raw
	}
	if p, ok := s.urlMemo[raw]; ok {
		return p
	}
	var b strings.Builder
	rest := raw
	if i := strings.Index(raw, "://"); i >= 0 && strings.IndexAny(raw[:i], "/?#") < 0 {
		b.WriteString(raw[:i+3])
		rest = raw[i+3:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		auth := rest[:end]
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			user, pass, hasPass := strings.Cut(auth[:at], ":")
			b.WriteString(s.encoded(user, s.Value))
			if hasPass {
				b.WriteString(":" + s.encoded(pass, s.Value))
			}
			b.WriteString(auth[at:])
		} else {
			b.WriteString(auth)
		}
		rest = rest[end:]
	}
	pe := strings.IndexAny(rest, "?#")
	if pe < 0 {
		pe = len(rest)
	}
	b.WriteString(s.path(rest[:pe]))
	rest = rest[pe:]
	if strings.HasPrefix(rest, "?") {
		qe := strings.IndexByte(rest, '#')
		if qe < 0 {
			qe = len(rest)
		}
		b.WriteString("?" + s.Query(rest[1:qe]))
		rest = rest[qe:]
	}
	if strings.HasPrefix(rest, "#") {
		f := rest[1:]
		switch {
		case strings.Contains(f, "?"):
			p, q, _ := strings.Cut(f, "?")
			f = s.path(p) + "?" + s.Query(q)
		case strings.Contains(f, "="):
			f = s.Query(f)
		default:
			f = s.path(f)
		}
		b.WriteString("#" + f)
	}
	out := b.String()
	s.urlMemo[raw] = out
	return out
}

// path replaces path segments that are JWTs or random-looking tokens
// (a reset link's, a signed download's) and secret matrix parameters.
func (s *Sanitizer) path(p string) string {
	if len(p) < 20 && !strings.Contains(p, ";") {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		first, params, has := strings.Cut(seg, ";")
		if decode.LooksLikeJWT(first) || tokenSegment(first) {
			first = s.Value(first)
		}
		if has {
			ps := strings.Split(params, ";")
			for j, q := range ps {
				if k, v, ok := strings.Cut(q, "="); ok && s.secretName(unescape(k)) {
					ps[j] = k + "=" + s.encoded(v, s.Value)
				}
			}
			first += ";" + strings.Join(ps, ";")
		}
		segs[i] = first
	}
	return strings.Join(segs, "/")
}

// tokenSegment reports whether a path segment looks like a random secret:
// 32 or more of [A-Za-z0-9_-], mixing letters and digits, not a UUID.
func tokenSegment(seg string) bool {
	if len(seg) < 32 || len(seg) == 36 && strings.Count(seg, "-") == 4 {
		return false
	}
	var letter, digit bool
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letter = true
		case c == '-' || c == '_':
		default:
			return false
		}
	}
	return letter && digit
}

// Query replaces the secrets of a query or form string: the values of
// secret-named parameters, and secrets inside other values (a JWT, a
// nested URL with a token). Separators, order and encoding are kept.
func (s *Sanitizer) Query(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		// "&amp;" in a URL quoted from HTML leaves "amp;" before the name.
		parts[i] = k + "=" + s.Param(strings.TrimPrefix(unescape(k), "amp;"), v, true)
	}
	return strings.Join(parts, "&")
}

// Param returns the replacement of one parameter value (query, form,
// queryString or postData.params): a placeholder when its name is
// secret, else the value with any secret inside it replaced. encoded says
// whether v is percent-encoded (then the result is too).
func (s *Sanitizer) Param(name, v string, encoded bool) string {
	f := s.Text
	if s.secretValue(name, unescape(v)) {
		s.stats.Params++
		f = s.Value
	}
	if !encoded {
		return f(v)
	}
	return s.encoded(v, f)
}

// encoded applies f to the decoded form of a percent-encoded value and
// encodes the result again when the value was encoded.
func (s *Sanitizer) encoded(v string, f func(string) string) string {
	dec := unescape(v)
	if dec == v {
		return f(v)
	}
	out := f(dec)
	if out == dec {
		return v
	}
	enc := url.QueryEscape(out)
	if !strings.Contains(v, "+") {
		enc = strings.ReplaceAll(enc, "+", "%20")
	}
	s.remember(v, enc)
	return enc
}

// unescape decodes percent-escapes; s itself when it does not decode.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// textRe finds what Text replaces, leftmost first: a URL, a JWT, an HTML
// input or meta tag, a JSON "key": value pair, a name=value pair.
var textRe = regexp.MustCompile(`` +
	`(?P<url>[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s"'<>` + "`" + `\\]+)` +
	`|(?P<jwt>eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)` +
	`|(?P<tag><(?i:input|meta)\b[^>]{0,1000}>)` +
	`|(?P<json>"(?:[^"\\\n]|\\.){1,100}"\s*:\s*(?:"(?:[^"\\\n]|\\.)*"|-?[0-9][0-9.eE+\-]*))` +
	`|(?P<pair>[A-Za-z0-9_.\-\[\]%]{1,100}=[^&\s"'<>;,]+)`)

var textGroups = textRe.SubexpNames()

// Text replaces the secrets in free text — a body, a header value, a
// comment: URLs through URL, JWTs, the values of secret-named pairs in
// JSON ("password": "x"), HTML hidden inputs and meta tags (a CSRF
// token) and name=value text.
func (s *Sanitizer) Text(t string) string {
	if t == "" || !strings.ContainsAny(t, "=:") && !strings.Contains(t, "eyJ") {
		return t
	}
	return textRe.ReplaceAllStringFunc(t, func(m string) string {
		sub := textRe.FindStringSubmatchIndex(m)
		kind := ""
		for g := 1; g < len(textGroups); g++ {
			if sub[2*g] >= 0 {
				kind = textGroups[g]
				break
			}
		}
		switch kind {
		case "url":
			return s.URL(m)
		case "jwt":
			return s.Value(m)
		case "tag":
			return s.tag(m)
		case "json":
			return s.jsonPair(m)
		case "pair":
			k, v, _ := strings.Cut(m, "=")
			if s.secretValue(unescape(k), unescape(v)) {
				s.stats.Params++
				return k + "=" + s.encoded(v, s.Value)
			}
		}
		return m
	})
}

// jsonPair replaces the value of a JSON "key": value pair when the key is
// secret, and secrets inside other string values.
func (s *Sanitizer) jsonPair(m string) string {
	end := closingQuote(m, 0)
	var key string
	if json.Unmarshal([]byte(m[:end+1]), &key) != nil {
		return m
	}
	colon := end + 1 + strings.IndexByte(m[end+1:], ':')
	vs := colon + 1
	for vs < len(m) && (m[vs] == ' ' || m[vs] == '\t' || m[vs] == '\r') {
		vs++
	}
	raw := m[vs:]
	secret := s.secretName(key)
	if secret && raw[0] == '"' {
		var val string
		if json.Unmarshal([]byte(raw), &val) == nil {
			secret = s.secretValue(key, val)
		}
	} else if secret {
		secret = s.secretValue(key, raw) // "code": 401 is an error code
	}
	if raw[0] != '"' {
		if !secret {
			return m
		}
		s.stats.Params++
		return m[:vs] + s.Value(raw)
	}
	var val string
	if json.Unmarshal([]byte(raw), &val) != nil {
		return m
	}
	var out string
	if secret {
		s.stats.Params++
		out = s.Value(val)
	} else {
		out = s.Text(val)
	}
	if out == val {
		return m
	}
	return m[:vs] + jsonString(out)
}

// closingQuote returns the index of the quote closing the JSON string
// that opens at m[open].
func closingQuote(m string, open int) int {
	for i := open + 1; i < len(m); i++ {
		switch m[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(m) - 1
}

// jsonString quotes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// attrRe finds the attributes of an HTML tag.
var attrRe = regexp.MustCompile(`(?i)\b(name|value|content|property|id)\s*=\s*("[^"]*"|'[^']*')`)

// tag replaces the value (input) or content (meta) of an HTML tag whose
// name is secret — Django's csrfmiddlewaretoken, Rails' csrf-token — and
// secrets inside other attribute values.
func (s *Sanitizer) tag(m string) string {
	name := ""
	for _, a := range attrRe.FindAllStringSubmatch(m, -1) {
		if k := strings.ToLower(a[1]); k == "name" || k == "property" || k == "id" {
			name = a[2][1 : len(a[2])-1]
			if s.secretName(name) {
				break
			}
		}
	}
	secret := name != "" && s.secretName(name)
	return attrRe.ReplaceAllStringFunc(m, func(a string) string {
		sub := attrRe.FindStringSubmatch(a)
		k := strings.ToLower(sub[1])
		if k != "value" && k != "content" {
			return a
		}
		q := sub[2][:1]
		v := sub[2][1 : len(sub[2])-1]
		var out string
		if secret {
			s.stats.Params++
			out = s.Value(v)
		} else {
			out = s.Text(v)
		}
		return a[:len(a)-len(sub[2])] + q + out + q
	})
}

// multipart replaces the values of secret-named parts of a
// multipart/form-data body, and secrets inside text parts.
func (s *Sanitizer) multipart(body, mimeType string) string {
	_, params, ok := strings.Cut(mimeType, "boundary=")
	if !ok {
		return s.Text(body)
	}
	boundary := strings.Trim(strings.TrimSpace(strings.Split(params, ";")[0]), `"`)
	if boundary == "" {
		return s.Text(body)
	}
	sep := "--" + boundary
	parts := strings.Split(body, sep)
	for i, p := range parts {
		head, val, ok := strings.Cut(p, "\r\n\r\n")
		nl := "\r\n"
		if !ok {
			if head, val, ok = strings.Cut(p, "\n\n"); !ok {
				continue
			}
			nl = "\n"
		}
		name := ""
		if _, after, ok := strings.Cut(head, `name="`); ok {
			name, _, _ = strings.Cut(after, `"`)
		}
		content := strings.TrimSuffix(val, nl)
		switch {
		case name != "" && s.secretName(name):
			s.stats.Params++
			content = s.Value(content)
		case utf8.ValidString(content):
			content = s.Text(content)
		}
		parts[i] = head + nl + nl + content + val[len(strings.TrimSuffix(val, nl)):]
	}
	return strings.Join(parts, sep)
}
