package analysis_test

import (
	"strings"
	"testing"
	"time"

	"authlens/analysis/internal/tracebuild"
	"authlens/analysis/rules"
)

// A person at a browser is told to sign in on the site; the owner of a
// script that got the same answer is told what to change in the script.
func TestStepsForProgramsAndBrowsers(t *testing.T) {
	for _, c := range []struct {
		ua      string
		program bool
	}{
		{"curl/8.5.0", true},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", false},
	} {
		b := tracebuild.NewBuilder(tracebuild.Style{UserAgent: c.ua, Step: time.Second}, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
		b.Add("GET", "https://intranet.example.com/reports/", 401, tracebuild.RespHeader("WWW-Authenticate", `Basic realm="reports"`))
		rep := analyzeEntries(t, b.Entries(), rules.All())
		x := exchangeAt(t, rep, 0)
		if len(x.Diagnoses) == 0 || x.Diagnoses[0].Cause != "missing-credentials" {
			t.Fatalf("%s: top cause %+v", c.ua, x.Diagnoses)
		}
		var all strings.Builder
		for _, s := range x.Diagnoses[0].Remedy {
			all.WriteString(s.Step + "\n")
		}
		steps := all.String()
		browserStep := strings.Contains(steps, "login dialog")
		if c.program && (browserStep || !strings.Contains(steps, "came from curl 8.5.0, not a browser")) {
			t.Errorf("curl was given browser steps:\n%s", steps)
		}
		if !c.program && (!browserStep || strings.Contains(steps, "not a browser")) {
			t.Errorf("the browser lost its steps:\n%s", steps)
		}
	}
}
