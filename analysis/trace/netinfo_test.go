package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestProxyName(t *testing.T) {
	e := fixture.Entry(0, "GET", "http://example.com/", 407, nil, []string{"Server: squid/5.7", "Via: 1.1 proxy1 (squid/5.7)"}, "")
	e.ServerIPAddress = "[10.0.0.8]"
	if got, want := ProxyName(e), "(squid/5.7, Via: 1.1 proxy1 (squid/5.7) at 10.0.0.8)"; got != want {
		t.Errorf("ProxyName = %q, want %q", got, want)
	}
	if got := ProxyName(fixture.Entry(0, "GET", "http://example.com/", 407, nil, nil, "")); got != "of your network" {
		t.Errorf("ProxyName without headers = %q", got)
	}
}
