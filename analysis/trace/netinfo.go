package trace

import (
	"net/url"
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

// BehindExplicitProxy reports whether the trace shows an explicit
// forward proxy (a 407, or requests with Proxy-Connection).
func (t *Trace) BehindExplicitProxy() bool {
	for _, e := range t.Entries {
		if e.Response.Status == 407 {
			return true
		}
		if _, ok := har.HeaderValue(e.Request.Headers, "Proxy-Connection"); ok {
			return true
		}
	}
	return false
}

// ServerIP returns the server address entry i connected to (brackets of
// an IPv6 literal stripped), "" when the trace does not say. Behind an
// explicit proxy it is the proxy's address.
func (t *Trace) ServerIP(i int) string { return t.serverIPs[i] }

// Host returns the lower-cased host name of entry i's URL (no port).
func (t *Trace) Host(i int) string { return t.hosts[i] }

// HostIPs returns the distinct server addresses seen for a host, in the
// order they first appear in time.
func (t *Trace) HostIPs(host string) []string { return t.hostIPs[strings.ToLower(host)] }

func buildNetInfo(t *Trace) {
	n := len(t.Entries)
	t.serverIPs = make([]string, n)
	t.hosts = make([]string, n)
	t.hostIPs = map[string][]string{}
	for i, e := range t.Entries {
		ip := strings.TrimSpace(e.ServerIPAddress)
		ip = strings.TrimSuffix(strings.TrimPrefix(ip, "["), "]")
		t.serverIPs[i] = ip
		if u, err := url.Parse(e.Request.URL); err == nil {
			t.hosts[i] = strings.ToLower(u.Hostname())
		}
	}
	for _, i := range t.byTime {
		h, ip := t.hosts[i], t.serverIPs[i]
		if h == "" || ip == "" {
			continue
		}
		known := false
		for _, x := range t.hostIPs[h] {
			known = known || x == ip
		}
		if !known {
			t.hostIPs[h] = append(t.hostIPs[h], ip)
		}
	}
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
