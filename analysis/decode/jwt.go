package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ErrNotJWT is returned (wrapped) by ParseJWT when the token is not a
// compact JWS.
var ErrNotJWT = errors.New("not a JWT")

// ParseJWT decodes a compact JWS (three base64url parts) without verifying
// it. The signature is never decoded or kept. A five-part JWE is reported
// as an error: its claims are encrypted.
func ParseJWT(token string) (*JWT, error) {
	parts := strings.Split(token, ".")
	switch len(parts) {
	case 3:
	case 5:
		return nil, fmt.Errorf("%w: five parts, an encrypted JWE whose claims cannot be read", ErrNotJWT)
	default:
		return nil, fmt.Errorf("%w: %d dot-separated parts, want 3", ErrNotJWT, len(parts))
	}
	header, err := decodeJSONPart(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrNotJWT, err)
	}
	claims, err := decodeJSONPart(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: claims: %w", ErrNotJWT, err)
	}
	j := &JWT{Header: header, Claims: claims}
	j.Expires = claimTime(claims, "exp")
	j.NotBefore = claimTime(claims, "nbf")
	j.IssuedAt = claimTime(claims, "iat")
	j.Audience = claimStrings(claims["aud"], false)
	j.Issuer, _ = claims["iss"].(string)
	j.Subject, _ = claims["sub"].(string)
	j.Scopes = claimStrings(claims["scope"], true)
	if len(j.Scopes) == 0 {
		j.Scopes = claimStrings(claims["scp"], true)
	}
	j.Roles = claimStrings(claims["roles"], false)
	return j, nil
}

// LooksLikeJWT reports whether a token has the shape of a compact JWS whose
// header is base64url JSON ("eyJ").
func LooksLikeJWT(token string) bool {
	return strings.HasPrefix(token, "eyJ") && strings.Count(token, ".") == 2
}

func decodeJSONPart(part string) (map[string]any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return nil, fmt.Errorf("invalid base64url: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON object")
	}
	return m, nil
}

// maxUnixSeconds keeps claim times inside what time.Time can represent
// sensibly (year 9999).
const maxUnixSeconds = 253402300799

func claimTime(claims map[string]any, name string) *time.Time {
	var secs float64
	switch v := claims[name].(type) {
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return nil
		}
		secs = f
	case float64:
		secs = v
	default:
		return nil
	}
	if math.IsNaN(secs) || math.Abs(secs) > maxUnixSeconds {
		return nil
	}
	whole, frac := math.Modf(secs)
	t := time.Unix(int64(whole), int64(frac*1e9)).UTC()
	return &t
}

// claimStrings reads a claim that is a string or an array of strings;
// spaceSeparated splits a single string on spaces (OAuth "scope").
func claimStrings(v any, spaceSeparated bool) []string {
	switch x := v.(type) {
	case string:
		if spaceSeparated {
			return strings.Fields(x)
		}
		if x == "" {
			return nil
		}
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
