package analysis

import (
	"fmt"

	"authlens/analysis/signatures"
	"authlens/analysis/trace"
)

// The server's own words outrank inference. When a response carries a
// documented vendor error (signatures.Vocabulary: an OAuth error code, an
// AADSTS code, a Kubernetes Status, a Slack {ok:false}…), the runner
// reports it under the cause the vocabulary names — with that rule's title
// and playbook, so adding a vendor is one table row — and lowers the other
// causes' findings below it when the term is unique to one cause.

// vocabularyFindings returns, per rule ID, the findings the server's words
// name. byID holds the rules being run: a cause outside the set is not
// reported (a test running one rule sees only that rule's findings). The
// causes a term merely supports (Also) get no finding of their own; they
// are only spared by deferToServerWords.
func vocabularyFindings(t *trace.Trace, byID map[string]*Rule) map[string][]Finding {
	out := map[string][]Finding{}
	for i := range t.Entries {
		ms := t.Vocabulary(i)
		if len(ms) == 0 {
			continue
		}
		if answered, _ := t.AnsweredChallenge(i); answered {
			continue // the first leg of a handshake the client completed
		}
		seen := map[string]bool{}
		for _, m := range ms {
			if m.Strength == signatures.Generic.String() || seen[m.Cause] || byID[m.Cause] == nil {
				continue // a generic term is a lead that only backs a rule's own reading
			}
			seen[m.Cause] = true
			out[m.Cause] = append(out[m.Cause], Finding{
				Entry: i, Confidence: m.Confidence,
				Explanation: fmt.Sprintf("%s answered %s: %s.", m.Vendor, m.Quote, m.Meaning),
				Evidence:    []trace.Evidence{trace.VocabularyEvidence(i, m)},
			})
		}
	}
	return out
}

// mergeServerWords adds a vocabulary finding to an entry's diagnoses. When
// the rule already diagnosed the cause, its own explanation and playbook
// (which name the concrete token, cookie or grant) stay, and the vendor's
// words add evidence and confidence.
func mergeServerWords(ds []Diagnosis, r *Rule, f Finding) []Diagnosis {
	for k := range ds {
		if ds[k].Cause != r.ID {
			continue
		}
		if f.Confidence > ds[k].Confidence {
			ds[k].Confidence = clamp01(f.Confidence)
		}
		ds[k].Evidence = append(ds[k].Evidence, f.Evidence...)
		return ds
	}
	return mergeDiagnosis(ds, r, f)
}

// deferToServerWords lowers, on every entry whose strongest vocabulary
// match is unique to its product, the diagnoses of causes that match does
// not name, below it.
func deferToServerWords(t *trace.Trace, x *Exchange, byID map[string]*Rule) {
	ms := t.Vocabulary(x.Index)
	if len(ms) == 0 || ms[0].Strength != signatures.Unique.String() || byID[ms[0].Cause] == nil {
		return
	}
	top := ms[0]
	for k := range x.Diagnoses {
		d := &x.Diagnoses[k]
		if top.Names(d.Cause) || d.Confidence < top.Confidence {
			continue
		}
		d.Confidence = top.Confidence - 0.1
		d.Explanation += fmt.Sprintf(" %s's own error (%s) names another cause, which ranks first.", top.Vendor, top.Quote)
	}
}

// serverSaid is the exchange's server words for the report, nil when the
// server said nothing readable.
func serverSaid(t *trace.Trace, i int) *ServerSaid {
	format, words, where := t.ServerSaid(i)
	if words == "" {
		return nil
	}
	ss := &ServerSaid{Words: words, Format: format, Where: where}
	if ms := t.Vocabulary(i); len(ms) > 0 && ms[0].Strength != signatures.Generic.String() {
		ss.Vendor, ss.Meaning, ss.Source = ms[0].Vendor, ms[0].Meaning, ms[0].Source
	}
	return ss
}
