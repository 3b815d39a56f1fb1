package analysis

// ProxyStrippedAuthorization is the `proxy-stripped-authorization` cause. TEMPORARY stub: detection and remedy steps to come.
var ProxyStrippedAuthorization = &Rule{
	ID:    "proxy-stripped-authorization",
	Title: "A proxy removed the credentials",
	Doc:   "The client sent credentials, but something between it and the application removed them.",
}
