package trace

import (
	"strings"

	"authlens/har"
)

// requestIDHeaders are the response headers platforms use for the ID a
// support ticket should quote, most specific first.
var requestIDHeaders = []string{
	"x-amzn-RequestId", "x-amz-request-id", "x-amz-cf-id", "x-ms-request-id", "request-id", "client-request-id",
	"x-github-request-id", "x-gitlab-meta", "x-okta-request-id", "x-request-id", "x-correlation-id",
	"x-trace-id", "traceparent", "audit-id", "cf-ray", "x-served-by", "x-cloud-trace-context",
}

// RequestID returns the response header that identifies this request in
// the server's logs, and its value; ok is false when there is none.
// Identifiers are not secrets: they are what the operator needs.
func RequestID(e *har.Entry) (name, value string, ok bool) {
	for _, h := range requestIDHeaders {
		if v, found := har.HeaderValue(e.Response.Headers, h); found && strings.TrimSpace(v) != "" {
			return h, strings.TrimSpace(v), true
		}
	}
	return "", "", false
}

// CollectNext says what to gather when no cause explains a failure: the
// server's own log line for it, found by its request ID or time.
func CollectNext(e *har.Entry) string {
	when := e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")
	find := "by its time (" + when + ")"
	if name, v, ok := RequestID(e); ok {
		find = "by its " + name + " " + v + " (time " + when + ")"
	}
	switch EffectiveStatus(e) {
	case 401:
		return "No cause in AuthLens's catalogue fits this failure. Next, collect the server's authentication log entry for this request, " + find + ": it names the reason the credential was refused; and ask which account and sign-in method the customer meant to use."
	case 403, 404:
		return "No cause in AuthLens's catalogue fits this failure. Next, collect the log entry of the server (or of the firewall or proxy in front of it) for this request, " + find + ": it names the rule or permission that refused it."
	}
	return "No cause in AuthLens's catalogue fits this failure. Next, collect the server's log entry for this request, " + find + "."
}
