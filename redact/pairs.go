package redact

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// masker says how a secret is shown: with Value in free text, as "***"
// inside URLs, where "…(8 chars)" would read as part of the address.
type masker bool

const (
	valueMask masker = false
	starMask  masker = true
)

// mask hides a secret.
func (m masker) mask(s string) string {
	if m == starMask {
		return "***"
	}
	return Value(s)
}

// length hides a secret of which not even a prefix may be shown (Basic
// credentials, whose base64 prefix decodes to the user name and more).
func (m masker) length(s string) string {
	if m == starMask {
		return "***"
	}
	return lengthOnly(utf8.RuneCountInString(s))
}

// maskedPrefixLen returns the length of the mask at the start of s ("***",
// "…(8 chars)" or up to 4 runes followed by "…(812 chars)"), or 0. It lets
// a second pass leave masked values alone, so masking is idempotent.
func maskedPrefixLen(s string) int {
	return maskedLen(s, true)
}

// maskedLen is maskedPrefixLen; when strict, the kept runes may not end a
// value (a space, ";"), which is right for unquoted values but not for
// the whole of a quoted one ("0 00…(100 chars)").
func maskedLen(s string, strict bool) int {
	if strings.HasPrefix(s, "***") {
		return 3
	}
	if n := cookieMaskLen(s); n > 0 {
		return n
	}
	p := 0
	for k := 0; k <= valueKeep && p < len(s); k++ {
		if n := markerLen(s[p:]); n > 0 {
			return p + n
		}
		r, w := utf8.DecodeRuneInString(s[p:])
		if strict && (r == ';' || r < 0x80 && isSpace(byte(r))) {
			return 0 // the kept runes of a mask are part of one value
		}
		p += w
	}
	return 0
}

// markerLen returns the length of a "…(N chars)" marker at the start of s, or 0.
func markerLen(s string) int {
	const open, closing = "…(", " chars)"
	if !strings.HasPrefix(s, open) {
		return 0
	}
	j := len(open)
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == len(open) || !strings.HasPrefix(s[j:], closing) {
		return 0
	}
	return j + len(closing)
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isNameChar reports whether c may be part of a key name: letters, digits
// and the punctuation of "x-api-key", "user[password]", "a.b", "%5B".
func isNameChar(c byte) bool {
	return isAlnum(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '%'
}

// valueEnd reports whether c ends an unquoted value. In URLs a value runs
// to the next parameter or fragment; in text also to punctuation.
func valueEnd(c byte, text bool) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '&', ';', '"', '\'', '<', '>':
		return true
	case '#':
		return !text
	case ',', '}', ']', ')', '\\':
		return text
	}
	return false
}

// unescape decodes percent-escapes for comparing names; s itself when it
// does not decode.
func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// maskPairs masks the value of every name=value pair whose name
// IsSecretName. In text mode it also takes "name: value", quoted names
// ("password": "x", 'token': 'x', \"pwd\":\"x\") and quoted values, and
// keeps short numeric "code" values (error codes, not OAuth codes).
func maskPairs(s string, text bool, m masker) string {
	var b strings.Builder
	last := 0 // s[last:] is not yet written to b
	lo := 0   // names may not start before lo (the end of the last value)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '=' && !(text && c == ':') {
			continue
		}
		if c == ':' && strings.HasPrefix(s[i+1:], "//") {
			continue
		}
		name := nameBefore(s, i, lo, text)
		if name == "" || !IsSecretName(unescape(name)) {
			continue
		}
		k := i + 1
		for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k >= len(s) {
			break
		}
		if n := maskedPrefixLen(s[k:]); n > 0 {
			i = k + n - 1
			lo = k + n
			continue
		}
		vs, ve, next := k, k, k
		switch {
		case s[k] == '"' || s[k] == '\'':
			q := s[k]
			vs = k + 1
			ve = vs
			for ve < len(s) && s[ve] != q && s[ve] != '\n' {
				if s[ve] == '\\' {
					ve++ // an escaped quote does not close the value
				}
				ve++
			}
			if ve > len(s) {
				ve = len(s)
			}
			next = ve
		case s[k] == '\\' && k+1 < len(s) && (s[k+1] == '"' || s[k+1] == '\''):
			// JSON inside a JSON string: \"password\":\"x\"
			vs = k + 2
			e := strings.Index(s[vs:], `\`+s[k+1:k+2])
			if e < 0 {
				ve = len(s)
			} else {
				ve = vs + e
			}
			next = ve
		case text && (s[k] == '{' || s[k] == '['):
			continue // a nested object: its own pairs are visited later
		default:
			for ve < len(s) && !valueEnd(s[ve], text) {
				ve++
			}
			next = ve
			if text {
				switch v := s[vs:ve]; {
				case v == "null" || v == "true" || v == "false":
					continue
				case ve < len(s) && s[ve] == ' ' && knownScheme(v):
					// "Authorization: Bearer x": keep the scheme, mask
					// the credential that follows.
					vs = ve + 1
					for vs < len(s) && s[vs] == ' ' {
						vs++
					}
					if maskedPrefixLen(s[vs:]) > 0 {
						continue
					}
					ve = vs
					for ve < len(s) && !valueEnd(s[ve], text) {
						ve++
					}
					next = ve
					if strings.Contains(s[vs:ve], "…(") || !isAuthName(name) && !credLike(s[vs:ve]) {
						continue
					}
				case isShortNumber(v) && strings.EqualFold(strings.Trim(name, `"'\`), "code"):
					continue
				}
			}
		}
		v := s[vs:ve]
		lo, i = next, next-1
		if v == "" || maskedLen(v, false) == len(v) {
			continue
		}
		if _, cred, ok := strings.Cut(v, " "); ok && isAuthName(name) && cred != "" && maskedLen(cred, false) == len(cred) {
			continue // "Bearer eyJh…(812 chars)" from Authorization
		}
		b.WriteString(s[last:vs])
		switch {
		case vs > k+1 && len(s) >= k+5 && strings.EqualFold(s[k:k+5], "basic"):
			b.WriteString(m.length(v))
		case vs == k+1 && isAuthName(name) && m == valueMask:
			b.WriteString(Authorization(v)) // quoted: keep the scheme
		default:
			b.WriteString(m.mask(v))
		}
		last = ve
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// nameBefore returns the key name that ends just before the separator at
// s[i], not looking before lo: a run of name characters, or the text of a
// quoted name. In text mode spaces may stand before the separator.
func nameBefore(s string, i, lo int, text bool) string {
	j := i
	if text {
		for j > lo && (s[j-1] == ' ' || s[j-1] == '\t') {
			j--
		}
	}
	if text && j > lo && (s[j-1] == '"' || s[j-1] == '\'') {
		q := s[j-1]
		k := strings.LastIndexByte(s[lo:j-1], q)
		if k < 0 {
			return ""
		}
		name := s[lo+k+1 : j-1]
		if strings.IndexByte(name, '\n') >= 0 {
			return ""
		}
		return strings.Trim(name, `\`)
	}
	k := j
	for k > lo && isNameChar(s[k-1]) {
		k--
	}
	return s[k:j]
}

// isShortNumber reports whether v is 1 to 6 digits, like an error code.
func isShortNumber(v string) bool {
	if v == "" || len(v) > 6 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// isAuthName reports whether a key name is an Authorization header's.
func isAuthName(name string) bool {
	n := strings.Trim(name, `"'\ `)
	return strings.EqualFold(n, "authorization") || strings.EqualFold(n, "proxy-authorization")
}

// cookieMaskLen returns the length of a CookieValue mask at the start of
// s ("#1a2b3c (32 chars)" or "(empty)"), or 0: equality stays visible
// only if a second pass leaves it alone.
func cookieMaskLen(s string) int {
	if strings.HasPrefix(s, "(empty)") {
		return len("(empty)")
	}
	if len(s) < 7 || s[0] != '#' {
		return 0
	}
	for i := 1; i < 7; i++ {
		if !strings.ContainsRune("0123456789abcdef", rune(s[i])) {
			return 0
		}
	}
	rest := s[7:]
	if !strings.HasPrefix(rest, " (") {
		return 0
	}
	digits := len(rest[2:]) - len(strings.TrimLeft(rest[2:], "0123456789"))
	if digits == 0 || !strings.HasPrefix(rest[2+digits:], " chars)") {
		return 0
	}
	return 7 + 2 + digits + len(" chars)")
}
