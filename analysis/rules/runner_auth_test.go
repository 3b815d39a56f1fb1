package rules

import (
	"context"
	"errors"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/trace"
)

// authRuleIDs are the rules of the authentication part of the catalogue.
var authRuleIDs = []string{"missing-credentials", "invalid-credentials", "wrong-scheme", "unsupported-auth-method",
	"connection-auth-broken", "missing-challenge", "authz-as-401", "step-up-required", "client-credentials-invalid",
	"expired-token", "clock-skew", "token-audience-mismatch", "stale-nonce", "insufficient-scope",
	"proxy-stripped-authorization", "auth-dropped-on-redirect", "proxy-auth-required", "wrong-url", "dns-mismatch"}

func TestAuthRulesComplete(t *testing.T) {
	byID := map[string]*analysis.Rule{}
	for _, r := range All() {
		byID[r.ID] = r
	}
	for _, id := range authRuleIDs {
		r := byID[id]
		if r == nil {
			t.Errorf("%s: not in All()", id)
			continue
		}
		if r.Run == nil || r.Title == "" || r.Doc == "" || len(r.Remedy) == 0 {
			t.Errorf("%s: incomplete rule (run=%v title=%q remedy=%d)", id, r.Run != nil, r.Title, len(r.Remedy))
		}
		for _, s := range r.Remedy {
			if s.Who != trace.User && s.Who != trace.Admin && s.Who != trace.Developer || s.Step == "" {
				t.Errorf("%s: bad step %+v", id, s)
			}
		}
	}
}

// TestRankingSpecificBeforeGeneric runs several rules on one exchange and
// checks the runner orders them by confidence, the generic last.
func TestRankingSpecificBeforeGeneric(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/api/data", 401, reqH("Authorization", "Bearer "+testJWT(map[string]any{"exp": b.t0.Add(-time1h()).Unix()})), dateHeader(b.t0))
	rep, err := analysis.Analyze(context.Background(), b.trace(), []*analysis.Rule{MissingChallenge, InvalidCredentials, ExpiredToken})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := exchange(rep, 0)
	got := []string{}
	for _, d := range x.Diagnoses {
		got = append(got, d.Cause)
	}
	if strings.Join(got, ",") != "expired-token,invalid-credentials,missing-challenge" &&
		strings.Join(got, ",") != "expired-token,missing-challenge" {
		t.Fatalf("order = %v", got)
	}
	last := x.Diagnoses[len(x.Diagnoses)-1]
	if last.Cause != "missing-challenge" || last.Confidence > 0.3 {
		t.Errorf("generic cause must be last and low: %+v", last)
	}
}

func TestRunnerSurvivesPanickingRule(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/x", 401, respH("WWW-Authenticate", `Basic realm="x"`))
	boom := &analysis.Rule{ID: "boom", Title: "boom", Run: func(*analysis.Pass) { panic("index out of range") }}
	rep, err := analysis.Analyze(context.Background(), b.trace(), []*analysis.Rule{boom, MissingCredentials})
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := exchange(rep, 0); len(x.Diagnoses) != 1 || x.Diagnoses[0].Cause != "missing-credentials" {
		t.Errorf("diagnoses after a panicking rule: %s", causeList(x))
	}
	found := false
	for _, n := range rep.Notes {
		found = found || n.ID == "rule-failed" && strings.Contains(n.Text, "boom")
	}
	if !found {
		t.Error("no rule-failed note")
	}
}

func TestRunnerCancelled(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/x", 401, respH("WWW-Authenticate", `Basic realm="x"`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := analysis.Analyze(ctx, b.trace(), All())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestProxy407ListedAndAnswered(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "http://intranet.example.com/", 407, respH("Proxy-Authenticate", `Basic realm="proxy"`))
	b.add("GET", "http://intranet.example.com/", 200, reqH("Proxy-Authorization", basicAuth("u", "proxy-pass-77")))
	rep := analyzeAll(t, b.trace())
	x, ok := exchange(rep, 0)
	if ok && x.Problem {
		t.Fatalf("answered 407 flagged: [%s]", causeList(x))
	}
	wantNoSecret(t, rep, "proxy-pass-77")
}
