package sanitize

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
	"authlens/report"
)

// corpusDir holds every test trace, one folder per trace with trace.har.
const corpusDir = "../testdata/traces"

// corpusTraces returns the path of every trace.har under the corpus.
func corpusTraces(t *testing.T) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "trace.har" {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 100 {
		t.Fatalf("found %d traces under %s, want the whole corpus", len(paths), corpusDir)
	}
	return paths
}

// analyze runs the whole catalogue on h.
func analyze(t *testing.T, h *har.Trace) *analysis.Report {
	t.Helper()
	rep, err := analysis.Analyze(context.Background(), trace.FromHAR(h), rules.All())
	if err != nil {
		t.Fatalf("%s: %v", h.Path, err)
	}
	return rep
}

// diagnosis is what must survive sanitizing: per listed exchange, its
// index, status, problem flag and causes in rank order.
func diagnosis(rep *analysis.Report) []string {
	var out []string
	for _, x := range rep.Exchanges {
		var causes []string
		for _, d := range x.Diagnoses {
			causes = append(causes, d.Cause)
		}
		out = append(out, fmt.Sprintf("#%d %d problem=%v %s", x.Index, x.Status, x.Problem, strings.Join(causes, ",")))
	}
	return out
}

// sanitizeTrace loads path and returns its sanitized bytes, with the
// given options and a fixed salt.
func sanitizeTrace(t *testing.T, h *har.Trace, opts Options) []byte {
	t.Helper()
	if opts.Salt == nil {
		opts.Salt = []byte("corpus-test-salt-0123456789abcdef")
	}
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, h, opts); err != nil {
		t.Fatalf("%s: %v", h.Path, err)
	}
	return buf.Bytes()
}

// TestCorpusDiagnosisSurvives sanitizes every trace of the corpus,
// analyses the result and requires the same causes, in the same order,
// and the same problem flags for every exchange; and that no secret of
// the original appears anywhere in the sanitized bytes.
func TestCorpusDiagnosisSurvives(t *testing.T) {
	ctx := context.Background()
	paths := corpusTraces(t)
	same := 0
	var failures []string
	dir := t.TempDir()
	var written []string
	for n, p := range paths {
		h, err := har.Load(ctx, p, har.Options{})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		rep := analyze(t, h)
		want := diagnosis(rep)
		secrets := collectSecrets(t, h)
		// As `authlens sanitize` and the app do: keep the bodies the
		// diagnosis points at.
		out := sanitizeTrace(t, h, Options{KeepBodies: report.Entries(rep)})
		h.Close()
		for _, s := range secrets {
			if bytes.Contains(out, []byte(s)) || bytes.Contains(out, []byte(jsonEscaped(s))) {
				t.Errorf("%s: the sanitized file still holds the secret %s", p, redact.Value(s))
			}
		}
		w := filepath.Join(dir, fmt.Sprintf("%03d.har", n))
		if err := os.WriteFile(w, out, 0o600); err != nil {
			t.Fatal(err)
		}
		written = append(written, w)
		h2, err := har.LoadBytes(ctx, p+" (sanitized)", out, har.Options{})
		if err != nil {
			t.Fatalf("%s: the sanitized file does not load: %v", p, err)
		}
		got := diagnosis(analyze(t, h2))
		if !strings.Contains(h2.Log.Comment, CommentPrefix) {
			t.Errorf("%s: log.comment does not say the file was sanitized: %q", p, h2.Log.Comment)
		}
		h2.Close()
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			same++
			continue
		}
		failures = append(failures, fmt.Sprintf("%s:\n  want %s\n  got  %s", p, strings.Join(want, "\n       "), strings.Join(got, "\n       ")))
	}
	t.Logf("diagnosis survives sanitizing in %d of %d traces", same, len(paths))
	// Every sanitized file passes the HAR 1.2 schema.
	validateHAR(t, written...)
	if len(failures) > 0 {
		t.Errorf("%d of %d traces changed diagnosis after sanitizing:\n%s", len(failures), len(paths), strings.Join(failures, "\n"))
	}
}

// secretMin is the shortest secret the corpus test looks for: shorter
// values ("1", "en", "abc") occur in any text by chance.
const secretMin = 8

// collectSecrets gathers, from the original trace, every value that must
// not survive sanitizing: Authorization and Proxy-Authorization
// credentials (the whole credential, a JWT's signature, a Basic password),
// cookie values (headers and arrays), and secret-named query, form and
// JSON values (requests and responses).
func collectSecrets(t *testing.T, h *har.Trace) []string {
	t.Helper()
	set := map[string]bool{}
	add := func(v string) {
		v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), `"`))
		if len(v) >= secretMin {
			set[v] = true
		}
	}
	// A cookie value with whitespace is not a token (RFC 6265 forbids it)
	// but text such as an injected payload; the sanitizer keeps it.
	addCookie := func(v string) {
		if !strings.ContainsAny(strings.TrimSpace(v), " \t") {
			add(v)
		}
	}
	// A "code" that is an error code ("invalid_grant") is no secret.
	addNamed := func(name, v string) {
		if !strings.EqualFold(name, "code") || !errorCode(v) {
			add(v)
		}
	}
	for _, e := range h.Entries {
		for _, hd := range e.Request.Headers {
			switch strings.ToLower(hd.Name) {
			case "authorization", "proxy-authorization":
				scheme, cred, ok := strings.Cut(strings.TrimSpace(hd.Value), " ")
				if !ok {
					add(scheme)
					continue
				}
				cred = strings.TrimSpace(cred)
				switch strings.ToLower(scheme) {
				case "basic":
					add(cred)
					if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
						if _, pass, ok := strings.Cut(string(raw), ":"); ok {
							add(pass)
						}
					}
				case "digest":
					if _, after, ok := strings.Cut(cred, `response="`); ok {
						r, _, _ := strings.Cut(after, `"`)
						add(r)
					}
				case "ntlm", "negotiate":
					// A type-1 message holds only flags and, optionally, the
					// domain and workstation names: nothing secret, kept.
					if raw, err := base64.StdEncoding.DecodeString(cred); err == nil && len(raw) >= 12 && string(raw[:7]) == "NTLMSSP" && raw[8] == 1 {
						continue
					}
					add(cred)
				default:
					add(cred)
					if parts := strings.Split(cred, "."); len(parts) == 3 {
						add(parts[2])
					}
				}
			case "cookie":
				for _, part := range strings.Split(hd.Value, ";") {
					if _, v, ok := strings.Cut(part, "="); ok {
						addCookie(v)
					}
				}
			}
		}
		for _, hd := range e.Response.Headers {
			if strings.EqualFold(hd.Name, "Set-Cookie") {
				for _, line := range strings.Split(hd.Value, "\n") {
					first, _, _ := strings.Cut(line, ";")
					if _, v, ok := strings.Cut(first, "="); ok {
						addCookie(v)
					}
				}
			}
		}
		for _, cs := range [][]har.Cookie{e.Request.Cookies, e.Response.Cookies} {
			for _, c := range cs {
				addCookie(c.Value)
			}
		}
		for _, q := range e.Request.QueryString {
			if redact.IsSecretName(q.Name) {
				addNamed(q.Name, q.Value)
			}
		}
		if u, err := url.Parse(e.Request.URL); err == nil {
			for k, vs := range u.Query() {
				if redact.IsSecretName(k) {
					for _, v := range vs {
						addNamed(k, v)
					}
				}
			}
			if u.User != nil {
				p, _ := u.User.Password()
				add(p)
			}
		}
		if p := e.Request.PostData; p != nil {
			for _, q := range p.Params {
				if redact.IsSecretName(q.Name) {
					addNamed(q.Name, q.Value)
				}
			}
			text, _ := h.PostText(p)
			if strings.Contains(p.MimeType, "x-www-form-urlencoded") {
				if vs, err := url.ParseQuery(text); err == nil {
					for k, v := range vs {
						if redact.IsSecretName(k) {
							for _, x := range v {
								addNamed(k, x)
							}
						}
					}
				}
			}
			jsonSecrets(text, addNamed)
		}
		if b, err := h.Body(&e.Response.Content); err == nil {
			jsonSecrets(string(b), addNamed)
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// jsonSecrets adds the string values of secret-named keys of a JSON
// document, at any depth.
func jsonSecrets(text string, add func(name, value string)) {
	var v any
	if json.Unmarshal([]byte(text), &v) != nil {
		return
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && redact.IsSecretName(k) {
					add(k, s)
				}
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(v)
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
