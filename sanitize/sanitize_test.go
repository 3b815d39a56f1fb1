package sanitize

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"authlens/analysis/decode"
	"authlens/har"
)

var testSalt = []byte("unit-test-salt-0123456789abcdef!")

func newSan(t *testing.T, opts Options) *Sanitizer {
	t.Helper()
	if opts.Salt == nil {
		opts.Salt = testSalt
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// jwtOf builds an unsigned-looking compact JWS with the given claims.
func jwtOf(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJlLXNlY3JldC1ieXRlcy0xMjM0NTY3ODkw"
}

func TestBearerJWTKeepsHeaderAndClaims(t *testing.T) {
	s := newSan(t, Options{})
	tok := jwtOf(`{"sub":"alice","aud":"api://orders","exp":1700000000,"scp":"read"}`)
	out := s.Authorization("Bearer " + tok)
	if !strings.HasPrefix(out, "Bearer ") {
		t.Fatalf("scheme lost: %q", out)
	}
	got := strings.TrimPrefix(out, "Bearer ")
	parts := strings.Split(got, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[2], sigPrefix) {
		t.Fatalf("want header.claims.sanitized…, got %q", got)
	}
	if strings.Contains(out, "c2lnbmF0dXJl") {
		t.Fatalf("signature kept: %q", out)
	}
	c := decode.ParseCredentials(out)
	if c.Malformed != "" || c.Bearer == nil || c.Bearer.JWT == nil {
		t.Fatalf("the placeholder does not decode as a JWT: %+v", c)
	}
	j := c.Bearer.JWT
	if j.Subject != "alice" || len(j.Audience) != 1 || j.Audience[0] != "api://orders" || j.Expires == nil || j.Expires.Unix() != 1700000000 || len(j.Scopes) != 1 {
		t.Fatalf("claims not kept: %+v", j)
	}
	// Same token, same placeholder; another token, another one.
	if again := s.Authorization("Bearer " + tok); again != out {
		t.Fatalf("not stable: %q then %q", out, again)
	}
	other := jwtOf(`{"sub":"alice","aud":"api://orders","exp":1700000001}`)
	if s.Authorization("Bearer "+other) == out {
		t.Fatal("two tokens got one placeholder")
	}
}

func TestDropJWTClaims(t *testing.T) {
	s := newSan(t, Options{DropJWTClaims: true})
	out := s.Authorization("Bearer " + jwtOf(`{"sub":"alice","email":"alice@example.com"}`))
	c := decode.ParseCredentials(out)
	if c.Bearer == nil || c.Bearer.JWT == nil || len(c.Bearer.JWT.Claims) != 0 {
		t.Fatalf("claims not dropped: %q", out)
	}
	if !strings.Contains(s.Describe(), "claims emptied") {
		t.Fatalf("Describe does not say the claims were dropped: %s", s.Describe())
	}
}

func TestBasicKeepsShape(t *testing.T) {
	cred := base64.StdEncoding.EncodeToString([]byte("alice:S3cret-Passw0rd"))
	for _, keep := range []bool{false, true} {
		s := newSan(t, Options{KeepBasicUser: keep})
		out := s.Authorization("Basic " + cred)
		c := decode.ParseCredentials(out)
		if c.Malformed != "" || c.Basic == nil || !c.Basic.HasPassword {
			t.Fatalf("keep=%v: %q does not decode as Basic user:password: %+v", keep, out, c)
		}
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(out, "Basic "))
		if strings.Contains(string(raw), "S3cret-Passw0rd") || strings.Contains(out, cred) {
			t.Fatalf("password kept: %q", raw)
		}
		if (c.Basic.Username == "alice") != keep {
			t.Fatalf("keep=%v: user %q", keep, c.Basic.Username)
		}
		if len(raw) != len("alice:S3cret-Passw0rd") {
			t.Fatalf("length changed: %q", raw)
		}
	}
	// Non-ASCII stays non-ASCII (a rule explains charset problems).
	s := newSan(t, Options{})
	out := s.Authorization("Basic " + base64.StdEncoding.EncodeToString([]byte("jürgen:pässwörd")))
	if c := decode.ParseCredentials(out); c.Basic == nil || !c.Basic.NonASCII {
		t.Fatalf("non-ASCII lost: %+v", c)
	}
	// Malformed stays malformed the same way.
	if c := decode.ParseCredentials(s.Authorization("Basic alice:secretpw")); c.Malformed != "not base64: looks like a plain user:password" {
		t.Fatalf("malformed Basic changed: %q", c.Malformed)
	}
}

// ntlmType3 builds a Unicode NTLM type-3 message with a user and
// recognisable responses.
func ntlmType3(user string) string {
	u := make([]byte, 0, 2*len(user))
	for _, r := range user {
		u = append(u, byte(r), 0)
	}
	lm := bytes.Repeat([]byte{0xAA}, 24)
	nt := bytes.Repeat([]byte{0xBB}, 48)
	b := make([]byte, 64)
	copy(b, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(b[8:], 3)
	binary.LittleEndian.PutUint32(b[60:], decode.NTLMFlagUnicode|decode.NTLMFlagNTLM)
	put := func(off int, data []byte) {
		binary.LittleEndian.PutUint16(b[off:], uint16(len(data)))
		binary.LittleEndian.PutUint16(b[off+2:], uint16(len(data)))
		binary.LittleEndian.PutUint32(b[off+4:], uint32(len(b)))
		b = append(b, data...)
	}
	put(12, lm)
	put(20, nt)
	put(28, []byte("C\x00O\x00R\x00P\x00"))
	put(36, u)
	put(44, []byte("W\x00S\x00"))
	return base64.StdEncoding.EncodeToString(b)
}

func TestNTLMKeepsTypeAndFlags(t *testing.T) {
	s := newSan(t, Options{})
	msg := ntlmType3("alice")
	out := s.Authorization("NTLM " + msg)
	c := decode.ParseCredentials(out)
	if c.Malformed != "" || c.NTLM == nil || c.NTLM.Type != 3 || c.NTLM.Flags != decode.NTLMFlagUnicode|decode.NTLMFlagNTLM || c.NTLM.Domain != "CORP" {
		t.Fatalf("type/flags/domain lost: %+v %+v", c, c.NTLM)
	}
	if c.NTLM.User == "alice" || len(c.NTLM.User) != 5 {
		t.Fatalf("user %q: want a 5-letter placeholder", c.NTLM.User)
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(out, "NTLM "))
	if bytes.Contains(raw, bytes.Repeat([]byte{0xAA}, 8)) || bytes.Contains(raw, bytes.Repeat([]byte{0xBB}, 8)) {
		t.Fatal("the LM/NT responses were kept")
	}
	if k := newSan(t, Options{KeepBasicUser: true}); decode.ParseCredentials(k.Authorization("Negotiate "+msg)).NTLM.User != "alice" {
		t.Fatal("KeepBasicUser did not keep the NTLM user")
	}
	// Kerberos keeps its ASN.1 prefix.
	kerb := "YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6iBwMFACAAAACjggSVYYIEkTCCBI2gAwIBBaEPGw1DT1JQ"
	if c := decode.ParseCredentials(s.Authorization("Negotiate " + kerb)); !c.Kerberos {
		t.Fatalf("Kerberos token no longer reads as Kerberos: %+v", c)
	}
}

func TestDigestKeepsNonce(t *testing.T) {
	s := newSan(t, Options{})
	v := `Digest username="alice", realm="r", nonce="abc123nonce", uri="/x", response="6629fae49393a05397450978507c4ef1", qop=auth, nc=00000001, cnonce="0a4f113b"`
	out := s.Authorization(v)
	if !strings.Contains(out, `nonce="abc123nonce"`) || strings.Contains(out, "6629fae49393a05397450978507c4ef1") || !strings.Contains(out, `realm="r"`) {
		t.Fatalf("digest: %s", out)
	}
}

func TestCookiesKeepNamesAndEquality(t *testing.T) {
	s := newSan(t, Options{})
	a := s.CookieHeader("session=abcDEF1234567890xyz; theme=dark; csrftoken=Zz9")
	b := s.CookieHeader("session=abcDEF1234567890xyz")
	c := s.CookieHeader("session=abcDEF1234567890xyw")
	if !strings.HasPrefix(a, "session=") || !strings.Contains(a, "; theme=") || !strings.Contains(a, "; csrftoken=") {
		t.Fatalf("names or separators lost: %s", a)
	}
	if strings.Contains(a, "abcDEF1234567890xyz") || strings.Contains(a, "theme=dark") {
		t.Fatalf("values kept: %s", a)
	}
	if strings.SplitN(a, ";", 2)[0] != b {
		t.Fatalf("the same cookie got two placeholders: %s vs %s", a, b)
	}
	if b == c {
		t.Fatal("two cookies got one placeholder")
	}
	set := s.SetCookie("session=abcDEF1234567890xyz; Path=/app; Secure; HttpOnly; SameSite=Lax")
	if set != b+"; Path=/app; Secure; HttpOnly; SameSite=Lax" {
		t.Fatalf("Set-Cookie: %s (want %s; attributes)", set, b)
	}
	if s.SetCookie("session=; Max-Age=0") != "session=; Max-Age=0" {
		t.Fatal("an empty (deleting) value must stay empty")
	}
}

func TestSaltKeysPlaceholders(t *testing.T) {
	a := newSan(t, Options{Salt: []byte("salt-one-0123456789abcdef")}).Value("abcDEF1234567890xyz")
	b := newSan(t, Options{Salt: []byte("salt-two-0123456789abcdef")}).Value("abcDEF1234567890xyz")
	if a == b {
		t.Fatal("two salts gave one placeholder: placeholders could be compared across exports")
	}
	r1, _ := New(Options{})
	r2, _ := New(Options{})
	if r1.Value("abcDEF1234567890xyz") == r2.Value("abcDEF1234567890xyz") {
		t.Fatal("two exports without a salt share placeholders: the salt is not random")
	}
	// A salt file shares one salt between exports.
	path := filepath.Join(t.TempDir(), "salt")
	s1, created, err := LoadSalt(path)
	if err != nil || !created {
		t.Fatalf("LoadSalt: %v created=%v", err, created)
	}
	s2, created, err := LoadSalt(path)
	if err != nil || created || !bytes.Equal(s1, s2) {
		t.Fatalf("second LoadSalt: %v created=%v equal=%v", err, created, bytes.Equal(s1, s2))
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("salt file mode %v, want 0600", fi.Mode().Perm())
	}
	if newSan(t, Options{Salt: s1}).Value("x-secret-1234") != newSan(t, Options{Salt: s2}).Value("x-secret-1234") {
		t.Fatal("one salt file, two placeholders")
	}
	os.WriteFile(path, []byte("not hex"), 0o600)
	if _, _, err := LoadSalt(path); err == nil {
		t.Fatal("a broken salt file was accepted")
	}
}

func TestURLs(t *testing.T) {
	s := newSan(t, Options{ExtraNames: []string{"tenant_secret_id"}})
	in := "https://bob:hunter22@api.example.com/v1/reset/9fK3mQ7xLp2ZrT8vWc4N6bYh1JdS5gAe?access_token=tok123456789&page=2&code=SplxlOBeZQQYbYS6WxSbIA&tenant_secret_id=T-77&error=invalid_grant#id_token=" + jwtOf(`{"sub":"x"}`)
	out := s.URL(in)
	for _, secret := range []string{"bob", "hunter22", "tok123456789", "SplxlOBeZQQYbYS6WxSbIA", "T-77", "9fK3mQ7xLp2ZrT8vWc4N6bYh1JdS5gAe", "c2lnbmF0dXJl"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q kept in %s", secret, out)
		}
	}
	for _, kept := range []string{"https://", "@api.example.com/v1/reset/", "?access_token=", "&page=2&code=", "&error=invalid_grant#id_token=eyJ"} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q lost in %s", kept, out)
		}
	}
	if s.URL(in) != out {
		t.Error("URL is not stable")
	}
	// The queryString array gets the same placeholder as the URL.
	if p := s.Param("access_token", "tok123456789", false); !strings.Contains(out, "access_token="+p+"&") {
		t.Errorf("queryString placeholder %q differs from the URL's: %s", p, out)
	}
	// An error code is not an OAuth code.
	if s.Param("code", "rest_cookie_invalid_nonce", false) != "rest_cookie_invalid_nonce" {
		t.Error("an error code was replaced")
	}
}

func TestBodies(t *testing.T) {
	s := newSan(t, Options{ExtraNames: []string{"pin_code"}})
	json := `{"user":"alice","status":{"code":401},"password":"hunter2hunter2","nested":{"refresh_token":"rt-123456789"},"pin_code":12345678,"code":"invalid_grant","next":"https://x.example/cb?token=abcdefgh123"}`
	out := s.Text(json)
	for _, secret := range []string{"hunter2hunter2", "rt-123456789", "12345678", "abcdefgh123"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q kept: %s", secret, out)
		}
	}
	if !strings.Contains(out, `"user":"alice"`) || !strings.Contains(out, `"code":"invalid_grant"`) || !strings.Contains(out, `"code":401`) {
		t.Errorf("non-secrets lost: %s", out)
	}
	html := `<form><input type="hidden" name="csrfmiddlewaretoken" value="Q1w2E3r4T5y6U7i8O9p0"><meta name="csrf-token" content="mEtAtOkEn123456"></form>`
	out = s.Text(html)
	if strings.Contains(out, "Q1w2E3r4T5y6U7i8O9p0") || strings.Contains(out, "mEtAtOkEn123456") || !strings.Contains(out, `name="csrfmiddlewaretoken" value="`) {
		t.Errorf("HTML: %s", out)
	}
	form := "username=alice&password=p%40ss+word1&next=%2Fapp"
	if out := s.Query(form); strings.Contains(out, "p%40ss+word1") || !strings.HasPrefix(out, "username=alice&password=") || !strings.HasSuffix(out, "&next=%2Fapp") {
		t.Errorf("form: %s", out)
	}
	mp := "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nalice\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nmultipartSecret1\r\n--XyZ--\r\n"
	out = s.multipart(mp, "multipart/form-data; boundary=XyZ")
	if strings.Contains(out, "multipartSecret1") || !strings.Contains(out, "\r\n\r\nalice\r\n") || len(out) != len(mp) {
		t.Errorf("multipart: %q", out)
	}
}

// sampleHAR writes a small HAR with secrets everywhere and an image.
func sampleHAR(t *testing.T) *har.Trace {
	t.Helper()
	tok := jwtOf(`{"sub":"alice","exp":1700000000}`)
	start := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	entries := []*har.Entry{
		{StartedDateTime: start, Request: har.Request{Method: "POST", URL: "https://app.example/login?next=/app", HTTPVersion: "HTTP/1.1",
			Headers:  []har.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
			PostData: &har.PostData{MimeType: "application/x-www-form-urlencoded", Text: "user=alice&password=CorrectHorse9"}},
			Response: har.Response{Status: 302, StatusText: "Found", HTTPVersion: "HTTP/1.1", RedirectURL: "https://app.example/app?session_token=st-9876543210",
				Headers: []har.Header{{Name: "Set-Cookie", Value: "sid=SiD-0123456789abcdef; Path=/; HttpOnly"}, {Name: "Location", Value: "https://app.example/app?session_token=st-9876543210"}},
				Cookies: []har.Cookie{{Name: "sid", Value: "SiD-0123456789abcdef", Path: "/", HTTPOnly: true}}}},
		{StartedDateTime: start.Add(time.Second), Request: har.Request{Method: "GET", URL: "https://app.example/logo.png", HTTPVersion: "HTTP/1.1",
			Headers: []har.Header{{Name: "Cookie", Value: "sid=SiD-0123456789abcdef"}}, Cookies: []har.Cookie{{Name: "sid", Value: "SiD-0123456789abcdef"}}},
			Response: har.Response{Status: 200, StatusText: "OK", HTTPVersion: "HTTP/1.1", Content: har.Content{Size: 4, MimeType: "image/png", Text: "iVBORw==", Encoding: "base64"}}},
		{StartedDateTime: start.Add(2 * time.Second), Request: har.Request{Method: "GET", URL: "https://api.example/orders", HTTPVersion: "HTTP/1.1",
			Headers: []har.Header{{Name: "Authorization", Value: "Bearer " + tok}, {Name: "X-Api-Key", Value: "ak_live_1234567890abcdef"}}},
			Response: har.Response{Status: 401, StatusText: "Unauthorized", HTTPVersion: "HTTP/1.1",
				Headers: []har.Header{{Name: "WWW-Authenticate", Value: `Bearer error="invalid_token", error_description="The access token expired"`}},
				Content: har.Content{Size: 60, MimeType: "application/json", Text: `{"error":"invalid_token","echo":"Bearer ` + tok + `","key":"ak_live_1234567890abcdef"}`}}},
	}
	var buf bytes.Buffer
	w, err := har.NewWriter(&buf, har.Log{Creator: har.Creator{Name: "test", Version: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.WriteEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	h, err := har.LoadBytes(context.Background(), "sample.har", buf.Bytes(), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestWriteSampleAndValidate(t *testing.T) {
	h := sampleHAR(t)
	var buf bytes.Buffer
	st, err := Write(context.Background(), &buf, h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"CorrectHorse9", "SiD-0123456789abcdef", "st-9876543210", "ak_live_1234567890abcdef", "c2lnbmF0dXJl", "iVBORw=="} {
		if strings.Contains(out, secret) {
			t.Errorf("%q survived", secret)
		}
	}
	if st.Credentials != 1 || st.Cookies < 4 || st.BodiesDropped != 1 || st.JWTs < 1 {
		t.Errorf("stats %+v", st)
	}
	h2, err := har.LoadBytes(context.Background(), "out.har", buf.Bytes(), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h2.Log.Comment, CommentPrefix) {
		t.Errorf("log.comment: %q", h2.Log.Comment)
	}
	// Equality survives: the cookie set at entry 0 is the one sent at 1.
	set := h2.Entries[0].Response.Cookies[0].Value
	if set != h2.Entries[1].Request.Cookies[0].Value || !strings.Contains(h2.Entries[1].Request.Headers[0].Value, set) {
		t.Errorf("the cookie sent is not the cookie set: %q vs %+v", set, h2.Entries[1].Request)
	}
	// The body echoing the token has it replaced by the same placeholder.
	auth, _ := har.HeaderValue(h2.Entries[2].Request.Headers, "Authorization")
	if !strings.Contains(h2.Entries[2].Response.Content.Text, auth) {
		t.Errorf("the echoed token differs from the header's placeholder:\n%s\n%s", auth, h2.Entries[2].Response.Content.Text)
	}
	if h2.Entries[1].Response.Content.Text != "" || h2.Entries[1].Response.Content.Comment == "" {
		t.Errorf("the image body was not dropped: %+v", h2.Entries[1].Response.Content)
	}
	path := filepath.Join(t.TempDir(), "sanitized.har")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	validateHAR(t, path)
}

// validateHAR runs npm har-validator on files; it skips only when node is
// missing.
func validateHAR(t *testing.T, files ...string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: cannot run har-validator (CI has node)")
	}
	if _, err := os.Stat("../testdata/tools/node_modules/har-validator"); err != nil {
		t.Fatalf("har-validator is not installed: run `npm ci` in testdata/tools (make deps-test does): %v", err)
	}
	out, err := exec.Command(node, append([]string{"../testdata/tools/validate-har.js"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("har-validator rejected the sanitized output: %v\n%s", err, out)
	}
}

func TestBodyPolicies(t *testing.T) {
	for _, tc := range []struct {
		p       BodyPolicy
		dropped int
	}{{BodiesErrors, 1}, {BodiesText, 1}, {BodiesKeep, 0}, {BodiesDrop, 2}} {
		h := sampleHAR(t)
		st, err := Write(context.Background(), &bytes.Buffer{}, h, Options{Bodies: tc.p})
		if err != nil {
			t.Fatal(err)
		}
		if st.BodiesDropped != tc.dropped {
			t.Errorf("%s: dropped %d bodies, want %d", tc.p, st.BodiesDropped, tc.dropped)
		}
	}
	if _, err := ParseBodyPolicy("everything"); err == nil {
		t.Error("an unknown policy was accepted")
	}
}

// TestBodiesLeftInTheSource sanitizes a trace whose bodies the reader
// left in the file (large bodies): they are read back and sanitized.
func TestBodiesLeftInTheSource(t *testing.T) {
	h := sampleHAR(t)
	var raw bytes.Buffer
	hw, _ := har.NewWriter(&raw, h.Log)
	for _, e := range h.Entries {
		hw.WriteEntry(e)
	}
	hw.Close()
	big, err := har.LoadBytes(context.Background(), "big.har", raw.Bytes(), har.Options{InlineBodyLimit: 8})
	if err != nil {
		t.Fatal(err)
	}
	if big.Entries[2].Response.Content.Ref == nil || big.Entries[0].Request.PostData.Ref == nil {
		t.Fatal("the test needs bodies left in the source")
	}
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, big, Options{Salt: testSalt}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "CorrectHorse9") || strings.Contains(out, "ak_live_1234567890abcdef") || !strings.Contains(out, "invalid_token") {
		t.Errorf("bodies from the source were not sanitized or not kept:\n%s", out)
	}
}

// FuzzSanitizer feeds hostile header values, URLs and text: nothing
// panics, the same input always gives the same output, and a secret
// header value never survives whole.
func FuzzSanitizer(f *testing.F) {
	for _, s := range []string{"Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic YWxpY2U6cHc=", "NTLM TlRMTVNTUAADAAAA", "Negotiate YIIx", `Digest response="abc"`,
		"https://u:p@h/p?token=x#a=b", `{"password":"x","a":[1,{"token":"y"}]}`, `<input name="csrf" value="v">`, "a=b; c=\"d\"", "\"", "eyJ.eyJ.", "%zz=1&token=%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := newSan(t, Options{})
		outs := []string{s.Authorization(in), s.CookieHeader(in), s.SetCookie(in), s.URL(in), s.Query(in), s.Text(in), s.Header("X-Api-Key", in)}
		s2 := newSan(t, Options{})
		again := []string{s2.Authorization(in), s2.CookieHeader(in), s2.SetCookie(in), s2.URL(in), s2.Query(in), s2.Text(in), s2.Header("X-Api-Key", in)}
		for i := range outs {
			if outs[i] != again[i] {
				t.Fatalf("function %d is not deterministic on %q: %q vs %q", i, in, outs[i], again[i])
			}
		}
		if len(in) >= 8 && strings.ContainsAny(in, "abcdefghijklmnopqrstuvwxyz0123456789") && outs[6] == in {
			t.Fatalf("a secret header value survived: %q", in)
		}
	})
}

func TestPlaceholderNeverEqualsSecret(t *testing.T) {
	s := newSan(t, Options{})
	for _, v := range []string{"-------a", "!!!!!!!!1", "________Z", "é-------", "a"} {
		if p := s.Value(v); p == v {
			t.Errorf("Value(%q) = itself", v)
		}
	}
}
