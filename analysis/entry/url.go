package entry

import (
	"net"
	"net/url"
	"path"
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

// StaticLookingPath reports a URL path that names a file (an extension)
// or a folder, the kind a web server serves from disk.
func StaticLookingPath(p string) bool {
	if strings.HasSuffix(p, "/") {
		return true
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".html", ".htm", ".css", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico",
		".pdf", ".txt", ".xml", ".json", ".zip", ".gz", ".mp4", ".mp3", ".woff", ".woff2", ".ttf", ".csv", ".doc", ".docx", ".xls", ".xlsx":
		return true
	}
	return false
}

// TopFolder is the first folder of a URL path: "/admin/" and
// "/admin/users" give "/admin"; a resource at the root ("/billing", "/")
// gives "", since the root is every location's parent.
func TopFolder(p string) string {
	rest := strings.TrimPrefix(p, "/")
	k := strings.Index(rest, "/")
	if k <= 0 {
		return ""
	}
	return "/" + rest[:k]
}

// FolderOfPath is the folder a URL path names or lies in, without the
// trailing slash: "/a/b.html" and "/a/" are both "/a"; "/" is "/".
func FolderOfPath(p string) string {
	return path.Dir(p + "x")
}

// CommonFolder is the longest folder both folders lie in.
func CommonFolder(a, b string) string {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	c := strings.Join(as[:n], "/")
	if c == "" {
		return "/"
	}
	return c
}

// UnderFolder reports whether a URL path is the folder f or lies in it.
func UnderFolder(p, f string) bool {
	return p == f || strings.HasPrefix(p, f+"/")
}
