package cli

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authlens/har"
)

// demoTrace is the recorded demo: a JWT, session cookies and a login form.
const demoTrace = "../../testdata/traces/expired-token/demo/trace.har"

func TestSanitizeCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "clean.har")
	salt := filepath.Join(dir, "salt")
	stdout, stderr, code := runCLI("sanitize", "--salt-file", salt, "--secret-name", "q", demoTrace, out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote ") || !strings.Contains(stderr, "created the salt file") {
		t.Errorf("stdout %q stderr %q", stdout, stderr)
	}
	orig, err := har.Load(context.Background(), demoTrace, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	for _, e := range orig.Entries {
		for _, h := range e.Request.Headers {
			if strings.EqualFold(h.Name, "Authorization") {
				_, cred, _ := strings.Cut(h.Value, " ")
				if strings.Contains(string(b), cred) {
					t.Errorf("entry %d: the credential survived", e.Index)
				}
			}
		}
		for _, c := range e.Request.Cookies {
			if len(c.Value) >= 8 && strings.Contains(string(b), c.Value) {
				t.Errorf("entry %d: cookie %s survived", e.Index, c.Name)
			}
		}
	}
	// --secret-name q replaced the search text (a non-secret by default).
	if strings.Contains(string(b), "%3Cscript%3Ealert(1)") {
		t.Error("--secret-name q was ignored")
	}
	// Same salt file, same placeholders.
	out2 := filepath.Join(dir, "clean2.har")
	if _, stderr, code := runCLI("sanitize", "--salt-file", salt, "--secret-name", "q", demoTrace, out2); code != 0 {
		t.Fatalf("second run: %s", stderr)
	}
	b2, _ := os.ReadFile(out2)
	if string(b) != string(b2) {
		t.Error("one salt file gave two different outputs")
	}
	// Refusals: OUT exists, IN is OUT, bad policy, wrong arguments.
	if _, stderr, code := runCLI("sanitize", demoTrace, out); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("overwrote without --force: %d %s", code, stderr)
	}
	if _, _, code := runCLI("sanitize", "--force", demoTrace, demoTrace); code != 1 {
		t.Error("sanitized a file onto itself")
	}
	if _, _, code := runCLI("sanitize", "--bodies", "most", demoTrace, out); code != 2 {
		t.Error("accepted an unknown body policy")
	}
	if _, _, code := runCLI("sanitize", demoTrace); code != 2 {
		t.Error("accepted a missing OUT")
	}
}

func TestSanitizeKeepsBasicUserOnRequest(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "basic.har")
	cred := base64.StdEncoding.EncodeToString([]byte("alice:Sup3rS3cretPw"))
	doc := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-12-01T10:00:00.000Z","time":1,
"request":{"method":"GET","url":"https://h.example/","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Basic ` + cred + `"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1},
"response":{"status":401,"statusText":"","httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Basic realm=\"x\""}],"cookies":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":-1},
"cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}`
	os.WriteFile(in, []byte(doc), 0o600)
	for _, keep := range []bool{false, true} {
		out := filepath.Join(dir, "out.har")
		args := []string{"sanitize", "--force"}
		if keep {
			args = append(args, "--keep-basic-user")
		}
		if _, stderr, code := runCLI(append(args, in, out)...); code != 0 {
			t.Fatal(stderr)
		}
		h, err := har.Load(context.Background(), out, har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := har.HeaderValue(h.Entries[0].Request.Headers, "Authorization")
		h.Close()
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "Basic "))
		if strings.Contains(string(raw), "Sup3rS3cretPw") || strings.HasPrefix(string(raw), "alice:") != keep {
			t.Errorf("keep=%v: %q", keep, raw)
		}
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("Customer: reports page fails since Monday."), 0o600)
	html := filepath.Join(dir, "r.html")
	if _, stderr, code := runCLI("report", "--format", "html", "--notes", notes, demoTrace, html); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(html)
	for _, want := range []string{"<!DOCTYPE html>", "expired-token", "since Monday", "Timeline"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	stdout, stderr, code := runCLI("report", "--format", "markdown", "--audience", "customer", demoTrace, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "What to do") || strings.Contains(stdout, "expired-token") {
		t.Errorf("customer Markdown:\n%s", stdout)
	}
	if _, _, code := runCLI("report", "--format", "pdf", demoTrace, "-"); code != 2 {
		t.Error("accepted --format pdf")
	}
	if _, _, code := runCLI("report", "--audience", "boss", demoTrace, "-"); code != 2 {
		t.Error("accepted an unknown audience")
	}
}
