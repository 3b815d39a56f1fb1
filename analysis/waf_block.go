package analysis

// WAFBlock is the `waf-block` cause. TEMPORARY stub: detection and remedy steps to come.
var WAFBlock = &Rule{
	ID:    "waf-block",
	Title: "Blocked by a web application firewall",
	Doc:   "A web application firewall or CDN security layer blocked the request.",
}
