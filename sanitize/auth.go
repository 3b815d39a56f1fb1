package sanitize

import (
	"encoding/base64"
	"encoding/binary"
	"regexp"
	"strings"

	"authlens/analysis/decode"
)

// Authorization returns the placeholder of an Authorization or
// Proxy-Authorization value: the scheme kept, the credential replaced so
// that it still decodes the way the original did (see the package doc).
func (s *Sanitizer) Authorization(v string) string {
	lead := v[:len(v)-len(strings.TrimLeft(v, " \t"))]
	t := strings.TrimSpace(v)
	trail := v[len(lead)+len(t):]
	scheme, rest, ok := strings.Cut(t, " ")
	if !ok || strings.HasPrefix(t, `"`) {
		// No scheme: a bare token (often a JWT).
		return lead + s.Value(t) + trail
	}
	sp := rest[:len(rest)-len(strings.TrimLeft(rest, " "))]
	rest = rest[len(sp):]
	if rest == "" {
		return v // a lone scheme carries nothing
	}
	s.stats.Credentials++
	var out string
	switch strings.ToLower(scheme) {
	case "basic":
		out = s.basic(rest)
	case "ntlm":
		out = s.ntlm(rest)
	case "negotiate":
		switch {
		case decode.IsNTLMBase64(rest):
			out = s.ntlm(rest)
		default:
			out = s.keepPrefix(rest, 4)
		}
	case "digest":
		out = s.params(rest, func(name string) bool {
			n := strings.ToLower(name)
			return n == "response" || n == "cnonce"
		})
	case "bearer", "dpop", "jwt", "token":
		out = s.bearer(rest)
	default:
		if strings.Contains(rest, "=") && strings.Contains(rest, ",") {
			// Parameter style (AWS4-HMAC-SHA256 Credential=…, Signature=…).
			out = s.params(rest, func(name string) bool { return true })
		} else {
			out = s.bearer(rest)
		}
	}
	s.remember(rest, out)
	return lead + scheme + " " + sp + out + trail
}

// bearer replaces a bearer token, keeping surrounding quotes (a malformed
// quoted token stays malformed) and, for a JWT, its header and claims.
func (s *Sanitizer) bearer(tok string) string {
	if len(tok) >= 2 && tok[0] == '"' && tok[len(tok)-1] == '"' {
		return `"` + s.Value(tok[1:len(tok)-1]) + `"`
	}
	return s.Value(tok)
}

// keepPrefix keeps the first n characters of a token (a Kerberos token's
// ASN.1 tag and length, "YII") and replaces the rest.
func (s *Sanitizer) keepPrefix(tok string, n int) string {
	if len(tok) <= n {
		return tok
	}
	p := tok[:n] + s.classes("token", tok)[n:]
	s.remember(tok, p)
	return p
}

// basic replaces Basic credentials: base64 of "user:password" stays base64
// of "user:placeholder" (the user-id replaced too unless KeepBasicUser),
// in the same padding style. Text that is not base64 keeps its colon.
func (s *Sanitizer) basic(b64 string) string {
	quoted := len(b64) >= 2 && b64[0] == '"' && b64[len(b64)-1] == '"'
	inner := b64
	if quoted {
		inner = b64[1 : len(b64)-1]
	}
	if strings.ContainsAny(inner, " \t") {
		return s.classes("basic", b64)
	}
	enc := base64.StdEncoding
	raw, err := enc.DecodeString(inner)
	if err != nil {
		enc = base64.RawStdEncoding
		if raw, err = enc.DecodeString(strings.TrimRight(inner, "=")); err != nil {
			// "user:password" in clear, or garbage: keep the shape.
			return s.classes("basic", b64)
		}
	}
	user, pass, hasColon := strings.Cut(string(raw), ":")
	var plain string
	if !hasColon {
		plain = s.classes("basic-password", user)
		s.remember(user, plain)
	} else {
		if !s.opts.KeepBasicUser {
			u := s.classes("basic-user", user)
			s.remember(user, u)
			user = u
		}
		p := s.classes("basic-password", pass)
		s.remember(pass, p)
		plain = user + ":" + p
	}
	out := enc.EncodeToString([]byte(plain))
	if enc == base64.RawStdEncoding && strings.HasSuffix(inner, "=") {
		out = base64.StdEncoding.EncodeToString([]byte(plain))
	}
	s.remember(inner, out)
	if quoted {
		return `"` + out + `"`
	}
	return out
}

// ntlm replaces an NTLM message's secrets and keeps its signature, type,
// flags, layout and the names AuthLens reads: type 2 loses its server
// challenge; type 3 its LM and NT responses, its session key and (unless
// KeepBasicUser) its user name. A blob that does not decode keeps its
// first 12 characters ("TlRMTVNTUAAD") and has the rest replaced.
func (s *Sanitizer) ntlm(b64 string) string {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) < 12 || string(raw[:7]) != "NTLMSSP" {
		return s.keepPrefix(b64, 12)
	}
	out := append([]byte(nil), raw...)
	ks := s.keystream("ntlm", b64, len(raw))
	fill := func(from, to int) {
		for i := from; i < to && i < len(out); i++ {
			out[i] = ks[i]
		}
	}
	buf := func(off int) (int, int, bool) {
		if off+8 > len(out) {
			return 0, 0, false
		}
		n := int(binary.LittleEndian.Uint16(out[off:]))
		start := int(binary.LittleEndian.Uint32(out[off+4:]))
		if n == 0 || start < 0 || start+n > len(out) {
			return 0, 0, false
		}
		return start, start + n, true
	}
	switch binary.LittleEndian.Uint32(raw[8:12]) {
	case 2:
		fill(24, 32) // the server challenge
	case 3:
		for _, off := range []int{12, 20, 52} { // LM, NT response, session key
			if a, b, ok := buf(off); ok {
				fill(a, b)
			}
		}
		if !s.opts.KeepBasicUser {
			if a, b, ok := buf(36); ok {
				name := s.classesBytes("ntlm-user", string(out[a:b]))
				// classesBytes keeps ASCII classes and bytes >= 0x80; UTF-16LE
				// zero bytes stay zero.
				copy(out[a:b], name)
			}
		}
		if len(out) >= 88 {
			// The MIC (bytes 72..88 when a version field is present) is a
			// hash of the handshake: replace it too.
			if binary.LittleEndian.Uint32(out[60:64])&decode.NTLMFlagVersion != 0 {
				if a, _, ok := buf(12); !ok || a >= 88 {
					fill(72, 88)
				}
			}
		}
	}
	p := base64.StdEncoding.EncodeToString(out)
	s.remember(b64, p)
	return p
}

// paramRe finds name=value and name="value" parameters of a
// comma-separated credential (Digest, AWS).
var paramRe = regexp.MustCompile(`([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)`)

// params replaces the values of the parameters secret reports true for.
// Digest keeps everything but its response and cnonce, since rules
// compare nonces, realms and URIs.
func (s *Sanitizer) params(rest string, secret func(name string) bool) string {
	return paramRe.ReplaceAllStringFunc(rest, func(m string) string {
		sub := paramRe.FindStringSubmatch(m)
		name, val := sub[1], sub[2]
		if !secret(name) || val == "" {
			return m
		}
		prefix := m[:len(m)-len(val)]
		if strings.HasPrefix(val, `"`) && strings.HasSuffix(val, `"`) && len(val) >= 2 {
			return prefix + `"` + s.Value(val[1:len(val)-1]) + `"`
		}
		return prefix + s.Value(val)
	})
}
