package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/signatures"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// PluginBlock is the `plugin-block` cause (catalogue §3.4).
var PluginBlock = &analysis.Rule{
	ID:    "plugin-block",
	Title: "Blocked by a security plugin",
	Doc:   "A CMS security plugin (WordPress Wordfence, Solid Security, ...) refused the request.",
	Remedy: []trace.Step{
		{Who: trace.Admin, Step: "Deactivate all plugins (WordPress: Plugins > select all > Deactivate, or rename wp-content/plugins over FTP), then reload the page that failed."},
		{Who: trace.Admin, Step: "If it now works, reactivate the plugins one by one, reloading each time, until the failure returns: that plugin is the culprit."},
		{Who: trace.Admin, Step: "Configure the culprit (allow-list the user's IP address, relax the login limit or the firewall rule) or replace it."},
	},
	Run: runPluginBlock,
}

func runPluginBlock(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if m, ok := entry.SignatureFor(t.Signatures(i), "plugin-block"); ok {
			p.Report(analysis.Finding{
				Entry: i, Confidence: m.Confidence,
				Explanation: pluginExplanation(m),
				Evidence:    []trace.Evidence{trace.SignatureEvidence(i, m)},
				Remedy:      pluginSteps(m.Vendor, entry.RequestLabel(e), e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")),
			})
			continue
		}
		if row, ok := t.IISForEntry(i); ok && row.Cause == "plugin-block" {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.85,
				Explanation: fmt.Sprintf("IIS says %s (sub-status %s): a server filter refused the request.", row.Meaning, row.Code()),
				Evidence:    []trace.Evidence{trace.IISEvidence(i, row)},
				Remedy:      row.Remedy,
			})
			continue
		}
		// A refusal on a WordPress admin or login path with nothing more
		// specific: the seed's "deactivate your plugins" is worth trying.
		if e.Response.Status == 403 && entry.WordPressRequest(e) && len(t.Signatures(i)) == 0 {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.25,
				Explanation: "This is a WordPress site, and WordPress security plugins refuse suspicious requests with 403. Nothing in the answer names a plugin, so this is worth checking, not proven.",
				Evidence:    []trace.Evidence{{Entry: i, Where: har.At(har.PartRequestURL), Detail: "WordPress path or cookie: " + excerpt.Clip(redact.URL(e.Request.URL), 160)}},
			})
		}
	}
}

func pluginExplanation(m signatures.SignatureMatch) string {
	s := fmt.Sprintf("%s: %s.", m.Vendor, m.Meaning)
	if m.Reference != "" {
		s += fmt.Sprintf(" (%s: %s.)", m.RefName, m.Reference)
	}
	return s
}

func pluginSteps(plugin, req, when string) []trace.Step {
	return []trace.Step{
		{Who: trace.User, Step: "Wait a few minutes if the page speaks of a lockout or too many attempts, then try once with the right password; do not retry repeatedly."},
		{Who: trace.Admin, Step: fmt.Sprintf("In %s's settings (WordPress admin), find the block or lockout for this user's IP address around %s and remove it; allow-list the address if it is trusted.", plugin, when)},
		{Who: trace.Admin, Step: fmt.Sprintf("If %s's rule is too strict, relax it (the login attempt limit, the firewall rule in its log) rather than turning the plugin off.", plugin)},
		{Who: trace.Admin, Step: fmt.Sprintf("If you cannot reach the admin, rename the plugin's folder in wp-content/plugins over FTP to deactivate it, reload %s to confirm, then rename it back and configure it.", req)},
		{Who: trace.User, Step: fmt.Sprintf("Send the site owner: \"%s blocked %s at %s.\"", plugin, req, when)},
	}
}
