package trace

import (
	"fmt"
	"strings"

	"authlens/analysis/signatures"
	"authlens/har"
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

// SignatureFor returns the strongest match in ms naming cause, if any.
func SignatureFor(ms []signatures.SignatureMatch, cause string) (signatures.SignatureMatch, bool) {
	for _, m := range ms {
		if m.Cause == cause {
			return m, true
		}
	}
	for _, m := range ms {
		for _, a := range m.Also {
			if a == cause {
				return m, true
			}
		}
	}
	return signatures.SignatureMatch{}, false
}

// SignatureEvidence is the evidence row for a match at entry i.
func SignatureEvidence(i int, m signatures.SignatureMatch) Evidence {
	d := fmt.Sprintf("%s (%s signature): %s", m.Vendor, m.Strength, m.Excerpt)
	if m.Reference != "" {
		d += fmt.Sprintf(" — %s %s", m.RefName, m.Reference)
	}
	return Evidence{Entry: i, Where: m.Where, Detail: d}
}

// PlainServerPage names the web server whose built-in error page the
// Body is ("Apache", "nginx", "IIS", "LiteSpeed", "Tomcat"), "" otherwise.
// Such a page says nothing about why: ModSecurity, allow-lists, file
// permissions and folder listings all produce it.
func PlainServerPage(e *har.Entry, body string) string {
	b := strings.ToLower(body)
	server, _ := har.HeaderValue(e.Response.Headers, "Server")
	server = strings.ToLower(server)
	switch {
	case strings.Contains(b, "you don't have permission to access") || (strings.Contains(b, "<h1>forbidden</h1>") && strings.Contains(b, "apache")):
		return "Apache"
	case strings.Contains(b, "<center>nginx") || strings.Contains(b, "<center>openresty"):
		return "nginx"
	case iisCustomPage.MatchString(body):
		return "IIS"
	case strings.Contains(b, "litespeed") && strings.Contains(b, "403"):
		return "LiteSpeed"
	case strings.Contains(b, "apache tomcat") && strings.Contains(b, "http status 403"):
		return "Tomcat"
	case strings.TrimSpace(b) == "" && e.Response.Status == 403 && (strings.HasPrefix(server, "apache") || strings.HasPrefix(server, "nginx")):
		if strings.HasPrefix(server, "apache") {
			return "Apache"
		}
		return "nginx"
	}
	return ""
}
