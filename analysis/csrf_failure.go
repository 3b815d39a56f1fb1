package analysis

// CSRFFailure is the `csrf-failure` cause. TEMPORARY stub: detection and remedy steps to come.
var CSRFFailure = &Rule{
	ID:    "csrf-failure",
	Title: "Anti-forgery (CSRF) check failed",
	Doc:   "A form or API call that changes something was sent without the anti-forgery token the site expects.",
}
