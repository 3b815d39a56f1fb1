package trace

import (
	"regexp"
	"strconv"
	"strings"

	"authlens/analysis/trace/jar"
	"authlens/har"
)

// Browser is the browser that made the trace, as far as the trace says:
// from log.browser, log.creator and the requests' User-Agent.
type Browser struct {
	// Name is "Chrome", "Edge", "Firefox", "Safari", "Opera", "Chromium"
	// (a Chromium build or embedding that is none of the others), or ""
	// when the trace does not say.
	Name string
	// Major and Minor are the version; 0 when unknown.
	Major, Minor int
	// Source says where it was read: "log.browser", "User-Agent" or "log.creator".
	Source string
}

// Known reports whether the trace names the browser.
func (b Browser) Known() bool { return b.Name != "" }

// Chromium reports whether the browser is Chromium based (Chrome, Edge,
// Opera, Chromium).
func (b Browser) Chromium() bool {
	switch b.Name {
	case "Chrome", "Edge", "Opera", "Chromium":
		return true
	}
	return false
}

// String is "Chrome 120" or "an unknown browser".
func (b Browser) String() string {
	if b.Name == "" {
		return "an unknown browser"
	}
	if b.Major == 0 {
		return b.Name
	}
	return b.Name + " " + strconv.Itoa(b.Major)
}

// DropsAuthOnCrossOriginRedirect reports whether the browser removes a
// script-set Authorization header when following a redirect to another
// Origin (Fetch standard; Chrome/Edge 119+, Firefox 111+, Safari 16.1+).
// An unknown browser is assumed to follow the standard (so do curl and
// python-requests on a host change); only a known older version returns
// false.
func (b Browser) DropsAuthOnCrossOriginRedirect() bool {
	if b.Major == 0 {
		return true
	}
	switch b.Name {
	case "Chrome", "Edge", "Chromium", "Opera":
		if b.Name == "Opera" {
			return b.Major >= 105 // Opera 105 is Chromium 119
		}
		return b.Major >= 119
	case "Firefox":
		return b.Major >= 111
	case "Safari":
		return b.Major > 16 || b.Major == 16 && b.Minor >= 1
	}
	return true
}

// LaxByDefault reports whether a cookie without a SameSite attribute is
// treated as Lax (Chromium 80 and later only).
func (b Browser) LaxByDefault() bool {
	return b.Chromium() && (b.Major == 0 || b.Major >= 80)
}

// Browser returns which browser made the trace (built once by New).
func (t *Trace) Browser() Browser { return t.browser }

var (
	uaEdge     = regexp.MustCompile(`\bEdg(?:e|A|iOS)?/(\d+)(?:\.(\d+))?`)
	uaOpera    = regexp.MustCompile(`\bOPR/(\d+)(?:\.(\d+))?`)
	uaChrome   = regexp.MustCompile(`\b(?:Headless)?Chrom(?:e|ium)/(\d+)(?:\.(\d+))?`)
	uaFirefox  = regexp.MustCompile(`\bFirefox/(\d+)(?:\.(\d+))?`)
	uaSafari   = regexp.MustCompile(`\bVersion/(\d+)(?:\.(\d+))?.*\bSafari/`)
	versionNum = regexp.MustCompile(`^(\d+)(?:\.(\d+))?`)
)

func buildBrowser(t *Trace) Browser {
	// The User-Agent is the most precise (it tells Edge from Chrome).
	for _, i := range t.byTime {
		if ua, ok := har.HeaderValue(t.Entries[i].Request.Headers, "User-Agent"); ok {
			if b, ok := parseUserAgentBrowser(ua); ok {
				b.Source = "User-Agent"
				return b
			}
		}
	}
	if lb := t.Log.Browser; lb != nil {
		if b, ok := parseNamedBrowser(lb.Name, lb.Version); ok {
			b.Source = "log.browser"
			return b
		}
	}
	c := t.Log.Creator
	if b, ok := parseNamedBrowser(c.Name, c.Version); ok && !strings.EqualFold(c.Name, "WebInspector") {
		b.Source = "log.creator"
		return b
	}
	if strings.EqualFold(c.Name, "WebInspector") {
		// Chrome and Edge DevTools (Safari's Web Inspector writes "WebKit Web Inspector").
		return Browser{Name: "Chromium", Source: "log.creator"}
	}
	return Browser{}
}

func parseUserAgentBrowser(ua string) (Browser, bool) {
	for _, c := range []struct {
		re   *regexp.Regexp
		name string
	}{{uaEdge, "Edge"}, {uaOpera, "Opera"}, {uaFirefox, "Firefox"}, {uaChrome, "Chrome"}, {uaSafari, "Safari"}} {
		if m := c.re.FindStringSubmatch(ua); m != nil {
			maj, _ := strconv.Atoi(m[1])
			mn, _ := strconv.Atoi(m[2])
			return Browser{Name: c.name, Major: maj, Minor: mn}, true
		}
	}
	return Browser{}, false
}

func parseNamedBrowser(name, version string) (Browser, bool) {
	n := strings.ToLower(name)
	var b Browser
	switch {
	case strings.Contains(n, "edge"):
		b.Name = "Edge"
	case strings.Contains(n, "firefox"):
		b.Name = "Firefox"
	case strings.Contains(n, "safari") || strings.Contains(n, "webkit"):
		b.Name = "Safari"
	case strings.Contains(n, "opera"):
		b.Name = "Opera"
	case n == "chrome" || strings.Contains(n, "google chrome"):
		b.Name = "Chrome"
	case strings.Contains(n, "chromium") || strings.Contains(n, "chrome"):
		b.Name = "Chromium"
	default:
		return Browser{}, false
	}
	if m := versionNum.FindStringSubmatch(strings.TrimSpace(version)); m != nil {
		b.Major, _ = strconv.Atoi(m[1])
		b.Minor, _ = strconv.Atoi(m[2])
	}
	return b, true
}

// detectCookieBrowser maps the trace's browser onto the families whose
// cookie rules differ.
func detectCookieBrowser(t *Trace) jar.CookieBrowser {
	b := t.Browser()
	switch {
	case b.Chromium():
		return jar.CookieBrowser{Family: "chromium", Major: b.Major}
	case b.Name == "Firefox":
		return jar.CookieBrowser{Family: "firefox", Major: b.Major}
	case b.Name == "Safari":
		return jar.CookieBrowser{Family: "safari", Major: b.Major}
	}
	return jar.CookieBrowser{}
}
