package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Paths from this package's directory.
const (
	corpusDir = "../../../shared/corpus/public"
	demoHAR   = "../../assets/demo.har"
)

// contract mirrors the JSON contract of `analyze --format json` with
// every field required, so a missing or renamed field fails the test.
type contract struct {
	Source *struct {
		Path      *string `json:"path"`
		Format    *string `json:"format"`
		Creator   *string `json:"creator"`
		Entries   *int    `json:"entries"`
		Sanitized *bool   `json:"sanitized"`
	} `json:"source"`
	Exchanges *[]struct {
		Index     *int    `json:"index"`
		Method    *string `json:"method"`
		URL       *string `json:"url"`
		Status    *int    `json:"status"`
		Problem   *bool   `json:"problem"`
		Diagnoses *[]struct {
			Cause       *string  `json:"cause"`
			Confidence  *float64 `json:"confidence"`
			Title       *string  `json:"title"`
			Explanation *string  `json:"explanation"`
			Evidence    *[]struct {
				Entry  *int    `json:"entry"`
				Where  *string `json:"where"`
				Detail *string `json:"detail"`
			} `json:"evidence"`
			Remedy *[]struct {
				Who  *string `json:"who"`
				Step *string `json:"step"`
			} `json:"remedy"`
		} `json:"diagnoses"`
	} `json:"exchanges"`
	Notes *[]any `json:"notes"`
}

var causeID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkContract decodes one analyze document and checks every field of
// the contract is present and sane.
func checkContract(t *testing.T, name string, out []byte) contract {
	t.Helper()
	var c contract
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("%s: output is not JSON: %v\n%s", name, err, out)
	}
	if c.Source == nil || c.Source.Path == nil || c.Source.Format == nil || c.Source.Creator == nil || c.Source.Entries == nil || c.Source.Sanitized == nil {
		t.Fatalf("%s: source incomplete: %s", name, out)
	}
	if c.Exchanges == nil || c.Notes == nil {
		t.Fatalf("%s: exchanges or notes missing (must be [] when empty)", name)
	}
	prev := -1
	for _, x := range *c.Exchanges {
		if x.Index == nil || x.Method == nil || x.URL == nil || x.Status == nil || x.Problem == nil || x.Diagnoses == nil {
			t.Fatalf("%s: exchange incomplete: %s", name, out)
		}
		if *x.Index <= prev || *x.Index >= *c.Source.Entries {
			t.Errorf("%s: exchange index %d out of order or range", name, *x.Index)
		}
		prev = *x.Index
		for _, d := range *x.Diagnoses {
			if d.Cause == nil || !causeID.MatchString(*d.Cause) || d.Confidence == nil || *d.Confidence < 0 || *d.Confidence > 1 ||
				d.Title == nil || d.Explanation == nil || d.Evidence == nil || d.Remedy == nil {
				t.Errorf("%s: diagnosis incomplete or invalid in exchange %d", name, *x.Index)
			}
			for _, r := range *d.Remedy {
				if r.Who == nil || (*r.Who != "user" && *r.Who != "admin" && *r.Who != "developer") || r.Step == nil || *r.Step == "" {
					t.Errorf("%s: remedy step with bad who/step in exchange %d", name, *x.Index)
				}
			}
		}
	}
	return c
}

// runCLI runs a command line in this process, as the binary would.
func runCLI(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = Run(context.Background(), args, &o, &e)
	return o.String(), e.String(), code
}

func TestAnalyzeJSONOnPublicCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.har*"))
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("public corpus not present beside the repository (%v)", err)
	}
	if len(files) < 40 {
		t.Fatalf("want the 41 readable corpus files, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, errOut, code := runCLI("analyze", "--format", "json", f)
			if code != 0 {
				t.Fatalf("exit %d, stderr: %s", code, errOut)
			}
			c := checkContract(t, f, []byte(out))
			if *c.Source.Entries == 0 {
				t.Errorf("no entries read")
			}
		})
	}
}

func TestAnalyzeRefusesMalformedCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "malformed", "*"))
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("public corpus not present beside the repository (%v)", err)
	}
	if len(files) == 0 {
		t.Fatal("no malformed corpus files found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, errOut, code := runCLI("analyze", "--format", "json", f)
			if code == 0 {
				t.Fatalf("exit 0 for a malformed file; stdout: %s", out)
			}
			if !strings.Contains(errOut, filepath.Base(f)) {
				t.Errorf("message does not name the file: %q", errOut)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("panicked: %s", errOut)
			}
		})
	}
}

func TestAnalyzeFormats(t *testing.T) {
	for _, f := range []string{"text", "markdown", "json"} {
		out, errOut, code := runCLI("analyze", "--format", f, demoHAR)
		if code != 0 || out == "" {
			t.Errorf("format %s: exit %d, stderr %q", f, code, errOut)
		}
	}
	if _, _, code := runCLI("analyze", "--format", "yaml", demoHAR); code == 0 {
		t.Error("unknown format accepted")
	}
	if _, errOut, code := runCLI("analyze", "no/such/file.har"); code == 0 || !strings.Contains(errOut, "no/such/file.har") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}

// TestAnalyzeTruncatedDemo cuts the demo trace (recorded by real Chromium)
// after its last 401/403 and checks the cut copy still lists every 401/403
// exchange before the cut.
func TestAnalyzeTruncatedDemo(t *testing.T) {
	full, err := os.ReadFile(demoHAR)
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI("analyze", "--format", "json", demoHAR)
	if code != 0 {
		t.Fatal("demo does not analyse")
	}
	whole := checkContract(t, "demo", []byte(out))
	if len(*whole.Exchanges) == 0 {
		t.Fatal("the demo trace has no 401/403 exchange")
	}
	// Cut in the middle of the last entry: find its offset through the
	// contract's index and the raw text of "startedDateTime" keys.
	starts := regexp.MustCompile(`"startedDateTime"`).FindAllIndex(full, -1)
	if len(starts) < 2 {
		t.Fatal("demo has too few entries to cut")
	}
	cut := starts[len(starts)-1][0] + 10
	path := filepath.Join(t.TempDir(), "cut.har")
	if err := os.WriteFile(path, full[:cut], 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI("analyze", "--format", "json", path)
	if code != 0 {
		t.Fatalf("truncated file refused: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "cut") && !strings.Contains(errOut, "truncat") {
		t.Errorf("no warning that the file was cut: %q", errOut)
	}
	part := checkContract(t, "cut", []byte(out))
	kept := *part.Source.Entries
	want := 0
	for _, x := range *whole.Exchanges {
		if *x.Index < kept && (*x.Status == 401 || *x.Status == 403) {
			want++
		}
	}
	got := 0
	for _, x := range *part.Exchanges {
		if *x.Status == 401 || *x.Status == 403 {
			got++
		}
	}
	if want == 0 || got != want {
		t.Errorf("cut copy lists %d 401/403 exchanges, want %d (of %d entries kept)", got, want, kept)
	}
}

func TestVersionMatchesFyneApp(t *testing.T) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `Version = "`+Version+`"`) || !strings.Contains(string(b), `ID = "`+AppID+`"`) {
		t.Errorf("FyneApp.toml does not carry version %s and ID %s", Version, AppID)
	}
	out, _, code := runCLI("version")
	if code != 0 || !strings.Contains(out, Version) {
		t.Errorf("version: %q %d", out, code)
	}
}

func TestUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"a.har", "b.har"}, {}} {
		if _, errOut, code := runCLI(args...); code != 2 || !strings.Contains(errOut, "Usage") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
	if out, _, code := runCLI("help"); code != 0 || !strings.Contains(out, "authlens capture") {
		t.Errorf("help: exit %d, %q", code, out)
	}
}

func TestWantsGUI(t *testing.T) {
	for _, c := range []struct {
		args []string
		path string
		ok   bool
	}{
		{nil, "", true},
		{[]string{"trace.har"}, "trace.har", true},
		{[]string{"analyze"}, "", false},
		{[]string{"capture"}, "", false},
		{[]string{"version"}, "", false},
		{[]string{"--help"}, "", false},
		{[]string{"--bogus"}, "", false},
		{[]string{"a.har", "b.har"}, "", false},
		{[]string{"analyze", "a.har"}, "", false},
	} {
		if path, ok := WantsGUI(c.args); path != c.path || ok != c.ok {
			t.Errorf("WantsGUI(%q) = %q, %v; want %q, %v", c.args, path, ok, c.path, c.ok)
		}
	}
}

// TestCausesMatchesDocs checks that `authlens causes --format markdown`
// prints what docs/causes.md holds.
func TestCausesMatchesDocs(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"causes", "--format", "markdown"}, &out, &errOut); code != 0 {
		t.Fatalf("causes exited %d: %s", code, errOut.String())
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "causes.md"))
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Fatal("authlens causes --format markdown differs from docs/causes.md")
	}
	if code := Run(context.Background(), []string{"causes", "--format", "pdf"}, &out, &errOut); code == 0 {
		t.Fatal("an unknown format was accepted")
	}
}
