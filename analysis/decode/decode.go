// Package decode parses the authentication headers AuthLens reads:
// WWW-Authenticate / Proxy-Authenticate challenges (RFC 9110 §11),
// Authorization credentials (Basic, Bearer with JWT, Digest, NTLM,
// Negotiate), JWTs (RFC 7519) and NTLM messages (MS-NLMP).
//
// Every parser here takes hostile input: it never panics, never returns a
// password or a token signature, and reports what was malformed.
package decode

import "time"

// Challenge is one challenge of a WWW-Authenticate or Proxy-Authenticate
// header (RFC 9110 §11.6.1): a scheme plus either a token68 or parameters.
type Challenge struct {
	Scheme  string            // as written; compare with strings.EqualFold
	Token68 string            // e.g. the NTLM type-2 message after "NTLM "
	Params  map[string]string // keys lower-cased, values unquoted
	Raw     string            // the challenge's text in the header
}

// Param returns a parameter value by case-insensitive name.
func (c Challenge) Param(name string) (string, bool) {
	v, ok := c.Params[lower(name)]
	return v, ok
}

// Credentials is a decoded Authorization or Proxy-Authorization value.
type Credentials struct {
	Scheme string // as written ("" when the value has no scheme)
	// Malformed says what is wrong with the value, "" when well formed:
	// "invalid base64", "no colon in Basic credentials", "scheme doubled",
	// "quoted token", "token without scheme", ...
	Malformed string
	Basic     *BasicCredentials
	Bearer    *BearerCredentials
	Digest    map[string]string // Digest parameters, keys lower-cased; "response" masked
	NTLM      *NTLMMessage      // NTLM, or NTLM wrapped in Negotiate
	// Kerberos is true for a Negotiate token that is SPNEGO/Kerberos (YII...).
	Kerberos bool
	// Masked is the whole value with secrets masked, safe to show and log.
	Masked string
	// Fingerprint identifies the credential within one trace (a truncated
	// hash of scheme and credential) so that "the same credential" can be
	// compared across entries. Never show it; "" for empty values.
	Fingerprint string
	// Placeholder is true when the credential was masked or shortened by
	// hand before the file was shared ("Bearer ****", "eyJhbG…"): it is
	// not malformed, and it says nothing about the real credential.
	Placeholder bool
}

// BasicCredentials is what AuthLens may show of a Basic credential: never
// the password.
type BasicCredentials struct {
	Username    string
	HasPassword bool
	NonASCII    bool // the user-id or password has bytes outside ASCII
	ColonInUser bool // impossible to tell apart; flagged when the decoded text has more than one colon
	NotUTF8     bool // the non-ASCII bytes are not UTF-8 (e.g. ISO-8859-1)
}

// BearerCredentials describes a bearer token without revealing it.
type BearerCredentials struct {
	Length int
	JWT    *JWT // nil when the token is opaque
}

// JWT is a decoded JSON Web Token: header and claims, never the signature.
type JWT struct {
	Header    map[string]any
	Claims    map[string]any
	Expires   *time.Time // exp
	NotBefore *time.Time // nbf
	IssuedAt  *time.Time // iat
	Audience  []string   // aud (string or array)
	Issuer    string
	Subject   string
	Scopes    []string // scope (space separated) or scp (string or array)
	Roles     []string // roles
}

// NTLMMessage is a decoded NTLM message (MS-NLMP §2.2).
type NTLMMessage struct {
	Type        int // 1 negotiate, 2 challenge, 3 authenticate
	Flags       uint32
	Domain      string // type 1 (if supplied) and type 3
	User        string // type 3
	Workstation string // type 1 (if supplied) and type 3
	TargetName  string // type 2
	// Anonymous is true for a type-3 message with empty user and responses.
	Anonymous bool
	// Unicode is true when the names were UTF-16LE (NTLMSSP_NEGOTIATE_UNICODE);
	// false means OEM (type-1 names are always OEM).
	Unicode bool
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
