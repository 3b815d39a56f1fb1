package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestRateLimitHeader(t *testing.T) {
	cases := []struct {
		resp []string
		want string
	}{
		{[]string{"X-RateLimit-Remaining: 0", "X-RateLimit-Limit: 60"}, "X-RateLimit-Remaining"},
		// A quota of zero is no quota at all (GitHub with a refused token).
		{[]string{"X-RateLimit-Remaining: 0", "X-RateLimit-Limit: 0"}, ""},
		{[]string{"X-RateLimit-Remaining: 12"}, ""},
		{[]string{"RateLimit: limit=100, r=0; t=30"}, ""},
		{[]string{"RateLimit: \"default\";r=0;t=30"}, "RateLimit"},
	}
	for _, c := range cases {
		name, _, ok := RateLimitHeader(fixture.Entry(0, "GET", "https://api.example.com/", 429, nil, c.resp, ""))
		if name != c.want || ok != (c.want != "") {
			t.Errorf("RateLimitHeader(%v) = %q, %v; want %q", c.resp, name, ok, c.want)
		}
	}
}

func TestRetryAfterWords(t *testing.T) {
	cases := []struct {
		resp []string
		want string
	}{
		{[]string{"Retry-After: 120"}, "2m0s (Retry-After)"},
		{[]string{"Retry-After: Mon, 02 Mar 2026 10:05:00 GMT"}, "until 2026-03-02 10:05:00 UTC (Retry-After)"},
		{[]string{"X-RateLimit-Reset: 1772445900"}, "until 10:05:00 UTC (X-RateLimit-Reset)"},
		{[]string{"Retry-After: soon"}, ""},
		{nil, ""},
	}
	for _, c := range cases {
		if got := RetryAfterWords(fixture.Entry(0, "GET", "https://api.example.com/", 429, nil, c.resp, "")); got != c.want {
			t.Errorf("RetryAfterWords(%v) = %q, want %q", c.resp, got, c.want)
		}
	}
}

func TestRepeatedRefusals(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 401, nil, nil, ""),
		fixture.Entry(1, "POST", "https://app.example.com/login", 401, nil, nil, ""),
		fixture.Entry(2, "POST", "https://app.example.com/other", 401, nil, nil, ""),
		fixture.Entry(700, "POST", "https://app.example.com/login", 403, nil, nil, ""),
		fixture.Entry(701, "POST", "https://app.example.com/login", 403, nil, nil, ""),
	)
	if n, first := tr.RepeatedRefusals(4); n != 1 || first != 3 {
		t.Errorf("RepeatedRefusals(4) = %d, %d; want 1, 3 (the older ones are over ten minutes before)", n, first)
	}
	if n, first := tr.RepeatedRefusals(1); n != 1 || first != 0 {
		t.Errorf("RepeatedRefusals(1) = %d, %d; want 1, 0", n, first)
	}
	if n, first := tr.RepeatedRefusals(0); n != 0 || first != -1 {
		t.Errorf("RepeatedRefusals(0) = %d, %d; want 0, -1", n, first)
	}
}
