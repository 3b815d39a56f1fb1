package report

import (
	"authlens/analysis"
	"authlens/redact"
)

// Masked returns a copy of r in which every text that may quote the
// trace (URLs, explanations, evidence, remedy steps, notes) has passed
// through package redact. Every writer in this package starts from it, so
// no output format can leak what another masks; the UI shows the same
// copy.
func Masked(r *analysis.Report) *analysis.Report {
	if r == nil {
		return nil
	}
	out := *r
	out.Source.Path = redact.Text(r.Source.Path)
	out.Source.Creator = redact.Text(r.Source.Creator)
	out.Notes = make([]analysis.Note, len(r.Notes))
	for i, n := range r.Notes {
		out.Notes[i] = analysis.Note{ID: n.ID, Text: redact.Text(n.Text)}
	}
	out.Exchanges = make([]analysis.Exchange, len(r.Exchanges))
	for i, x := range r.Exchanges {
		x.URL = redact.URL(x.URL)
		x.Method = redact.Text(x.Method)
		x.Explanation = redact.Text(x.Explanation)
		ds := make([]analysis.Diagnosis, len(x.Diagnoses))
		for k, d := range x.Diagnoses {
			d.Explanation = redact.Text(d.Explanation)
			ev := make([]analysis.Evidence, len(d.Evidence))
			for j, e := range d.Evidence {
				e.Where = redact.Text(e.Where)
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
			ds[k] = d
		}
		x.Diagnoses = ds
		out.Exchanges[i] = x
	}
	return &out
}
