package trace

import (
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/signatures"
	"authlens/har"
	"authlens/redact"
)

// Who names the person who has to act on a remedy step.
type Who string

// The three kinds of people a remedy step is addressed to.
const (
	User      Who = "user"      // the customer in the browser
	Admin     Who = "admin"     // the site or network administrator
	Developer Who = "developer" // the application's code
)

// Step is one remedy action, addressed to one person.
type Step struct {
	Who  Who    `json:"who"`
	Step string `json:"step"`
	// Browser marks a step only a person at a web browser can take (sign
	// in on the site's page, clear its cookies, reload, a private window):
	// the runner leaves it out when curl, an SDK or a server sent the
	// request, whose owner cannot act on it.
	Browser bool `json:"-"`
}

// Evidence points at the entry and field a conclusion rests on. Detail is
// an excerpt or a summary; secrets in it are masked.
type Evidence struct {
	Entry  int          `json:"entry"`
	Where  har.Location `json:"where"` // e.g. request header Authorization, the response body
	Detail string       `json:"detail"`
}

// Note is a trace-wide observation, such as "this HAR was exported without
// cookies".
type Note struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// SourceInfo describes where the trace came from.
type SourceInfo struct {
	Path      string `json:"path"`
	Format    string `json:"format"`
	Creator   string `json:"creator"`
	Entries   int    `json:"entries"`
	Sanitized bool   `json:"sanitized"`
}

// Helpers shared by the authentication rules (missing/invalid credentials,
// schemes, tokens, proxies, redirects).

// EvidenceAt builds one evidence row.
func EvidenceAt(i int, where har.Location, detail string) Evidence {
	return Evidence{Entry: i, Where: where, Detail: detail}
}

// BodyEvidence is an evidence row quoting the response body.
func BodyEvidence(i int, body string, loc []int, prefix string) Evidence {
	return Evidence{Entry: i, Where: har.At(har.PartResponseBody), Detail: prefix + redact.Text(signatures.ExcerptAround(body, loc[0], loc[1]))}
}

// headerEvidence is an evidence row quoting one response header.
func ResponseHeaderEvidence(i int, name, value string) Evidence {
	return Evidence{Entry: i, Where: har.ResponseHeader(name), Detail: name + ": " + excerpt.Clip(value, 160)}
}
