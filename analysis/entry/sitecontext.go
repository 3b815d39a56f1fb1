package entry

import (
	"strings"

	"authlens/har"
)

// SiteContext is how an exchange relates to the page that made it
// (catalogue §2, "Cross-site or not").
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

// SiteContextOf reads entry e's cross-site context from its Sec-Fetch-*
// headers, initiator, Origin, Referer and resource type.
func SiteContextOf(e *har.Entry) SiteContext {
	h := e.Request.Headers
	var c SiteContext
	c.FetchSite, _ = har.HeaderValue(h, "Sec-Fetch-Site")
	c.FetchMode, _ = har.HeaderValue(h, "Sec-Fetch-Mode")
	c.FetchDest, _ = har.HeaderValue(h, "Sec-Fetch-Dest")
	c.FetchSite, c.FetchMode, c.FetchDest = strings.ToLower(c.FetchSite), strings.ToLower(c.FetchMode), strings.ToLower(c.FetchDest)
	c.Site = RegistrableSite(e.Request.URL)
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
		c.InitiatorSite = RegistrableSite(c.Initiator)
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
