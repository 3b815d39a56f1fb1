package compare

import (
	"net/url"
	"sort"
	"strings"
)

// Placeholders a path segment or query value collapses to, so that two
// recordings of one flow give the same key whatever IDs they carried.
const (
	phNumber = "{n}"
	phUUID   = "{uuid}"
	phHex    = "{hex}"
	phToken  = "{token}"
)

// cacheBusterParams are query names whose value only defeats caches; they
// are left out of a request's key (and their differences are noise).
var cacheBusterParams = map[string]bool{
	"_": true, "_t": true, "_ts": true, "t": true, "ts": true, "cb": true, "cachebuster": true,
	"cache_buster": true, "nocache": true, "rnd": true, "rand": true, "random": true, "timestamp": true, "_dc": true, "v": true,
}

// IsCacheBuster reports whether a query parameter name is a cache buster.
func IsCacheBuster(name string) bool { return cacheBusterParams[strings.ToLower(name)] }

// TemplatePath collapses the variable parts of a URL path: numbers,
// UUIDs, hex hashes and long token-like segments become placeholders.
func TemplatePath(p string) string {
	if p == "" {
		return "/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = templateSegment(s)
	}
	return strings.Join(segs, "/")
}

func templateSegment(s string) string {
	if s == "" {
		return s
	}
	// A segment like "42.json" keeps its extension.
	base, ext := s, ""
	if dot := strings.LastIndexByte(s, '.'); dot > 0 && len(s)-dot <= 6 && allLetters(s[dot+1:]) {
		base, ext = s[:dot], s[dot:]
	}
	switch {
	case allDigits(base):
		return phNumber + ext
	case isUUID(base):
		return phUUID + ext
	case len(base) >= 8 && allHex(base) && hasDigit(base):
		return phHex + ext
	case looksLikeToken(base):
		return phToken + ext
	}
	return s
}

// TemplateQuery is the sorted, de-duplicated list of a query's parameter
// names without cache busters: values never enter a request's key.
func TemplateQuery(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	seen := map[string]bool{}
	var names []string
	for _, part := range strings.Split(rawQuery, "&") {
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if name == "" || IsCacheBuster(name) || seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, templateSegment(name))
	}
	sort.Strings(names)
	return strings.Join(names, "&")
}

// Template returns the origin of a request URL and its flow key: method,
// templated path and query parameter names. Two recordings of the same
// step of a flow give the same key on whichever host they ran.
func Template(method, rawURL string) (origin, key string) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "", strings.ToUpper(method) + " " + rawURL
	}
	origin = strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
	key = strings.ToUpper(method) + " " + TemplatePath(u.EscapedPath())
	if q := TemplateQuery(u.RawQuery); q != "" {
		key += "?" + q
	}
	return origin, key
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allLetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return false
			}
			continue
		}
		if !allHex(s[i : i+1]) {
			return false
		}
	}
	return true
}

// looksLikeToken is a segment of 20 or more URL-safe characters mixing
// letters and digits (a JWT, an API key, a signed link) rather than a word.
func looksLikeToken(s string) bool {
	if len(s) < 20 {
		return false
	}
	letters, digits := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letters++
		case c == '-' || c == '_' || c == '.' || c == '~' || c == '%' || c == '=' || c == '+':
		default:
			return false
		}
	}
	return letters > 0 && digits > 0
}
