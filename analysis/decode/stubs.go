package decode

// TEMPORARY: signatures of the decoders, replaced by their real
// implementations (challenge.go, credentials.go, jwt.go, ntlm.go).

// ParseChallenges parses one or more WWW-Authenticate (or
// Proxy-Authenticate) header values into challenges. It returns every
// challenge it could read and an error describing the first syntax problem.
func ParseChallenges(values ...string) ([]Challenge, error) { return nil, nil }

// ParseCredentials decodes an Authorization or Proxy-Authorization value.
func ParseCredentials(value string) Credentials { return Credentials{Masked: Mask(value)} }

// ParseJWT decodes a compact JWS (three base64url parts) without verifying it.
func ParseJWT(token string) (*JWT, error) { return nil, nil }

// ParseNTLM decodes a base64 NTLM message (with or without the NTLMSSP header check).
func ParseNTLM(b64 string) (*NTLMMessage, error) { return nil, nil }

// Mask hides a secret, keeping only enough to recognise it (e.g. "eyJh…(812 chars)").
func Mask(secret string) string { return "" }
