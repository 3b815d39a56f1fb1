package trace

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"authlens/har"
)

// IISOtherCause returns the sub-status code when entry i's IIS error page
// names a sub-status that proves another cause than id ("" otherwise):
// a rule that only infers its cause then defers to the page.
func (t *Trace) IISOtherCause(i int, id string) string {
	row, ok := t.IISForEntry(i)
	if !ok || row.Cause == "" || row.Cause == id {
		return ""
	}
	return row.Code()
}

// IIS names the exact reason for a 401 or 403 in a sub-status (401.3,
// 403.14, ...). It shows in the detailed error page (and in the log's
// sc-substatus), never in the status line. Sources: Microsoft "HTTP status
// codes in IIS" (KB 943891); catalogue §4; signatures.md §4.

// IISSubStatus is one row of the IIS sub-status table.
type IISSubStatus struct {
	Status, Sub int
	// Meaning is the documented reason in plain words.
	Meaning string
	// Cause is the catalogue cause ID the sub-status proves ("" when the
	// sub-status is outside what AuthLens diagnoses).
	Cause string
	// Remedy holds the IIS-specific steps, in the order to try them.
	Remedy []Step
}

// Code returns "401.3" style text.
func (s IISSubStatus) Code() string { return fmt.Sprintf("%d.%d", s.Status, s.Sub) }

// Reason is the explanation of a refusal whose IIS page names its
// sub-status.
func (s IISSubStatus) Reason() string {
	return fmt.Sprintf("IIS names the reason: %s (sub-status %s).", s.Meaning, s.Code())
}

var (
	// "IIS 10.0 Detailed Error - 401.2 - Unauthorized" (the title of the detailed page).
	iisDetailedTitle = regexp.MustCompile(`(?i)IIS\s+(?:\d+(?:\.\d+)*\s+)?Detailed\s+Error\s*-\s*(\d{3})\.(\d{1,3})\b`)
	// "HTTP Error 401.2 - Unauthorized" (h3 of the detailed page; IIS 6 pages).
	iisHTTPError = regexp.MustCompile(`(?i)HTTP\s+Error\s+(\d{3})\.(\d{1,3})\b`)
	// "Error 403.14 - Forbidden" / "403.503 - Forbidden" in custom pages and headings.
	iisBareCode = regexp.MustCompile(`(?i)(?:<h[1-4][^>]*>|<title>|\bError\s+)\s*(40[13])\.(\d{1,3})\s*-\s*[A-Za-z]`)
	// The remote (custom) page IIS 7+ shows without the sub-status.
	iisCustomPage = regexp.MustCompile(`(?i)(?:40[13]) - (?:Unauthorized: Access is denied due to invalid credentials|Forbidden: Access is denied)\.`)
)

// ParseIISSubStatus reads the IIS sub-status from an IIS error page, detailed
// (local requests, errorMode="Detailed") or IIS 6 style. ok is false when
// the body names none (a remote client usually gets the custom page
// without it).
func ParseIISSubStatus(body string) (status, sub int, ok bool) {
	// Every sub-status is "401.x" or "403.x": skip the expressions on
	// bodies that cannot hold one.
	if !strings.Contains(body, "401.") && !strings.Contains(body, "403.") && !strings.Contains(body, "&#46;") {
		return 0, 0, false
	}
	text := body
	if strings.Contains(text, "&") {
		text = html.UnescapeString(text)
	}
	for _, re := range []*regexp.Regexp{iisDetailedTitle, iisHTTPError, iisBareCode} {
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		st, err1 := strconv.Atoi(m[1])
		sb, err2 := strconv.Atoi(m[2])
		if err1 != nil || err2 != nil || st < 400 || st > 599 {
			continue
		}
		return st, sb, true
	}
	return 0, 0, false
}

// iisLookup returns the table row for a status and sub-status.
func iisLookup(status, sub int) (IISSubStatus, bool) {
	for _, s := range IisTable() {
		if s.Status == status && s.Sub == sub {
			return s, true
		}
	}
	return IISSubStatus{}, false
}

// IISForEntry returns the sub-status row that entry i's body names.
func (t *Trace) IISForEntry(i int) (IISSubStatus, bool) {
	if s := t.Entries[i].Response.Status; s != 401 && s != 403 {
		return IISSubStatus{}, false
	}
	st, sub, ok := ParseIISSubStatus(t.Body(i))
	if !ok {
		return IISSubStatus{}, false
	}
	if row, ok := iisLookup(st, sub); ok {
		return row, true
	}
	return IISSubStatus{Status: st, Sub: sub, Meaning: "an IIS sub-status AuthLens has no description for"}, true
}

// IISEvidence is the evidence row for a sub-status found in entry i's body.
func IISEvidence(i int, s IISSubStatus) Evidence {
	return Evidence{Entry: i, Where: har.At(har.PartResponseBody),
		Detail: fmt.Sprintf("IIS error page names sub-status %s: %s", s.Code(), s.Meaning)}
}

// iisAskForLog is the step for an IIS page that does not show the
// sub-status (remote clients get the generic page by default).
func iisAskForLog(e *har.Entry) Step {
	return Step{Who: Admin, Step: fmt.Sprintf(
		"Look up the IIS log line (sc-status and sc-substatus) for %s %s at %s: the sub-status (for example 403.14 or 401.3) names the exact reason; remote clients only see the generic page.",
		e.Request.Method, e.Request.URL, e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"))}
}

// IisTable is the full sub-status table. It is built on each call so no
// package state can be modified by a caller.
func IisTable() []IISSubStatus {
	aclSteps := []Step{
		{Who: Admin, Step: "Check the NTFS permissions (and, for a UNC path, the share permissions) of the file and folder: the identity IIS uses — the anonymous-access account (IUSR by default) or the signed-in user for Windows authentication, and the application pool identity — needs Read access."},
		{Who: Admin, Step: "In IIS Manager > Authentication > Anonymous Authentication > Edit, check which account anonymous requests run as (the specific user, or the application pool identity)."},
		{Who: Admin, Step: "Reload the page: it should answer 200. If not, the IIS log's sc-win32-status (5 = access denied) confirms an ACL problem."},
	}
	ipSteps := []Step{
		{Who: User, Step: "Connect from the network the site allows (the company VPN or office network) and reload."},
		{Who: Admin, Step: "In IIS Manager > IP Address and Domain Restrictions, check the deny entries and the default 'Access for unspecified clients'; add the user's address (or host name) to the allow list."},
	}
	rateSteps := []Step{
		{Who: User, Step: "Wait a few minutes, stop anything that repeats requests (scripts, extensions, many open tabs), then try once."},
		{Who: Admin, Step: "In IIS Manager > IP Address and Domain Restrictions > Edit Dynamic Restriction Settings, check 'Deny IP address based on the number of concurrent requests' and '... number of requests over a period of time'; raise the limits or allow-list this address."},
	}
	return []IISSubStatus{
		{401, 1, "logon failed: the user name or password was not accepted", "invalid-credentials", []Step{
			{Who: User, Step: "Type the user name (with the domain, DOMAIN\\user, when the site uses Windows accounts) and password again."},
			{Who: Admin, Step: "Check the account is not locked or disabled, and that the anonymous-access account and the application pool identity have valid passwords (seed: check the application pool identity and anonymous-access account)."},
		}},
		{401, 2, "logon failed due to server configuration: no authentication method both sides support (also the normal first leg of Negotiate/NTLM before the browser answers)", "unsupported-auth-method", []Step{
			{Who: Admin, Step: "In IIS Manager > Authentication, check which methods are enabled; enable one these clients can use (Windows Authentication for domain browsers, Basic over HTTPS, Forms), and check the providers list (Negotiate, NTLM)."},
			{Who: User, Step: "Open the site from a domain-joined machine with the site in the intranet zone, or a browser that supports Windows authentication."},
		}},
		{401, 3, "unauthorized by an access control list (ACL) on the file or folder", "filesystem-permission", aclSteps},
		{401, 4, "authorization failed by an ISAPI filter", "plugin-block", []Step{
			{Who: Admin, Step: "In IIS Manager > ISAPI Filters, find the filter that refused the request (a security or URL filter); check its log and configuration, or disable it briefly to confirm."},
		}},
		{401, 5, "authorization failed by an ISAPI or CGI application", "insufficient-permissions", []Step{
			{Who: Admin, Step: "Find the ISAPI/CGI application mapped to this URL (IIS Manager > Handler Mappings) and check its authorization rules or log for this user."},
			{Who: User, Step: "Check that you are signed in with the account that should have access."},
		}},
		{401, 501, "access denied: too many concurrent requests from this address (Dynamic IP Restrictions)", "rate-limited", rateSteps},
		{401, 502, "access denied: too many requests in a period from this address (Dynamic IP Restrictions)", "rate-limited", rateSteps},
		{401, 503, "access denied: this IP address is on the deny list (IP Restrictions)", "ip-restriction", ipSteps},
		{401, 504, "access denied: this host name is denied (IP and Domain Restrictions)", "ip-restriction", ipSteps},
		{403, 1, "execute access forbidden (the folder's handler access policy does not allow scripts or executables)", "", nil},
		{403, 2, "read access forbidden: the handler access policy does not allow Read (also shown when the default document is missing)", "filesystem-permission", []Step{
			{Who: Admin, Step: "In IIS Manager > Handler Mappings > Edit Feature Permissions, tick Read for this site or folder; if the URL is a folder, check a default document exists."},
			{Who: Admin, Step: "Reload the page: it should answer 200."},
		}},
		{403, 3, "write access forbidden", "", nil},
		{403, 4, "SSL is required: the page must be opened with https://", "wrong-url", []Step{
			{Who: User, Step: "Open the https:// address of the page instead of http://."},
			{Who: Admin, Step: "Redirect http:// to https:// instead of answering 403.4."},
		}},
		{403, 5, "128-bit SSL is required", "wrong-url", []Step{
			{Who: User, Step: "Open the https:// address with a current browser."},
		}},
		{403, 6, "the client's IP address is rejected", "ip-restriction", ipSteps},
		{403, 7, "a client certificate is required and none was sent", "missing-credentials", []Step{
			{Who: User, Step: "Install the client certificate the site requires and choose it when the browser asks."},
			{Who: Admin, Step: "Check SSL Settings > Client certificates (Require/Accept) for this site."},
		}},
		{403, 8, "site access denied: the client's DNS name is denied", "ip-restriction", ipSteps},
		{403, 9, "too many concurrent connections", "rate-limited", rateSteps},
		{403, 10, "execute access denied", "", nil},
		{403, 11, "password changed", "invalid-credentials", nil},
		{403, 12, "the mapper denied access (the user mapped from the client certificate is denied)", "insufficient-permissions", nil},
		{403, 13, "the client certificate is revoked", "invalid-credentials", []Step{
			{Who: User, Step: "Get a new client certificate from your IT department and install it."},
		}},
		{403, 14, "directory listing denied: the URL is a folder with no default document, and directory browsing is off", "directory-listing-forbidden", []Step{
			{Who: User, Step: "Open the page's full address (with the file name, e.g. /folder/index.html) or the site's start page."},
			{Who: Admin, Step: "Add a default document for the folder (IIS Manager > Default Document) or redirect the folder URL to the right page; do not enable Directory Browsing to 'fix' it."},
		}},
		{403, 15, "client access licenses exceeded", "rate-limited", nil},
		{403, 16, "the client certificate is untrusted or invalid", "invalid-credentials", []Step{
			{Who: Admin, Step: "Install the certificate's issuing CA in the server's Trusted Root store, or issue the user a certificate from a trusted CA."},
		}},
		{403, 17, "the client certificate has expired or is not yet valid", "invalid-credentials", []Step{
			{Who: User, Step: "Renew the client certificate and check the computer's clock."},
		}},
		{403, 18, "cannot execute the URL in the current application pool", "", nil},
		{403, 19, "cannot execute CGI applications in this application pool", "", nil},
		{403, 20, "Passport logon failed", "invalid-credentials", nil},
		{403, 21, "WebDAV source access denied", "insufficient-permissions", nil},
		{403, 22, "WebDAV infinite depth is denied", "", nil},
		{403, 501, "forbidden: too many concurrent requests from this address (Dynamic IP Restrictions)", "rate-limited", rateSteps},
		{403, 502, "forbidden: too many requests in a period from this address (Dynamic IP Restrictions)", "rate-limited", rateSteps},
		{403, 503, "forbidden: this IP address is denied (IP Restrictions)", "ip-restriction", ipSteps},
		{403, 504, "forbidden: this host name is denied (IP and Domain Restrictions)", "ip-restriction", ipSteps},
	}
}
