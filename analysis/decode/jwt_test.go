package decode

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseJWT(t *testing.T) {
	tok := makeJWT(t, map[string]any{"alg": "RS256", "kid": "k1"}, map[string]any{
		"iss": "https://login.example.com/tenant-a/v2.0", "sub": "user-1", "aud": []string{"api://orders", "api://billing"},
		"exp": 1700003600, "nbf": 1700000000, "iat": 1700000000.5, "scp": "orders.read orders.write", "roles": []string{"Reader"},
	})
	j, err := ParseJWT(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !j.Expires.Equal(time.Unix(1700003600, 0)) || !j.NotBefore.Equal(time.Unix(1700000000, 0)) || !j.IssuedAt.Equal(time.Unix(1700000000, 5e8)) {
		t.Errorf("times: %v %v %v", j.Expires, j.NotBefore, j.IssuedAt)
	}
	if !reflect.DeepEqual(j.Audience, []string{"api://orders", "api://billing"}) || j.Issuer != "https://login.example.com/tenant-a/v2.0" || j.Subject != "user-1" {
		t.Errorf("aud/iss/sub: %v %q %q", j.Audience, j.Issuer, j.Subject)
	}
	if !reflect.DeepEqual(j.Scopes, []string{"orders.read", "orders.write"}) || !reflect.DeepEqual(j.Roles, []string{"Reader"}) {
		t.Errorf("scopes/roles: %v %v", j.Scopes, j.Roles)
	}
	if j.Header["kid"] != "k1" {
		t.Errorf("header: %v", j.Header)
	}
	// scope (space separated string) and single-string aud.
	j, err = ParseJWT(makeJWT(t, map[string]any{"alg": "none"}, map[string]any{"aud": "https://api.example.com", "scope": "read  write"}))
	if err != nil || !reflect.DeepEqual(j.Audience, []string{"https://api.example.com"}) || !reflect.DeepEqual(j.Scopes, []string{"read", "write"}) {
		t.Errorf("got %+v, %v", j, err)
	}
	for _, bad := range []string{"abc", "a.b", "a.b.c.d.e", "eyJhbGciOiJub25lIn0.!!!.x", "W10.e30.x" /* header is an array */, "bnVsbA.e30.x" /* null */} {
		if _, err := ParseJWT(bad); !errors.Is(err, ErrNotJWT) {
			t.Errorf("ParseJWT(%q) = %v, want ErrNotJWT", bad, err)
		}
	}
}

func FuzzParseJWT(f *testing.F) {
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.c2ln")
	f.Add("eyJhbGciOiJub25lIn0.eyJhdWQiOlsiYSIsMV0sImV4cCI6MWUzMDB9.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		j, err := ParseJWT(tok)
		if err != nil {
			if j != nil {
				t.Fatal("error with a JWT")
			}
			return
		}
		if j.Header == nil || j.Claims == nil {
			t.Fatal("nil header or claims without an error")
		}
		for _, tm := range []*time.Time{j.Expires, j.NotBefore, j.IssuedAt} {
			if tm != nil && (tm.Year() > 9999 || tm.Year() < -9999) {
				t.Fatalf("time out of range: %v", tm)
			}
		}
	})
}
