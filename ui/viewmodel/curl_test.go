package viewmodel

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"authlens/har"
)

// shellWords splits a command the way a POSIX shell does for the subset
// Curl writes: words separated by blanks, backslash-newline joining lines,
// '…' single quotes (nothing special inside), \x escapes outside quotes,
// "…" double quotes (for completeness). ok is false on anything else
// (an unquoted $, `, ;, |, &, <, >, (, ), which the shell would act on).
func shellWords(s string) (words []string, ok bool) {
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, false
			}
			i++
			if s[i] == '\n' {
				continue // line continuation
			}
			cur.WriteByte(s[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, false
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case strings.IndexByte("$`;|&<>()\"*?[#~", c) >= 0:
			return nil, false
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, true
}

var hostile = []string{
	`it's`, "two\nlines", `$(rm -rf /)`, "`id`", `"quoted"`, `back\slash`, `$HOME`, `*`, `a;b|c&d`, `'`, `''`, "", " lead", "tab\there", "~root", "#x", "é ünïcode",
}

func TestCurlQuotesHostileInput(t *testing.T) {
	for _, h := range hostile {
		req := CurlRequest{Method: "PUT", URL: "https://api.example.com/x?q=" + h, Headers: []har.Header{{Name: "X-Note", Value: h}}, Body: h, HasBody: true}
		args := CurlArgs(req, true)
		cmd := Curl(req, true)
		got, ok := shellWords(cmd)
		if !ok || !slices.Equal(got, args) {
			t.Errorf("%q: command %q splits into %q, want %q", h, cmd, got, args)
		}
	}
}

// TestCurlThroughRealShell runs the commands through sh, printing the
// argv instead of calling curl.
func TestCurlThroughRealShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, h := range hostile {
		req := CurlRequest{Method: "POST", URL: "https://x.example/" + h, Headers: []har.Header{{Name: "X-Note", Value: h}}, Body: h, HasBody: true}
		args := CurlArgs(req, true)
		cmd := strings.Replace(Curl(req, true), "curl", `printf '%s\0'`, 1)
		out, err := exec.Command(sh, "-c", cmd).Output()
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
		if !slices.Equal(got, args[1:]) {
			t.Errorf("%q: sh saw %q, want %q", h, got, args[1:])
		}
	}
}

func TestCurlMasksUnlessRevealed(t *testing.T) {
	req := CurlRequest{Method: "POST", URL: "https://api.example.com/token?access_token=abcdefghijklmnop1234",
		Headers: []har.Header{{Name: "Authorization", Value: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln"},
			{Name: "Cookie", Value: "SESSION=s3cr3tS3ssion"}, {Name: "Content-Length", Value: "9"}, {Name: ":authority", Value: "x"}},
		Body: "client_secret=hunter2hunter2&grant_type=refresh_token", HasBody: true}
	masked := Curl(req, false)
	for _, secret := range []string{"abcdefghijklmnop1234", "c2lnbmF0dXJlc2ln", "s3cr3tS3ssion", "hunter2hunter2"} {
		if strings.Contains(masked, secret) {
			t.Errorf("masked command shows %q:\n%s", secret, masked)
		}
		if !strings.Contains(Curl(req, true), secret) {
			t.Errorf("revealed command lacks %q", secret)
		}
	}
	if strings.Contains(masked, "Content-Length") || strings.Contains(masked, ":authority") || strings.Contains(masked, "-X") {
		t.Errorf("curl's own headers or a needless -X POST kept:\n%s", masked)
	}
	if !strings.HasPrefix(masked, "curl 'https://api.example.com/token?access_token=") || !strings.Contains(masked, "--data-binary") {
		t.Errorf("command:\n%s", masked)
	}
}

func FuzzCurl(f *testing.F) {
	for _, h := range hostile {
		f.Add("POST", "https://x.example/"+h, "X-"+h, h, h, true)
	}
	f.Add("GET", "https://x.example/", "Accept", "*/*", "", false)
	f.Fuzz(func(t *testing.T, method, url, name, value, body string, hasBody bool) {
		req := CurlRequest{Method: method, URL: url, Headers: []har.Header{{Name: name, Value: value}}, Body: body, HasBody: hasBody}
		for _, reveal := range []bool{true, false} {
			args := CurlArgs(req, reveal)
			got, ok := shellWords(Curl(req, reveal))
			if !ok || !slices.Equal(got, args) {
				t.Fatalf("reveal %v: %q splits into %q, want %q", reveal, Curl(req, reveal), got, args)
			}
		}
	})
}
