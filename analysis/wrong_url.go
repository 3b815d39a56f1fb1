package analysis

// WrongURL is the `wrong-url` cause. TEMPORARY stub: detection and remedy steps to come.
var WrongURL = &Rule{
	ID:    "wrong-url",
	Title: "Outdated or mistyped address",
	Doc:   "The link is outdated or mistyped: wrong scheme, host, path or letter case.",
}
