package analysis

// WrongScheme is the `wrong-scheme` cause. TEMPORARY stub: detection and remedy steps to come.
var WrongScheme = &Rule{
	ID:    "wrong-scheme",
	Title: "Wrong or malformed authentication scheme",
	Doc:   "The client used an authentication scheme the server did not offer, or wrote the Authorization header wrongly.",
}
