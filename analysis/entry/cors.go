package entry

import (
	"fmt"
	"strings"

	"authlens/analysis/internal/excerpt"
	"authlens/har"
)

// IsPreflight reports a CORS preflight request.
func IsPreflight(e *har.Entry) bool {
	if !strings.EqualFold(e.Request.Method, "OPTIONS") {
		return false
	}
	_, ok := har.HeaderValue(e.Request.Headers, "Access-Control-Request-Method")
	return ok
}

// CORSSafelisted are request headers a page may set without a preflight,
// plus those the browser itself adds.
var CORSSafelisted = map[string]bool{
	"accept": true, "accept-language": true, "content-language": true, "content-type": true, "range": true,
	"origin": true, "referer": true, "user-agent": true, "cookie": true, "host": true, "connection": true,
	"accept-encoding": true, "cache-control": true, "pragma": true, "dnt": true, "priority": true, "content-length": true,
}

// MaskAuthValue shows only the scheme and length of an Authorization value.
func MaskAuthValue(v string) string {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	if rest == "" {
		return fmt.Sprintf("%d chars", len(v))
	}
	return fmt.Sprintf("%s …(%d chars)", scheme, len(rest))
}

// CORSHeaderProblems checks a response's CORS headers against what the
// request needs (catalogue §3.4 signals). requested are the header names
// the preflight asked for.
func CORSHeaderProblems(resp *har.Entry, origin string, credentialed bool, requested []string) []string {
	h := resp.Response.Headers
	var out []string
	acao, hasACAO := har.HeaderValue(h, "Access-Control-Allow-Origin")
	acao = strings.TrimSpace(acao)
	switch {
	case !hasACAO:
		out = append(out, "no Access-Control-Allow-Origin header")
	case acao == "*" && credentialed:
		out = append(out, "Access-Control-Allow-Origin: * on a call made with credentials (it must name the origin)")
	case acao != "*" && !strings.EqualFold(strings.TrimRight(acao, "/"), strings.TrimRight(origin, "/")):
		out = append(out, fmt.Sprintf("Access-Control-Allow-Origin: %s, but the caller is %s", acao, origin))
	}
	if credentialed {
		if v, _ := har.HeaderValue(h, "Access-Control-Allow-Credentials"); !strings.EqualFold(strings.TrimSpace(v), "true") {
			out = append(out, "no Access-Control-Allow-Credentials: true on a call made with credentials")
		}
	}
	if len(requested) > 0 {
		allowed := map[string]bool{}
		star := false
		for _, v := range har.HeaderValues(h, "Access-Control-Allow-Headers") {
			for _, n := range strings.Split(v, ",") {
				n = strings.ToLower(strings.TrimSpace(n))
				if n == "*" {
					star = true
				}
				allowed[n] = true
			}
		}
		for _, r := range requested {
			r = strings.ToLower(strings.TrimSpace(r))
			if r == "" || allowed[r] || CORSSafelisted[r] && r != "content-type" {
				continue
			}
			if star && !credentialed && r != "authorization" {
				continue
			}
			if r == "authorization" && star {
				out = append(out, "Access-Control-Allow-Headers: * does not cover Authorization (it must be named)")
				continue
			}
			out = append(out, fmt.Sprintf("Access-Control-Allow-Headers does not list %s", r))
		}
	}
	return out
}

// WildcardWithoutCredentials reports a response allowing any origin (*)
// and not allowing credentials.
func WildcardWithoutCredentials(e *har.Entry) bool {
	acao, _ := har.HeaderValue(e.Response.Headers, "Access-Control-Allow-Origin")
	acac, _ := har.HeaderValue(e.Response.Headers, "Access-Control-Allow-Credentials")
	return strings.TrimSpace(acao) == "*" && !strings.EqualFold(strings.TrimSpace(acac), "true")
}

// NonSimpleParts lists what made request e need a CORS preflight: a
// method other than GET, HEAD and POST, a header a page may not set
// freely (Authorization, X-*), or a non-form Content-Type.
func NonSimpleParts(e *har.Entry) []string {
	var out []string
	switch strings.ToUpper(e.Request.Method) {
	case "GET", "HEAD", "POST":
	default:
		out = append(out, "method "+e.Request.Method)
	}
	for _, h := range e.Request.Headers {
		n := strings.ToLower(h.Name)
		if strings.HasPrefix(n, ":") || strings.HasPrefix(n, "sec-") || CORSSafelisted[n] {
			if n == "content-type" {
				ct := strings.ToLower(h.Value)
				if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") && !strings.HasPrefix(ct, "text/plain") {
					out = append(out, "Content-Type: "+excerpt.Clip(h.Value, 40))
				}
			}
			continue
		}
		out = append(out, h.Name)
	}
	return out
}
