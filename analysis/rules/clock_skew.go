package rules

import (
	"fmt"
	"regexp"
	"time"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// ClockSkew is the `clock-skew` cause.
var ClockSkew = &analysis.Rule{
	ID:    "clock-skew",
	Title: "Clocks disagree",
	Doc:   "The clocks of the client (or the machine that issued the token) and the server disagree enough to make a valid token or signature look expired or not yet valid.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Set the computer's clock to synchronise automatically (Windows: Settings > Time & language > Sync now; macOS: Date & Time > Set automatically), then sign in again and retry."},
		{Who: trace.Admin, Step: "Check NTP on the server that issues the tokens and on the API servers: their clocks must agree within a few seconds."},
		{Who: trace.Developer, Step: "Allow a small clock leeway (a minute or two) when validating exp, nbf and iat."},
	},
	Run:     runClockSkew,
	RuleOut: ruleOutClockSkew,
}

// skewText matches server texts about request times out of range.
var skewText = regexp.MustCompile(`(?i)RequestTimeTooSkewed|difference between the request time and the current time is too large|AADSTS500133|not yet valid|Signature not yet current|IDX10222|token is not valid yet|nbf" claim|clock skew`)

// clientClockOff is the difference between the client's and the server's
// clocks that we call skew (requests take a few seconds at most).
const clientClockOff = 5 * time.Minute

func runClockSkew(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		if !t.AuthFailure(i) && e.Response.Status != 400 {
			continue
		}
		date := t.ResponseDate(i)
		f := analysis.Finding{Entry: i}
		whoseClock := "issuer" // the machine that minted the token runs ahead
		if j := t.JWTOf(i); j != nil {
			switch {
			case j.NotBefore != nil && j.NotBefore.Sub(date) > trace.TimeLeeway:
				f.Confidence = 0.85
				f.Explanation = fmt.Sprintf("The token is not valid yet: its nbf (%s) is %s after the server's Date (%s). The machine that issued it has a clock ahead of the server's.",
					j.NotBefore.UTC().Format(time.RFC3339), trace.HumanDuration(j.NotBefore.Sub(date)), date.UTC().Format(time.RFC3339))
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Authorization"), "JWT nbf "+j.NotBefore.UTC().Format(time.RFC3339)))
			case j.IssuedAt != nil && j.IssuedAt.Sub(date) > time.Minute:
				f.Confidence = 0.6
				f.Explanation = fmt.Sprintf("The token says it was issued %s in the future (iat %s, server Date %s); some servers reject that.",
					trace.HumanDuration(j.IssuedAt.Sub(date)), j.IssuedAt.UTC().Format(time.RFC3339), date.UTC().Format(time.RFC3339))
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Authorization"), "JWT iat "+j.IssuedAt.UTC().Format(time.RFC3339)))
			case j.Expires != nil && date.Sub(*j.Expires) > trace.TimeLeeway && j.Expires.Sub(e.StartedDateTime) > trace.TimeLeeway:
				whoseClock = "client"
				f.Confidence = 0.75
				f.Explanation = fmt.Sprintf("The token had expired by the server's clock (exp %s, Date %s) but not by the client's (request sent at %s): the client's clock is behind, so it did not refresh in time.",
					j.Expires.UTC().Format(time.RFC3339), date.UTC().Format(time.RFC3339), e.StartedDateTime.UTC().Format(time.RFC3339))
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Authorization"), "JWT exp "+j.Expires.UTC().Format(time.RFC3339)))
			}
		}
		if ex, ok := t.BodyMatch(i, skewText); ok {
			if f.Confidence == 0 {
				whoseClock = "client" // S3/Entra judge the request's own timestamp
			}
			f.Confidence = max(f.Confidence, 0.9)
			if f.Explanation == "" {
				f.Explanation = "The server says the request's time (or the token's validity period) is out of range for its clock."
			}
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		}
		if f.Confidence == 0 {
			continue
		}
		f.Remedy = skewSteps(t, i, whoseClock)
		if d, ok := har.HeaderValue(e.Response.Headers, "Date"); ok {
			off := date.Sub(e.StartedDateTime)
			detail := fmt.Sprintf("Date: %s; the client recorded the request at %s", d, e.StartedDateTime.UTC().Format(time.RFC3339))
			if off > clientClockOff || off < -clientClockOff {
				detail += fmt.Sprintf(" — the client's clock is %s off", trace.HumanDuration(off))
			}
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.ResponseHeader("Date"), detail))
		}
		p.Report(f)
	}
}

// skewSteps names the clock to fix: the client's (the browser machine or
// the service sending signed requests) or the token issuer's.
func skewSteps(t *trace.Trace, i int, whose string) []trace.Step {
	var steps []trace.Step
	if whose == "client" {
		steps = append(steps,
			trace.Step{Who: trace.User, Step: "Set this computer's clock to synchronise automatically (Windows: Settings > Time & language > Date & time > Sync now; macOS: System Settings > General > Date & Time > Set automatically), then sign in again and retry: it should answer 200."},
			trace.Step{Who: trace.Admin, Step: "If the requests come from a server or script, enable NTP (chrony / systemd-timesyncd / w32time) on that machine."})
	} else {
		steps = append(steps,
			trace.Step{Who: trace.Admin, Step: "Check the clock of the server that issues the tokens (identity provider / token service) against the API servers' clocks, and enable NTP on both: they must agree within seconds. New tokens should then be accepted."})
	}
	steps = append(steps,
		trace.Step{Who: trace.Developer, Step: "Validate exp, nbf and iat with a small leeway (one to five minutes), as most JWT libraries allow."},
		t.SendTo(i, "the site's administrator", "The token or request time is rejected as out of range; the clocks of the client, the token issuer and the API seem to disagree."))
	return steps
}

// clocksAgree is how far the server's Date may be from the client's
// request time before the clocks are said to disagree.
const clocksAgree = 2 * time.Minute

// ruleOutClockSkew: the server's Date and the client's request time agree.
func ruleOutClockSkew(t *trace.Trace, i int) (string, bool) {
	e := t.Entries[i]
	v, ok := har.HeaderValue(e.Response.Headers, "Date")
	if !ok {
		return "", false
	}
	date, err := trace.HTTPDate(v)
	if err != nil {
		return "", false
	}
	off := date.Sub(e.StartedDateTime)
	if off < 0 {
		off = -off
	}
	if off > clocksAgree {
		return "", false
	}
	return fmt.Sprintf("Clocks agree: the server's Date (%s) is within %s of the time the client recorded the request.", v, trace.HumanDuration(off+time.Second)), true
}
