package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// FilesystemPermission is the `filesystem-permission` cause (catalogue §3.3).
var FilesystemPermission = &analysis.Rule{
	ID:    "filesystem-permission",
	Title: "The web server cannot read the file",
	Doc:   "The web server is not allowed to read this file or folder (file permissions, ACL, SELinux).",
	Remedy: []trace.Step{
		{Who: trace.Admin, Step: "Make the file readable by the web server's user and every folder above it executable (e.g. files 644, folders 755, owned by the site's user), or fix the ACL."},
		{Who: trace.Admin, Step: "On SELinux systems, restore the web content label (restorecon -Rv on the site folder)."},
		{Who: trace.Admin, Step: "Reload the page: it should answer 200."},
	},
	Run: runFilesystemPermission,
}

func runFilesystemPermission(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if row, ok := t.IISForEntry(i); ok {
			p.ReportIIS(i, 0.9, row.Reason())
			continue
		}
		pr, ok := t.PlainRefusalOf(i)
		if !ok {
			continue
		}
		conf := 0.35
		expl := "The web server may be unable to read the file (file permissions, ACL or SELinux give exactly this page). "
		var ev []trace.Evidence
		switch {
		case pr.Attack != "":
			conf = 0.2
		case pr.Location.Prefix != "":
			conf = 0.25
			expl = fmt.Sprintf("The web server may be unable to read the file, but several resources under %s/ were refused alike while other folders were served, which points to a rule for the whole location rather than one file's permissions. ", pr.Location.Prefix)
		case pr.ServedInside >= 0:
			conf = 0.3 // files inside the refused folder are readable: only its address is refused
		case pr.Outcomes.ServedSameFolder >= 0:
			conf = 0.45
			j := pr.Outcomes.ServedSameFolder
			expl = fmt.Sprintf("Other files in the same folder were served (entry #%d), so the address is allowed; this file's own permissions are the likely reason. ", j)
			ev = append(ev, trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%s answered %d", excerpt.Clip(redact.URL(t.Entries[j].Request.URL), 120), t.Entries[j].Response.Status)})
		case pr.Outcomes.Served == 0 && pr.Outcomes.Refused > 0:
			conf = 0.25
		case pr.UnservedLocation != "":
			conf = 0.3 // a whole location unserved: a location rule is more likely than one file's mode
		case pr.Folder:
			conf = 0.25
		case pr.Static:
			conf = 0.38
		}
		ev = append([]trace.Evidence{{Entry: i, Where: har.At(har.PartResponseBody), Detail: fmt.Sprintf("%s's built-in 403 page, no reason given", pr.Server)}}, ev...)
		path := jar.RequestURL(e).Path
		p.Report(analysis.Finding{
			Entry: i, Confidence: conf,
			Explanation: expl + pr.TellApart(e),
			Evidence:    ev,
			Remedy: pr.WithIISLogStep(e, []trace.Step{
				{Who: trace.Admin, Step: fmt.Sprintf("Check the error log for %s at %s: a \"Permission denied\" line confirms this cause.", path, e.StartedDateTime.UTC().Format("15:04:05 UTC"))},
				{Who: trace.Admin, Step: fmt.Sprintf("Make the file behind %s readable by the web server's user (e.g. chmod 644, folders 755, chown to the site's user) or fix its ACL; on SELinux, run restorecon on it.", path)},
				{Who: trace.Admin, Step: fmt.Sprintf("Reload %s: it should answer 200.", excerpt.Clip(redact.URL(e.Request.URL), 120))},
				trace.SendStep("site admin", e, "Please check the web server's error log for this request: it says whether file permissions or an allow-list refused it."),
			}),
		})
	}
}
