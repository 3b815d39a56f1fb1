package analysis

// IPRestriction is the `ip-restriction` cause. TEMPORARY stub: detection and remedy steps to come.
var IPRestriction = &Rule{
	ID:    "ip-restriction",
	Title: "Your network address is not allowed",
	Doc:   "The server refuses requests from your IP address, network or country.",
}
