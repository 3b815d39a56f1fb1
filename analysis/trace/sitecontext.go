package trace

import (
	"strings"

	"authlens/analysis/entry"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// SiteContext is how entry i relates to the page that made it (catalogue
// §2, "Cross-site or not").
type SiteContext struct {
	// FetchSite, FetchMode and FetchDest are the Sec-Fetch-* headers as
	// sent ("" when absent).
	FetchSite, FetchMode, FetchDest string
	// Initiator is the URL of what caused the request: Chrome's
	// _initiator.url, else Origin, else Referer ("" when unknown).
	Initiator string
	// Site is the request's site (scheme + registrable domain).
	Site string
	// InitiatorSite is the initiator's site.
	InitiatorSite string
	// CrossSite is true when the request went to another site than the
	// one that made it; Known is false when nothing in the trace says.
	CrossSite, Known bool
	// CrossOrigin is true when Origin/initiator names another origin.
	CrossOrigin bool
	// Navigation is true for a top-level navigation (Sec-Fetch-Mode
	// navigate with dest document, or _resourceType document).
	Navigation bool
	// Script is true for fetch/XHR (Sec-Fetch-Mode cors/same-origin from
	// script, _resourceType xhr/fetch).
	Script bool
}

// SiteContext returns the cross-site context of entry i.
func (t *Trace) SiteContext(i int) SiteContext { return t.Sites[i] }

func buildSiteContexts(t *Trace) []SiteContext {
	out := make([]SiteContext, len(t.Entries))
	for i, e := range t.Entries {
		out[i] = siteContextOf(e)
	}
	return out
}

func siteContextOf(e *har.Entry) SiteContext {
	h := e.Request.Headers
	var c SiteContext
	c.FetchSite, _ = har.HeaderValue(h, "Sec-Fetch-Site")
	c.FetchMode, _ = har.HeaderValue(h, "Sec-Fetch-Mode")
	c.FetchDest, _ = har.HeaderValue(h, "Sec-Fetch-Dest")
	c.FetchSite, c.FetchMode, c.FetchDest = strings.ToLower(c.FetchSite), strings.ToLower(c.FetchMode), strings.ToLower(c.FetchDest)
	c.Site = entry.RegistrableSite(e.Request.URL)
	origin, hasOrigin := har.HeaderValue(h, "Origin")
	referer, _ := har.HeaderValue(h, "Referer")
	switch {
	case e.Initiator != nil && e.Initiator.URL != "":
		c.Initiator = e.Initiator.URL
	case hasOrigin && origin != "null" && origin != "":
		c.Initiator = origin
	case referer != "":
		c.Initiator = referer
	}
	if c.Initiator != "" {
		c.InitiatorSite = entry.RegistrableSite(c.Initiator)
		c.CrossOrigin = har.OriginOf(c.Initiator) != har.OriginOf(e.Request.URL)
	}
	rt := strings.ToLower(e.ResourceType)
	c.Navigation = c.FetchMode == "navigate" && (c.FetchDest == "document" || c.FetchDest == "") || rt == "document"
	c.Script = rt == "xhr" || rt == "fetch" || c.FetchDest == "empty" && (c.FetchMode == "cors" || c.FetchMode == "same-origin" || c.FetchMode == "no-cors")
	switch c.FetchSite {
	case "cross-site":
		c.CrossSite, c.Known = true, true
	case "same-site", "same-origin", "none":
		c.Known = true
	default:
		if c.InitiatorSite != "" && c.Site != "" {
			c.CrossSite, c.Known = c.InitiatorSite != c.Site, true
		}
	}
	return c
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
