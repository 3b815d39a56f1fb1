package rules

import (
	"context"
	"fmt"
	"testing"
	"time"

	"authlens/analysis"
)

// BenchmarkAnalyzeLargeTrace measures indexing plus every rule on a
// synthetic 20 000-entry trace with many failing exchanges.
func BenchmarkAnalyzeLargeTrace(b *testing.B) {
	tb := newAuthTB()
	tok := "Bearer " + testJWT(map[string]any{"exp": tb.t0.Add(-time.Hour).Unix()})
	for k := 0; k < 5000; k++ {
		host := fmt.Sprintf("https://h%d.example.com", k%50)
		tb.add("GET", host+fmt.Sprintf("/page/%d", k), 200, serverIP(fmt.Sprintf("10.0.%d.1", k%3)))
		tb.add("GET", host+"/api/me", 401, respH("WWW-Authenticate", `Basic realm="x"`))
		tb.add("GET", host+"/api/me", 401, reqH("Authorization", basicAuth("u", "p")), respH("WWW-Authenticate", `Basic realm="x"`))
		tb.add("GET", host+fmt.Sprintf("/api/items/%d", k), 401, reqH("Authorization", tok), respH("WWW-Authenticate", `Bearer error="invalid_token"`), dateHeader(tb.t0))
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if _, err := analysis.Analyze(context.Background(), tb.trace(), All()); err != nil {
			b.Fatal(err)
		}
	}
}
