package redact

import "strings"

// URL masks the secrets of a URL for display, with "***": the whole
// userinfo ("https://***@host/"), query and fragment parameters whose name
// IsSecretName, and path segments that are tokens (a JWT, or a long
// random-looking segment such as a reset link's; UUIDs and numbers stay).
// A non-secret parameter whose decoded value holds a secret (a nested
// URL, a JWT) has that secret masked.
//
// URL works on the string and never re-encodes it: what is not secret is
// kept byte for byte. It does not need the URL to parse: a malformed URL
// ("http://[::1:80/x?token=…", "ht!tp://u:pw@h/") is masked by the same
// rules, and any name=value left in it is masked too. Like Text, URL is
// idempotent except after masking a value that held a URL delimiter.
func URL(raw string) string {
	if raw == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(raw) + 8)
	rest := raw
	a := -1 // where the authority starts
	if i := strings.Index(raw, "://"); i >= 0 && strings.IndexAny(raw[:i], "/?#") < 0 {
		a = i + 3
	} else if strings.HasPrefix(raw, "//") {
		a = 2
	}
	if a >= 0 {
		b.WriteString(raw[:a])
		rest = raw[a:]
		end := strings.IndexAny(rest, "/?#\\")
		if end < 0 {
			end = len(rest)
		}
		auth := rest[:end]
		at := strings.LastIndexByte(auth, '@')
		if badPort(auth[at+1:]) {
			// "user:pa/ss@host": the password holds a delimiter, so the
			// userinfo runs to the last "@".
			if at2 := strings.LastIndexByte(rest, '@'); at2 > at {
				at = at2
				end = at + 1 + strings.IndexAny(rest[at+1:]+"/", "/?#\\")
				auth = rest[:end]
			}
		}
		if at >= 0 {
			b.WriteString("***@")
			b.WriteString(auth[at+1:])
		} else {
			b.WriteString(auth)
		}
		rest = rest[end:]
	}
	pe := strings.IndexAny(rest, "?#")
	if pe < 0 {
		pe = len(rest)
	}
	b.WriteString(maskPath(rest[:pe]))
	rest = rest[pe:]
	if strings.HasPrefix(rest, "?") {
		qe := strings.IndexByte(rest, '#')
		if qe < 0 {
			qe = len(rest)
		}
		b.WriteByte('?')
		b.WriteString(Query(rest[1:qe]))
		rest = rest[qe:]
	}
	if strings.HasPrefix(rest, "#") {
		b.WriteByte('#')
		b.WriteString(maskFragment(rest[1:]))
	}
	// Whatever the structure missed ("/x;token=…", "//token=…@"), a
	// name=value pass catches.
	return maskPairs(b.String(), false, starMask)
}

// badPort reports whether hostport has a port that is not a number, the
// mark of a userinfo cut short by a "/", "?" or "#" in the password.
func badPort(hostport string) bool {
	if strings.HasPrefix(hostport, "[") {
		i := strings.IndexByte(hostport, ']')
		if i < 0 {
			return false
		}
		hostport = hostport[i+1:]
	}
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 {
		return false
	}
	for _, c := range []byte(hostport[i+1:]) {
		if c < '0' || c > '9' {
			return true
		}
	}
	return false
}

// Query masks, with "***", the values of the parameters of a query or form
// string whose name IsSecretName (compared after percent-decoding):
// "a=1&password=x" gives "a=1&password=***". Order, repeated keys, keys
// without a value and non-secret values are kept as they are, except that
// a secret inside a non-secret value (a URL with a token, a JWT) is masked:
// in place when the value is not percent-encoded, else the whole value.
func Query(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	parts := strings.Split(rawQuery, "&")
	changed := false
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			if isJWT(p) || tokenLike(p, textTokenMin) {
				parts[i] = "***"
				changed = true
			}
			continue
		}
		if v == "" || maskedPrefixLen(v) > 0 {
			continue // nothing to hide, or masked already: keep masking idempotent
		}
		if IsSecretName(unescape(k)) {
			parts[i] = k + "=***"
			changed = true
			continue
		}
		dec := unescape(v)
		if md := maskText(dec, starMask); md != dec {
			if dec == v {
				parts[i] = k + "=" + md
			} else {
				parts[i] = k + "=***"
			}
			changed = true
		}
	}
	if !changed {
		return rawQuery
	}
	return strings.Join(parts, "&")
}

// maskFragment masks a fragment: OAuth implicit-flow parameters
// ("access_token=…&id_token=…"), a router path with a query
// ("/callback?code=…") or a path with a token in it.
func maskFragment(f string) string {
	if i := strings.IndexByte(f, '?'); i >= 0 {
		return maskPath(f[:i]) + "?" + Query(f[i+1:])
	}
	if strings.IndexByte(f, '=') >= 0 {
		return Query(f)
	}
	return maskPath(f)
}

// pathTokenMin is the length from which a path segment mixing letters and
// digits is taken for a token; shorter segments qualify only when they mix
// upper case, lower case and digits (a Slack webhook's 24-character secret).
const pathTokenMin = 32

// maskPath masks the path segments that are tokens, and secret matrix
// parameters (";jsessionid=…").
func maskPath(p string) string {
	if len(p) < 20 && strings.IndexByte(p, ';') < 0 {
		return p // too short to hold a token
	}
	segs := strings.Split(p, "/")
	changed := false
	for i, seg := range segs {
		first, params, hasParams := strings.Cut(seg, ";")
		if isJWT(first) || onlyTokenChars(first) && tokenLike(first, pathTokenMin) {
			first = "***"
			changed = true
		}
		if hasParams {
			ps := strings.Split(params, ";")
			for j, p := range ps {
				if k, v, ok := strings.Cut(p, "="); ok && v != "" && maskedPrefixLen(v) == 0 && IsSecretName(unescape(k)) {
					ps[j] = k + "=***"
					changed = true
				}
			}
			first += ";" + strings.Join(ps, ";")
		}
		segs[i] = first
	}
	if !changed {
		return p
	}
	return strings.Join(segs, "/")
}

// isJWT reports whether s is a JWS or JWE in compact form: "eyJ", then
// base64url parts separated by at least two dots.
func isJWT(s string) bool {
	if len(s) < 16 || !strings.HasPrefix(s, "eyJ") {
		return false
	}
	dots := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			dots++
		case isAlnum(c) || c == '-' || c == '_':
		default:
			return false
		}
	}
	return dots >= 2
}

// tokenLike reports whether s, a run of token characters, looks like a
// random secret rather than an ID or a word: at least minLen characters
// mixing letters and digits, with a piece of 12 or more between separators
// ("-", "_", "+", "/", "=", ".") that itself mixes letters and digits, so
// "col-md-6-offset-lg-3", "/api/v1/users/12345" and "Incident-1234567890123"
// stay. UUIDs stay. From 20 characters, a piece of 20 or more mixing upper
// case, lower case and digits is enough.
func tokenLike(s string, minLen int) bool {
	if len(s) < 20 || isUUID(s) {
		return false
	}
	best, bestMixed := 0, false // longest mixed piece
	start := 0
	var up, low, dig bool
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			switch {
			case 'a' <= c && c <= 'z':
				low = true
				continue
			case 'A' <= c && c <= 'Z':
				up = true
				continue
			case '0' <= c && c <= '9':
				dig = true
				continue
			}
		}
		if n := i - start; n > best && mixed(s[start:i]) {
			best = n
			bestMixed = hasUpperAndLower(s[start:i])
		}
		start = i + 1
	}
	if !dig || !(up || low) || best < 12 {
		return false
	}
	return len(s) >= minLen || best >= 20 && bestMixed
}

// mixed reports whether s holds both a letter and a digit.
func mixed(s string) bool {
	var l, d bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		if '0' <= c && c <= '9' {
			d = true
		} else if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			l = true
		}
	}
	return l && d
}

func hasUpperAndLower(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return 'a' <= r && r <= 'z' }) >= 0 &&
		strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' }) >= 0
}

// isUUID reports whether s is a UUID in its 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// onlyTokenChars reports whether s is made of [A-Za-z0-9_-] only.
func onlyTokenChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
