package rules

import (
	"testing"

	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
)

func TestIISSubStatusFromPages(t *testing.T) {
	cases := []struct {
		body        string
		status, sub int
		ok          bool
	}{
		{`<title>IIS 10.0 Detailed Error - 401.2 - Unauthorized</title>`, 401, 2, true},
		{`<h3>HTTP Error 403.14 - Forbidden</h3><h4>The Web server is configured to not list the contents of this directory.</h4>`, 403, 14, true},
		{`<title>IIS 8.5 Detailed Error - 403.503 - Forbidden</title>`, 403, 503, true},
		{`HTTP Error 401.1 - Unauthorized: Access is denied due to invalid credentials.`, 401, 1, true},
		{`<h2>403.6 - Forbidden: IP address rejected.</h2>`, 403, 6, true},
		{`<title>403 - Forbidden: Access is denied.</title>`, 0, 0, false},
		{`<html>Error 404</html>`, 0, 0, false},
		{"", 0, 0, false},
	}
	for _, c := range cases {
		st, sub, ok := trace.ParseIISSubStatus(c.body)
		if st != c.status || sub != c.sub || ok != c.ok {
			t.Errorf("iisSubStatus(%.50q) = %d.%d %v, want %d.%d %v", c.body, st, sub, ok, c.status, c.sub, c.ok)
		}
	}
}

func TestIISTableCausesAndRemedies(t *testing.T) {
	want := map[string]string{
		"401.1": "invalid-credentials", "401.2": "unsupported-auth-method", "401.3": "filesystem-permission",
		"401.4": "plugin-block", "401.5": "insufficient-permissions", "401.501": "rate-limited", "401.502": "rate-limited",
		"401.503": "ip-restriction", "401.504": "ip-restriction", "403.2": "filesystem-permission", "403.4": "wrong-url",
		"403.6": "ip-restriction", "403.7": "missing-credentials", "403.8": "ip-restriction", "403.13": "invalid-credentials",
		"403.14": "directory-listing-forbidden", "403.16": "invalid-credentials", "403.17": "invalid-credentials",
		"403.501": "rate-limited", "403.502": "rate-limited", "403.503": "ip-restriction", "403.504": "ip-restriction",
	}
	seen := map[string]bool{}
	for _, row := range trace.IisTable() {
		code := row.Code()
		if seen[code] {
			t.Errorf("duplicate row %s", code)
		}
		seen[code] = true
		if c, ok := want[code]; ok {
			if row.Cause != c {
				t.Errorf("%s: cause %q, want %q", code, row.Cause, c)
			}
			if len(row.Remedy) == 0 {
				t.Errorf("%s: no IIS-specific remedy", code)
			}
		}
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("table lacks %s", code)
		}
	}
}

func TestIISRulesUseSubStatus(t *testing.T) {
	page := func(code, reason string) string {
		return `<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - ` + code + ` - ` + reason + `</title></head><body><div id="content"><div class="content-container"><h3>HTTP Error ` + code + ` - ` + reason + `</h3></div></div></body></html>`
	}
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "https://intranet.example/docs/", 403, nil, []string{"Server: Microsoft-IIS/10.0"}, page("403.14", "Forbidden")),
		fixture.Entry(1, "GET", "https://intranet.example/hr/", 403, nil, []string{"Server: Microsoft-IIS/10.0"}, page("403.503", "Forbidden")),
		fixture.Entry(2, "GET", "https://intranet.example/pay.pdf", 401, nil, []string{"Server: Microsoft-IIS/10.0", "WWW-Authenticate: Negotiate"}, page("401.3", "Unauthorized")),
		fixture.Entry(3, "GET", "https://intranet.example/api", 403, nil, []string{"Server: Microsoft-IIS/10.0"}, page("403.502", "Forbidden")),
	)
	wantFinding(t, findingsOf(t, DirectoryListingForbidden, tr), 0, 0.9, 1, "403.14", "Default Document")
	ip := findingsOf(t, IPRestriction, tr)
	wantFinding(t, ip, 1, 0.85, 1, "403.503", "IP Address and Domain Restrictions")
	wantNoFinding(t, ip, 0)
	wantFinding(t, findingsOf(t, FilesystemPermission, tr), 2, 0.85, 1, "401.3", "NTFS")
	wantFinding(t, findingsOf(t, RateLimited, tr), 3, 0.85, 1, "403.502", "Dynamic")
	if row, ok := tr.IISForEntry(0); !ok || row.Code() != "403.14" {
		t.Errorf("IISForEntry(0) = %+v %v", row, ok)
	}
}

func TestIISGenericPageAsksForTheLog(t *testing.T) {
	custom := `<!DOCTYPE html><html><head><title>403 - Forbidden: Access is denied.</title></head><body><div id="header"><h1>Server Error</h1></div><div id="content"><div class="content-container"><fieldset><h2>403 - Forbidden: Access is denied.</h2><h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3></fieldset></div></div></body></html>`
	tr := fixtureTrace(fixture.Entry(0, "GET", "https://intranet.example/hr/report.pdf", 403, nil, []string{"Server: Microsoft-IIS/10.0"}, custom))
	f := wantFinding(t, findingsOf(t, IPRestriction, tr), 0, 0.25, 0.5, "sc-substatus")
	if f.Remedy[0].Who != trace.Admin {
		t.Errorf("first step should ask the admin for the IIS log line: %+v", f.Remedy[0])
	}
	wantFinding(t, findingsOf(t, FilesystemPermission, tr), 0, 0.25, 0.5, "sc-substatus")
}
