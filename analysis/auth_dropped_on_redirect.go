package analysis

// AuthDroppedOnRedirect is the `auth-dropped-on-redirect` cause. TEMPORARY stub: detection and remedy steps to come.
var AuthDroppedOnRedirect = &Rule{
	ID:    "auth-dropped-on-redirect",
	Title: "Credentials dropped on a redirect",
	Doc:   "The request had an Authorization header, was redirected to another origin, and the browser dropped the header there.",
}
