package rules

import (
	"testing"

	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
	"authlens/har"
)

// A 401 to a request that carried its key in a header of its own
// (X-API-Key, PRIVATE-TOKEN) is a refused key, not a missing credential;
// an anti-forgery header is no credential at all.
func TestKeyInItsOwnHeader(t *testing.T) {
	for _, c := range []struct {
		header, want string
	}{
		{"PRIVATE-TOKEN: glpat-2mX8cVq1Lk9dWzR4yT7b", "invalid-credentials"},
		{"X-API-Key: 5f1c2e9a7b3d4c6e8f0a1b2c3d4e5f60", "invalid-credentials"},
		{"X-CSRF-Token: 3f9a1c", "missing-credentials"},
	} {
		e := fixture.Entry(0, "GET", "https://gitlab.example.com/api/v4/projects/2", 401, []string{c.header}, nil, `{"message":"401 Unauthorized"}`)
		e.Request.Headers = fixture.Headers("User-Agent: curl/8.5.0", c.header)
		rep := analyzeAll(t, trace.New(trace.SourceInfo{Path: "t.har"}, har.Log{Version: "1.2"}, []*har.Entry{e}, nil))
		x := rep.Exchanges[0]
		if len(x.Diagnoses) == 0 || x.Diagnoses[0].Cause != c.want {
			t.Errorf("%s: want top %s, got %+v", c.header, c.want, x.Diagnoses)
		}
	}
}
