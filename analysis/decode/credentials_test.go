package decode

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"authlens/analysis/internal/ntlmtest"
)

func makeJWT(t testing.TB, header, claims map[string]any) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(c) + "." + enc([]byte("signature-bytes-not-checked"))
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestParseCredentialsBasic(t *testing.T) {
	tests := []struct {
		value, user string
		hasPw       bool
		malformed   string
		nonASCII    bool
		colonInUser bool
	}{
		{"Basic " + b64("alice:s3cret-Passw0rd"), "alice", true, "", false, false},
		{"basic " + b64("bob:"), "bob", false, "", false, false},
		{"Basic " + b64("jürgen:pässword"), "jürgen", true, "", true, false},
		{"Basic " + b64("domain:user:pw"), "domain", true, "", false, true},
		{"Basic " + b64("nocolonhere"), "", false, "no colon in Basic credentials", false, false},
		{"Basic %%%notbase64", "", false, "invalid base64", false, false},
		{"Basic alice:secret-pw", "", false, "not base64: looks like a plain user:password", false, false},
		{`Basic "` + b64("carol:pw") + `"`, "carol", true, "quoted token", false, false},
	}
	for _, tc := range tests {
		c := ParseCredentials(tc.value)
		if c.Malformed != tc.malformed {
			t.Errorf("%q: Malformed = %q, want %q", tc.value, c.Malformed, tc.malformed)
		}
		if strings.Contains(c.Masked, "secret-pw") || strings.Contains(c.Masked, "alic") && strings.HasPrefix(tc.malformed, "not base64") {
			t.Errorf("%q: Masked %q shows the plain text", tc.value, c.Masked)
		}
		if tc.malformed == "invalid base64" || strings.HasPrefix(tc.malformed, "not base64") {
			continue
		}
		if c.Basic == nil {
			t.Fatalf("%q: no Basic", tc.value)
		}
		if c.Basic.Username != tc.user || c.Basic.HasPassword != tc.hasPw || c.Basic.NonASCII != tc.nonASCII || c.Basic.ColonInUser != tc.colonInUser {
			t.Errorf("%q: got %+v", tc.value, *c.Basic)
		}
		if strings.Contains(c.Masked, "s3cret") || strings.Contains(c.Masked, "pässword") {
			t.Errorf("%q: Masked %q shows the password", tc.value, c.Masked)
		}
	}
	// ISO-8859-1 bytes are flagged as not UTF-8.
	c := ParseCredentials("Basic " + base64.StdEncoding.EncodeToString([]byte("j\xfcrgen:pw")))
	if c.Basic == nil || !c.Basic.NonASCII || !c.Basic.NotUTF8 {
		t.Errorf("latin-1 user: %+v", c.Basic)
	}
}

func TestParseCredentialsShapes(t *testing.T) {
	jwt := makeJWT(t, map[string]any{"alg": "RS256", "typ": "JWT"}, map[string]any{"sub": "u1", "exp": 1700000000})
	tests := []struct {
		value, scheme, malformed string
		jwt                      bool
	}{
		{"Bearer " + jwt, "Bearer", "", true},
		{"Bearer opaque-token-1234567890", "Bearer", "", false},
		{"Bearer Bearer " + jwt, "Bearer", "scheme doubled", true},
		{`Bearer "` + jwt + `"`, "Bearer", "quoted token", true},
		{jwt, "", "token without scheme", true},
		{"", "", "empty", false},
		{"   ", "", "empty", false},
		{"Bearer", "Bearer", "no credentials after the scheme", false},
		{"Bearer abc def", "Bearer", "spaces inside the token", false},
		{"DPoP " + jwt, "DPoP", "", true},
		{"Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg==", "Negotiate", "", false},
		{"Negotiate !!!", "Negotiate", "Negotiate token is neither Kerberos (SPNEGO) nor NTLM", false},
	}
	for _, tc := range tests {
		c := ParseCredentials(tc.value)
		if c.Scheme != tc.scheme || c.Malformed != tc.malformed {
			t.Errorf("%q: scheme %q malformed %q, want %q %q", tc.value, c.Scheme, c.Malformed, tc.scheme, tc.malformed)
		}
		if got := c.Bearer != nil && c.Bearer.JWT != nil; got != tc.jwt {
			t.Errorf("%q: JWT decoded = %v, want %v", tc.value, got, tc.jwt)
		}
		if len(jwt) > 0 && strings.Contains(c.Masked, jwt) {
			t.Errorf("%q: Masked shows the token", tc.value)
		}
	}
	if c := ParseCredentials(tests[10].value); !c.Kerberos {
		t.Errorf("YII token not recognised as Kerberos")
	}
}

func TestParseCredentialsDigest(t *testing.T) {
	v := `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
	c := ParseCredentials(v)
	if c.Malformed != "" {
		t.Fatalf("Malformed %q", c.Malformed)
	}
	for k, want := range map[string]string{"username": "Mufasa", "realm": "http-auth@example.org", "uri": "/dir/index.html", "qop": "auth", "algorithm": "SHA-256"} {
		if c.Digest[k] != want {
			t.Errorf("Digest[%s] = %q, want %q", k, c.Digest[k], want)
		}
	}
	if strings.Contains(c.Digest["response"], "753927fa0e85") || strings.Contains(c.Masked, "753927fa0e85d1555") {
		t.Errorf("response not masked: %q / %q", c.Digest["response"], c.Masked)
	}
}

func TestParseCredentialsNTLM(t *testing.T) {
	uni := ntlmtest.FlagUnicode | ntlmtest.FlagNTLM
	t1 := ntlmtest.Base64(ntlmtest.Type1(uni|ntlmtest.FlagOEM, "CORP", "WS01"))
	t3 := ntlmtest.Base64(ntlmtest.Type3(uni, "CORP", "jdoe", "WS01", false))
	c := ParseCredentials("NTLM " + t1)
	if c.NTLM == nil || c.NTLM.Type != 1 || c.NTLM.Domain != "CORP" || c.NTLM.Workstation != "WS01" {
		t.Fatalf("type 1: %+v (%s)", c.NTLM, c.Malformed)
	}
	c = ParseCredentials("Negotiate " + t3)
	if c.Kerberos || c.NTLM == nil || c.NTLM.Type != 3 || c.NTLM.User != "jdoe" || c.NTLM.Domain != "CORP" || !c.NTLM.Unicode {
		t.Fatalf("NTLM in Negotiate: %+v kerberos=%v (%s)", c.NTLM, c.Kerberos, c.Malformed)
	}
}

func FuzzParseCredentials(f *testing.F) {
	f.Add("Basic", "alice:correct horse")
	f.Add("Bearer", "eyJhbGciOiJub25lIn0.eyJleHAiOjF9.c2ln")
	f.Add("basic", "x")
	f.Add("Digest", `username="a", response="0123456789abcdef0123456789abcdef"`)
	f.Add("NTLM", "TlRMTVNTUAADAAAA")
	f.Add("", "Bearer Bearer x")
	f.Fuzz(func(t *testing.T, scheme, secret string) {
		var value string
		switch strings.ToLower(scheme) {
		case "basic":
			value = scheme + " " + b64(secret)
		default:
			value = scheme + " " + secret
		}
		c := ParseCredentials(value)
		if strings.EqualFold(scheme, "basic") {
			if _, pw, ok := strings.Cut(secret, ":"); ok && len(pw) >= 4 && c.Basic != nil {
				shown := strings.Replace(c.Masked, QuoteName(c.Basic.Username), "", 1)
				if strings.Contains(shown, pw) && !strings.Contains(`Basic (user , password hidden)`, pw) {
					t.Fatalf("Masked %q shows the password %q", c.Masked, pw)
				}
			}
			if c.Basic != nil && c.Basic.HasPassword != strings.Contains(secret, ":") && strings.Index(secret, ":") < len(secret)-1 {
				t.Fatalf("HasPassword %v for %q", c.Basic.HasPassword, secret)
			}
			return
		}
		tok := strings.TrimSpace(secret)
		// Digest parameters other than response are meant to be shown.
		if !strings.EqualFold(c.Scheme, "digest") && len(tok) >= 16 && strings.Contains(c.Masked, tok) {
			t.Fatalf("Masked %q shows the token %q", c.Masked, tok)
		}
		if c.Digest != nil {
			if r, ok := c.Digest["response"]; ok && len(r) > 0 && strings.Contains(value, r) && len(r) >= 16 {
				t.Fatalf("Digest response %q not masked", r)
			}
			if chs, err := ParseChallenges("Digest " + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(value), scheme))); err == nil && len(chs) == 1 {
				if r := chs[0].Params["response"]; len(r) >= 16 && strings.Contains(c.Masked, r) {
					t.Fatalf("Masked %q shows the Digest response %q", c.Masked, r)
				}
			}
		}
	})
}
