package analysis

// ExpiredToken is the `expired-token` cause. TEMPORARY stub: detection and remedy steps to come.
var ExpiredToken = &Rule{
	ID:    "expired-token",
	Title: "The token or session expired",
	Doc:   "The token or session was valid once and has expired.",
}
