package viewmodel

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"authlens/analysis/compare"
	"authlens/analysis/entry"
	"authlens/analysis/rules"
	"authlens/har"
	"authlens/report"
)

// The comparison of a working ("good") and a failing ("bad") trace, made
// ready for the compare view, the walkthrough and the case report. Every
// text comes from report.MaskedComparison.

// CompareTraces lines up the working trace good with the failing trace
// bad; hostMap holds the host mappings the person confirmed (good → bad).
func CompareTraces(ctx context.Context, good, bad *Session, hostMap map[string]string) (*compare.Result, error) {
	res, err := compare.Compare(ctx, good.Trace, bad.Trace, compare.Options{HostMap: hostMap})
	if err != nil {
		return nil, fmt.Errorf("comparing %s with %s: %w", good.Source.DisplayName(), bad.Source.DisplayName(), err)
	}
	return res, nil
}

// Tone is how a side of a compared step ended, for its colour.
type Tone int

// The tones of a compared step.
const (
	ToneAbsent Tone = iota // the trace lacks the step
	ToneOK                 // it worked
	ToneBad                // refused or no answer
	ToneError              // another error
)

// CompareCell is one side of a compared step.
type CompareCell struct {
	Entry int // -1 when the trace lacks the step
	Text  string
	Tone  Tone
}

// CompareRow is one aligned step of the side-by-side table.
type CompareRow struct {
	Step      string // method and path, as both traces share it
	Good, Bad CompareCell
	Divergent bool
	// Differences are indexes into Comparison.Differences of the
	// differences whose evidence is on this step.
	Differences []int
}

// CompareEvidence is one line of evidence of a difference.
type CompareEvidence struct {
	Side  compare.Side
	Entry int
	Row   int // the table row of the entry, -1 when it has none
	Where har.Location
	What  string // "Response header Set-Cookie: …"
	Text  string // "In the working trace, #1 · Response header Set-Cookie: …"
}

// CompareDifference is a difference in words.
type CompareDifference struct {
	Rank        int // 1 for the most likely cause; 0 for noise
	Title       string
	Explanation string
	Kind        string // what it is about, in words
	Cause       string // catalogue ID, "" when none fits
	CauseTitle  string // the catalogue's title of Cause
	Evidence    []CompareEvidence
	Noise       bool
}

// HostChoice is one host mapping the person may confirm or change.
type HostChoice struct {
	Good, Bad           string // origins as recorded: what compare's map names
	GoodShown, BadShown string // the same, masked for showing
	Shared              int    // aligned steps that support it
}

// Comparison is a comparison made ready to show.
type Comparison struct {
	// Result is the masked comparison (report.MaskedComparison).
	Result   *compare.Result
	GoodName string // file names, not paths
	BadName  string
	Headline string
	Rows     []CompareRow
	// Differences are in the comparison's ranking: the meaningful ones
	// (most likely first), then the noise.
	Differences []CompareDifference
	// DivergentRow is the row of the first divergence, -1 when none.
	DivergentRow int
	Notes        []string
	// Unconfirmed are host mappings AuthLens proposed and the person has
	// not confirmed.
	Unconfirmed []HostChoice

	raw *compare.Result // unmasked, for the case report (which masks it)
}

// NewComparison prepares res (unmasked; it is masked here) for showing.
func NewComparison(res *compare.Result) *Comparison {
	raw := res
	res = report.MaskedComparison(res)
	c := &Comparison{raw: raw, Result: res, GoodName: fileName(res.Good.Path, 1), BadName: fileName(res.Bad.Path, 1), DivergentRow: -1}
	if c.GoodName == c.BadName {
		// Recordings are often all called trace.har: name their folders too.
		c.GoodName, c.BadName = fileName(res.Good.Path, 2), fileName(res.Bad.Path, 2)
	}
	for _, n := range res.Notes {
		c.Notes = append(c.Notes, report.Visible(n, true))
	}
	for k, h := range res.Hosts {
		if h.Good != h.Bad && !h.Confirmed {
			// The map the person confirms must name the raw origins;
			// the words show the masked ones.
			c.Unconfirmed = append(c.Unconfirmed, HostChoice{Good: raw.Hosts[k].Good, Bad: raw.Hosts[k].Bad, Shared: h.Shared,
				GoodShown: report.Visible(h.Good, true), BadShown: report.Visible(h.Bad, true)})
		}
	}
	// Meaningful first in their rank, then noise, as every report orders them.
	order := make([]int, 0, len(res.Differences))
	for i, d := range res.Differences {
		if !d.Noise {
			order = append(order, i)
		}
	}
	for i, d := range res.Differences {
		if d.Noise {
			order = append(order, i)
		}
	}
	at := make(map[int]int, len(order)) // Result.Differences index → Comparison.Differences index
	rank := 0
	for _, i := range order {
		d := res.Differences[i]
		cd := CompareDifference{Title: report.Visible(d.Title, true), Explanation: report.Visible(d.Explanation, true),
			Kind: kindWords(d.Kind), Cause: d.Cause, CauseTitle: CauseTitle(d.Cause), Noise: d.Noise}
		if !d.Noise {
			rank++
			cd.Rank = rank
		}
		for _, ev := range d.Evidence {
			cd.Evidence = append(cd.Evidence, CompareEvidence{Side: compare.Side(ev.Side), Entry: ev.Entry,
				Row: res.RowOf(compare.Side(ev.Side), ev.Entry), Where: ev.Where, What: whatWords(ev),
				Text: fmt.Sprintf("In %s, #%d · %s", SideWords(compare.Side(ev.Side)), ev.Entry, whatWords(ev))})
		}
		at[i] = len(c.Differences)
		c.Differences = append(c.Differences, cd)
	}
	for k, r := range res.Rows() {
		row := CompareRow{Step: report.Visible(r.Key, true), Good: cell(r.Good), Bad: cell(r.Bad), Divergent: r.Divergent}
		for _, i := range r.Differences {
			row.Differences = append(row.Differences, at[i])
		}
		sort.Ints(row.Differences)
		if r.Divergent {
			c.DivergentRow = k
		}
		c.Rows = append(c.Rows, row)
	}
	c.Headline = c.headline()
	return c
}

// fileName is the last n elements of path p.
func fileName(p string, n int) string {
	if p == "" {
		return ""
	}
	name := filepath.Base(p)
	for dir := filepath.Dir(p); n > 1 && dir != "." && dir != string(filepath.Separator); n-- {
		name = filepath.Join(filepath.Base(dir), name)
		dir = filepath.Dir(dir)
	}
	return report.Visible(name, true)
}

func cell(c compare.Cell) CompareCell {
	if c.Entry < 0 {
		return CompareCell{Entry: -1, Text: "—", Tone: ToneAbsent}
	}
	// The mark stays short so the status fits a narrow column; the
	// view's legend says what each mark means.
	text := fmt.Sprintf("#%d  %s", c.Entry, report.StatusLine(c.Status))
	tone := ToneOK
	switch c.Outcome {
	case compare.OutcomeOK:
		text += "  ✓"
	case compare.OutcomeRefused, compare.OutcomeFailed:
		text, tone = text+"  ✗", ToneBad
	case compare.OutcomeError:
		text, tone = text+"  ⚠", ToneError
	}
	if c.Count > 1 {
		text += fmt.Sprintf("  (%d tries)", c.Count)
	}
	return CompareCell{Entry: c.Entry, Text: text, Tone: tone}
}

// SideWords names a side of a comparison for people.
func SideWords(s compare.Side) string {
	if s == compare.SideGood {
		return "the working trace"
	}
	return "the failing trace"
}

// whatWords is where an evidence points and what is there.
func whatWords(ev compare.Evidence) string {
	s := report.Visible(WhereWords(ev.Where), true)
	if ev.Detail != "" {
		s += ": " + report.Visible(ev.Detail, true)
	}
	return s
}

func kindWords(k compare.Kind) string {
	switch k {
	case compare.KindCredentials:
		return "Sign-in credentials"
	case compare.KindCookie:
		return "Cookies"
	case compare.KindRedirect:
		return "Redirects"
	case compare.KindIntermediary:
		return "Proxy, CDN or firewall"
	case compare.KindServerAddress:
		return "Server address"
	case compare.KindClient:
		return "Browser or app"
	case compare.KindClock:
		return "Clocks"
	case compare.KindCORS:
		return "Cross-site checks (CORS)"
	case compare.KindRequestHeader:
		return "Request headers"
	case compare.KindRequestData:
		return "What the request sent"
	case compare.KindRequestRate:
		return "How often it was sent"
	case compare.KindNoise:
		return "Noise"
	}
	return string(k)
}

// CauseTitle is the catalogue's title of a cause ID ("" for none).
func CauseTitle(id string) string {
	if id == "" {
		return ""
	}
	for _, r := range rules.All() {
		if r.ID == id {
			return r.Title
		}
	}
	return id
}

// Meaningful returns the differences that are not noise, most likely first.
func (c *Comparison) Meaningful() []CompareDifference {
	var out []CompareDifference
	for _, d := range c.Differences {
		if !d.Noise {
			out = append(out, d)
		}
	}
	return out
}

// Noise returns the differences that do not matter (timestamps, IDs, …).
func (c *Comparison) Noise() []CompareDifference {
	var out []CompareDifference
	for _, d := range c.Differences {
		if d.Noise {
			out = append(out, d)
		}
	}
	return out
}

// ForCause returns the meaningful differences that back a catalogue
// cause: the walkthrough's extra evidence.
func (c *Comparison) ForCause(cause string) []CompareDifference {
	if c == nil || cause == "" {
		return nil
	}
	var out []CompareDifference
	for _, d := range c.Differences {
		if !d.Noise && d.Cause == cause {
			out = append(out, d)
		}
	}
	return out
}

// headline is the one line over the compare view: where the traces part
// and the most likely reason.
func (c *Comparison) headline() string {
	var b strings.Builder
	r := c.Result
	if d := r.Divergence; d != nil && c.DivergentRow >= 0 {
		p := r.Pairs[d.Pair]
		step := report.Visible(d.Key, true)
		got := "got " + report.StatusLine(p.BadStatus)
		if p.BadOutcome == compare.OutcomeFailed {
			got = "got no answer"
		}
		oneSided := 0
		for _, row := range c.Rows[:c.DivergentRow] {
			if row.Good.Entry < 0 || row.Bad.Entry < 0 {
				oneSided++
			}
		}
		switch {
		case p.Good < 0:
			fmt.Fprintf(&b, "The failing trace %s at %s, a step the working trace never made.", got, step)
		case c.DivergentRow == 0:
			fmt.Fprintf(&b, "The traces part at their first step, %s: it worked in the working trace; the failing one %s.", step, got)
		case oneSided == 0:
			fmt.Fprintf(&b, "The working trace and the failing one take the same path until %s; there the failing one %s.", step, got)
		default:
			fmt.Fprintf(&b, "The working trace and the failing one reach %s by different steps (%s in only one of them); there the failing one %s.",
				step, Plural(oneSided, "step is", "steps are"), got)
		}
		if m := c.Meaningful(); len(m) > 0 {
			fmt.Fprintf(&b, " Most likely because: %s.", entry.LowerFirst(strings.TrimSuffix(m[0].Title, ".")))
		} else {
			b.WriteString(" AuthLens found no difference that explains it: compare the two steps below yourself.")
		}
		return b.String()
	}
	b.WriteString("No step that worked in the working trace failed in the failing one.")
	if m := c.Meaningful(); len(m) > 0 {
		fmt.Fprintf(&b, " Still, they differ: %s.", entry.LowerFirst(strings.TrimSuffix(m[0].Title, ".")))
	} else {
		b.WriteString(" Only noise differs (times, request IDs): the two traces behave the same.")
	}
	return b.String()
}

// RowConcerns says which differences concern row k, for the line under
// the table.
func (c *Comparison) RowConcerns(k int) string {
	if k < 0 || k >= len(c.Rows) {
		return ""
	}
	row := c.Rows[k]
	var ranks, noise []string
	for _, i := range row.Differences {
		if d := c.Differences[i]; d.Noise {
			noise = append(noise, d.Title)
		} else {
			ranks = append(ranks, fmt.Sprint(d.Rank))
		}
	}
	s := "Step " + row.Step + ": "
	switch len(ranks) {
	case 0:
		s += "no difference that matters is on this step"
	case 1:
		s += "difference " + ranks[0] + " concerns it"
	default:
		s += "differences " + strings.Join(ranks[:len(ranks)-1], ", ") + " and " + ranks[len(ranks)-1] + " concern it"
	}
	if len(noise) > 0 {
		s += fmt.Sprintf(" (and %s)", Plural(len(noise), "noise difference", "noise differences"))
	}
	return s + "."
}

// HostSentence explains the proposed host mappings in plain words.
func (c *Comparison) HostSentence() string {
	if len(c.Unconfirmed) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("The two traces were recorded against different servers, so AuthLens matched them by the steps both served: ")
	for k, h := range c.Unconfirmed {
		if k > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s in the working trace stands for %s in the failing one (%s)",
			h.GoodShown, h.BadShown, Plural(h.Shared, "matching step", "matching steps"))
	}
	b.WriteString(". Is that right?")
	return b.String()
}

// Origins lists the origins (scheme://host:port) of a session's requests,
// most used first: what a host mapping may point at.
func Origins(s *Session) []string {
	count := map[string]int{}
	for _, e := range s.Entries() {
		u := e.Request.URL
		k := strings.Index(u, "://")
		if k <= 0 {
			continue
		}
		host, _ := SplitURL(u)
		if host == "" {
			continue
		}
		count[strings.ToLower(u[:k])+"://"+host]++
	}
	out := make([]string, 0, len(count))
	for o := range count {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] > count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// HostMap is compare's host map for the person's choices: the mappings
// confirmed before, and the rows of choices not left empty.
func (c *Comparison) HostMap(choices []HostChoice) map[string]string {
	m := map[string]string{}
	for _, h := range c.raw.Hosts {
		if h.Confirmed {
			m[h.Good] = h.Bad
		}
	}
	for _, h := range choices {
		g, b := strings.TrimSpace(h.Good), strings.TrimSpace(h.Bad)
		if g != "" && b != "" {
			m[g] = b
		}
	}
	return m
}
