package entry

import (
	"strings"

	"authlens/analysis/signatures"
	"authlens/har"
)

// SignatureFor returns the strongest match in ms naming cause, if any.
func SignatureFor(ms []signatures.SignatureMatch, cause string) (signatures.SignatureMatch, bool) {
	for _, m := range ms {
		if m.Cause == cause {
			return m, true
		}
	}
	for _, m := range ms {
		for _, a := range m.Also {
			if a == cause {
				return m, true
			}
		}
	}
	return signatures.SignatureMatch{}, false
}

// PlainServerPage names the web server whose built-in error page the
// Body is ("Apache", "nginx", "IIS", "LiteSpeed", "Tomcat"), "" otherwise.
// Such a page says nothing about why: ModSecurity, allow-lists, file
// permissions and folder listings all produce it.
func PlainServerPage(e *har.Entry, body string) string {
	b := strings.ToLower(body)
	server, _ := har.HeaderValue(e.Response.Headers, "Server")
	server = strings.ToLower(server)
	switch {
	case strings.Contains(b, "you don't have permission to access") || (strings.Contains(b, "<h1>forbidden</h1>") && strings.Contains(b, "apache")):
		return "Apache"
	case strings.Contains(b, "<center>nginx") || strings.Contains(b, "<center>openresty"):
		return "nginx"
	case iisCustomPage.MatchString(body):
		return "IIS"
	case strings.Contains(b, "litespeed") && strings.Contains(b, "403"):
		return "LiteSpeed"
	case strings.Contains(b, "apache tomcat") && strings.Contains(b, "http status 403"):
		return "Tomcat"
	case strings.TrimSpace(b) == "" && e.Response.Status == 403 && (strings.HasPrefix(server, "apache") || strings.HasPrefix(server, "nginx")):
		if strings.HasPrefix(server, "apache") {
			return "Apache"
		}
		return "nginx"
	}
	return ""
}
