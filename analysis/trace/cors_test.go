package trace

import (
	"strings"
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestCORSHeaderProblems(t *testing.T) {
	const origin = "https://app.example.com"
	cases := []struct {
		name         string
		resp         []string
		credentialed bool
		requested    []string
		want         []string // substrings, one per problem
	}{
		{"fine", []string{"Access-Control-Allow-Origin: https://app.example.com", "Access-Control-Allow-Credentials: true", "Access-Control-Allow-Headers: Authorization"}, true, []string{"authorization"}, nil},
		{"no ACAO", nil, false, nil, []string{"no Access-Control-Allow-Origin"}},
		{"star with credentials", []string{"Access-Control-Allow-Origin: *"}, true, nil, []string{"it must name the origin", "no Access-Control-Allow-Credentials"}},
		{"other origin", []string{"Access-Control-Allow-Origin: https://else.example.com"}, false, nil, []string{"but the caller is https://app.example.com"}},
		{"star headers", []string{"Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: *"}, false, []string{"Authorization", "X-Custom"}, []string{"does not cover Authorization"}},
		{"unlisted header", []string{"Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: X-Other"}, false, []string{"X-Custom", "Accept"}, []string{"does not list x-custom"}},
	}
	for _, c := range cases {
		got := CORSHeaderProblems(fixture.Entry(0, "OPTIONS", "https://api.example.com/", 204, nil, c.resp, ""), origin, c.credentialed, c.requested)
		if len(got) != len(c.want) {
			t.Errorf("%s: problems = %q, want %d", c.name, got, len(c.want))
			continue
		}
		for k, w := range c.want {
			if !strings.Contains(got[k], w) {
				t.Errorf("%s: problem %d = %q, want it to say %q", c.name, k, got[k], w)
			}
		}
	}
}

func TestWildcardWithoutCredentials(t *testing.T) {
	if !WildcardWithoutCredentials(fixture.Entry(0, "OPTIONS", "https://api.example.com/", 204, nil, []string{"Access-Control-Allow-Origin: *"}, "")) {
		t.Error("* without credentials")
	}
	if WildcardWithoutCredentials(fixture.Entry(0, "OPTIONS", "https://api.example.com/", 204, nil, []string{"Access-Control-Allow-Origin: *", "Access-Control-Allow-Credentials: true"}, "")) {
		t.Error("credentials allowed")
	}
}
