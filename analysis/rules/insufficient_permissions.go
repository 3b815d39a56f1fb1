package rules

import (
	"fmt"
	"regexp"
	"strings"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/har"
)

// InsufficientPermissions is the `insufficient-permissions` cause (catalogue §3.3).
var InsufficientPermissions = &analysis.Rule{
	ID:    "insufficient-permissions",
	Title: "Signed in, but not allowed",
	Doc:   "You are known to the site but have no right to this resource or action (role, ownership, plan).",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Check you are signed in with the account that should have access (not a personal or test account).", Browser: true},
		{Who: trace.Admin, Step: "Grant this account the role or permission for the resource, or share the resource with it."},
		{Who: trace.User, Step: "Send the site admin the account name, the address and the time, and ask for access."},
	},
	Run: runInsufficientPermissions,
}

var permissionWords = regexp.MustCompile(`(?i)permission|not allowed to|not authori[sz]ed to|insufficient (?:privileges|rights|role|access)|access denied|do(?:es)? not have access|don't have access|requires? (?:the |an? )?[\w-]+ (?:role|permission|plan)|\brole\b|not a member|owner`)

func runInsufficientPermissions(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if row, ok := t.IISForEntry(i); ok {
			p.ReportIIS(i, 0.85, row.Reason())
			continue
		}
		if e.Response.Status == 404 {
			if f, ok := hidingNotFound(t, i); ok {
				p.Report(f)
			}
			continue
		}
		if e.Response.Status != 403 {
			continue
		}
		ms := t.Signatures(i)
		if m, ok := trace.SignatureFor(ms, "insufficient-permissions"); ok {
			f := analysis.SignatureFinding(i, m, m.Confidence)
			f.Remedy = permissionSteps(t, i, m.Reference)
			p.Report(f)
			continue
		}
		if len(ms) > 0 && ms[0].Confidence >= 0.7 {
			continue // a firewall, plugin or CSRF page names the reason
		}
		a := t.Attempt(i)
		if a.Identity == "" {
			continue // nothing identified the user: not "known but not allowed"
		}
		body := t.Body(i)
		pr, plain := t.PlainRefusalOf(i)
		var f analysis.Finding
		f.Entry = i
		what := "a credential"
		if a.Scheme == "" {
			what = "a session cookie"
		} else {
			what = "an " + a.Scheme + " credential"
		}
		if j, ok := t.IdenticalEarlierSuccess(i); ok {
			// The same account was allowed this very request: a missing
			// permission cannot be the difference (unless it was revoked
			// in between), so look at what else changed.
			f.Confidence = 0.3
			f.Explanation = fmt.Sprintf("The same request with the same %s was answered %d at entry #%d, so this account is allowed this resource; a permission is unlikely to be the difference unless it was revoked in between.",
				strings.TrimPrefix(strings.TrimPrefix(what, "an "), "a "), t.Entries[j].Response.Status, j)
			if a, b := t.ServerIP(j), t.ServerIP(i); a != "" && b != "" && a != b {
				f.Confidence = 0.2
				f.Explanation += fmt.Sprintf(" It reached another server address then (%s, now %s): see dns-mismatch.", a, b)
			}
			f.Evidence = append(f.Evidence, trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("the same request with the same credential answered %d", t.Entries[j].Response.Status)})
		} else if j, ok := t.SucceededElsewhere(i); ok {
			f.Confidence = 0.7
			f.Explanation = fmt.Sprintf("The request carried %s that the same site accepted at entry #%d (%s answered %d), so you are signed in; the site refuses this resource or action to this account.",
				what, j, excerpt.Clip(trace.PathOfURL(t.Entries[j].Request.URL), 80), t.Entries[j].Response.Status)
			f.Evidence = append(f.Evidence, trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("same credential accepted: %d", t.Entries[j].Response.Status)})
			if plain {
				serverPageDoubts(t, &f, pr)
			}
		} else if !plain {
			f.Confidence = 0.35
			f.Explanation = fmt.Sprintf("The request carried %s and the site answered 403: it knows the request but refuses it, which is usually a missing role or permission.", what)
		} else {
			f.Confidence = 0.2
			f.Explanation = fmt.Sprintf("The request carried %s, but the answer is the web server's plain 403 page, which is more often an allow-list or file permission than an application role.", what)
		}
		if len(body) >= 8<<10 || plain {
			body = "" // only short application answers are read for permission words
		}
		if loc := permissionWords.FindStringIndex(body); loc != nil {
			f.Confidence += 0.12
			f.Evidence = append(f.Evidence, trace.BodyEvidence(i, body, loc, "the answer speaks of permissions: "))
		}
		if a.User != "" {
			f.Explanation += fmt.Sprintf(" The account is %q.", a.User)
		}
		f.Evidence = append([]trace.Evidence{{Entry: i, Where: credentialWhere(a.Scheme), Detail: "the request identified the user (" + what + ")"}}, f.Evidence...)
		f.Remedy = permissionSteps(t, i, "")
		p.Report(f)
	}
}

// serverPageDoubts weighs a role reading of a 403 that the web server's
// own page answered (the application never spoke) against what the trace
// says about the request and the refused location.
func serverPageDoubts(t *trace.Trace, f *analysis.Finding, pr trace.PlainRefusal) {
	switch {
	case pr.Attack != "":
		// Firewalls answer attack-looking requests with the server's page
		// before the application sees them: the account is not the reason.
		f.Confidence = 0.25
		f.Explanation += fmt.Sprintf(" But the request carries text that firewall rule sets block (%s) and the answer is %s's own 403 page, not the application's: a firewall block (waf-block) is more likely than a missing role.", pr.Attack, pr.Server)
	case pr.Static && pr.AnonymousNearby >= 0:
		// A file or folder address in a location the server serves to
		// anyone is not guarded by the sign-in, so the session sent along
		// says nothing about roles. (API paths are left alone: an API may
		// mix public and role-checked calls under one prefix.)
		f.Confidence = 0.3
		j := pr.AnonymousNearby
		f.Explanation += fmt.Sprintf(" But %s was served without any session at entry #%d: this part of the site is not guarded by the sign-in, and the answer is %s's own 403 page, so the session sent along is no sign of a role check.",
			excerpt.Clip(trace.PathOfURL(t.Entries[j].Request.URL), 80), j, pr.Server)
		f.Evidence = append(f.Evidence, trace.Evidence{Entry: j, Where: har.At(har.PartRequestHeaders), Detail: fmt.Sprintf("served %d with no credential or session", t.Entries[j].Response.Status)})
	case pr.Folder && pr.ServedInside >= 0:
		// The folder's own files were served: its address alone is
		// Refused, which is a missing index page far more often than a role.
		f.Confidence = 0.4
		j := pr.ServedInside
		f.Explanation += fmt.Sprintf(" But %s inside this folder was served (entry #%d) and the answer is %s's own 403 page: a folder address without an index page (directory-listing-forbidden) is more likely than a role.",
			excerpt.Clip(trace.PathOfURL(t.Entries[j].Request.URL), 80), j, pr.Server)
	case pr.UnservedLocation != "":
		// A location the session never reached, refused with the server's
		// own page: a role check (auth_request, an access module) and an
		// address allow-list for that location answer identically.
		f.Confidence = 0.45
		f.Explanation += fmt.Sprintf(" But nothing under %s/ was served in this trace and the answer is %s's own 403 page, which a server allow-list for that location (ip-restriction) gives in exactly the same way. What tells them apart: whether other accounts with the role are refused too (then it is the address), whether it works over the VPN or office network, and the error log line (\"access forbidden by rule\" or \"client denied by server configuration\" means an allow-list).",
			pr.UnservedLocation, pr.Server)
	}
}

func credentialWhere(scheme string) har.Location {
	if scheme == "" {
		return har.RequestHeader("Cookie")
	}
	return har.RequestHeader("Authorization")
}

func permissionSteps(t *trace.Trace, i int, ref string) []trace.Step {
	e := t.Entries[i]
	acct := "the account you are signed in with"
	if u := t.Attempt(i).User; u != "" {
		acct = fmt.Sprintf("the account %q", u)
	}
	send := fmt.Sprintf("Send the site admin: %s was refused %s at %s", acct, trace.RequestLabel(e), e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"))
	if ref != "" {
		send += " (request ID " + ref + ")"
	}
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Check that %s is the one that should have access (sign out and in with the work account if you have several).", acct), Browser: true},
		{Who: trace.Admin, Step: fmt.Sprintf("Grant %s the role or permission for %s, or share the resource with it; then the same request should answer 200.", acct, excerpt.Clip(strings.SplitN(trace.PathOfURL(e.Request.URL), "?", 2)[0], 100))},
		{Who: trace.User, Step: send + "."},
	}
}

// hidingNotFound reads a 404 that may hide a resource from this account
// (RFC 9110 §15.5.5: a server that wishes to hide a forbidden resource may
// answer 404 instead of 403; catalogue §1, "404 after a login"): the same
// method and path answered 2xx earlier in the trace to another signed-in
// identity (trace.ServedToOtherIdentity). A 404 without that history is
// just "not found" and is left alone.
func hidingNotFound(t *trace.Trace, i int) (analysis.Finding, bool) {
	other, ok := t.ServedToOtherIdentity(i)
	if !ok {
		return analysis.Finding{}, false
	}
	p := trace.PathOfURL(t.Entries[i].Request.URL)
	a, b := t.Attempts[i], t.Attempts[other]
	who := "another account"
	if b.User != "" {
		who = fmt.Sprintf("the account %q", b.User)
	}
	what := "session cookie"
	if a.Scheme != "" {
		what = a.Scheme + " credential"
	}
	f := analysis.Finding{Entry: i, Confidence: 0.5,
		Explanation: fmt.Sprintf("This address answered %d to %s at entry #%d, and now answers 404 to a request with a different %s. Servers may answer 404 instead of 403 to hide a resource you are not allowed to see (RFC 9110 §15.5.4 and §15.5.5; GitHub does this for private repositories), so the resource probably exists and this account has no access to it. It may also have been removed in between.",
			t.Entries[other].Response.Status, who, other, what),
		Evidence: []trace.Evidence{
			{Entry: other, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%s %s answered %d with another identity", t.Entries[other].Request.Method, excerpt.Clip(p, 100), t.Entries[other].Response.Status)},
			{Entry: i, Where: credentialWhere(a.Scheme), Detail: "this request carried a different " + what},
		},
		Remedy: permissionSteps(t, i, ""),
	}
	return f, true
}
