package trace

import (
	"strings"

	"authlens/analysis/entry"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// SiteContext returns the cross-site context of entry i.
func (t *Trace) SiteContext(i int) entry.SiteContext { return t.Sites[i] }

func buildSiteContexts(t *Trace) []entry.SiteContext {
	out := make([]entry.SiteContext, len(t.Entries))
	for i, e := range t.Entries {
		out[i] = entry.SiteContextOf(e)
	}
	return out
}

func FetchContextOf(t *Trace, i int) jar.FetchContext {
	e := t.Entries[i]
	sc := t.SiteContext(i)
	fc := jar.FetchContext{Site: sc.FetchSite, Mode: sc.FetchMode, Dest: sc.FetchDest}
	fc.Origin, _ = har.HeaderValue(e.Request.Headers, "Origin")
	rt := strings.ToLower(e.ResourceType)
	switch {
	case fc.Mode != "":
		fc.CORSFetch = fc.Mode == "cors"
	case rt == "document":
		fc.Mode = "navigate"
	default:
		fc.CORSFetch = fc.Origin != "" && (rt == "fetch" || rt == "xhr")
	}
	if sc.Known {
		fc.CrossSite = sc.CrossSite
	}
	return fc
}
