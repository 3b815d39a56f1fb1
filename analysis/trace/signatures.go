package trace

import (
	"fmt"
	"strings"

	"authlens/analysis/signatures"
)

// Signatures returns every vendor signature found in entry i, strongest
// first. The slice must not be modified.
func (t *Trace) Signatures(i int) []signatures.SignatureMatch {
	if i < len(t.sigs) {
		return t.sigs[i]
	}
	return t.scanSignatures(i)
}

// BuildSignatureIndex scans every entry once; several rules read it.
func BuildSignatureIndex(t *Trace) [][]signatures.SignatureMatch {
	out := make([][]signatures.SignatureMatch, len(t.Entries))
	for i := range t.Entries {
		out[i] = t.scanSignatures(i)
	}
	return out
}

func (t *Trace) scanSignatures(i int) []signatures.SignatureMatch {
	e := t.Entries[i]
	st := e.Response.Status
	errorStatus := st >= 400 || st <= 0
	body := ""
	if errorStatus || (len(e.Response.Content.Text) <= signatures.MaxOKBodyForSignatures && e.Response.Content.Ref == nil && pageLikeMIME(e.Response.Content.MimeType)) {
		body = t.Body(i)
	}
	if len(body) > signatures.MaxSignatureBody {
		body = body[:signatures.MaxSignatureBody]
	}
	return signatures.MatchAll(e, body, signatures.Table)
}

// pageLikeMIME reports content types a block page can have (not images,
// scripts, styles or fonts).
func pageLikeMIME(m string) bool {
	m = strings.ToLower(m)
	return m == "" || strings.Contains(m, "html") || strings.Contains(m, "json") || strings.Contains(m, "text/plain") || strings.Contains(m, "xml")
}

// SignatureEvidence is the evidence row for a match at entry i.
func SignatureEvidence(i int, m signatures.SignatureMatch) Evidence {
	d := fmt.Sprintf("%s (%s signature): %s", m.Vendor, m.Strength, m.Excerpt)
	if m.Reference != "" {
		d += fmt.Sprintf(" — %s %s", m.RefName, m.Reference)
	}
	return Evidence{Entry: i, Where: m.Where, Detail: d}
}
