package redact

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"
)

// valueKeep is how many leading characters of a long secret Value keeps:
// enough to recognise a JWT ("eyJh") or an NTLM blob ("TlRM"), too few to
// reuse anything.
const valueKeep = 4

// valueMinKeep is the shortest secret of which Value shows any character;
// 4 characters of a short secret are a large part of it.
const valueMinKeep = 16

// Value hides a secret, keeping only enough to recognise it: secrets of 16
// characters or more keep their first 4 ("eyJh…(812 chars)"), shorter ones
// are shown by length only ("…(8 chars)"). The empty string stays empty.
// Lengths count runes.
func Value(secret string) string {
	n := utf8.RuneCountInString(secret)
	if n == 0 {
		return ""
	}
	if n < valueMinKeep {
		return lengthOnly(n)
	}
	end, kept := 0, 0
	for i := range secret {
		if kept == valueKeep {
			end = i
			break
		}
		kept++
	}
	return secret[:end] + lengthOnly(n)
}

// lengthOnly is Value's marker for a secret of n runes: "…(n chars)".
func lengthOnly(n int) string {
	return "…(" + strconv.Itoa(n) + " chars)"
}

// CookieValue hides a cookie value but keeps equality visible: two equal
// values give the same "#a1b2c3 (32 chars)" (3 bytes of the SHA-256 in hex
// and the length in bytes); the empty value gives "(empty)".
func CookieValue(v string) string {
	if v == "" {
		return "(empty)"
	}
	sum := sha256.Sum256([]byte(v))
	return "#" + hex.EncodeToString(sum[:3]) + " (" + strconv.Itoa(len(v)) + " chars)"
}

// Authorization masks an Authorization or Proxy-Authorization value,
// keeping the scheme: "Bearer eyJ…" gives "Bearer eyJh…(812 chars)".
// Basic credentials are shown by length only, since even 4 characters of
// their base64 may decode to part of the password. For Digest only the
// response parameter is masked. A lone known scheme ("Bearer") is kept;
// any other value without a scheme is masked whole with Value.
func Authorization(v string) string {
	t := strings.TrimSpace(v)
	scheme, rest, _ := strings.Cut(t, " ")
	rest = strings.TrimSpace(rest)
	if rest == "" {
		if knownScheme(scheme) {
			return scheme
		}
		return Value(t)
	}
	if !isToken(scheme) {
		return Value(t)
	}
	switch strings.ToLower(scheme) {
	case "basic":
		return scheme + " " + lengthOnly(utf8.RuneCountInString(rest))
	case "digest":
		return scheme + " " + maskDigest(rest, valueMask)
	}
	return scheme + " " + Value(rest)
}

// knownScheme reports whether s names an HTTP authentication scheme, so a
// lone one carries nothing to hide.
func knownScheme(s string) bool {
	switch strings.ToLower(s) {
	case "basic", "bearer", "digest", "negotiate", "ntlm", "dpop", "hoba", "mutual", "aws4-hmac-sha256", "token", "jwt":
		return true
	}
	return false
}

// isToken reports whether s is a non-empty RFC 9110 token (a scheme name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// CookieHeader masks a Cookie header value, keeping the cookie names:
// "a=1; b=2" gives "a=…(1 chars); b=…(1 chars)". A part without "=" is
// masked whole. Parts are re-joined with "; ".
func CookieHeader(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			parts[i] = Value(strings.TrimSpace(p))
			continue
		}
		parts[i] = name + "=" + Value(val)
	}
	return strings.Join(parts, "; ")
}

// SetCookie masks a Set-Cookie value: the cookie's name and attributes are
// kept as they are, its value is masked with Value. A value without "="
// is masked whole.
func SetCookie(v string) string {
	first, attrs, hasAttrs := strings.Cut(v, ";")
	name, val, ok := strings.Cut(strings.TrimSpace(first), "=")
	if !ok {
		return Value(v)
	}
	out := name + "=" + Value(val)
	if hasAttrs {
		out += ";" + attrs
	}
	return out
}

// Header masks the value of the header called name: Authorization and
// Proxy-Authorization with Authorization, Cookie with CookieHeader,
// Set-Cookie with SetCookie, other secret headers (IsSecretHeader) with
// Value. Any other header goes through Text, since a Location or Referer
// may carry a token in its URL.
func Header(name, value string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "authorization", "proxy-authorization":
		return Authorization(value)
	case "cookie":
		return CookieHeader(value)
	case "set-cookie":
		return SetCookie(value)
	}
	if IsSecretHeader(name) {
		return Value(value)
	}
	return Text(value)
}
