package entry

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// PathOfURL returns the path of a URL ("/" when empty).
func PathOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// NormalizedURL drops the fragment and the default port so URLs compare equal.
func NormalizedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// HostOf returns the lower-case host of entry e.
func HostOf(e *har.Entry) string { return strings.ToLower(jar.RequestURL(e).Hostname()) }

// RegistrableSite returns scheme + registrable domain of a URL
// ("https://example.co.uk" for https://app.example.co.uk/x); IP addresses
// and single-label hosts stand for themselves. "" when the URL does not parse.
func RegistrableSite(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if net.ParseIP(host) == nil && strings.Contains(host, ".") {
		if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
			host = d
		}
	}
	return strings.ToLower(u.Scheme) + "://" + host
}

// RequestLabel is "POST https://host/path" for remedy steps.
func RequestLabel(e *har.Entry) string {
	return e.Request.Method + " " + excerpt.Clip(redact.URL(e.Request.URL), 160)
}
