package trace

import (
	"fmt"
	"strings"

	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// SendTo is the closing step when the user cannot fix the cause: what to
// send to whom, ready to copy.
func (t *Trace) SendTo(i int, who, what string) Step {
	e := t.Entries[i]
	return Step{Who: User, Step: fmt.Sprintf("Send this to %s: \"%s %s answered %d at %s. %s\"",
		who, e.Request.Method, redact.URL(e.Request.URL), EffectiveStatus(e),
		e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"), what)}
}

// sanitizedCaveat is added to explanations that rest on a header being
// absent when the export may have removed it.
func (t *Trace) AuthAbsenceCaveat() string {
	if !t.sanitized.AuthHidden {
		return ""
	}
	return " This HAR was exported without secrets, so whether an Authorization header was really absent cannot be confirmed: " + sanitizedAsk
}

// RequestLabel is "POST https://host/path" for remedy steps.
func RequestLabel(e *har.Entry) string {
	return e.Request.Method + " " + excerpt.Clip(redact.URL(e.Request.URL), 160)
}

// SendStep is the closing step when the user cannot fix the cause: what
// to send to whom, ready to copy (catalogue §5).
func SendStep(to string, e *har.Entry, why string) Step {
	return Step{Who: User, Step: fmt.Sprintf("Send the %s: \"%s answered %d at %s. %s\"", to, RequestLabel(e), e.Response.Status,
		e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"), why)}
}

// HostOf returns the lower-case host of entry e.
func HostOf(e *har.Entry) string { return strings.ToLower(jar.RequestURL(e).Hostname()) }
