package analysis

import "fmt"

// FilesystemPermission is the `filesystem-permission` cause (catalogue §3.3).
var FilesystemPermission = &Rule{
	ID:    "filesystem-permission",
	Title: "The web server cannot read the file",
	Doc:   "The web server is not allowed to read this file or folder (file permissions, ACL, SELinux).",
	Remedy: []Step{
		{Admin, "Make the file readable by the web server's user and every folder above it executable (e.g. files 644, folders 755, owned by the site's user), or fix the ACL."},
		{Admin, "On SELinux systems, restore the web content label (restorecon -Rv on the site folder)."},
		{Admin, "Reload the page: it should answer 200."},
	},
	Run: runFilesystemPermission,
}

func runFilesystemPermission(p *Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if row, ok := t.IISForEntry(i); ok {
			if row.Cause == "filesystem-permission" {
				p.Report(Finding{
					Entry: i, Confidence: 0.9,
					Explanation: fmt.Sprintf("IIS names the reason: %s (sub-status %s).", row.Meaning, row.Code()),
					Evidence:    []Evidence{iisEvidence(i, row)},
					Remedy:      row.Remedy,
				})
			}
			continue
		}
		pr, ok := t.plainRefusalOf(i)
		if !ok {
			continue
		}
		conf := 0.35
		expl := "The web server may be unable to read the file (file permissions, ACL or SELinux give exactly this page). "
		var ev []Evidence
		switch {
		case pr.attack != "":
			conf = 0.2
		case pr.location.prefix != "":
			conf = 0.25
			expl = fmt.Sprintf("The web server may be unable to read the file, but several resources under %s/ were refused alike while other folders were served, which points to a rule for the whole location rather than one file's permissions. ", pr.location.prefix)
		case pr.servedInside >= 0:
			conf = 0.3 // files inside the refused folder are readable: only its address is refused
		case pr.outcomes.servedSameFolder >= 0:
			conf = 0.45
			j := pr.outcomes.servedSameFolder
			expl = fmt.Sprintf("Other files in the same folder were served (entry #%d), so the address is allowed; this file's own permissions are the likely reason. ", j)
			ev = append(ev, Evidence{Entry: j, Where: "response.status", Detail: fmt.Sprintf("%s answered %d", clip(t.Entries[j].Request.URL, 120), t.Entries[j].Response.Status)})
		case pr.outcomes.served == 0 && pr.outcomes.refused > 0:
			conf = 0.25
		case pr.unservedLocation != "":
			conf = 0.3 // a whole location unserved: a location rule is more likely than one file's mode
		case pr.folder:
			conf = 0.25
		case pr.static:
			conf = 0.38
		}
		ev = append([]Evidence{{Entry: i, Where: "response.content.text", Detail: fmt.Sprintf("%s's built-in 403 page, no reason given", pr.server)}}, ev...)
		path := requestURL(e).Path
		p.Report(Finding{
			Entry: i, Confidence: conf,
			Explanation: expl + pr.tellApart(e),
			Evidence:    ev,
			Remedy: pr.withIISLogStep(e, []Step{
				{Admin, fmt.Sprintf("Check the error log for %s at %s: a \"Permission denied\" line confirms this cause.", path, e.StartedDateTime.UTC().Format("15:04:05 UTC"))},
				{Admin, fmt.Sprintf("Make the file behind %s readable by the web server's user (e.g. chmod 644, folders 755, chown to the site's user) or fix its ACL; on SELinux, run restorecon on it.", path)},
				{Admin, fmt.Sprintf("Reload %s: it should answer 200.", clip(e.Request.URL, 120))},
				sendStep("site admin", e, "Please check the web server's error log for this request: it says whether file permissions or an allow-list refused it."),
			}),
		})
	}
}
