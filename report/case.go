package report

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"authlens/analysis"
	"authlens/analysis/compare"
	"authlens/analysis/entry"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// Audience is who a case report is for.
type Audience string

// The two audiences of a case report.
const (
	// Engineering gets the evidence, headers, cause IDs and every remedy
	// step, the timeline and the support person's notes.
	Engineering Audience = "engineering"
	// Customer gets only what the customer must do, in plain words: no
	// cause IDs, headers, confidences or internal notes.
	Customer Audience = "customer"
)

// ParseAudience reads an audience as the command line spells it.
func ParseAudience(s string) (Audience, error) {
	switch a := Audience(strings.ToLower(strings.TrimSpace(s))); a {
	case Engineering, Customer:
		return a, nil
	case "", "eng", "engineer", "developer":
		return Engineering, nil
	}
	return "", fmt.Errorf("unknown audience %q (want engineering or customer)", s)
}

// Tried is one cause the support person worked through in the
// walkthrough, with the remedy steps ticked.
type Tried struct {
	Cause   string // catalogue ID
	Title   string
	Outcome string   // "fixed it", "did not help", "not tried"
	Done    []string // the remedy steps ticked, as written
}

// RuledOut is a cause the analysis considered and excluded, with why.
// The analysis does not report ruled-out causes yet; when it does, the
// caller fills Case.RuledOut from it and both formats list them.
type RuledOut struct {
	Cause string
	Title string
	Why   string
}

// Case is everything a case report says. Report is required; the rest is
// optional. Every text in it is masked (redact) and escaped by the
// writers, whatever the caller passes.
type Case struct {
	Report   *analysis.Report
	Audience Audience
	// Entries are the trace's entries, for the timeline (login,
	// redirect, failure); nil leaves the timeline out.
	Entries []*har.Entry
	// Hidden says what a sanitized export removed (trace.Sanitized());
	// nil with Report.Source.Sanitized means both credentials and cookies.
	Hidden *trace.Sanitization
	// Focus is the exchange (entry index) the walkthrough was about; -1
	// or an index that is not listed means every failing exchange.
	Focus int
	// Tried is what the support person worked through, in order.
	Tried []Tried
	// RuledOut is the hook for the causes the analysis ruled out.
	RuledOut []RuledOut
	// Notes are the support person's own notes (engineering only).
	Notes string
	// Result says how the case ended ("Fixed: …", "Not resolved: …");
	// empty derives it from Tried.
	Result string
	// Generated is when the report was written (zero: left out).
	Generated time.Time
	// Comparison, when set, is the comparison of this trace (the failing
	// one) with a working trace of the same flow (engineering only).
	Comparison *compare.Result
}

// caseView is a Case made ready for the writers: masked, chosen for the
// audience, in the order it is printed. Strings are raw (unescaped): the
// HTML template escapes them, the Markdown writer calls Markdown/Code.
type caseView struct {
	Customer    bool
	Title       string
	Source      string
	Creator     string
	Generated   string
	Entries     int
	Summary     string
	Result      string
	Sanitized   string // what a sanitized export kept from being confirmed
	AskCustomer string // the message to send when the export is sanitized
	Notes       []string
	Exchanges   []exchangeView
	UserSteps   []string // customer audience: what to do, in order
	Tried       []Tried
	RuledOut    []RuledOut
	Support     string // the support person's notes
	Timeline    []timelineRow
	MoreFailing int // failing exchanges left out of the Markdown
	Comparison  *comparisonView
}

type exchangeView struct {
	Index       int
	Request     string // "GET https://host/path"
	Status      string
	Explanation string
	// ServerSaid quotes the server's own error words, "" when none.
	ServerSaid string
	Causes     []causeView         // shown in full: the most likely ones
	Others     []causeView         // less likely: named only
	RuledOut   []analysis.RuledOut // checked and excluded by evidence
	Top        string              // the most likely cause's title, "" when none
}

type causeView struct {
	Rank        int
	ID          string
	Title       string
	Confidence  string
	Explanation string
	Unconfirmed string
	Evidence    []analysis.Evidence
	Steps       []stepView
}

type stepView struct {
	Who  string
	Text string
	Done bool // ticked in the walkthrough
}

type timelineRow struct {
	Index   int
	When    string // "+2.4 s"
	Request string
	Status  string
	Role    string // "sign-in", "redirect", "failure", ...
	Failure bool
}

// WhoWords names who acts on a remedy step, in the reports' words.
func WhoWords(w analysis.Who) string {
	switch w {
	case analysis.User:
		return "Customer"
	case analysis.Admin:
		return "Site admin"
	case analysis.Developer:
		return "Developer"
	}
	return string(w)
}

// view builds the caseView of c.
func (c Case) view() caseView {
	r := MaskedForSharing(c.Report)
	v := caseView{Customer: c.Audience == Customer, Entries: r.Source.Entries}
	v.Source = redact.Text(filepath.Base(r.Source.Path))
	v.Creator = r.Source.Creator
	if !c.Generated.IsZero() {
		v.Generated = c.Generated.UTC().Format("2006-01-02 15:04 UTC")
	}
	var failing []analysis.Exchange
	for _, x := range r.Exchanges {
		if x.Problem && (c.Focus < 0 || !listed(r, c.Focus) || x.Index == c.Focus) {
			failing = append(failing, x)
		}
	}
	v.Title = "AuthLens case report"
	if v.Customer {
		v.Title = "Why the site refused access, and what to do"
	}
	v.Summary = summary(failing, v.Customer)
	if !v.Customer {
		v.Result = result(c.Tried, failing)
		if c.Result != "" {
			v.Result = redact.Text(c.Result)
		}
	}
	if r.Source.Sanitized {
		v.Sanitized = unconfirmedWords(c.hidden())
		v.AskCustomer = ExportRequest
	}
	if !v.Customer {
		for _, n := range r.Notes {
			v.Notes = append(v.Notes, n.Text)
		}
		v.Support = redact.Text(strings.TrimSpace(c.Notes))
		v.Tried = maskTried(c.Tried)
		v.RuledOut = c.RuledOut
		v.Timeline = timeline(c.Entries, r)
		v.Comparison = comparisonOf(c.Comparison)
	}
	for _, x := range failing {
		ev := c.exchange(x, r.Source.Sanitized)
		if v.Customer {
			ev.Explanation = customerStatus(x.Status)
		}
		v.Exchanges = append(v.Exchanges, ev)
	}
	if v.Customer {
		v.UserSteps = userSteps(failing, c.Tried)
	}
	v.visible()
	return v
}

// visible renders control characters visibly in every text of the view
// (the one escaping policy): html/template escapes markup, not an ESC.
func (v *caseView) visible() {
	one := func(s *string) { *s = Visible(*s, true) }
	for _, s := range []*string{&v.Title, &v.Source, &v.Creator, &v.Summary, &v.Result} {
		one(s)
	}
	v.Support = Visible(v.Support, false)
	for i := range v.Notes {
		one(&v.Notes[i])
	}
	for i := range v.UserSteps {
		one(&v.UserSteps[i])
	}
	for i := range v.Exchanges {
		x := &v.Exchanges[i]
		for _, s := range []*string{&x.Request, &x.Explanation, &x.ServerSaid, &x.Top} {
			one(s)
		}
		for k := range x.RuledOut {
			one(&x.RuledOut[k].Evidence)
		}
		for _, cs := range [][]causeView{x.Causes, x.Others} {
			for k := range cs {
				c := &cs[k]
				for _, s := range []*string{&c.Title, &c.Explanation, &c.ID} {
					one(s)
				}
				ev := make([]analysis.Evidence, len(c.Evidence))
				for j, e := range c.Evidence {
					e.Where.Name, e.Detail = Visible(e.Where.Name, true), Visible(e.Detail, true)
					ev[j] = e
				}
				c.Evidence = ev
				for j := range c.Steps {
					one(&c.Steps[j].Text)
				}
			}
		}
	}
	for i := range v.Tried {
		t := &v.Tried[i]
		one(&t.Title)
		one(&t.Cause)
		one(&t.Outcome)
		for j := range t.Done {
			one(&t.Done[j])
		}
	}
	ro := make([]RuledOut, len(v.RuledOut))
	for i, r := range v.RuledOut {
		ro[i] = RuledOut{Cause: Visible(r.Cause, true), Title: Visible(redact.Text(r.Title), true), Why: Visible(redact.Text(r.Why), true)}
	}
	v.RuledOut = ro
	for i := range v.Timeline {
		one(&v.Timeline[i].Request)
	}
}

// listed reports whether entry i is one of the report's exchanges.
func listed(r *analysis.Report, i int) bool {
	for _, x := range r.Exchanges {
		if x.Index == i {
			return true
		}
	}
	return false
}

func (c Case) hidden() trace.Sanitization {
	if c.Hidden != nil {
		return *c.Hidden
	}
	return trace.Sanitization{Sanitized: true, AuthHidden: true, CookiesHidden: true}
}

// fullCauses is how many causes per exchange the engineering report
// shows with evidence and steps; the rest are named in one line, so a
// 20% guess does not read like a finding.
const fullCauses = 2

// lessLikely is the confidence under which a cause after the first is
// only named.
const lessLikely = 0.5

func (c Case) exchange(x analysis.Exchange, sanitized bool) exchangeView {
	ev := exchangeView{Index: x.Index, Request: redact.Text(x.Method + " " + x.URL), Status: StatusLine(x.Status), Explanation: x.Explanation}
	if ss := x.ServerSaid; ss != nil {
		ev.ServerSaid = ss.Words
		if ss.Vendor != "" {
			ev.ServerSaid += " (" + ss.Vendor + ": " + ss.Meaning + ")"
		}
	}
	done := map[string]bool{}
	for _, t := range c.Tried {
		for _, d := range t.Done {
			done[redact.Text(d)] = true
		}
	}
	if len(x.Diagnoses) > 0 {
		ev.Top = x.Diagnoses[0].Title
	}
	for k, d := range x.Diagnoses {
		cv := causeView{Rank: k + 1, ID: d.Cause, Title: d.Title, Confidence: fmt.Sprintf("%.0f%%", d.Confidence*100),
			Explanation: d.Explanation, Evidence: d.Evidence}
		if sanitized {
			cv.Unconfirmed = Unconfirmed(d.Cause, c.hidden())
		}
		for _, s := range d.Remedy {
			who := WhoWords(s.Who)
			cv.Steps = append(cv.Steps, stepView{Who: who, Text: s.Step, Done: done[who+": "+s.Step] || done[s.Step]})
		}
		if k >= fullCauses || k > 0 && d.Confidence < lessLikely {
			ev.Others = append(ev.Others, cv)
			continue
		}
		ev.Causes = append(ev.Causes, cv)
	}
	ev.RuledOut = x.RuledOut
	return ev
}

// StatusLine is a status with its reason phrase ("401 Unauthorized", "200 OK"), or "no response"; the reports and the app say statuses so.
func StatusLine(st int) string {
	switch st {
	case 401:
		return "401 Unauthorized"
	case 403:
		return "403 Forbidden"
	case 407:
		return "407 Proxy Authentication Required"
	}
	if t := http.StatusText(st); t != "" {
		return fmt.Sprintf("%d %s", st, t)
	}
	return StatusWords(st)
}

// customerStatus says what a refusal means in words a customer knows:
// no header names, no roles.
func customerStatus(st int) string {
	switch st {
	case 401:
		return "The site did not recognise you as signed in, or did not accept your sign-in."
	case 403:
		return "The site recognised the request but refused it: your account or your network is not allowed here, or a security check blocked the request."
	case 407:
		return "Your network's proxy asked you to sign in before letting the request through."
	case 429:
		return "The site received too many requests in a short time and asked to wait."
	}
	if st <= 0 {
		return "The request did not get an answer."
	}
	return "The site answered " + StatusLine(st) + "."
}

// summary is the report's first paragraph.
func summary(failing []analysis.Exchange, customer bool) string {
	if len(failing) == 0 {
		return "No request in this recording was refused: there is no 401 or 403 failure to explain."
	}
	top := ""
	if ds := failing[0].Diagnoses; len(ds) > 0 {
		top = ds[0].Title
	}
	host := hostOf(failing[0].URL)
	if customer {
		s := fmt.Sprintf("The site %s refused %d request(s) in the recording you sent.", host, len(failing))
		if top != "" {
			s += " The most likely reason: " + entry.LowerFirst(strings.TrimSuffix(top, ".")) + "."
		}
		return s
	}
	if len(failing) == 1 {
		s := fmt.Sprintf("One request failed: %s %s → %s.", failing[0].Method, failing[0].URL, StatusLine(failing[0].Status))
		if top != "" {
			s += " Most likely cause: " + strings.TrimSuffix(top, ".") + " (" + failing[0].Diagnoses[0].Cause + ")."
		}
		return s
	}
	return fmt.Sprintf("%d requests failed; each is explained below, most likely cause first.", len(failing))
}

// result says how the walkthrough ended.
func result(tried []Tried, failing []analysis.Exchange) string {
	for _, t := range tried {
		if t.Outcome == "fixed it" {
			return "Resolved: " + t.Title + "."
		}
	}
	if len(tried) > 0 {
		return "Not resolved yet: the causes below were tried without success."
	}
	if len(failing) == 0 {
		return ""
	}
	return "Not resolved yet: nothing has been tried."
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "the site"
}

// userSteps are the customer's steps: for each failing exchange, the
// customer steps of its most likely cause that has any (skipping causes
// already tried without success), without repeats.
func userSteps(failing []analysis.Exchange, tried []Tried) []string {
	failed := map[string]bool{}
	for _, t := range tried {
		if t.Outcome == "did not help" {
			failed[t.Cause] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, x := range failing {
		for _, d := range x.Diagnoses {
			if failed[d.Cause] {
				continue
			}
			var steps []string
			for _, s := range d.Remedy {
				if s.Who == analysis.User && !seen[s.Step] {
					steps = append(steps, s.Step)
				}
			}
			if len(steps) == 0 {
				continue
			}
			for _, s := range steps {
				seen[s] = true
			}
			out = append(out, steps...)
			break
		}
	}
	return out
}

func maskTried(ts []Tried) []Tried {
	out := make([]Tried, len(ts))
	for i, t := range ts {
		t.Title = redact.Text(t.Title)
		done := make([]string, len(t.Done))
		for k, d := range t.Done {
			done[k] = redact.Text(d)
		}
		t.Done = done
		out[i] = t
	}
	return out
}

// timelineMax bounds the timeline: it shows the exchanges that matter,
// not the trace.
const timelineMax = 14

// timeline picks the exchanges that matter — sign-ins (a POST or a
// response setting a cookie before a failure), redirects that led to a
// listed exchange, the failures and the entries evidence quotes — in
// time order, with offsets from the first entry.
func timeline(entries []*har.Entry, r *analysis.Report) []timelineRow {
	if len(entries) == 0 {
		return nil
	}
	role := map[int]string{}
	failure := map[int]bool{}
	for _, x := range r.Exchanges {
		if x.Problem {
			role[x.Index], failure[x.Index] = "failure", true
		} else {
			role[x.Index] = "challenge answered"
		}
	}
	for _, i := range Entries(r) {
		if _, ok := role[i]; !ok {
			role[i] = roleEvidence
		}
	}
	lastFail := -1
	for i := range failure {
		lastFail = max(lastFail, i)
	}
	for i, e := range entries {
		if i > lastFail {
			break
		}
		st := e.Response.Status
		switch {
		case role[i] != "" && role[i] != roleEvidence:
		case signIn(e):
			role[i] = "sign-in"
		case st >= 300 && st < 400 && leadsTo(entries, i, role):
			role[i] = "redirect"
		}
	}
	idx := make([]int, 0, len(role))
	for i := range role {
		if i < len(entries) {
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)
	if len(idx) > timelineMax {
		// Keep the failures and the latest of the rest.
		var keep []int
		budget := timelineMax - len(failure)
		for k := len(idx) - 1; k >= 0; k-- {
			if failure[idx[k]] || budget > 0 {
				if !failure[idx[k]] {
					budget--
				}
				keep = append(keep, idx[k])
			}
		}
		sort.Ints(keep)
		idx = keep
	}
	start := entries[0].StartedDateTime
	var rows []timelineRow
	for _, i := range idx {
		e := entries[i]
		when := ""
		if !e.StartedDateTime.IsZero() && !start.IsZero() {
			when = fmt.Sprintf("+%.1f s", e.StartedDateTime.Sub(start).Seconds())
		}
		rows = append(rows, timelineRow{Index: i, When: when,
			Request: redact.Text(e.Request.Method) + " " + redact.URL(e.Request.URL),
			Status:  StatusLine(e.Response.Status), Role: role[i], Failure: failure[i]})
	}
	return rows
}

// leadsTo reports whether the redirect at i leads (through its Location)
// to an entry that already has a role.
func leadsTo(entries []*har.Entry, i int, role map[int]string) bool {
	loc := entries[i].Response.RedirectURL
	if loc == "" {
		loc, _ = har.HeaderValue(entries[i].Response.Headers, "Location")
	}
	if loc == "" {
		return false
	}
	for j := i + 1; j < len(entries) && j <= i+5; j++ {
		if role[j] != "" && (strings.HasSuffix(entries[j].Request.URL, loc) || strings.HasPrefix(entries[j].Request.URL, loc)) {
			return true
		}
	}
	return false
}

// signIn reports whether an exchange looks like a sign-in: a POST to a
// login-like address, or a response that sets a session-like cookie.
func signIn(e *har.Entry) bool {
	p := strings.ToLower(e.Request.URL)
	if e.Request.Method == "POST" && (strings.Contains(p, "login") || strings.Contains(p, "signin") || strings.Contains(p, "sign-in") ||
		strings.Contains(p, "/token") || strings.Contains(p, "/auth") || strings.Contains(p, "session")) {
		return true
	}
	for _, c := range e.Response.Cookies {
		n := strings.ToLower(c.Name)
		if c.Value != "" && (strings.Contains(n, "sess") || strings.Contains(n, "auth") || strings.Contains(n, "sid") || strings.Contains(n, "token")) {
			return true
		}
	}
	return false
}

// roleEvidence is the timeline role of an entry a cause quotes that has
// no more telling role (sign-in, redirect, failure).
const roleEvidence = "cited as evidence"
