package analysis

// ClockSkew is the `clock-skew` cause. TEMPORARY stub: detection and remedy steps to come.
var ClockSkew = &Rule{
	ID:    "clock-skew",
	Title: "Clocks disagree",
	Doc:   "The client's and the server's clocks disagree enough to make a valid token look expired or not yet valid.",
}
