package analysis

import (
	"fmt"
	"regexp"
	"strings"
)

// InsufficientPermissions is the `insufficient-permissions` cause (catalogue §3.3).
var InsufficientPermissions = &Rule{
	ID:    "insufficient-permissions",
	Title: "Signed in, but not allowed",
	Doc:   "You are known to the site but have no right to this resource or action (role, ownership, plan).",
	Remedy: []Step{
		{User, "Check you are signed in with the account that should have access (not a personal or test account)."},
		{Admin, "Grant this account the role or permission for the resource, or share the resource with it."},
		{User, "Send the site admin the account name, the address and the time, and ask for access."},
	},
	Run: runInsufficientPermissions,
}

var permissionWords = regexp.MustCompile(`(?i)permission|not allowed to|not authori[sz]ed to|insufficient (?:privileges|rights|role|access)|access denied|do(?:es)? not have access|don't have access|requires? (?:the |an? )?[\w-]+ (?:role|permission|plan)|\brole\b|not a member|owner`)

func runInsufficientPermissions(p *Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if row, ok := t.IISForEntry(i); ok {
			if row.Cause == "insufficient-permissions" {
				p.Report(Finding{
					Entry: i, Confidence: 0.85,
					Explanation: fmt.Sprintf("IIS names the reason: %s (sub-status %s).", row.Meaning, row.Code()),
					Evidence:    []Evidence{iisEvidence(i, row)},
					Remedy:      row.Remedy,
				})
			}
			continue
		}
		if e.Response.Status != 403 {
			continue
		}
		ms := t.Signatures(i)
		if m, ok := signatureFor(ms, "insufficient-permissions"); ok {
			p.Report(Finding{
				Entry: i, Confidence: m.Confidence,
				Explanation: fmt.Sprintf("%s: %s.", m.Vendor, m.Meaning),
				Evidence:    []Evidence{signatureEvidence(i, m)},
				Remedy:      permissionSteps(t, i, m.Reference),
			})
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
		_, plain := t.plainRefusalOf(i)
		var f Finding
		f.Entry = i
		what := "a credential"
		if a.Scheme == "" {
			what = "a session cookie"
		} else {
			what = "an " + a.Scheme + " credential"
		}
		if j, ok := t.SucceededElsewhere(i); ok {
			f.Confidence = 0.7
			f.Explanation = fmt.Sprintf("The request carried %s that the same site accepted at entry #%d (%s answered %d), so you are signed in; the site refuses this resource or action to this account.",
				what, j, truncateText(pathOfURL(t.Entries[j].Request.URL), 80), t.Entries[j].Response.Status)
			f.Evidence = append(f.Evidence, Evidence{Entry: j, Where: "response.status", Detail: fmt.Sprintf("same credential accepted: %d", t.Entries[j].Response.Status)})
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
			f.Evidence = append(f.Evidence, bodyEvidence(i, body, loc, "the answer speaks of permissions: "))
		}
		if a.User != "" {
			f.Explanation += fmt.Sprintf(" The account is %q.", a.User)
		}
		f.Evidence = append([]Evidence{{Entry: i, Where: credentialWhere(a.Scheme), Detail: "the request identified the user (" + what + ")"}}, f.Evidence...)
		f.Remedy = permissionSteps(t, i, "")
		p.Report(f)
	}
}

func credentialWhere(scheme string) string {
	if scheme == "" {
		return "request.headers.Cookie"
	}
	return "request.headers.Authorization"
}

func permissionSteps(t *Trace, i int, ref string) []Step {
	e := t.Entries[i]
	acct := "the account you are signed in with"
	if u := t.Attempt(i).User; u != "" {
		acct = fmt.Sprintf("the account %q", u)
	}
	send := fmt.Sprintf("Send the site admin: %s was refused %s at %s", acct, requestLabel(e), e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"))
	if ref != "" {
		send += " (request ID " + ref + ")"
	}
	return []Step{
		{User, fmt.Sprintf("Check that %s is the one that should have access (sign out and in with the work account if you have several).", acct)},
		{Admin, fmt.Sprintf("Grant %s the role or permission for %s, or share the resource with it; then the same request should answer 200.", acct, truncateText(strings.SplitN(pathOfURL(e.Request.URL), "?", 2)[0], 100))},
		{User, send + "."},
	}
}
