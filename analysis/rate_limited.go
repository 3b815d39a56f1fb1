package analysis

// RateLimited is the `rate-limited` cause. TEMPORARY stub: detection and remedy steps to come.
var RateLimited = &Rule{
	ID:    "rate-limited",
	Title: "Too many requests",
	Doc:   "Too many requests or failed logins from this client: the server or a protection layer is refusing it for a while.",
}
