package analysis

// ProxyAuthRequired is the `proxy-auth-required` cause. TEMPORARY stub: detection and remedy steps to come.
var ProxyAuthRequired = &Rule{
	ID:    "proxy-auth-required",
	Title: "The proxy wants you to sign in (407)",
	Doc:   "A proxy between the browser and the site requires credentials; the site never saw the request.",
}
