package analysis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"authlens/analysis"
	"authlens/analysis/internal/tracebuild"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
)

var curlStyle = tracebuild.Style{UserAgent: "curl/8.5.0", Step: time.Second, Time: 40}

func analyzeEntries(t *testing.T, es []*har.Entry, rs []*analysis.Rule) *analysis.Report {
	t.Helper()
	tr := trace.New(trace.SourceInfo{Path: "t.har", Format: "har"}, har.Log{Version: "1.2"}, es, nil)
	rep, err := analysis.Analyze(context.Background(), tr, rs)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func exchangeAt(t *testing.T, rep *analysis.Report, i int) analysis.Exchange {
	t.Helper()
	for _, x := range rep.Exchanges {
		if x.Index == i {
			return x
		}
	}
	t.Fatalf("entry %d not listed", i)
	return analysis.Exchange{}
}

// Stripe answers a wrong key with a Basic challenge: the challenge alone
// reads as a scheme mismatch, the vendor's own words name the key.
func TestVendorWordsOutrankChallengeInference(t *testing.T) {
	b := tracebuild.NewBuilder(curlStyle, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	b.Add("POST", "https://api.stripe.com/v1/customers", 401,
		tracebuild.ReqHeader("Authorization", "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
		tracebuild.RespHeader("WWW-Authenticate", `Basic realm="Stripe"`),
		tracebuild.Body("application/json", `{"error":{"message":"Invalid API Key provided: sk_test_****7dc","type":"invalid_request_error"}}`))
	rep := analyzeEntries(t, b.Entries(), rules.All())
	x := exchangeAt(t, rep, 0)
	if len(x.Diagnoses) == 0 || x.Diagnoses[0].Cause != "invalid-credentials" {
		t.Fatalf("top cause: %+v", x.Diagnoses)
	}
	for _, d := range x.Diagnoses[1:] {
		if d.Confidence >= x.Diagnoses[0].Confidence {
			t.Errorf("%s (%.2f) not ranked below the vendor's words", d.Cause, d.Confidence)
		}
	}
	if x.ServerSaid == nil || x.ServerSaid.Vendor != "Stripe" || !strings.Contains(x.ServerSaid.Words, "Invalid API Key provided") {
		t.Errorf("server_said: %+v", x.ServerSaid)
	}
	if strings.Contains(x.ServerSaid.Words, "sk_test_4eC39HqLyjWDarjtT1zdp7dc") {
		t.Errorf("server_said leaks the key: %q", x.ServerSaid.Words)
	}
	if x.Client != "curl 8.5.0" {
		t.Errorf("client: %q", x.Client)
	}
}

// A generic code (RFC 6750 invalid_token without a description) is a lead,
// not a finding: alone it names no cause.
func TestGenericVendorWordsAreNotAFinding(t *testing.T) {
	b := tracebuild.NewBuilder(curlStyle, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	b.Add("GET", "https://api.example.com/v1/me", 401,
		tracebuild.ReqHeader("Authorization", "Bearer opaque-token-value-1234567890"),
		tracebuild.RespHeader("WWW-Authenticate", `Bearer error="invalid_token"`))
	var invalid *analysis.Rule
	for _, r := range rules.All() {
		if r.ID == "invalid-credentials" {
			invalid = &analysis.Rule{ID: r.ID, Title: r.Title, Doc: r.Doc, Remedy: r.Remedy}
		}
	}
	rep := analyzeEntries(t, b.Entries(), []*analysis.Rule{invalid}) // no Run: only the vocabulary can name it
	if x := exchangeAt(t, rep, 0); len(x.Diagnoses) != 0 {
		t.Errorf("a generic term made a finding: %+v", x.Diagnoses)
	}
}

// A failure no cause explains still says what the server said and what to
// collect next, with the request ID to quote.
func TestUnexplainedFailureSaysWhatToCollect(t *testing.T) {
	b := tracebuild.NewBuilder(curlStyle, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	b.Add("GET", "https://api.example.com/v1/report", 403,
		tracebuild.RespHeader("x-request-id", "req-7f3a9c"),
		tracebuild.Body("application/json", `{"code":"QUOTA_POLICY_BLOCK","message":"This report is blocked by policy QP-17."}`))
	rep := analyzeEntries(t, b.Entries(), nil)
	x := exchangeAt(t, rep, 0)
	if !strings.Contains(x.Explanation, "No cause in AuthLens's catalogue fits") || !strings.Contains(x.Explanation, "x-request-id req-7f3a9c") {
		t.Errorf("explanation: %q", x.Explanation)
	}
	if x.ServerSaid == nil || !strings.Contains(x.ServerSaid.Words, "QUOTA_POLICY_BLOCK") || !strings.Contains(x.ServerSaid.Words, "blocked by policy QP-17") {
		t.Errorf("server_said: %+v", x.ServerSaid)
	}
}

// The first leg of a handshake the client completed is not a failure, even
// when its body carries an error code (a registry's 401 before the token).
func TestAnsweredChallengeGetsNoVendorFinding(t *testing.T) {
	b := tracebuild.NewBuilder(tracebuild.Style{UserAgent: "docker/27.0.3", Step: time.Second}, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	b.Add("GET", "https://registry.example.com/v2/app/manifests/latest", 401,
		tracebuild.RespHeader("WWW-Authenticate", `Bearer realm="https://auth.example.com/token",service="registry",scope="repository:app:pull"`),
		tracebuild.Body("application/json", `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
	b.Add("GET", "https://registry.example.com/v2/app/manifests/latest", 200,
		tracebuild.ReqHeader("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."))
	rep := analyzeEntries(t, b.Entries(), rules.All())
	x := exchangeAt(t, rep, 0)
	if x.Problem {
		t.Fatalf("the answered challenge is a problem: %q", x.Explanation)
	}
	for _, d := range x.Diagnoses {
		if strings.Contains(d.Explanation, "Docker registry answered") {
			t.Errorf("vendor finding on an answered challenge: %s", d.Cause)
		}
	}
}
