package analysis

// CORSPreflightAuth is the `cors-preflight-auth` cause. TEMPORARY stub: detection and remedy steps to come.
var CORSPreflightAuth = &Rule{
	ID:    "cors-preflight-auth",
	Title: "The CORS preflight was asked to authenticate",
	Doc:   "The server demands authentication on the CORS preflight (OPTIONS), which never carries credentials, so the real request is never sent.",
}
