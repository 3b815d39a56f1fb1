package analysis

// MissingChallenge is the `missing-challenge` cause. TEMPORARY stub: detection and remedy steps to come.
var MissingChallenge = &Rule{
	ID:    "missing-challenge",
	Title: "401 without a WWW-Authenticate header",
	Doc:   "The server answered 401 but did not say how to authenticate (RFC 9110 requires WWW-Authenticate), so the browser cannot prompt.",
}
