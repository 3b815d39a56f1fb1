package viewmodel

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"authlens/har"
	"authlens/report"
)

// testPair is a line of testdata/pairs/pairs.txt: a working and a failing
// trace of one flow, with what the comparison must find.
type testPair struct {
	good, bad, divergence, first string
}

// pairNamed reads the pair called name from pairs.txt (paths made
// relative to this package).
func pairNamed(t *testing.T, name string) testPair {
	t.Helper()
	root := filepath.Join("..", "..", "testdata")
	f, err := os.Open(filepath.Join(root, "pairs", "pairs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 5 && fs[0] == name {
			return testPair{filepath.Join(root, fs[1]), filepath.Join(root, fs[2]), strings.ReplaceAll(fs[3], "_", " "), fs[4]}
		}
	}
	t.Fatalf("no pair %q in pairs.txt", name)
	return testPair{}
}

func loadSession(t *testing.T, path string) *Session {
	t.Helper()
	s, err := HARAnalyzer{}.Load(context.Background(), Source{Path: path}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func comparePair(t *testing.T, name string, hosts map[string]string) (*Comparison, *Session, *Session, testPair) {
	t.Helper()
	p := pairNamed(t, name)
	good, bad := loadSession(t, p.good), loadSession(t, p.bad)
	res, err := CompareTraces(context.Background(), good, bad, hosts)
	if err != nil {
		t.Fatal(err)
	}
	return NewComparison(res), good, bad, p
}

func TestComparisonRowsHeadlineAndDifferences(t *testing.T) {
	c, _, bad, p := comparePair(t, "cookie-rejected", nil)
	if c.DivergentRow < 0 || c.Rows[c.DivergentRow].Step != p.divergence || !c.Rows[c.DivergentRow].Divergent {
		t.Fatalf("divergent row %d, want the step %q: %+v", c.DivergentRow, p.divergence, c.Rows)
	}
	div := c.Rows[c.DivergentRow]
	if div.Bad.Tone != ToneBad || !strings.Contains(div.Bad.Text, "401 Unauthorized") || !strings.HasSuffix(div.Bad.Text, "✗") || div.Good.Tone != ToneOK {
		t.Errorf("divergent cells: %+v / %+v", div.Good, div.Bad)
	}
	// The working trace signs in at /login, the failing one at /login/sso:
	// steps of one side only show "—" on the other.
	oneSided := 0
	for _, r := range c.Rows {
		if r.Good.Entry < 0 && r.Good.Text == "—" && r.Good.Tone == ToneAbsent || r.Bad.Entry < 0 && r.Bad.Text == "—" {
			oneSided++
		}
	}
	if oneSided == 0 {
		t.Errorf("no one-sided row: %+v", c.Rows)
	}
	for _, want := range []string{"reach GET /app/ by different steps", "there the failing one got 401 Unauthorized", "Most likely because: the browser refused cookie session."} {
		if !strings.Contains(c.Headline, want) {
			t.Errorf("headline %q lacks %q", c.Headline, want)
		}
	}
	m := c.Meaningful()
	if len(m) == 0 || m[0].Rank != 1 || p.first != "cookie/"+m[0].Cause || m[0].CauseTitle == "" || m[0].CauseTitle == m[0].Cause {
		t.Fatalf("first difference %+v, want %s with its catalogue title", m, p.first)
	}
	if len(m[0].Evidence) == 0 || !strings.HasPrefix(m[0].Evidence[0].Text, "In the working trace, #") {
		t.Errorf("evidence %+v", m[0].Evidence)
	}
	if n := c.Noise(); len(n) == 0 || n[0].Rank != 0 || !n[0].Noise {
		t.Errorf("noise %+v", n)
	}
	// The divergent row names the differences on it.
	if got := c.RowConcerns(c.DivergentRow); !strings.Contains(got, "difference 1 concerns it") {
		t.Errorf("RowConcerns = %q", got)
	}
	if got := c.ForCause(m[0].Cause); len(got) != 1 || got[0].Title != m[0].Title {
		t.Errorf("ForCause(%s) = %+v", m[0].Cause, got)
	}
	if c.ForCause("wrong-url") != nil || (*Comparison)(nil).ForCause("cookie-rejected") != nil {
		t.Error("ForCause of another cause, or without a comparison, is not empty")
	}
	// The walkthrough of the failure shows it when trying that cause.
	x := bad.Exchange(div.Bad.Entry)
	wt := NewWalkthrough("bad.har", x)
	if wt.FromComparison(c) != nil {
		t.Error("the first stage has comparison evidence")
	}
	wt.Next()
	if d := wt.Current(); d.Cause == m[0].Cause && len(wt.FromComparison(c)) == 0 {
		t.Errorf("no comparison evidence for %s", d.Cause)
	}
	if len(c.Unconfirmed) != 0 || c.HostSentence() != "" {
		t.Errorf("one host on both sides needs no confirmation: %+v", c.Unconfirmed)
	}
}

func TestComparisonHostMapping(t *testing.T) {
	c, _, bad, _ := comparePair(t, "bearer-expired-token", nil)
	if len(c.Unconfirmed) != 1 {
		t.Fatalf("unconfirmed %+v, want the proposed mapping of the two ports", c.Unconfirmed)
	}
	h := c.Unconfirmed[0]
	if s := c.HostSentence(); !strings.Contains(s, h.GoodShown+" in the working trace stands for "+h.BadShown) || !strings.HasSuffix(s, "Is that right?") {
		t.Errorf("HostSentence = %q", s)
	}
	origins := Origins(bad)
	if len(origins) == 0 || origins[0] != h.Bad {
		t.Errorf("Origins(bad) = %v, want %s first", origins, h.Bad)
	}
	m := c.HostMap(c.Unconfirmed)
	if m[h.Good] != h.Bad || len(m) != 1 {
		t.Errorf("HostMap = %v", m)
	}
	if m := c.HostMap([]HostChoice{{Good: h.Good, Bad: "  "}}); len(m) != 0 {
		t.Errorf("an empty row mapped: %v", m)
	}
	// Confirmed, the mapping needs no question, and stays confirmed when
	// another row is changed.
	res, err := CompareTraces(context.Background(), loadSession(t, pairNamed(t, "bearer-expired-token").good), bad, m)
	if err != nil {
		t.Fatal(err)
	}
	c2 := NewComparison(res)
	if len(c2.Unconfirmed) != 0 {
		t.Errorf("still unconfirmed after confirming: %+v", c2.Unconfirmed)
	}
	if got := c2.HostMap(nil); got[h.Good] != h.Bad {
		t.Errorf("the confirmed mapping is lost: %v", got)
	}
	if !strings.Contains(c.Headline, "take the same path until GET /api/me; there the failing one got 401 Unauthorized. Most likely because: the token had expired.") {
		t.Errorf("headline %q", c.Headline)
	}
}

func TestComparisonNoiseOnly(t *testing.T) {
	c, _, _, _ := comparePair(t, "session-login-twice", nil)
	if c.GoodName == c.BadName {
		t.Errorf("two files called alike are not told apart: %q", c.GoodName)
	}
	if c.DivergentRow != -1 || len(c.Meaningful()) != 0 {
		t.Fatalf("noise-only pair: divergence %d, differences %+v", c.DivergentRow, c.Meaningful())
	}
	if !strings.Contains(c.Headline, "Only noise differs") {
		t.Errorf("headline %q", c.Headline)
	}
}

// TestComparisonMasksSecrets: no token or cookie value of either trace
// appears in any text of the comparison.
func TestComparisonMasksSecrets(t *testing.T) {
	c, good, bad, _ := comparePair(t, "bearer-expired-token", nil)
	var all []string
	all = append(all, c.Headline, c.HostSentence())
	for _, d := range c.Differences {
		all = append(all, d.Title, d.Explanation)
		for _, ev := range d.Evidence {
			all = append(all, ev.Text, ev.What)
		}
	}
	for _, r := range c.Rows {
		all = append(all, r.Step, r.Good.Text, r.Bad.Text)
	}
	text := strings.Join(all, "\n")
	for _, s := range []*Session{good, bad} {
		for _, e := range s.Entries() {
			if v, ok := har.HeaderValue(e.Request.Headers, "Authorization"); ok {
				token := strings.TrimPrefix(v, "Bearer ")
				if len(token) > 12 && strings.Contains(text, token[len(token)-12:]) {
					t.Fatalf("a token's end shows in the comparison:\n%s", text)
				}
			}
		}
	}
}

func TestCaseReportIncludesComparison(t *testing.T) {
	c, _, bad, _ := comparePair(t, "cookie-rejected", nil)
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	if strings.Contains(TicketMarkdown(bad, nil, now), "Compared with a working trace") {
		t.Fatal("the ticket has a comparison before one was made")
	}
	bad.Comparison = c
	md := TicketMarkdown(bad, nil, now)
	if !strings.Contains(md, "Compared with a working trace") || !strings.Contains(md, "First divergence: `GET /app/`") {
		t.Errorf("the ticket lacks the comparison:\n%s", md)
	}
	if cs := CaseOf(bad, nil, report.Customer, now); cs.Comparison == nil {
		t.Error("CaseOf drops the comparison (the report leaves it out for customers itself)")
	}
}
