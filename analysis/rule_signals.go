package analysis

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"authlens/har"
)

// Small readings of an exchange that the cookie, permission, firewall,
// CSRF and CORS rules share.

// refusalStatus reports the statuses these rules explain: 401, 403 and
// Laravel's 419.
func refusalStatus(st int) bool { return st == 401 || st == 403 || st == 419 }

var loginPathPattern = regexp.MustCompile(`(?i)(?:^|/)(?:login|log-in|signin|sign-in|sign_in|logon|auth|authenticate|sso|saml|oauth2?|openid|wp-login\.php|account/login|users/sign_in)(?:[/?.#]|$)`)

// softAuthFailure reports a redirect to a login page: cookie apps answer
// "not signed in" this way instead of 401 (catalogue §1).
func softAuthFailure(e *har.Entry) bool {
	st := e.Response.Status
	if st < 300 || st > 399 || loginPathPattern.MatchString(requestURL(e).Path) {
		return false
	}
	loc := e.Response.RedirectURL
	if loc == "" {
		loc, _ = har.HeaderValue(e.Response.Headers, "Location")
	}
	if loc == "" {
		return false
	}
	u, err := url.Parse(loc)
	if err != nil {
		return false
	}
	return loginPathPattern.MatchString(u.Path)
}

// failedForCookies reports the exchanges a missing or stale cookie can
// explain: a refusal, a redirect to the login page, or no response.
func failedForCookies(e *har.Entry) bool {
	st := e.Response.Status
	return refusalStatus(st) || softAuthFailure(e) || (e.Failed() && st <= 0)
}

var (
	sessionNamePattern  = regexp.MustCompile(`(?i)sess|^sid$|_sid$|^sid_|auth|token|jwt|login|logged_in|identity|remember|^user|^wordpress_(?:sec|logged_in)|^wp-settings|\.aspnetcore\.cookies|aspxauth|^_.*_session$`)
	trackingNamePattern = regexp.MustCompile(`(?i)^(?:_ga|_gid|_gat|_gcl|_fbp|_fbc|_hj|__utm|_uet|_clck|_clsk|ajs_|mp_|amplitude|optimizely|__cf_bm|_cfuvid|cf_clearance|__cflb|awsalb|awselb|bigipserver|ts[0-9a-f]{6,8}$|incap_ses|visid_incap|nlbi_|_abck|bm_sz|ak_bmsc|bm_sv|_px|nid$|1p_jar|consent|cookieconsent|osano|euconsent|ot|optanon)`)
	csrfCookiePattern   = regexp.MustCompile(`(?i)^(?:csrftoken|csrf_token|csrf|_csrf|xsrf-token|x-xsrf-token|csrf-token|_xsrf|__requestverificationtoken.*|\.aspnetcore\.antiforgery\..*)$`)
)

// cookieLooksLikeSession reports cookie names that usually carry a
// sign-in session (not analytics, load balancing or CSRF).
func cookieLooksLikeSession(name string) bool {
	if trackingNamePattern.MatchString(name) || csrfCookiePattern.MatchString(name) {
		return false
	}
	return sessionNamePattern.MatchString(name)
}

// cookieMatters reports whether losing the cookie can plausibly cause an
// auth failure: a session-like name, or an HttpOnly cookie that is not a
// known tracking or load-balancer cookie.
func cookieMatters(ev CookieEvent) bool {
	if trackingNamePattern.MatchString(ev.Name) {
		return false
	}
	return cookieLooksLikeSession(ev.Name) || (ev.httpOnly && !csrfCookiePattern.MatchString(ev.Name))
}

// cookieWhere is the evidence text for a cookie's identity.
func cookieWhere(ev CookieEvent) string {
	d := ev.Domain
	if !ev.hostOnly {
		d = "." + d
	}
	if ev.Path != "" {
		d += ev.Path
	}
	return fmt.Sprintf("%s (%s)", ev.Name, d)
}

// setCookieEvidence is the evidence row for a Set-Cookie event.
func setCookieEvidence(ev CookieEvent) Evidence {
	d := fmt.Sprintf("Set-Cookie: %s=%s", ev.Name, ev.Value)
	if ev.Attributes != "" {
		d += "; " + ev.Attributes
	}
	if ev.Reason != "" {
		d += " — " + ev.Reason
	}
	return Evidence{Entry: ev.Entry, Where: "response.headers.Set-Cookie", Detail: d}
}

// sentCookieEvidence is the evidence row for a cookie a request carried
// (or lacked).
func sentCookieEvidence(ev CookieEvent) Evidence {
	var d string
	if ev.Kind == CookieEventMissing {
		d = fmt.Sprintf("no %s in the Cookie header (the jar held %s=%s, set at entry #%d)", ev.Name, ev.Name, ev.Value, ev.setAt)
	} else {
		d = fmt.Sprintf("Cookie: %s=%s", ev.Name, ev.Value)
	}
	if ev.Reason != "" {
		d += " — " + ev.Reason
	}
	return Evidence{Entry: ev.Entry, Where: "request.headers.Cookie", Detail: d}
}

// requestLabel is "POST https://host/path" for remedy steps.
func requestLabel(e *har.Entry) string {
	return e.Request.Method + " " + clip(e.Request.URL, 160)
}

// sendStep is the closing step when the user cannot fix the cause: what
// to send to whom, ready to copy (catalogue §5).
func sendStep(to string, e *har.Entry, why string) Step {
	return Step{User, fmt.Sprintf("Send the %s: \"%s answered %d at %s. %s\"", to, requestLabel(e), e.Response.Status,
		e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"), why)}
}

// hostOf returns the lower-case host of entry e.
func hostOf(e *har.Entry) string { return strings.ToLower(requestURL(e).Hostname()) }

// wordPressRequest reports a request to a WordPress site.
func wordPressRequest(e *har.Entry) bool {
	u := requestURL(e)
	p := strings.ToLower(u.Path)
	if strings.Contains(p, "/wp-admin") || strings.Contains(p, "/wp-login.php") || strings.Contains(p, "/wp-json/") ||
		strings.Contains(p, "/xmlrpc.php") || u.Query().Has("rest_route") {
		return true
	}
	for _, v := range requestCookieHeaders(e) {
		if strings.Contains(strings.ToLower(v), "wordpress_") {
			return true
		}
	}
	if v, ok := har.HeaderValue(e.Response.Headers, "Link"); ok && strings.Contains(v, "api.w.org") {
		return true
	}
	return false
}

// attackPattern matches request text that firewall rule sets (OWASP CRS,
// cloud WAF managed rules) block: script tags, SQL injection, traversal.
var attackPattern = regexp.MustCompile(`(?i)<\s*script|javascript:|on(?:error|load)\s*=|'\s*or\s*'?\d*'?\s*=\s*'?\d*|\bunion(?:\s|\+|/\*.*?\*/)+(?:all(?:\s|\+)+)?select\b|\bselect\b.+\bfrom\b.+\bwhere\b|(?:\.\./){2,}|\.\.%2f|/etc/passwd|\bsleep\(\s*\d+\s*\)|\$\{jndi:|<\?php|\bcmd\.exe\b|;\s*(?:cat|ls|wget|curl)\s`)

// attackLookingRequest returns the part of the request (decoded URL,
// body, a cookie or another header) that looks like an attack to a
// firewall, "" when none.
func attackLookingRequest(e *har.Entry) string {
	_, excerpt := attackLookingPart(e)
	return excerpt
}

// attackLookingPart is attackLookingRequest with the place the text was
// found, as an evidence "where" ("request.url", "request.headers.Cookie").
// Firewall rule sets (OWASP CRS REQUEST_COOKIES, REQUEST_HEADERS) inspect
// cookies and headers as they inspect the URL and body.
func attackLookingPart(e *har.Entry) (where, excerpt string) {
	raw := e.Request.URL
	if dec, err := url.QueryUnescape(raw); err == nil {
		raw = dec
	}
	if loc := attackPattern.FindStringIndex(raw); loc != nil {
		return "request.url", "request URL: " + requestExcerpt(raw, loc[0], loc[1])
	}
	if pd := e.Request.PostData; pd != nil {
		body := pd.Text
		if dec, err := url.QueryUnescape(body); err == nil {
			body = dec
		}
		if len(body) > 64<<10 {
			body = body[:64<<10]
		}
		if loc := attackPattern.FindStringIndex(body); loc != nil {
			return "request.postData.text", "request body: " + requestExcerpt(body, loc[0], loc[1])
		}
	}
	// Cookies one by one, so the excerpt quotes only the offending cookie
	// and never the session cookie sent beside it.
	for _, v := range requestCookieHeaders(e) {
		for _, c := range parseCookieHeader(v) {
			val := c.value
			if dec, err := url.QueryUnescape(val); err == nil {
				val = dec
			}
			if len(val) > 8<<10 {
				val = val[:8<<10]
			}
			if loc := attackPattern.FindStringIndex(val); loc != nil {
				return "request.headers.Cookie", fmt.Sprintf("cookie %s: %s", clip(c.name, 60), requestExcerpt(val, loc[0], loc[1]))
			}
		}
	}
	for _, h := range e.Request.Headers {
		if !attackInspectedHeader(h.Name) {
			continue
		}
		val := h.Value
		if len(val) > 8<<10 {
			val = val[:8<<10]
		}
		if loc := attackPattern.FindStringIndex(val); loc != nil {
			return "request.headers." + h.Name, fmt.Sprintf("header %s: %s", clip(h.Name, 60), requestExcerpt(val, loc[0], loc[1]))
		}
	}
	return "", ""
}

// attackInspectedHeader reports the request headers read for attack text:
// not the cookie (read above), credentials (opaque tokens), HTTP/2
// pseudo-headers (the URL again), nor Referer and Origin, which repeat an
// earlier page's address and would blame this request for that one.
func attackInspectedHeader(name string) bool {
	if strings.HasPrefix(name, ":") {
		return false
	}
	switch strings.ToLower(name) {
	case "cookie", "authorization", "proxy-authorization", "referer", "origin", "host":
		return false
	}
	return true
}

// requestExcerpt quotes request text around a match as sent (tags kept:
// they are the point), secrets masked.
func requestExcerpt(text string, start, end int) string {
	win, cutBefore := around(text, start, end, 60, 60)
	s := strings.TrimSpace(spacePattern.ReplaceAllString(win, " "))
	if cutBefore {
		s = "…" + s
	}
	return maskTokensInText(clip(s, 200))
}

// staticLookingPath reports a URL path that names a file (an extension)
// or a folder, the kind a web server serves from disk.
func staticLookingPath(p string) bool {
	if strings.HasSuffix(p, "/") {
		return true
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".html", ".htm", ".css", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico",
		".pdf", ".txt", ".xml", ".json", ".zip", ".gz", ".mp4", ".mp3", ".woff", ".woff2", ".ttf", ".csv", ".doc", ".docx", ".xls", ".xlsx":
		return true
	}
	return false
}

// originOutcomes counts, for entry i's origin, other exchanges that were
// served (2xx/304) and refused with 403, and a served one in the same
// folder as i.
type originOutcomes struct {
	served, refused   int
	servedSameFolder  int // an entry index, -1 when none
	refusedRootOrHome bool
}

func (t *Trace) outcomesAround(i int) originOutcomes {
	oc := originOutcomes{servedSameFolder: -1}
	dir := path.Dir(requestURL(t.Entries[i]).Path + "x")
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			continue
		}
		e := t.Entries[j]
		st := e.Response.Status
		switch {
		case st >= 200 && st < 300 || st == 304:
			oc.served++
			if path.Dir(requestURL(e).Path+"x") == dir && oc.servedSameFolder < 0 {
				oc.servedSameFolder = j
			}
		case st == 403:
			oc.refused++
			if p := requestURL(e).Path; p == "" || p == "/" {
				oc.refusedRootOrHome = true
			}
		}
	}
	return oc
}

// bodyEvidence is an evidence row quoting the response body.
func bodyEvidence(i int, body string, loc []int, prefix string) Evidence {
	return Evidence{Entry: i, Where: "response.content.text", Detail: prefix + maskTokensInText(excerptAround(body, loc[0], loc[1]))}
}

// headerEvidence is an evidence row quoting one response header.
func responseHeaderEvidence(i int, name, value string) Evidence {
	return Evidence{Entry: i, Where: "response.headers." + name, Detail: name + ": " + clip(value, 160)}
}

// plainRefusal describes a 403 that only the web server's built-in page
// explains: ambiguous between an address allow-list, file permissions and
// a folder without an index (catalogue §3.3 traps).
type plainRefusal struct {
	server   string // "Apache", "nginx", ...
	attack   string // request text a firewall would block, "" when none
	folder   bool   // the path ends with "/"
	static   bool   // the path names a file or folder
	outcomes originOutcomes
	location locationRefusal
	// unservedLocation is the top-level folder of the path (e.g. "/admin")
	// when nothing under it was served on the origin while other
	// addresses were: a location refused as a whole (an allow/deny block
	// in the server configuration) looks like this. "" otherwise.
	unservedLocation string
	// servedInside is an entry served (2xx/304) whose path lies inside
	// the folder address i asked for, -1 when none or i is not a folder:
	// the folder's files are readable and allowed, only its listing is
	// refused (catalogue: directory-listing-forbidden).
	servedInside int
	// anonymousNearby is an entry under the same top-level folder served
	// without any credential or session, -1 when none: that part of the
	// site is not guarded by the sign-in, so a session sent with i is no
	// sign of a role check.
	anonymousNearby int
}

// locationRefusal is the trace's sign of a refusal configured for a whole
// location (Require ip, allow/deny inside <Location>/location {}): two
// different resources under one folder got the same plain 403, nothing
// under that folder was served, while other folders of the origin were.
// One file's permissions or a missing index page refuse one resource,
// not a folder and the files in it alike.
type locationRefusal struct {
	prefix string // the common folder, e.g. "/intranet"; "" when no such sign
	peer   int    // the other refused entry under prefix, -1 when none
	served int    // an entry served outside prefix, -1 when none
	// fileInside is true when peer is a file inside the folder entry i
	// asked for: then the folder is not refused merely for lacking an
	// index page.
	fileInside bool
}

// plainRefusalOf returns the reading of entry i when it is such a 403.
func (t *Trace) plainRefusalOf(i int) (plainRefusal, bool) {
	e := t.Entries[i]
	if e.Response.Status != 403 {
		return plainRefusal{}, false
	}
	body := t.Body(i)
	if _, _, ok := iisSubStatus(body); ok {
		return plainRefusal{}, false
	}
	for _, m := range t.Signatures(i) {
		if m.Strength != sigGeneric.String() {
			return plainRefusal{}, false
		}
	}
	server := plainServerPage(e, body)
	if server == "" {
		return plainRefusal{}, false
	}
	p := requestURL(e).Path
	pr := plainRefusal{
		server: server, attack: attackLookingRequest(e),
		folder: p == "" || strings.HasSuffix(p, "/"), static: staticLookingPath(p),
		outcomes:     t.outcomesAround(i),
		location:     t.locationRefusalOf(i, server),
		servedInside: -1, anonymousNearby: -1,
	}
	t.readLocation(i, &pr)
	return pr, true
}

// topFolder is the first folder of a URL path: "/admin/" and
// "/admin/users" give "/admin"; a resource at the root ("/billing", "/")
// gives "", since the root is every location's parent.
func topFolder(p string) string {
	rest := strings.TrimPrefix(p, "/")
	k := strings.Index(rest, "/")
	if k <= 0 {
		return ""
	}
	return "/" + rest[:k]
}

// readLocation fills the location-wide readings of a plain refusal at
// entry i: what was served inside its folder and its top-level folder,
// and to whom.
func (t *Trace) readLocation(i int, pr *plainRefusal) {
	p := requestURL(t.Entries[i]).Path
	top := topFolder(p)
	servedUnderTop, servedElsewhere := false, false
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			continue
		}
		e := t.Entries[j]
		if st := e.Response.Status; !(st >= 200 && st < 300 || st == 304) {
			continue
		}
		q := requestURL(e).Path
		if pr.folder && p != "" && p != "/" && q != p && strings.HasPrefix(q, p) && pr.servedInside < 0 {
			pr.servedInside = j
		}
		if top == "" {
			continue
		}
		if !underFolder(q, top) {
			servedElsewhere = true
			continue
		}
		servedUnderTop = true
		if pr.anonymousNearby < 0 && t.identityKey(j) == "" {
			pr.anonymousNearby = j
		}
	}
	if top != "" && !servedUnderTop && servedElsewhere {
		pr.unservedLocation = top
	}
}

// folderOfPath is the folder a URL path names or lies in, without the
// trailing slash: "/a/b.html" and "/a/" are both "/a"; "/" is "/".
func folderOfPath(p string) string {
	return path.Dir(p + "x")
}

// commonFolder is the longest folder both folders lie in.
func commonFolder(a, b string) string {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	c := strings.Join(as[:n], "/")
	if c == "" {
		return "/"
	}
	return c
}

// underFolder reports whether a URL path is the folder f or lies in it.
func underFolder(p, f string) bool {
	return p == f || strings.HasPrefix(p, f+"/")
}

// locationRefusalOf looks for the sign of a location-level refusal around
// entry i, a plain 403 page of the given server.
func (t *Trace) locationRefusalOf(i int, server string) locationRefusal {
	lr := locationRefusal{peer: -1, served: -1}
	p := requestURL(t.Entries[i]).Path
	same := t.SameOrigin(t.Origin(i))
	for _, j := range same {
		ej := t.Entries[j]
		q := requestURL(ej).Path
		if j == i || q == p || ej.Response.Status != 403 || plainServerPage(ej, t.Body(j)) != server {
			continue
		}
		c := commonFolder(folderOfPath(p), folderOfPath(q))
		if c == "/" || !underFolder(q, c) || !underFolder(p, c) {
			continue
		}
		served, outside := false, -1
		for _, k := range same {
			st := t.Entries[k].Response.Status
			if !(st >= 200 && st < 300 || st == 304) {
				continue
			}
			if underFolder(requestURL(t.Entries[k]).Path, c) {
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
		if lr.prefix == "" || inside && !lr.fileInside {
			lr = locationRefusal{prefix: c, peer: j, served: outside, fileInside: inside}
		}
	}
	return lr
}

// evidence is the pair of evidence rows behind a location-level reading.
func (lr locationRefusal) evidence(t *Trace) []Evidence {
	pe, se := t.Entries[lr.peer], t.Entries[lr.served]
	return []Evidence{
		{Entry: lr.peer, Where: "response.status", Detail: fmt.Sprintf("%s under %s/ was refused with the same 403 page", clip(pathOfURL(pe.Request.URL), 100), lr.prefix)},
		{Entry: lr.served, Where: "response.status", Detail: fmt.Sprintf("%s outside %s/ was served (%d)", clip(pathOfURL(se.Request.URL), 100), lr.prefix, se.Response.Status)},
	}
}

// withIISLogStep puts "look up the sub-status in the IIS log" first when
// IIS answered with its generic page: the sub-status names the reason.
func (pr plainRefusal) withIISLogStep(e *har.Entry, steps []Step) []Step {
	if pr.server != "IIS" {
		return steps
	}
	return append([]Step{iisAskForLog(e)}, steps...)
}

// tellApart says which facts distinguish the readings of a plain 403.
func (pr plainRefusal) tellApart(e *har.Entry) string {
	when := e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")
	log := fmt.Sprintf("the server's error log at %s", when)
	switch pr.server {
	case "Apache":
		log = fmt.Sprintf("Apache's error log at %s (\"AH01630: client denied by server configuration\" = an allow-list such as Require ip; \"Permission denied\" = file permissions; \"AH01276: Cannot serve directory\" = a folder without an index file)", when)
	case "nginx":
		log = fmt.Sprintf("nginx's error log at %s (\"access forbidden by rule\" = an allow/deny list; \"(13: Permission denied)\" = file permissions; \"directory index of ... is forbidden\" = a folder without an index file)", when)
	case "IIS":
		log = fmt.Sprintf("the IIS log's sc-substatus at %s (403.6/403.503 = address denied, 401.3 = file ACL, 403.14 = folder listing)", when)
	}
	return fmt.Sprintf("A plain %s 403 page does not say why. What tells the readings apart: %s; whether other files in the same folder load (then it is this file's permissions); whether the same address works from another network (then it is an allow-list).", pr.server, log)
}
