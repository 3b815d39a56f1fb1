package trace

import (
	"strconv"
	"strings"
	"time"

	"authlens/har"
)

// How a server says a client is over its limits: quota headers,
// Retry-After, and the run of refusals a lockout follows. Rate limits,
// firewalls and security plugins all answer this way.

// RateLimitHeader returns a header saying the client's quota is used up.
// A quota of zero (limit 0, remaining 0) is not "used up": APIs such as
// GitHub's send it with a refused credential, which has no quota at all.
func RateLimitHeader(e *har.Entry) (name, value string, ok bool) {
	for _, n := range []string{"X-RateLimit-Remaining", "X-Rate-Limit-Remaining", "RateLimit-Remaining", "X-Ratelimit-Remaining-Minute"} {
		v, has := har.HeaderValue(e.Response.Headers, n)
		if !has || strings.TrimSpace(v) != "0" {
			continue
		}
		limitName := strings.Replace(n, "Remaining", "Limit", 1)
		if l, hasLimit := har.HeaderValue(e.Response.Headers, limitName); hasLimit && strings.TrimSpace(l) == "0" {
			continue
		}
		return n, v, true
	}
	if v, has := har.HeaderValue(e.Response.Headers, "RateLimit"); has {
		for _, part := range strings.Split(v, ";") {
			if k, val, _ := strings.Cut(strings.TrimSpace(part), "="); strings.EqualFold(k, "r") && strings.TrimSpace(val) == "0" {
				return "RateLimit", v, true
			}
		}
	}
	return "", "", false
}

// RetryAfterWords renders a Retry-After value in words.
func RetryAfterWords(e *har.Entry) string {
	v, ok := har.HeaderValue(e.Response.Headers, "Retry-After")
	if !ok {
		if r, ok := har.HeaderValue(e.Response.Headers, "X-RateLimit-Reset"); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(r), 10, 64); err == nil && n > 1e9 {
				reset := time.Unix(n, 0).UTC()
				return "until " + reset.Format("15:04:05 UTC") + " (X-RateLimit-Reset)"
			}
		}
		return ""
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return (time.Duration(n) * time.Second).String() + " (Retry-After)"
	}
	if d, err := HTTPDate(v); err == nil {
		return "until " + d.UTC().Format("2006-01-02 15:04:05 UTC") + " (Retry-After)"
	}
	return ""
}

// RepeatedRefusals counts the refusals to the same method and URL in the
// ten minutes before entry i.
func (t *Trace) RepeatedRefusals(i int) (n, first int) {
	e := t.Entries[i]
	first = -1
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			break
		}
		ej := t.Entries[j]
		if !RefusalStatus(ej.Response.Status) || !t.SameRequest(i, j) || e.StartedDateTime.Sub(ej.StartedDateTime) > 10*time.Minute {
			continue
		}
		if first < 0 {
			first = j
		}
		n++
	}
	return n, first
}
