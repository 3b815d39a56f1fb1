package cli

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis/compare"
)

func pairPath(rel string) string { return filepath.Join("..", "..", "testdata", rel) }

var (
	twinBasic  = pairPath("pairs/twins/basic-invalid-credentials-twin/trace.har")
	badBasic   = pairPath("traces/invalid-credentials/basic-invalid-credentials/trace.har")
	goodLogin  = pairPath("traces/healthy/session-login/trace.har")
	badLogin   = pairPath("traces/cookie-rejected/cookie-rejected/trace.har")
	twinBearer = pairPath("pairs/twins/bearer-expired-token-twin/trace.har")
	badBearer  = pairPath("traces/expired-token/bearer-expired-token/trace.har")
)

func TestCompareFormats(t *testing.T) {
	out, errOut, code := runCLI("compare", twinBasic, badBasic)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"first divergence: GET /api/data.json", "[credentials, invalid-credentials]", "◀ first divergence", "proposed; confirm or override"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	// Flags after the files work too.
	out, errOut, code = runCLI("compare", twinBasic, badBasic, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res compare.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if res.Divergence == nil || res.Divergence.Key != "GET /api/data.json" || len(res.Differences) == 0 || res.Differences[0].Cause != "invalid-credentials" {
		t.Fatalf("json result: divergence %+v, differences %+v", res.Divergence, res.Differences)
	}
	out, _, code = runCLI("compare", "--format", "markdown", goodLogin, badLogin)
	if code != 0 || !strings.Contains(out, "# Comparison with a working trace") || !strings.Contains(out, "`cookie-rejected`") || !strings.Contains(out, "| working | failing | step |") {
		t.Fatalf("markdown output (exit %d):\n%s", code, out)
	}
}

// TestCompareNeverShowsSecrets: passwords, Basic credentials and cookie
// values of either trace appear in no format.
func TestCompareNeverShowsSecrets(t *testing.T) {
	secrets := []string{"Tr0ub4dor", "correct-horse",
		base64.StdEncoding.EncodeToString([]byte("alice:Tr0ub4dor&3")), base64.StdEncoding.EncodeToString([]byte("alice:correct-horse"))}
	for _, format := range []string{"text", "json", "markdown"} {
		out, _, code := runCLI("compare", "--format", format, twinBasic, badBasic)
		if code != 0 {
			t.Fatalf("%s: exit %d", format, code)
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output shows the secret %q", format, s)
			}
		}
	}
}

func TestCompareUsage(t *testing.T) {
	for _, args := range [][]string{
		{"compare", twinBasic},
		{"compare", "--format", "pdf", twinBasic, badBasic},
		{"compare", "--map", "nohost", twinBasic, badBasic},
	} {
		if _, _, code := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, errOut, code := runCLI("compare", twinBasic, "does-not-exist.har"); code != 1 || !strings.Contains(errOut, "does-not-exist.har") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
}

func TestCompareHostMap(t *testing.T) {
	out, _, code := runCLI("compare", "--format", "json", "--map", "localhost=127.0.0.1", pairPath("pairs/twins/bearer-audience-mismatch-twin-localhost/trace.har"), pairPath("traces/token-audience-mismatch/bearer-audience-mismatch/trace.har"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var res compare.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hosts) != 1 || !res.Hosts[0].Confirmed || !strings.HasPrefix(res.Hosts[0].Good, "http://localhost:") {
		t.Fatalf("hosts %+v, want the confirmed localhost mapping", res.Hosts)
	}
	if res.Differences[0].Cause != "token-audience-mismatch" {
		t.Fatalf("first difference %+v", res.Differences[0])
	}
}

// TestCompareSanitizedPairs: both files of a pair sanitized with one salt
// file compare as the originals do — equal placeholders stand for equal
// secrets — and the cookie a working login set is still told apart.
func TestCompareSanitizedPairs(t *testing.T) {
	dir := t.TempDir()
	salt := filepath.Join(dir, "pair.salt")
	for _, pair := range [][2]string{{twinBearer, badBearer}, {goodLogin, badLogin}, {goodLogin, pairPath("traces/stale-cookie/stale-cookie/trace.har")}} {
		var clean [2]string
		for k, in := range pair {
			clean[k] = filepath.Join(dir, filepath.Base(filepath.Dir(in))+".har")
			if _, errOut, code := runCLI("sanitize", "--force", "--salt-file", salt, in, clean[k]); code != 0 {
				t.Fatalf("sanitize %s: exit %d: %s", in, code, errOut)
			}
		}
		want := firstOf(t, pair[0], pair[1])
		got := firstOf(t, clean[0], clean[1])
		if got != want {
			t.Errorf("%s: sanitized pair gives %q, the originals %q", filepath.Base(filepath.Dir(pair[1])), got, want)
		}
	}
}

func firstOf(t *testing.T, good, bad string) string {
	t.Helper()
	out, errOut, code := runCLI("compare", "--format", "json", good, bad)
	if code != 0 {
		t.Fatalf("compare %s %s: exit %d: %s", good, bad, code, errOut)
	}
	var res compare.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Divergence == nil || len(res.Differences) == 0 {
		return "none"
	}
	return res.Divergence.Key + " " + string(res.Differences[0].Kind) + "/" + res.Differences[0].Cause
}

func TestReportWithComparison(t *testing.T) {
	out, errOut, code := runCLI("report", "--format", "markdown", "--compare", goodLogin, badLogin, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "**Compared with a working trace**") || !strings.Contains(out, "`cookie-rejected`") {
		t.Fatalf("the case report lacks the comparison:\n%s", out)
	}
	if _, _, code := runCLI("report", "--compare", "missing.har", goodLogin, "-"); code != 1 {
		t.Fatalf("a missing working trace: exit %d, want 1", code)
	}
}
