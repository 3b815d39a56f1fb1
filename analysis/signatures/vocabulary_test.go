package signatures_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"authlens/analysis/rules"
	"authlens/analysis/signatures"
	"authlens/har"
)

// The vocabulary's examples live in testdata/vocabulary/*.txt, one file
// per vendor family. Each example is a block of header lines, a body and
// its expectation, blocks separated by a line "---":
//
//	# source: https://where.the/body/was/copied/from
//	status: 403
//	header: x-ms-error-code: AuthorizationFailure
//	url: https://api.github.com/repos/o/r
//	sent: yes
//	want: azure-storage-firewall
//	cause: ip-restriction
//	body:
//	<?xml version="1.0" encoding="utf-8"?><Error>…</Error>
//
// "# source:" is required: the page, RFC or issue the body was copied
// from, verbatim. "sent" (yes/no, default no) says whether the request
// carried credentials; "url" defaults to https://example.com/api.
// "want: none" means no unique or strong term may match. The media type is
// the Content-Type header when one is given, else guessed from the body.
// Every line after "body:" up to the "---" is the body, as is.

type example struct {
	file    string
	line    int
	source  string
	status  int
	headers []har.Header
	url     string
	sent    bool
	want    string
	cause   string
	body    string
}

func (x example) String() string { return fmt.Sprintf("%s:%d", x.file, x.line) }

// key identifies what an example feeds the matcher, for contradictions.
func (x example) key() string {
	var hs []string
	for _, h := range x.headers {
		hs = append(hs, strings.ToLower(h.Name)+": "+h.Value)
	}
	sort.Strings(hs)
	return fmt.Sprintf("%d|%s|%v|%s|%s", x.status, x.url, x.sent, strings.Join(hs, "\n"), strings.TrimSpace(x.body))
}

func (x example) entry() *har.Entry {
	e := &har.Entry{}
	e.Request.Method = "GET"
	e.Request.URL = x.url
	e.Response.Status = x.status
	e.Response.Headers = x.headers
	mime, ok := har.HeaderValue(x.headers, "Content-Type")
	if !ok {
		switch b := strings.TrimSpace(x.body); {
		case strings.HasPrefix(b, "{"), strings.HasPrefix(b, "["):
			mime = "application/json"
		case strings.HasPrefix(b, "<?xml"), strings.HasPrefix(b, "<Error"), strings.HasPrefix(b, "<ocs"):
			mime = "application/xml"
		case strings.HasPrefix(b, "<"):
			mime = "text/html"
		default:
			mime = "text/plain"
		}
	}
	e.Response.Content.MimeType = mime
	e.Response.Content.Text = x.body
	return e
}

func loadExamples(t testing.TB) []example {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "vocabulary", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example files in testdata/vocabulary: %v", err)
	}
	var all []example
	for _, f := range files {
		xs, err := parseExamples(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, xs...)
	}
	return all
}

func parseExamples(path string) ([]example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	name := filepath.Base(path)
	var out []example
	var cur *example
	var body []string
	inBody := false
	finish := func() error {
		if cur == nil {
			return nil
		}
		cur.body = strings.Join(body, "\n")
		switch {
		case cur.source == "":
			return fmt.Errorf("%s: example has no # source: line", cur)
		case cur.status == 0:
			return fmt.Errorf("%s: example has no status", cur)
		case cur.want == "":
			return fmt.Errorf("%s: example has no want", cur)
		case !inBody:
			return fmt.Errorf("%s: example has no body: line", cur)
		}
		if cur.url == "" {
			cur.url = "https://example.com/api"
		}
		out = append(out, *cur)
		cur, body, inBody = nil, nil, false
		return nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "---" {
			if err := finish(); err != nil {
				return nil, err
			}
			continue
		}
		if inBody {
			body = append(body, line)
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if cur == nil {
			cur = &example{file: name, line: n}
		}
		if src, ok := strings.CutPrefix(line, "# source:"); ok {
			cur.source = strings.TrimSpace(src)
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"key: value\", got %q", name, n, line)
		}
		v = strings.TrimSpace(v)
		switch k {
		case "status":
			cur.status, err = strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: status %q", name, n, v)
			}
		case "header":
			hn, hv, ok := strings.Cut(v, ":")
			if !ok {
				return nil, fmt.Errorf("%s:%d: header %q has no colon", name, n, v)
			}
			cur.headers = append(cur.headers, har.Header{Name: strings.TrimSpace(hn), Value: strings.TrimSpace(hv)})
		case "url":
			cur.url = v
		case "sent":
			switch v {
			case "yes":
				cur.sent = true
			case "no":
			default:
				return nil, fmt.Errorf("%s:%d: sent is yes or no, got %q", name, n, v)
			}
		case "want":
			cur.want = v
		case "cause":
			cur.cause = v
		case "body":
			if v != "" {
				return nil, fmt.Errorf("%s:%d: the body starts on the line after body:", name, n)
			}
			inBody = true
		default:
			return nil, fmt.Errorf("%s:%d: unknown key %q", name, n, k)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := finish(); err != nil {
		return nil, err
	}
	return out, nil
}

func termByID() map[string]*signatures.Term {
	m := map[string]*signatures.Term{}
	for _, t := range signatures.Vocabulary {
		m[t.ID] = t
	}
	return m
}

// TestVocabularyExamples runs every example through ReadServerWords and
// MatchVocabulary and checks the top match.
func TestVocabularyExamples(t *testing.T) {
	terms := termByID()
	for _, x := range loadExamples(t) {
		e := x.entry()
		w := signatures.ReadServerWords(e, x.body)
		ms := signatures.MatchVocabulary(e, x.status, w, x.sent, signatures.Vocabulary)
		if x.want == "none" {
			for _, m := range ms {
				if m.Strength != signatures.Generic.String() {
					t.Errorf("%s: want no unique or strong term, got %s (%s) from %s %q", x, m.ID, m.Strength, w.Format, w.Quote())
				}
			}
			continue
		}
		term := terms[x.want]
		if term == nil {
			t.Errorf("%s: want %q: no such term", x, x.want)
			continue
		}
		if x.cause != "" && x.cause != term.Cause {
			t.Errorf("%s: the example says %s names %s, the table says %s", x, x.want, x.cause, term.Cause)
		}
		if len(ms) == 0 {
			t.Errorf("%s: want %s, got no match; words: %s %q codes %q", x, x.want, w.Format, w.Message, w.Codes)
			continue
		}
		if ms[0].ID != x.want {
			var ids []string
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			t.Errorf("%s: want top match %s, got %v; words: %s %q codes %q", x, x.want, ids, w.Format, w.Message, w.Codes)
			continue
		}
		if x.cause != "" && ms[0].Cause != x.cause {
			t.Errorf("%s: want cause %s, got %s", x, x.cause, ms[0].Cause)
		}
	}
}

// TestVocabularyTable checks the table against the examples and the
// catalogue: every term has an example, a source and known causes, and
// no two examples feed the matcher the same exchange with different
// expectations.
func TestVocabularyTable(t *testing.T) {
	known := map[string]bool{}
	for _, r := range rules.All() {
		known[r.ID] = true
	}
	if len(known) < 20 {
		t.Fatalf("rules.All() has %d causes: the catalogue did not load", len(known))
	}
	examples := loadExamples(t)
	have := map[string]int{}
	for _, x := range examples {
		have[x.want]++
	}
	ids := map[string]bool{}
	for _, term := range signatures.Vocabulary {
		if ids[term.ID] {
			t.Errorf("term ID %s is used twice", term.ID)
		}
		ids[term.ID] = true
		if have[term.ID] == 0 {
			t.Errorf("term %s has no example in testdata/vocabulary", term.ID)
		}
		if strings.TrimSpace(term.Source) == "" {
			t.Errorf("term %s has no Source", term.ID)
		}
		if !known[term.Cause] {
			t.Errorf("term %s: cause %q is not a catalogue cause", term.ID, term.Cause)
		}
		for _, a := range term.Also {
			if !known[a] {
				t.Errorf("term %s: also-cause %q is not a catalogue cause", term.ID, a)
			}
			if a == term.Cause {
				t.Errorf("term %s lists its cause %s as an also", term.ID, a)
			}
		}
		if term.Vendor == "" || term.Meaning == "" {
			t.Errorf("term %s has no vendor or meaning", term.ID)
		}
	}
	for id := range have {
		if id != "none" && !ids[id] {
			t.Errorf("examples want %s, which is not a term", id)
		}
	}
	seen := map[string]example{}
	for _, x := range examples {
		k := x.key()
		if prev, ok := seen[k]; ok && prev.want != x.want {
			t.Errorf("%s and %s are the same exchange but want %s and %s", prev, x, prev.want, x.want)
		}
		seen[k] = x
	}
}

// TestExampleParser checks the format's own errors, so that a typo in an
// example file fails loudly instead of dropping the example.
func TestExampleParser(t *testing.T) {
	bad := map[string]string{
		"no source":  "status: 401\nwant: none\nbody:\n{}\n",
		"no want":    "# source: x\nstatus: 401\nbody:\n{}\n",
		"bad key":    "# source: x\nstatus: 401\nwnat: none\nbody:\n{}\n",
		"no body":    "# source: x\nstatus: 401\nwant: none\n",
		"bad sent":   "# source: x\nstatus: 401\nsent: true\nwant: none\nbody:\n{}\n",
		"bad status": "# source: x\nstatus: four\nwant: none\nbody:\n{}\n",
	}
	dir := t.TempDir()
	for name, text := range bad {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".txt")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if xs, err := parseExamples(p); err == nil {
			t.Errorf("%s: parsed without error: %+v", name, xs)
		}
	}
	p := filepath.Join(dir, "good.txt")
	good := "# source: s1\nstatus: 401\nheader: A: b: c\nsent: yes\nwant: x\nbody:\nline1\n\nline3\n---\n# source: s2\nstatus: 403\nwant: none\nbody:\n{}\n"
	if err := os.WriteFile(p, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	xs, err := parseExamples(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 2 || xs[0].body != "line1\n\nline3" || !xs[0].sent || xs[0].headers[0].Value != "b: c" || xs[1].status != 403 || xs[1].url == "" {
		t.Errorf("parsed %+v", xs)
	}
}
