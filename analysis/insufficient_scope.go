package analysis

// InsufficientScope is the `insufficient-scope` cause. TEMPORARY stub: detection and remedy steps to come.
var InsufficientScope = &Rule{
	ID:    "insufficient-scope",
	Title: "The token lacks a required scope",
	Doc:   "The token is valid but lacks a scope or permission the API requires.",
}
