package report

import (
	"strings"

	"authlens/analysis/trace"
)

// ExportRequest is the message to send a customer whose HAR was exported
// without its secrets (Chrome/Edge's default, or a tool that writes
// REDACTED): how to export again with them in each browser, or how to
// capture through AuthLens, and how to handle the file safely. It is
// plain text, ready to paste into an e-mail or a ticket reply.
const ExportRequest = `Hello,

Thank you for the recording. To find out why the site refuses access, we need the recording again with its sign-in information: the file you sent was exported without cookies and login headers, which are exactly what we need to look at.

Please open the page where the problem happens and press F12 (on a Mac: Cmd+Option+I) to open the developer tools, then:

Chrome or Edge:
1. Click the gear icon (Settings) of the developer tools, then Preferences > Network, and turn on "Allow to generate HAR with sensitive data".
2. In the Network tab, tick "Preserve log".
3. Reproduce the problem: sign in, then repeat what failed.
4. Click the download arrow ("Export HAR") and choose "Export HAR (with sensitive data)...".

Firefox:
1. In the Network tab, open the gear menu and tick "Persist Logs".
2. Reproduce the problem: sign in, then repeat what failed.
3. Right-click any request in the list and choose "Save All As HAR".

Safari:
1. Turn on Safari > Settings > Advanced > "Show features for web developers", then choose Develop > Show Web Inspector and the Network tab.
2. Tick "Preserve Log", then reproduce the problem: sign in, then repeat what failed.
3. Click "Export" in the Network tab.

Or, if we gave you AuthLens: run "authlens capture --out problem.har", set your browser's proxy to 127.0.0.1:8080 as it explains, reproduce the problem, then press Ctrl+C and send us problem.har.

The file will contain your session cookies and sign-in tokens: please send it only through the support portal (not by e-mail), and sign out of the site once you have sent it, which makes those tokens useless.
`

// causeNeeds says which hidden material a cause's diagnosis rests on:
// the login header ("auth"), the cookies ("cookies"), or both.
var causeNeeds = map[string]string{
	"missing-credentials":          "auth cookies",
	"invalid-credentials":          "auth",
	"wrong-scheme":                 "auth",
	"unsupported-auth-method":      "auth",
	"connection-auth-broken":       "auth",
	"authz-as-401":                 "auth cookies",
	"step-up-required":             "auth",
	"client-credentials-invalid":   "auth",
	"expired-token":                "auth cookies",
	"clock-skew":                   "auth",
	"token-audience-mismatch":      "auth",
	"stale-nonce":                  "auth",
	"stale-cookie":                 "cookies",
	"cookie-rejected":              "cookies",
	"cookie-not-sent":              "cookies",
	"insufficient-scope":           "auth",
	"insufficient-permissions":     "auth cookies",
	"csrf-failure":                 "cookies",
	"proxy-stripped-authorization": "auth",
	"proxy-auth-required":          "auth",
	"auth-dropped-on-redirect":     "auth",
	"cors-preflight-auth":          "auth",
	"cors-misconfigured":           "cookies",
}

// Unconfirmed says, for a diagnosis of cause made from a sanitized export
// that hid what h says, what the diagnosis could not confirm; "" when the
// cause does not rest on what was hidden.
func Unconfirmed(cause string, h trace.Sanitization) string {
	needs := causeNeeds[cause]
	auth := strings.Contains(needs, "auth") && h.AuthHidden
	cookies := strings.Contains(needs, "cookies") && h.CookiesHidden
	switch {
	case auth && cookies:
		return "Not confirmed: the export removed the login headers and cookies, so which credential or session was sent (if any) cannot be checked."
	case auth:
		return "Not confirmed: the export removed the login headers (Authorization), so whether a credential was sent, and which, cannot be checked."
	case cookies:
		return "Not confirmed: the export removed the cookies, so which session cookies were set and sent cannot be checked."
	}
	return ""
}

// unconfirmedWords is the report-wide sentence for a sanitized export.
func unconfirmedWords(h trace.Sanitization) string {
	var what []string
	if h.AuthHidden {
		what = append(what, "login headers")
	}
	if h.CookiesHidden {
		what = append(what, "cookies")
	}
	if len(what) == 0 {
		what = append(what, "some secrets")
	}
	return "The recording was exported without its " + strings.Join(what, " and ") +
		": causes that depend on them are marked \"not confirmed\". Ask the customer for a new recording (message below)."
}
