package entry

import (
	"strings"

	"authlens/analysis/internal/excerpt"
	"authlens/har"
)

// ProxyEvident returns a description of a proxy between client and
// application, from the response headers; "" when none is visible.
func ProxyEvident(e *har.Entry) string {
	for _, name := range []string{"Via", "X-Forwarded-For", "X-Forwarded-Host", "X-Cache", "X-Squid-Error"} {
		if v, ok := har.HeaderValue(e.Response.Headers, name); ok {
			return name + ": " + excerpt.Clip(v, 80)
		}
	}
	return ""
}

// ServerHeader returns the response's Server header.
func ServerHeader(e *har.Entry) string {
	v, _ := har.HeaderValue(e.Response.Headers, "Server")
	return v
}

// ProxyName names a proxy from its answer's headers, e.g.
// "(squid/5.7, Via: 1.1 proxy1 at 10.0.0.8)", or "of your network" when
// they name nothing.
func ProxyName(e *har.Entry) string {
	s := ServerHeader(e)
	if via, ok := har.HeaderValue(e.Response.Headers, "Via"); ok {
		if s != "" {
			s += ", "
		}
		s += "Via: " + via
	}
	if ip := strings.Trim(e.ServerIPAddress, "[]"); ip != "" {
		s += " at " + ip
	}
	if s == "" {
		return "of your network"
	}
	return "(" + s + ")"
}
