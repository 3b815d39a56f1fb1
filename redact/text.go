package redact

import (
	"regexp"
	"strings"
)

// textTokenMin is the length from which a run of token characters mixing
// letters and digits is taken for a secret in free text.
const textTokenMin = 24

var (
	// cookieRe finds "Cookie:" and "Set-Cookie:" lines in text.
	cookieRe = regexp.MustCompile(`(?i)\b(set-)?cookie[ \t]*:[ \t]*`)
	// authRe finds credentials after an authentication scheme.
	authRe = regexp.MustCompile(`(?i)\b(bearer|basic|negotiate|ntlm|dpop)[ \t]+([A-Za-z0-9._~+/-]+=*)`)
	// digestRe finds the response of Digest credentials.
	digestRe = regexp.MustCompile(`(?i)\bresponse[ \t]*=[ \t]*"([^"]*)"`)
	// jwtRe finds a JWS (3 parts) or JWE (5 parts) in compact form.
	jwtRe = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?`)
)

// Text masks the secrets in free text: a body excerpt, an error message,
// the details of a finding. It masks, keeping names and punctuation:
//   - URLs ("https://…", "wss://…", any "scheme://…") with URL;
//   - values of secret names (IsSecretName) in "name=value", "name: value",
//     "\"name\": \"value\"", "'name': 'value'" and "a=1&name=value", quoted
//     or not, at any length; a "code" of up to 6 digits is kept, as it is an
//     error code rather than an OAuth code;
//   - "Cookie: a=b; c=d" and "Set-Cookie: a=b; Path=/" values;
//   - credentials after Bearer, Basic (length only), Negotiate, NTLM and
//     DPoP, and the response of Digest credentials;
//   - JWTs anywhere;
//   - long token-like strings: 24 or more of [A-Za-z0-9_-+/] (and "="
//     padding) mixing letters and digits, with a random-looking piece of 12
//     or more. Hex digests are masked too, since API keys and session IDs
//     are often hex. Digit runs (incident IDs), UUIDs, Cloudflare Ray IDs
//     (16 hex digits) and words stay.
//
// Secrets are shown with Value ("eyJh…(812 chars)"), in URLs as "***".
// Text without "=", ":" or a long run of token characters is returned as
// is without further work. Masking masked text changes nothing, except
// when a masked value held a URL delimiter ("?", "#", "//"): the masked
// text then parses differently and a second pass may mask more, never less.
func Text(s string) string {
	return maskText(s, valueMask)
}

// maskText is Text with a choice of mask: URL uses it with "***" for the
// values of non-secret query parameters.
func maskText(s string, m masker) string {
	if s == "" || plain(s) {
		return s
	}
	if !strings.Contains(s, "//") {
		return maskPlain(s, m)
	}
	// Pieces are copied to b only once one of them changed.
	var b strings.Builder
	changed := false
	last := 0
	var pieces [][2]int // spans of s, odd ones URLs
	for from := 0; ; {
		i := strings.Index(s[from:], "//")
		if i < 0 {
			break
		}
		i += from
		start := i
		switch {
		case i > 0 && s[i-1] == ':':
			// "scheme://"
			start = i - 1
			for start > last && isSchemeChar(s[start-1]) {
				start--
			}
		case i == 0 || strings.IndexByte(" \t\n\"'(=<>", s[i-1]) >= 0:
			// scheme-relative "//user:pw@host/"
		default:
			from = i + 2
			continue
		}
		end := i + 2
		for end < len(s) && !urlEnd(s[end]) {
			end++
		}
		pieces = append(pieces, [2]int{last, start}, [2]int{start, end})
		last, from = end, end
	}
	pieces = append(pieces, [2]int{last, len(s)})
	for k, p := range pieces {
		orig := s[p[0]:p[1]]
		var masked string
		if k%2 == 1 {
			masked = URL(orig)
		} else {
			masked = maskPlain(orig, m)
		}
		if !changed && masked == orig {
			continue
		}
		if !changed {
			changed = true
			b.Grow(len(s) + 16)
			b.WriteString(s[:p[0]])
		}
		b.WriteString(masked)
	}
	if !changed {
		return s
	}
	return b.String()
}

// isSchemeChar reports whether c may be part of a URL scheme; "!" is
// allowed so that a mistyped "ht!tp://u:pw@h/" is still taken as a URL.
func isSchemeChar(c byte) bool {
	return isAlnum(c) || c == '+' || c == '.' || c == '-' || c == '!'
}

// urlEnd reports whether c ends a URL in text.
func urlEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '"', '\'', '<', '>', '`':
		return true
	}
	return false
}

// plain reports whether s certainly holds no secret: no separator of a
// name=value pair and no run of token characters long enough to matter.
// It is the fast path for the many excerpts that hold nothing.
func plain(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '=' || c == ':':
			return false
		case isAlnum(c) || c == '-' || c == '_' || c == '+' || c == '/':
			run++
			if run == 1 && authBefore(s, i) {
				return false
			}
			if run >= 20 {
				return false
			}
		default:
			run = 0
		}
	}
	return true
}

// authBefore reports whether the word before s[i] (a run of token
// characters) is an authentication scheme, as in "Basic dXNlcjpw".
func authBefore(s string, i int) bool {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	if j == i {
		return false
	}
	k := j
	for k > 0 && isAlnum(s[k-1]) {
		k--
	}
	return isAuthScheme(s[k:j])
}

// isAuthScheme reports whether w is a scheme whose credentials maskAuth
// masks in text.
func isAuthScheme(w string) bool {
	for _, a := range []string{"bearer", "basic", "negotiate", "ntlm", "dpop"} {
		if strings.EqualFold(w, a) {
			return true
		}
	}
	return false
}

// maskPlain masks text that holds no URL.
func maskPlain(s string, m masker) string {
	if s == "" {
		return s
	}
	hasCookie, hasAuth, hasDigest := keywords(s)
	if hasCookie {
		s = maskCookies(s, m)
	}
	if strings.ContainsAny(s, "=:") {
		s = maskPairs(s, true, m)
	}
	if hasAuth {
		s = maskAuth(s, m)
	}
	if hasDigest {
		s = replaceGroup(s, digestRe, m)
	}
	if strings.Contains(s, "eyJ") {
		s = jwtRe.ReplaceAllStringFunc(s, m.mask)
	}
	return maskLongTokens(s, m)
}

// keywords reports, in one pass and ignoring case, whether s holds
// "cookie", an authentication scheme, or "digest": the gates of the
// regular expressions.
func keywords(s string) (cookie, auth, digest bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] | 0x20 {
		case 'c':
			cookie = cookie || hasFoldAt(s, i, "cookie")
		case 'b':
			auth = auth || hasFoldAt(s, i, "bearer") || hasFoldAt(s, i, "basic")
		case 'n':
			auth = auth || hasFoldAt(s, i, "negotiate") || hasFoldAt(s, i, "ntlm")
		case 'd':
			auth = auth || hasFoldAt(s, i, "dpop")
			digest = digest || hasFoldAt(s, i, "digest")
		}
	}
	return cookie, auth, digest
}

// hasFoldAt reports whether s[i:] starts with the lower-case ASCII word w,
// ignoring case.
func hasFoldAt(s string, i int, w string) bool {
	if len(s)-i < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if s[i+j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

// maskCookies masks the values after "Cookie:" (all pairs) and
// "Set-Cookie:" (the first pair; attributes stay).
func maskCookies(s string, m masker) string {
	var b strings.Builder
	last := 0
	for _, loc := range cookieRe.FindAllStringSubmatchIndex(s, -1) {
		if loc[0] < last {
			continue
		}
		set := loc[2] >= 0
		p := loc[1]
		for {
			ns := p
			for p < len(s) && s[p] != '=' && s[p] != ';' && !isSpace(s[p]) {
				p++
			}
			if p == ns || p >= len(s) || s[p] != '=' {
				break
			}
			p++
			if n := maskedPrefixLen(s[p:]); n > 0 {
				p += n
			} else {
				vs := p
				for p < len(s) && s[p] != ';' && !isSpace(s[p]) {
					p++
				}
				if p > vs {
					b.WriteString(s[last:vs])
					b.WriteString(m.mask(s[vs:p]))
					last = p
				}
			}
			if set || p >= len(s) || s[p] != ';' {
				break
			}
			p++
			for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
				p++
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// maskAuth masks the credentials that follow an authentication scheme,
// leaving challenges ("Bearer realm=\"x\"", "Bearer error=…") and words
// ("Basic authentication") alone.
func maskAuth(s string, m masker) string {
	var b strings.Builder
	last := 0
	for _, loc := range authRe.FindAllStringSubmatchIndex(s, -1) {
		cs, ce := loc[4], loc[5]
		cred := s[cs:ce]
		if ce < len(s) && (s[ce] == '"' || strings.HasPrefix(s[ce:], "…(")) || !credLike(cred) {
			continue
		}
		b.WriteString(s[last:cs])
		if strings.EqualFold(s[loc[2]:loc[3]], "basic") {
			b.WriteString(m.length(cred))
		} else {
			b.WriteString(m.mask(cred))
		}
		last = ce
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// credLike reports whether a word after a scheme looks like a credential
// rather than an English word: a digit, base64 punctuation, or mixed case.
func credLike(s string) bool {
	if len(s) < 6 {
		return false
	}
	if strings.ContainsAny(s, "0123456789+/=") {
		return true
	}
	return len(s) >= 8 && hasUpperAndLower(s)
}

// replaceGroup masks the first group of every match of re.
func replaceGroup(s string, re *regexp.Regexp, m masker) string {
	var b strings.Builder
	last := 0
	for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
		vs, ve := loc[2], loc[3]
		if vs == ve || maskedLen(s[vs:ve], false) == ve-vs {
			continue
		}
		b.WriteString(s[last:vs])
		b.WriteString(m.mask(s[vs:ve]))
		last = ve
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// maskDigest masks the response of Digest credentials.
func maskDigest(params string, m masker) string {
	return replaceGroup(params, digestRe, m)
}

// maskLongTokens masks runs of token characters that look random (see
// tokenLike). A run is [A-Za-z0-9_+/-] with optional "=" padding, so
// "name=value" splits into two runs.
func maskLongTokens(s string, m masker) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isRunChar(s[i]) {
			i++
			continue
		}
		start := i
		for i < len(s) && isRunChar(s[i]) {
			i++
		}
		for i < len(s) && s[i] == '=' {
			i++
		}
		if i-start < 20 || strings.HasPrefix(s[i:], "…(") || !tokenLike(s[start:i], textTokenMin) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(m.mask(s[start:i]))
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isRunChar(c byte) bool {
	return isAlnum(c) || c == '-' || c == '_' || c == '+' || c == '/'
}
