package sanitize

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"authlens/analysis/decode"
)

// keystream returns n pseudo-random bytes derived from v under the salt:
// HMAC-SHA256(salt, domain || v || counter) blocks.
func (s *Sanitizer) keystream(domain, v string, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	var ctr [4]byte
	for i := uint32(0); len(out) < n; i++ {
		m := hmac.New(sha256.New, s.salt)
		m.Write([]byte(domain))
		m.Write([]byte{0})
		m.Write([]byte(v))
		binary.BigEndian.PutUint32(ctr[:], i)
		m.Write(ctr[:])
		out = m.Sum(out)
	}
	return out[:n]
}

const (
	digits = "0123456789"
	lowers = "abcdefghijklmnopqrstuvwxyz"
	uppers = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	// nonASCII stands in for non-ASCII letters, so a credential's
	// "has non-ASCII characters" survives.
	nonASCII = "äöüéèñçåøß"
	hexLower = "0123456789abcdef"
	hexUpper = "0123456789ABCDEF"
)

// Value returns the placeholder of a secret value: the same value always
// gives the same placeholder in one Sanitizer. A JWT keeps its header and
// claims (see jwt); anything else keeps its length and character classes
// (digits, lower case, upper case, hex, non-ASCII; punctuation as it is).
// The empty string stays empty. The replacement is remembered so that
// other occurrences of the secret are replaced too.
func (s *Sanitizer) Value(v string) string {
	if v == "" {
		return ""
	}
	if p, ok := s.memo[v]; ok {
		return p
	}
	var p string
	if decode.LooksLikeJWT(v) {
		if j, ok := s.jwt(v); ok {
			p = j
		}
	}
	if p == "" {
		p = s.classes("value", v)
	}
	s.remember(v, p)
	return p
}

// remember records a replacement for the final sweep over free text.
func (s *Sanitizer) remember(orig, placeholder string) {
	if orig == placeholder {
		return
	}
	s.memo[orig] = placeholder
	s.stats.Values++
}

// classes maps each letter and digit of v to one of the same class,
// pseudo-randomly from v under the salt; punctuation and spaces are kept.
// A value made only of hex digits (8 or more) stays hex in the same case.
func (s *Sanitizer) classes(domain, v string) string {
	out := s.classesOnce(domain, v)
	// A value with few letters and digits may map onto itself by chance:
	// draw again, so a placeholder never equals its secret.
	for i := 0; out == v && i < 16 && strings.ContainsFunc(v, isAlnumRune); i++ {
		out = s.classesOnce(domain+"#"+strconv.Itoa(i), v)
	}
	return out
}

func isAlnumRune(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r >= utf8.RuneSelf
}

// classesOnce is one draw of classes.
func (s *Sanitizer) classesOnce(domain, v string) string {
	if !utf8.ValidString(v) {
		return s.classesBytes(domain, v)
	}
	ks := s.keystream(domain, v, len(v))
	hexAlpha := ""
	if len(v) >= 8 && isHex(v) {
		hexAlpha = hexLower
		if strings.ContainsAny(v, "ABCDEF") {
			hexAlpha = hexUpper
		}
	}
	var b strings.Builder
	b.Grow(len(v))
	i := 0
	for _, r := range v {
		k := int(ks[i%len(ks)])
		i++
		switch {
		case hexAlpha != "" && r < utf8.RuneSelf:
			b.WriteByte(hexAlpha[k%16])
		case '0' <= r && r <= '9':
			b.WriteByte(digits[k%10])
		case 'a' <= r && r <= 'z':
			b.WriteByte(lowers[k%26])
		case 'A' <= r && r <= 'Z':
			b.WriteByte(uppers[k%26])
		case r >= utf8.RuneSelf && (r < 0x80 || r > 0x9f):
			rs := []rune(nonASCII)
			b.WriteRune(rs[k%len(rs)])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// classesBytes is classes for text that is not UTF-8 (Latin-1 Basic
// credentials): bytes above 0x7f become other bytes above 0xbf, so the
// text stays non-UTF-8.
func (s *Sanitizer) classesBytes(domain, v string) string {
	ks := s.keystream(domain, v, len(v))
	b := []byte(v)
	for i, c := range b {
		k := ks[i]
		switch {
		case '0' <= c && c <= '9':
			b[i] = digits[k%10]
		case 'a' <= c && c <= 'z':
			b[i] = lowers[k%26]
		case 'A' <= c && c <= 'Z':
			b[i] = uppers[k%26]
		case c >= 0xc0:
			b[i] = 0xc0 + k%0x3f
		case c >= 0x80:
			b[i] = 0x80 + k%0x40
		}
	}
	return string(b)
}

func isHex(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// sigPrefix starts every placeholder JWT signature, so a reader of the
// sanitized file sees at once that the signature is not the real one.
const sigPrefix = "sanitized"

// emptyClaims is base64url of "{}", the claims of a JWT when
// Options.DropJWTClaims is set.
var emptyClaims = base64.RawURLEncoding.EncodeToString([]byte("{}"))

// jwt returns the placeholder of a compact JWS: header and claims kept
// (claims emptied with DropJWTClaims), the signature replaced by
// "sanitized" and 12 hex digits of the token's HMAC, so different tokens
// keep different placeholders. ok is false when v does not decode.
func (s *Sanitizer) jwt(v string) (string, bool) {
	if _, err := decode.ParseJWT(v); err != nil {
		return "", false
	}
	parts := strings.SplitN(v, ".", 3)
	claims := parts[1]
	if s.opts.DropJWTClaims {
		claims = emptyClaims
	}
	sig := ""
	if parts[2] != "" {
		sig = sigPrefix + hex.EncodeToString(s.keystream("jwt", v, 6))
		if parts[2] != sig {
			s.remember(parts[2], sig)
		}
	}
	s.stats.JWTs++
	return parts[0] + "." + claims + "." + sig, true
}
