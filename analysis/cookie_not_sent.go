package analysis

// CookieNotSent is the `cookie-not-sent` cause. TEMPORARY stub: detection and remedy steps to come.
var CookieNotSent = &Rule{
	ID:    "cookie-not-sent",
	Title: "The browser did not send the session cookie",
	Doc:   "The cookie exists, but the browser did not attach it to this (cross-site or credential-less) request.",
}
