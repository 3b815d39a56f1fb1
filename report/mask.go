package report

import (
	"authlens/analysis"
	"authlens/redact"
)

// Masked returns a copy of r in which the texts a report copies from the
// trace verbatim (exchange URLs and methods) have passed through package
// redact. Rules mask what they quote in explanations, evidence and remedy
// steps themselves, with the same package (a second pass would mask the
// rules' own words and the equality-keeping cookie masks); the canary test
// checks every format. Every writer in this package starts from it, and
// the UI shows the same copy.
func Masked(r *analysis.Report) *analysis.Report {
	if r == nil {
		return nil
	}
	out := *r
	out.Source.Path = redact.Text(r.Source.Path)
	out.Source.Creator = redact.Text(r.Source.Creator)
	out.Notes = make([]analysis.Note, len(r.Notes))
	for i, n := range r.Notes {
		out.Notes[i] = n
	}
	out.Exchanges = make([]analysis.Exchange, len(r.Exchanges))
	for i, x := range r.Exchanges {
		x.URL = Visible(redact.URL(x.URL), true)
		x.Method = Visible(redact.Text(x.Method), true)
		ds := make([]analysis.Diagnosis, len(x.Diagnoses))
		for k, d := range x.Diagnoses {
			ds[k] = d
		}
		x.Diagnoses = ds
		if x.RuledOut != nil {
			ros := make([]analysis.RuledOut, len(x.RuledOut))
			for k, ro := range x.RuledOut {
				ro.Evidence = Visible(redact.Text(ro.Evidence), true)
				ros[k] = ro
			}
			x.RuledOut = ros
		}
		if x.ServerSaid != nil {
			ss := *x.ServerSaid
			ss.Words = Visible(redact.Text(ss.Words), true)
			x.ServerSaid = &ss
		}
		out.Exchanges[i] = x
	}
	return &out
}

// MaskedForSharing is Masked, and every explanation, evidence detail and
// remedy step passed through redact once more: a case report leaves the
// support desk, so it does not rely on each rule having masked what it
// quoted. (The screens and the terminal use Masked, which keeps the
// rules' own words untouched.)
func MaskedForSharing(r *analysis.Report) *analysis.Report {
	out := Masked(r)
	if out == nil {
		return nil
	}
	for i := range out.Exchanges {
		x := &out.Exchanges[i]
		x.Explanation = redact.Text(x.Explanation)
		for k := range x.Diagnoses {
			d := &x.Diagnoses[k]
			d.Explanation = redact.Text(d.Explanation)
			ev := make([]analysis.Evidence, len(d.Evidence))
			for j, e := range d.Evidence {
				e.Where.Name = redact.Text(e.Where.Name)
				e.Detail = redact.Text(e.Detail)
				ev[j] = e
			}
			d.Evidence = ev
			steps := make([]analysis.Step, len(d.Remedy))
			for j, s := range d.Remedy {
				s.Step = redact.Text(s.Step)
				steps[j] = s
			}
			d.Remedy = steps
		}
	}
	return out
}
