package rules

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
	"authlens/har"
)

// ruledOutOf analyses one-entry traces and returns entry 0's ruled-out
// causes, by cause.
func ruledOutOf(t *testing.T, es ...*har.Entry) map[string]string {
	t.Helper()
	for i, e := range es {
		e.Index = i
	}
	tr := trace.New(trace.SourceInfo{Path: "t.har", Format: "har"}, har.Log{Version: "1.2"}, es, nil)
	rep := analyzeAll(t, tr)
	out := map[string]string{}
	for _, x := range rep.Exchanges {
		if x.Index != 0 {
			continue
		}
		for _, ro := range x.RuledOut {
			out[ro.Cause] = ro.Evidence
		}
	}
	return out
}

func dateLine(sec int) string {
	return "Date: " + fixture.Time(sec).UTC().Format(http.TimeFormat)
}

// Each cause is ruled out only with the evidence that excludes it, and
// kept when the evidence points at it.
func TestRuledOutNeedsEvidence(t *testing.T) {
	valid := testJWT(map[string]any{"exp": fixture.Time(0).Add(40 * time.Minute).Unix(), "aud": "https://api.example.com", "sub": "u1"})
	expired := testJWT(map[string]any{"exp": fixture.Time(0).Add(-time.Hour).Unix(), "aud": "https://other.example.net", "sub": "u1"})
	cases := []struct {
		name  string
		entry *har.Entry
		out   map[string]string // cause -> a phrase its evidence must hold
		kept  []string          // causes that must not be ruled out
	}{
		{
			name: "valid bearer token, server agrees on time",
			entry: fixture.Entry(0, "GET", "https://api.example.com/v1/orders", 401,
				[]string{"Authorization: Bearer " + valid},
				[]string{`WWW-Authenticate: Bearer error="invalid_token"`, dateLine(0)}, ""),
			out: map[string]string{
				"expired-token":                "valid for another 40 min",
				"missing-credentials":          "Authorization header (Bearer)",
				"wrong-scheme":                 "used Bearer",
				"token-audience-mismatch":      "https://api.example.com",
				"clock-skew":                   "Clocks agree",
				"proxy-stripped-authorization": "error=invalid_token",
				"csrf-failure":                 "GET requests",
				"rate-limited":                 "not 429",
				"proxy-auth-required":          "not 407",
			},
		},
		{
			name: "expired token for another audience, server clock 10 min ahead, POST, 429",
			entry: fixture.Entry(0, "POST", "https://api.example.com/v1/orders", 429,
				[]string{"Authorization: Bearer " + expired, "Origin: https://app.example.com"},
				[]string{"Retry-After: 30", dateLine(600)}, ""),
			kept: []string{"expired-token", "token-audience-mismatch", "clock-skew", "csrf-failure", "rate-limited", "cors-misconfigured"},
		},
		{
			name: "no credentials at all",
			entry: fixture.Entry(0, "GET", "https://app.example.com/admin", 401, nil,
				[]string{`WWW-Authenticate: Basic realm="admin"`}, ""),
			kept: []string{"missing-credentials", "proxy-stripped-authorization"},
		},
		{
			name: "curl cannot meet CORS",
			entry: func() *har.Entry {
				e := fixture.Entry(0, "GET", "https://api.example.com/v1/me", 403, nil, nil, "")
				e.Request.Headers = fixture.Headers("User-Agent: curl/8.5.0")
				return e
			}(),
			out: map[string]string{"cors-misconfigured": "curl 8.5.0", "cors-preflight-auth": "not a browser"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ruledOutOf(t, c.entry)
			for cause, phrase := range c.out {
				if ev, ok := got[cause]; !ok || !strings.Contains(ev, phrase) {
					t.Errorf("%s: want ruled out with %q, got %q (ruled out: %v)", cause, phrase, ev, ok)
				}
			}
			for _, cause := range c.kept {
				if ev, ok := got[cause]; ok {
					t.Errorf("%s ruled out against the evidence: %s", cause, ev)
				}
			}
		})
	}
}

// Every RuleOut belongs to a rule in the catalogue, and the runner never
// rules out a cause it diagnosed.
func TestRuledOutExcludesDiagnosed(t *testing.T) {
	expired := testJWT(map[string]any{"exp": fixture.Time(0).Add(-time.Hour).Unix(), "aud": "https://api.example.com"})
	e := fixture.Entry(0, "GET", "https://api.example.com/v1/orders", 401,
		[]string{"Authorization: Bearer " + expired},
		[]string{`WWW-Authenticate: Bearer error="invalid_token", error_description="The access token expired"`, dateLine(0)}, "")
	e.Index = 0
	rep := analyzeAll(t, trace.New(trace.SourceInfo{Path: "t.har"}, har.Log{Version: "1.2"}, []*har.Entry{e}, nil))
	x := rep.Exchanges[0]
	diagnosed := map[string]bool{}
	for _, d := range x.Diagnoses {
		diagnosed[d.Cause] = true
	}
	if !diagnosed["expired-token"] {
		t.Fatalf("expired-token not diagnosed: %v", x.Diagnoses)
	}
	for _, ro := range x.RuledOut {
		if diagnosed[ro.Cause] {
			t.Errorf("%s is both diagnosed and ruled out", ro.Cause)
		}
	}
	var withRuleOut int
	for _, r := range All() {
		if r.RuleOut != nil {
			withRuleOut++
		}
	}
	if withRuleOut < 12 {
		t.Errorf("only %d causes can be ruled out", withRuleOut)
	}
}
