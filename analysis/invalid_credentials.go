package analysis

// InvalidCredentials is the `invalid-credentials` cause. TEMPORARY stub: detection and remedy steps to come.
var InvalidCredentials = &Rule{
	ID:    "invalid-credentials",
	Title: "The credentials were rejected",
	Doc:   "A username/password, token or certificate was sent, and the server rejected it.",
}
