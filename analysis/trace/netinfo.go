package trace

import (
	"net/url"
	"strings"

	"authlens/har"
)

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
