package analysis

// CORSMisconfigured is the `cors-misconfigured` cause. TEMPORARY stub: detection and remedy steps to come.
var CORSMisconfigured = &Rule{
	ID:    "cors-misconfigured",
	Title: "CORS headers refuse the credentialed call",
	Doc:   "The server's CORS headers do not allow this credentialed cross-origin call, so the browser blocks it.",
}
