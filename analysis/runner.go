package analysis

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"authlens/analysis/trace"
	"authlens/redact"
)

// Note records a trace-wide observation (shown once, not per exchange).
func (p *Pass) Note(id, text string) {
	p.notes = append(p.notes, trace.Note{ID: id, Text: text})
}

// Analyze applies rules to the trace and returns the report: every 401
// and 403 exchange, and every other exchange a rule flagged, in file
// order, each with its ranked diagnoses. Callers pass rules.All() for the
// whole catalogue (tests pass one rule alone). It stops early, returning
// what it has and ctx.Err(), when ctx is cancelled.
func Analyze(ctx context.Context, t *trace.Trace, rules []*Rule) (*Report, error) {
	rep := &Report{Source: t.Source, Exchanges: []Exchange{}, Notes: []trace.Note{}}
	byEntry := map[int][]Diagnosis{}
	order := map[string]int{}
	byID := map[string]*Rule{}
	for i, r := range rules {
		order[r.ID] = i
		byID[r.ID] = r
	}
	var err error
	for _, r := range rules {
		if err = ctx.Err(); err != nil {
			break
		}
		if r.Run == nil {
			continue
		}
		p := &Pass{Rule: r, Trace: t}
		if perr := RunRule(p); perr != nil {
			rep.Notes = append(rep.Notes, trace.Note{ID: "rule-failed", Text: perr.Error()})
			continue
		}
		rep.Notes = append(rep.Notes, p.notes...)
		for _, f := range p.Findings {
			if f.Entry < 0 || f.Entry >= len(t.Entries) {
				continue
			}
			if f.Inferred {
				deferToServerPage(t, &f, r.ID)
			}
			byEntry[f.Entry] = mergeDiagnosis(byEntry[f.Entry], r, f)
		}
	}
	if err == nil {
		for id, fs := range vocabularyFindings(t, byID) {
			for _, f := range fs {
				byEntry[f.Entry] = mergeServerWords(byEntry[f.Entry], byID[id], f)
			}
		}
	}
	rep.Notes = append(rep.Notes, trace.TraceNotes(t)...)
	rep.Notes = dedupNotes(rep.Notes)

	for i, e := range t.Entries {
		ds, flagged := byEntry[i]
		st := e.Response.Status
		if !flagged && !isAuthFailureStatus(st) {
			continue
		}
		deferToServerWords(t, &Exchange{Index: i, Diagnoses: ds}, byID)
		sort.SliceStable(ds, func(a, b int) bool {
			if ds[a].Confidence != ds[b].Confidence {
				return ds[a].Confidence > ds[b].Confidence
			}
			return order[ds[a].Cause] < order[ds[b].Cause]
		})
		if ds == nil {
			ds = []Diagnosis{}
		}
		client := trace.ClientOf(e)
		if !client.Browser && client.Name != "" {
			ds = forProgram(ds, client.Name)
		}
		x := Exchange{
			Index: i, Method: e.Request.Method, URL: redact.URL(e.Request.URL), Status: st,
			Problem: true, Diagnoses: ds, Client: client.Name,
		}
		x.Explanation = trace.StatusReading(e)
		x.ServerSaid = serverSaid(t, i)
		if ok, why := t.AnsweredChallenge(i); ok {
			x.Problem = false
			x.Explanation = why
		} else {
			if len(ds) == 0 {
				x.Explanation += " " + trace.CollectNext(e)
			}
			x.RuledOut = ruledOut(t, i, ds, rules)
		}
		rep.Exchanges = append(rep.Exchanges, x)
	}
	rep.Source.Sanitized = t.Sanitized().Sanitized
	return rep, err
}

// RunRule runs one rule, turning a panic into an error so one broken rule
// cannot take the report (or the app) down with it.
func RunRule(p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("rule %s failed: %v", p.Rule.ID, v)
			p.Findings = nil
		}
	}()
	p.Rule.Run(p)
	return nil
}

// mergeDiagnosis adds a finding to an entry's diagnoses, folding several
// findings of one rule into one diagnosis with the highest confidence.
func mergeDiagnosis(ds []Diagnosis, r *Rule, f Finding) []Diagnosis {
	expl := f.Explanation
	if expl == "" {
		expl = r.Doc
	}
	remedy := f.Remedy
	if len(remedy) == 0 {
		remedy = r.Remedy
	}
	if remedy == nil {
		remedy = []trace.Step{}
	}
	ev := f.Evidence
	if ev == nil {
		ev = []trace.Evidence{}
	}
	for k := range ds {
		if ds[k].Cause != r.ID {
			continue
		}
		if f.Confidence > ds[k].Confidence {
			ds[k].Confidence = f.Confidence
			ds[k].Explanation = expl
			ds[k].Remedy = remedy
		}
		ds[k].Evidence = append(ds[k].Evidence, ev...)
		return ds
	}
	return append(ds, Diagnosis{
		Cause: r.ID, Confidence: clamp01(f.Confidence), Title: r.Title,
		Explanation: expl, Evidence: ev, Remedy: remedy,
	})
}

func clamp01(v float64) float64 {
	switch {
	case v < 0:
		return 0
	case v > 1:
		return 1
	}
	return v
}

func dedupNotes(ns []trace.Note) []trace.Note {
	seen := map[trace.Note]bool{}
	out := ns[:0]
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// isAuthFailureStatus reports the statuses every report lists whether or
// not a rule explains them.
func isAuthFailureStatus(st int) bool {
	return st == 401 || st == 403
}

// deferToServerPage lowers an inferred finding when the entry's IIS error
// page names a sub-status that proves another cause: the server's own
// words outrank an inference.
func deferToServerPage(t *trace.Trace, f *Finding, id string) {
	if code := t.IISOtherCause(f.Entry, id); code != "" && f.Confidence > 0.3 {
		f.Confidence = 0.3
		// The sentence goes before the sanitized-export caveat, which
		// stays last.
		note := " The IIS error page names sub-status " + code + ", which points at another cause."
		caveat := t.AuthAbsenceCaveat()
		if caveat != "" && strings.HasSuffix(f.Explanation, caveat) {
			f.Explanation = strings.TrimSuffix(f.Explanation, caveat) + note + caveat
		} else {
			f.Explanation += note
		}
	}
}

// ruledOut asks every rule that did not diagnose failing entry i whether
// the trace's evidence excludes its cause.
func ruledOut(t *trace.Trace, i int, ds []Diagnosis, rules []*Rule) []RuledOut {
	diagnosed := map[string]bool{}
	for _, d := range ds {
		diagnosed[d.Cause] = true
	}
	var out []RuledOut
	for _, r := range rules {
		if r.RuleOut == nil || diagnosed[r.ID] {
			continue
		}
		if why, ok := ruleOutSafely(r, t, i); ok {
			out = append(out, RuledOut{Cause: r.ID, Title: r.Title, Evidence: redact.Text(why)})
		}
	}
	return out
}

// ruleOutSafely keeps one broken check from taking the report down.
func ruleOutSafely(r *Rule, t *trace.Trace, i int) (why string, ok bool) {
	defer func() {
		if recover() != nil {
			why, ok = "", false
		}
	}()
	return r.RuleOut(t, i)
}

// forProgram removes the steps only a person at a browser can take from
// diagnoses of a request that a program sent (curl, an SDK, a server): its
// owner is told what to change in the program instead.
func forProgram(ds []Diagnosis, client string) []Diagnosis {
	out := make([]Diagnosis, len(ds))
	for k, d := range ds {
		steps := make([]trace.Step, 0, len(d.Remedy))
		dropped := false
		for _, s := range d.Remedy {
			if s.Browser {
				dropped = true
				continue
			}
			steps = append(steps, s)
		}
		if dropped {
			steps = append([]trace.Step{{Who: trace.Developer, Step: fmt.Sprintf(
				"The request came from %s, not a browser: check the credential this program is configured with (which account, key or token, and how long it lives) and the header it sends it in, fix it, then run the call again; it should answer 200.", client)}}, steps...)
		}
		d.Remedy = steps
		out[k] = d
	}
	return out
}
