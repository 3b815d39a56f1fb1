package analysis

// MissingCredentials is the `missing-credentials` cause. TEMPORARY stub: detection and remedy steps to come.
var MissingCredentials = &Rule{
	ID:    "missing-credentials",
	Title: "No credentials were sent",
	Doc:   "The request carried nothing that identifies you (no login header, no session cookie), and the server asked for it.",
}
