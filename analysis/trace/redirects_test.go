package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestLocationOf(t *testing.T) {
	header := fixture.Entry(0, "GET", "https://app.example.com/a", 302, nil, []string{"Location: /login?next=/a"}, "")
	if got := LocationOf(header); got != "/login?next=/a" {
		t.Errorf("LocationOf(header) = %q", got)
	}
	recorded := fixture.Entry(0, "GET", "https://app.example.com/a", 302, nil, []string{"Location: /ignored"}, "")
	recorded.Response.RedirectURL = "https://app.example.com/login"
	if got := LocationOf(recorded); got != "https://app.example.com/login" {
		t.Errorf("LocationOf prefers the HAR's redirectURL, got %q", got)
	}
	if got := LocationOf(fixture.Entry(0, "GET", "https://app.example.com/a", 200, nil, nil, "")); got != "" {
		t.Errorf("LocationOf(no redirect) = %q", got)
	}
}
