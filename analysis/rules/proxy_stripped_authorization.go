package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// ProxyStrippedAuthorization is the `proxy-stripped-authorization` cause.
var ProxyStrippedAuthorization = &analysis.Rule{
	ID:    "proxy-stripped-authorization",
	Title: "Something between removed the login header",
	Doc:   "The client sent its credential, but the application answered as if it received none: a proxy, gateway or server module between them removed the Authorization header.",
	Remedy: []trace.Step{
		{Who: trace.Admin, Step: "Make the component in front of the application forward the Authorization header: Apache + PHP-FPM/CGI: CGIPassAuth On; Apache mod_wsgi: WSGIPassAuthorization On; nginx: do not clear it (proxy_set_header Authorization $http_authorization); CloudFront: include Authorization in the cache policy; squid: request_header_access Authorization allow all."},
		{Who: trace.User, Step: "Try once without the corporate proxy or VPN: if it then works, the proxy removes the header."},
	},
	Run:     runProxyStrippedAuthorization,
	RuleOut: ruleOutProxyStripped,
}

func runProxyStrippedAuthorization(p *analysis.Pass) {
	t := p.Trace
	// Origins whose 401s name a Bearer error code somewhere, by entry.
	errorsAt := map[string][]int{}
	for _, j := range t.TimeOrder() {
		if code, _, _, ok := t.BearerError(j); ok && code != "" {
			errorsAt[t.Origin(j)] = append(errorsAt[t.Origin(j)], j)
		}
	}
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) {
			continue
		}
		e := t.Entries[i]
		a := t.Auth(i)
		cred := a.Credentials
		if cred == nil || cred.Malformed != "" {
			continue
		}
		if a.WrongScheme() {
			continue
		}
		f := analysis.Finding{Entry: i, Evidence: []trace.Evidence{t.CredentialEvidence(i)}}
		var why []string
		if ex, ok := t.SaysNotSignedIn(i); ok {
			f.Confidence = 0.7
			why = append(why, "the application answered that it received no credentials although the request carried an Authorization header")
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		}
		code, _, _, isBearer := t.BearerError(i)
		if isBearer && code == "" && (strings.EqualFold(cred.Scheme, "Bearer") || strings.EqualFold(cred.Scheme, "DPoP")) {
			f.Confidence = max(f.Confidence, 0.4)
			why = append(why, "the Bearer challenge has no error code, which RFC 6750 §3.1 reserves for requests that carried no token")
			f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
			if others := errorsAt[t.Origin(i)]; len(others) > 1 || len(others) == 1 && others[0] != i {
				f.Confidence += 0.15
				why = append(why, "the same server names an error code on other rejections in this trace")
			}
		}
		if f.Confidence == 0 {
			continue
		}
		if j, ok := t.SucceededElsewhere(i); ok {
			f.Confidence += 0.15
			why = append(why, fmt.Sprintf("the same credential was accepted by entry %d (%s) on this site", j, trace.PathOfURL(t.Entries[j].Request.URL)))
		}
		px := trace.ProxyEvident(e)
		if px != "" {
			f.Confidence += 0.2
			why = append(why, "a proxy is visible in the response ("+px+")")
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseHeaders), px))
		}
		fix, component := strippingFix(e)
		if component != "" {
			why = append(why, "the response comes from "+component)
		}
		f.Confidence = min(f.Confidence, 0.9)
		f.Explanation = "The request carried an Authorization header, but the application behaves as if it got none: " + strings.Join(why, "; ") + "."
		f.Remedy = []trace.Step{
			{Who: trace.Admin, Step: fix + " Then repeat the request: it should answer 200."},
			{Who: trace.User, Step: "Try once without the corporate proxy or VPN: if it then works, the proxy removes the header."},
			t.SendTo(i, "the site's administrator", fmt.Sprintf("The request carries an Authorization (%s) header but the application says it received none; a proxy or server module seems to remove it.", cred.Scheme)),
		}
		p.Report(f)
	}
}

// strippingFix names the setting that forwards Authorization for the
// Server or proxy the response reveals.
func strippingFix(e *har.Entry) (fix, component string) {
	server := strings.ToLower(trace.ServerHeader(e))
	powered, _ := har.HeaderValue(e.Response.Headers, "X-Powered-By")
	powered = strings.ToLower(powered)
	via, _ := har.HeaderValue(e.Response.Headers, "Via")
	switch {
	case strings.Contains(server, "apache") && (strings.Contains(powered, "php") || strings.Contains(server, "php")):
		return "Apache does not pass Authorization to PHP run through CGI/FastCGI/PHP-FPM: add \"CGIPassAuth On\" (Apache 2.4.13+) for this directory, or SetEnvIf Authorization .+ HTTP_AUTHORIZATION=$0.", "Apache with PHP"
	case strings.Contains(server, "mod_wsgi") || strings.Contains(server, "apache") && (strings.Contains(server, "python") || strings.Contains(powered, "django")):
		return "Apache mod_wsgi does not pass Authorization to the Python application by default: add \"WSGIPassAuthorization On\".", "Apache mod_wsgi"
	case strings.Contains(server, "apache"):
		return "If the application runs behind Apache as CGI/FastCGI (PHP-FPM) or mod_wsgi, turn on CGIPassAuth On or WSGIPassAuthorization On; with mod_proxy, check no RequestHeader unset Authorization.", "Apache"
	case strings.Contains(server, "cloudfront") || strings.Contains(strings.ToLower(via), "cloudfront"):
		return "CloudFront forwards Authorization to the origin only when it is part of the cache policy (or, with caching disabled, an AllViewer origin request policy): add it.", "Amazon CloudFront"
	case strings.Contains(server, "squid") || strings.Contains(strings.ToLower(via), "squid"):
		return "Let squid forward the header: request_header_access Authorization allow all.", "squid"
	case strings.Contains(server, "nginx") || strings.Contains(server, "openresty"):
		return "In the nginx proxy configuration, do not clear the header (no proxy_set_header Authorization \"\"; add proxy_set_header Authorization $http_authorization if it was removed).", "nginx"
	}
	return "Find the proxy, gateway or server module in front of the application and make it forward the Authorization header unchanged (CGIPassAuth On for Apache+PHP, WSGIPassAuthorization On for mod_wsgi, the CloudFront cache policy, proxy_set_header for nginx).", ""
}

// ruleOutProxyStripped: the server's answer shows it received the
// credential (it names a problem with the token itself).
func ruleOutProxyStripped(t *trace.Trace, i int) (string, bool) {
	if t.Auth(i).Credentials == nil {
		return "", false
	}
	if code, _, _, ok := t.BearerError(i); ok && code != "" && code != "invalid_request" {
		return fmt.Sprintf("Not stripped on the way: the request carried Authorization and the server's answer (error=%s) is about that token, so it arrived.", code), true
	}
	return "", false
}
