package trace

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"authlens/analysis/entry"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/signatures"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

var permissionText = regexp.MustCompile(`(?i)permission|not authori[sz]ed to (access|perform|view)|insufficient (privileges|rights)|access denied|not allowed|forbidden|requires? (the )?role|AuthorizationFailed|Authorization_RequestDenied`)

// originOutcomes counts, for entry i's origin, other exchanges that were
// Served (2xx/304) and refused with 403, and a served one in the same
// Folder as i.
type originOutcomes struct {
	Served, Refused   int
	ServedSameFolder  int // an entry index, -1 when none
	refusedRootOrHome bool
}

func (t *Trace) outcomesAround(i int) originOutcomes {
	oc := originOutcomes{ServedSameFolder: -1}
	dir := path.Dir(jar.RequestURL(t.Entries[i]).Path + "x")
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			continue
		}
		e := t.Entries[j]
		st := e.Response.Status
		switch {
		case st >= 200 && st < 300 || st == 304:
			oc.Served++
			if path.Dir(jar.RequestURL(e).Path+"x") == dir && oc.ServedSameFolder < 0 {
				oc.ServedSameFolder = j
			}
		case st == 403:
			oc.Refused++
			if p := jar.RequestURL(e).Path; p == "" || p == "/" {
				oc.refusedRootOrHome = true
			}
		}
	}
	return oc
}

// PlainRefusal describes a 403 that only the web server's built-in page
// explains: ambiguous between an address allow-list, file permissions and
// a folder without an index (catalogue §3.3 traps).
type PlainRefusal struct {
	Server   string // "Apache", "nginx", ...
	Attack   string // request text a firewall would block, "" when none
	Folder   bool   // the path ends with "/"
	Static   bool   // the path names a file or folder
	Outcomes originOutcomes
	Location LocationRefusal
	// UnservedLocation is the top-level folder of the path (e.g. "/admin")
	// when nothing under it was served on the origin while other
	// addresses were: a location refused as a whole (an allow/deny block
	// in the server configuration) looks like this. "" otherwise.
	UnservedLocation string
	// ServedInside is an entry served (2xx/304) whose path lies inside
	// the folder address i asked for, -1 when none or i is not a folder:
	// the folder's files are readable and allowed, only its listing is
	// Refused (catalogue: directory-listing-forbidden).
	ServedInside int
	// AnonymousNearby is an entry under the same top-level folder served
	// without any credential or session, -1 when none: that part of the
	// site is not guarded by the sign-in, so a session sent with i is no
	// sign of a role check.
	AnonymousNearby int
}

// LocationRefusal is the trace's sign of a refusal configured for a whole
// Location (Require ip, allow/deny inside <Location>/location {}): two
// different resources under one folder got the same plain 403, nothing
// under that folder was served, while other folders of the origin were.
// One file's permissions or a missing index page refuse one resource,
// not a folder and the files in it alike.
type LocationRefusal struct {
	Prefix string // the common folder, e.g. "/intranet"; "" when no such sign
	Peer   int    // the other refused entry under prefix, -1 when none
	Served int    // an entry served outside prefix, -1 when none
	// FileInside is true when peer is a file inside the folder entry i
	// asked for: then the folder is not refused merely for lacking an
	// index page.
	FileInside bool
}

// PlainRefusalOf returns the reading of entry i when it is such a 403.
func (t *Trace) PlainRefusalOf(i int) (PlainRefusal, bool) {
	e := t.Entries[i]
	if e.Response.Status != 403 {
		return PlainRefusal{}, false
	}
	body := t.Body(i)
	if _, _, ok := entry.ParseIISSubStatus(body); ok {
		return PlainRefusal{}, false
	}
	for _, m := range t.Signatures(i) {
		if m.Strength != signatures.Generic.String() {
			return PlainRefusal{}, false
		}
	}
	server := entry.PlainServerPage(e, body)
	if server == "" {
		return PlainRefusal{}, false
	}
	p := jar.RequestURL(e).Path
	pr := PlainRefusal{
		Server: server, Attack: attackLookingRequest(e),
		Folder: p == "" || strings.HasSuffix(p, "/"), Static: entry.StaticLookingPath(p),
		Outcomes:     t.outcomesAround(i),
		Location:     t.LocationRefusalOf(i, server),
		ServedInside: -1, AnonymousNearby: -1,
	}
	t.readLocation(i, &pr)
	return pr, true
}

// readLocation fills the location-wide readings of a plain refusal at
// Entry i: what was served inside its folder and its top-level folder,
// and to whom.
func (t *Trace) readLocation(i int, pr *PlainRefusal) {
	p := jar.RequestURL(t.Entries[i]).Path
	top := entry.TopFolder(p)
	servedUnderTop, servedElsewhere := false, false
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			continue
		}
		e := t.Entries[j]
		if st := e.Response.Status; !(st >= 200 && st < 300 || st == 304) {
			continue
		}
		q := jar.RequestURL(e).Path
		if pr.Folder && p != "" && p != "/" && q != p && strings.HasPrefix(q, p) && pr.ServedInside < 0 {
			pr.ServedInside = j
		}
		if top == "" {
			continue
		}
		if !entry.UnderFolder(q, top) {
			servedElsewhere = true
			continue
		}
		servedUnderTop = true
		if pr.AnonymousNearby < 0 && t.IdentityKey(j) == "" {
			pr.AnonymousNearby = j
		}
	}
	if top != "" && !servedUnderTop && servedElsewhere {
		pr.UnservedLocation = top
	}
}

// LocationRefusalOf looks for the sign of a location-level refusal around
// Entry i, a plain 403 page of the given server.
func (t *Trace) LocationRefusalOf(i int, server string) LocationRefusal {
	lr := LocationRefusal{Peer: -1, Served: -1}
	p := jar.RequestURL(t.Entries[i]).Path
	same := t.SameOrigin(t.Origin(i))
	for _, j := range same {
		ej := t.Entries[j]
		q := jar.RequestURL(ej).Path
		if j == i || q == p || ej.Response.Status != 403 || entry.PlainServerPage(ej, t.Body(j)) != server {
			continue
		}
		c := entry.CommonFolder(entry.FolderOfPath(p), entry.FolderOfPath(q))
		if c == "/" || !entry.UnderFolder(q, c) || !entry.UnderFolder(p, c) {
			continue
		}
		served, outside := false, -1
		for _, k := range same {
			st := t.Entries[k].Response.Status
			if !(st >= 200 && st < 300 || st == 304) {
				continue
			}
			if entry.UnderFolder(jar.RequestURL(t.Entries[k]).Path, c) {
				served = true
				break
			}
			if outside < 0 {
				outside = k
			}
		}
		if served || outside < 0 {
			continue
		}
		inside := strings.HasSuffix(p, "/") && !strings.HasSuffix(q, "/") && strings.HasPrefix(q, p)
		if lr.Prefix == "" || inside && !lr.FileInside {
			lr = LocationRefusal{Prefix: c, Peer: j, Served: outside, FileInside: inside}
		}
	}
	return lr
}

// EvidenceAt is the pair of evidence rows behind a location-level reading.
func (lr LocationRefusal) Evidence(t *Trace) []Evidence {
	pe, se := t.Entries[lr.Peer], t.Entries[lr.Served]
	return []Evidence{
		{Entry: lr.Peer, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%s under %s/ was refused with the same 403 page", excerpt.Clip(entry.PathOfURL(pe.Request.URL), 100), lr.Prefix)},
		{Entry: lr.Served, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%s outside %s/ was served (%d)", excerpt.Clip(entry.PathOfURL(se.Request.URL), 100), lr.Prefix, se.Response.Status)},
	}
}

// WithIISLogStep puts "look up the sub-status in the IIS log" first when
// IIS answered with its generic page: the sub-status names the reason.
func (pr PlainRefusal) WithIISLogStep(e *har.Entry, steps []Step) []Step {
	if pr.Server != "IIS" {
		return steps
	}
	return append([]Step{iisAskForLog(e)}, steps...)
}

// TellApart says which facts distinguish the readings of a plain 403.
func (pr PlainRefusal) TellApart(e *har.Entry) string {
	when := e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")
	log := fmt.Sprintf("the server's error log at %s", when)
	switch pr.Server {
	case "Apache":
		log = fmt.Sprintf("Apache's error log at %s (\"AH01630: client denied by server configuration\" = an allow-list such as Require ip; \"Permission denied\" = file permissions; \"AH01276: Cannot serve directory\" = a folder without an index file)", when)
	case "nginx":
		log = fmt.Sprintf("nginx's error log at %s (\"access forbidden by rule\" = an allow/deny list; \"(13: Permission denied)\" = file permissions; \"directory index of ... is forbidden\" = a folder without an index file)", when)
	case "IIS":
		log = fmt.Sprintf("the IIS log's sc-substatus at %s (403.6/403.503 = address denied, 401.3 = file ACL, 403.14 = folder listing)", when)
	}
	return fmt.Sprintf("A plain %s 403 page does not say why. What tells the readings apart: %s; whether other files in the same folder load (then it is this file's permissions); whether the same address works from another network (then it is an allow-list).", pr.Server, log)
}

// SaysNoPermission returns an excerpt of entry i's body when it says the
// account lacks a permission or role.
func (t *Trace) SaysNoPermission(i int) (string, bool) { return t.BodyMatch(i, permissionText) }

// attackLookingRequest returns the part of the request (decoded URL,
// Body, a cookie or another header) that looks like an attack to a
// firewall, "" when none.
func attackLookingRequest(e *har.Entry) string {
	_, quote := entry.AttackLookingPart(e)
	return quote
}
