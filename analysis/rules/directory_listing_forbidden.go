package rules

import (
	"fmt"
	"regexp"
	"strings"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// DirectoryListingForbidden is the `directory-listing-forbidden` cause (catalogue §3.3).
var DirectoryListingForbidden = &analysis.Rule{
	ID:    "directory-listing-forbidden",
	Title: "Folder address without an index page",
	Doc:   "The address is a folder with no index page, and listing folders is turned off.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Open the page's real address (with the file name), or follow the link from the site's start page."},
		{Who: trace.Admin, Step: "Add an index page to the folder, or redirect the folder address to the right page. Do not turn directory listing on to \"fix\" it."},
	},
	Run: runDirectoryListingForbidden,
}

var directoryListingText = regexp.MustCompile(`(?i)Directory Listing Denied|This Virtual Directory does not allow contents to be listed|directory (?:listing|browsing|index)[^.<]{0,40}(?:denied|forbidden|not allowed|disabled)`)

func runDirectoryListingForbidden(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if row, ok := t.IISForEntry(i); ok {
			p.ReportIIS(i, 0.92, row.Reason())
			continue
		}
		if e.Response.Status != 403 {
			continue
		}
		body := t.Body(i)
		if !strings.Contains(strings.ToLower(body), "director") {
			body = ""
		}
		if loc := directoryListingText.FindStringIndex(body); loc != nil {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.88,
				Explanation: "The server says listing this folder is not allowed: the address is a folder with no index page.",
				Evidence:    []trace.Evidence{trace.BodyEvidence(i, body, loc, "")},
				Remedy:      dirSteps(e.Request.URL),
			})
			continue
		}
		pr, ok := t.PlainRefusalOf(i)
		if !ok || !pr.Folder || pr.Attack != "" {
			continue
		}
		conf := 0.55
		expl := "The address ends with \"/\" (a folder) and the server answered its plain 403: a folder with no index page and listing turned off gives exactly this. "
		var ev []trace.Evidence
		switch {
		case pr.ServedInside >= 0 && !pr.Location.FileInside:
			// The catalogue's signal: files in the folder are readable and
			// allowed to this client, only the folder address is refused.
			j := pr.ServedInside
			conf = 0.6
			expl = fmt.Sprintf("The address ends with \"/\" (a folder) and the server answered its plain 403, while %s inside that folder was served (entry #%d): the folder's files are readable and allowed to you, so only the folder address itself is refused — a folder with no index page and listing turned off. ",
				excerpt.Clip(entry.PathOfURL(t.Entries[j].Request.URL), 100), j)
			ev = append(ev, trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%s inside the folder answered %d", excerpt.Clip(entry.PathOfURL(t.Entries[j].Request.URL), 100), t.Entries[j].Response.Status)})
		case pr.Location.FileInside:
			// Listing rules refuse the folder, not the files in it.
			conf = 0.3
			expl = fmt.Sprintf("The address ends with \"/\" (a folder), but a file inside it was refused too (entry #%d), while a missing index page only refuses the folder itself: a rule for the whole folder is more likely. ", pr.Location.Peer)
		case pr.Location.Prefix != "":
			conf = 0.4 // several resources of one folder refused: an allow-list is as likely
		case pr.Outcomes.Served == 0 && pr.Outcomes.Refused > 0:
			conf = 0.4 // everything is refused: an allow-list is as likely
		case pr.UnservedLocation != "":
			// Nothing of this location was ever served while the rest of
			// the site was: a rule for the whole location is as likely.
			conf = 0.45
		}
		p.Report(analysis.Finding{
			Entry: i, Confidence: conf,
			Explanation: expl + pr.TellApart(e),
			Evidence:    append([]trace.Evidence{{Entry: i, Where: har.At(har.PartRequestURL), Detail: "folder address: " + excerpt.Clip(redact.URL(e.Request.URL), 160)}}, ev...),
			Remedy:      dirSteps(e.Request.URL),
		})
	}
}

func dirSteps(u string) []trace.Step {
	folder := u
	if k := strings.IndexAny(folder, "?#"); k >= 0 {
		folder = folder[:k]
	}
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("%s is a folder address: open the page's full address (with the file name) or follow the link from the site's start page.", excerpt.Clip(folder, 120))},
		{Who: trace.Admin, Step: fmt.Sprintf("Add an index page (index.html / the default document) to the folder behind %s, or redirect it to the right page; do not turn directory listing on to \"fix\" it.", excerpt.Clip(folder, 120))},
		{Who: trace.Admin, Step: "Reload the folder address: it should now show the index page (200) or redirect."},
		{Who: trace.User, Step: fmt.Sprintf("If the link came from the site itself, send the site admin: \"The link to %s opens a folder without an index page (403).\"", excerpt.Clip(folder, 120))},
	}
}
