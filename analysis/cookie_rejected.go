package analysis

// CookieRejected is the `cookie-rejected` cause. TEMPORARY stub: detection and remedy steps to come.
var CookieRejected = &Rule{
	ID:    "cookie-rejected",
	Title: "The browser refused a cookie",
	Doc:   "A Set-Cookie broke the browser's rules, so the browser dropped it and later requests went out without it.",
}
