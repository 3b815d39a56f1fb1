package decode

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ParseCredentials decodes an Authorization or Proxy-Authorization value.
// It never returns a password, a token or a Digest response: Basic yields
// the user name and whether a password is present, Bearer the JWT header
// and claims (or only the length of an opaque token), Digest its
// parameters with "response" masked, NTLM/Negotiate the decoded message
// (or that it is Kerberos). Malformed says what is wrong, "" when the
// value is well formed.
func ParseCredentials(value string) Credentials {
	c := parseCredentials(value)
	// A long first word that is no known scheme is more likely a token
	// sent twice or without its scheme than a scheme: never show it.
	if c.Scheme != "" && !knownScheme(c.Scheme) && utf8.RuneCountInString(c.Scheme) >= 16 {
		c.Masked = strings.Replace(c.Masked, c.Scheme, Mask(c.Scheme), 1)
	}
	_, rest, _ := strings.Cut(strings.TrimSpace(value), " ")
	if HandRedacted(value) && (rest == "" || HandRedacted(rest)) || rest != "" && HandRedacted(rest) {
		c.Malformed = ""
		c.Placeholder = true
	}
	return c
}

func parseCredentials(value string) Credentials {
	v := strings.TrimSpace(value)
	c := Credentials{}
	if v == "" {
		c.Malformed = "empty"
		return c
	}
	if v[0] == '"' {
		c.Malformed = "quoted token"
		c.Masked = Mask(v)
		c.Fingerprint = fingerprint(v)
		return c
	}
	scheme, rest, hasRest := strings.Cut(v, " ")
	rest = strings.TrimSpace(rest)
	if !isToken(scheme) {
		c.Malformed = "token without scheme"
		c.Masked = Mask(v)
		c.Fingerprint = fingerprint(v)
		return c
	}
	if !hasRest || rest == "" {
		// A lone word: either a scheme without credentials ("Bearer") or a
		// token without a scheme ("eyJ...", "dXNlcjpwYXNz").
		if knownScheme(scheme) {
			c.Scheme = scheme
			c.Malformed = "no credentials after the scheme"
			c.Masked = scheme
			return c
		}
		c.Malformed = "token without scheme"
		c.Masked = Mask(v)
		c.Fingerprint = fingerprint(v)
		if LooksLikeJWT(v) {
			c.Bearer = &BearerCredentials{Length: len(v)}
			c.Bearer.JWT, _ = ParseJWT(v)
		}
		return c
	}
	c.Scheme = scheme
	c.Fingerprint = fingerprint(strings.ToLower(scheme) + " " + rest)
	if second, after, ok := strings.Cut(rest, " "); ok && strings.EqualFold(second, scheme) {
		c.Malformed = "scheme doubled"
		rest = strings.TrimSpace(after)
	} else if strings.EqualFold(rest, scheme) {
		c.Malformed = "scheme doubled"
	}
	quoted := len(rest) >= 2 && rest[0] == '"' && rest[len(rest)-1] == '"'
	switch lower(scheme) {
	case "basic":
		if quoted {
			c.setMalformed("quoted token")
			rest = rest[1 : len(rest)-1]
		}
		c.parseBasic(rest)
	case "bearer", "dpop", "jwt", "token":
		if quoted {
			c.setMalformed("quoted token")
			rest = rest[1 : len(rest)-1]
		}
		c.parseBearer(rest)
	case "digest":
		c.parseDigest(rest)
		return c
	case "ntlm":
		c.parseNTLM(rest)
	case "negotiate":
		switch {
		case IsNTLMBase64(rest):
			c.parseNTLM(rest)
		case isKerberosToken(rest):
			c.Kerberos = true
		default:
			c.setMalformed("Negotiate token is neither Kerberos (SPNEGO) nor NTLM")
		}
	}
	c.Masked = scheme + " " + c.maskedRest(rest)
	return c
}

// Empty reports an Authorization header with nothing to check in it: an
// empty value, or a scheme alone ("Bearer "). A program built it from a
// token it did not have (an unset variable, a sign-in step that failed).
func (c *Credentials) Empty() bool {
	return c.Malformed == "empty" || c.Malformed == "no credentials after the scheme"
}

func (c *Credentials) setMalformed(why string) {
	if c.Malformed == "" {
		c.Malformed = why
	}
}

func (c *Credentials) maskedRest(rest string) string {
	if c.Basic != nil {
		s := "(user " + QuoteName(c.Basic.Username)
		if c.Basic.HasPassword {
			s += ", password hidden)"
		} else {
			s += ", no password)"
		}
		return s
	}
	if strings.EqualFold(c.Scheme, "basic") {
		// Undecodable Basic text may be the password itself: length only.
		return fmt.Sprintf("…(%d chars)", utf8.RuneCountInString(rest))
	}
	m := Mask(rest)
	switch {
	case c.NTLM != nil:
		m += fmt.Sprintf(" [NTLM type %d", c.NTLM.Type)
		if c.NTLM.Type == 3 {
			who := c.NTLM.User
			if c.NTLM.Domain != "" {
				who = c.NTLM.Domain + `\` + who
			}
			m += " for " + QuoteName(who)
		}
		m += "]"
	case c.Kerberos:
		m += " [Kerberos/SPNEGO]"
	case c.Bearer != nil && c.Bearer.JWT != nil:
		j := c.Bearer.JWT
		m += " [JWT"
		if j.Subject != "" {
			m += " sub=" + QuoteName(j.Subject)
		}
		if len(j.Audience) > 0 {
			m += " aud=" + QuoteName(strings.Join(j.Audience, " "))
		}
		if j.Expires != nil {
			m += " exp=" + j.Expires.UTC().Format("2006-01-02T15:04:05Z")
		}
		m += "]"
	}
	return m
}

func (c *Credentials) parseBasic(b64 string) {
	if strings.ContainsAny(b64, " \t") {
		c.setMalformed("spaces inside Basic credentials")
		b64 = strings.Join(strings.Fields(b64), "")
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		var err2 error
		raw, err2 = base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "="))
		if err2 != nil {
			if strings.Contains(b64, ":") {
				c.setMalformed("not base64: looks like a plain user:password")
			} else {
				c.setMalformed("invalid base64")
			}
			return
		}
		c.setMalformed("base64 without padding")
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		c.setMalformed("no colon in Basic credentials")
		// Without a colon, the whole text may be a password: show nothing.
		c.Basic = &BasicCredentials{NonASCII: !isASCII(raw)}
		return
	}
	c.Basic = &BasicCredentials{
		Username:    strings.ToValidUTF8(user, "\uFFFD"),
		HasPassword: pass != "",
		NonASCII:    !isASCII(raw),
		ColonInUser: strings.Contains(pass, ":"),
	}
	if c.Basic.NonASCII && !utf8.Valid(raw) {
		c.Basic.NotUTF8 = true
	}
}

func (c *Credentials) parseBearer(tok string) {
	if strings.ContainsAny(tok, " \t") {
		c.setMalformed("spaces inside the token")
	} else if !isToken68(tok) {
		c.setMalformed("characters not allowed in a token")
	}
	c.Bearer = &BearerCredentials{Length: len(tok)}
	if LooksLikeJWT(tok) {
		c.Bearer.JWT, _ = ParseJWT(tok)
	}
}

func (c *Credentials) parseDigest(rest string) {
	chs, err := ParseChallenges("Digest " + rest)
	if err != nil || len(chs) != 1 {
		c.setMalformed("Digest parameters do not parse")
	}
	c.Digest = map[string]string{}
	if len(chs) > 0 {
		for k, v := range chs[0].Params {
			c.Digest[k] = v
		}
	}
	if r, ok := c.Digest["response"]; ok {
		c.Digest["response"] = Mask(r)
	}
	keys := make([]string, 0, len(c.Digest))
	for k := range c.Digest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%q", k, c.Digest[k]))
	}
	c.Masked = c.Scheme + " " + strings.Join(parts, ", ")
}

func (c *Credentials) parseNTLM(b64 string) {
	m, err := ParseNTLM(b64)
	if m != nil {
		c.NTLM = m
	}
	if err != nil {
		c.setMalformed(err.Error())
	}
}

// isKerberosToken reports whether a Negotiate token is an SPNEGO/Kerberos
// GSS-API token: base64 of an ASN.1 [APPLICATION 0] (0x60), "YII" for the
// usual long form, or a negTokenResp (0xa1, "oY") on later legs.
func isKerberosToken(b64 string) bool {
	if strings.HasPrefix(b64, "YII") || strings.HasPrefix(b64, "oY") {
		return true
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	return err == nil && len(raw) > 0 && (raw[0] == 0x60 || raw[0] == 0xa1)
}

// fingerprint identifies a credential for comparisons inside one trace
// (did the same credential succeed elsewhere?). It is a truncated hash,
// never shown.
func fingerprint(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

func knownScheme(s string) bool {
	switch lower(s) {
	case "basic", "bearer", "digest", "ntlm", "negotiate", "dpop", "hoba", "mutual", "aws4-hmac-sha256", "token", "jwt", "scram-sha-1", "scram-sha-256", "vapid", "privatetoken":
		return true
	}
	return false
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isToken68(s string) bool {
	i := 0
	for i < len(s) && isToken68Char(s[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(s) && s[i] == '=' {
		i++
	}
	return i == len(s)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// QuoteName puts a name from the trace (a user, a subject) in double
// quotes for display, dropping control characters and invalid UTF-8 but
// keeping backslashes (DOMAIN\user) as they are.
func QuoteName(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if r < 0x20 || r == 0x7f {
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
