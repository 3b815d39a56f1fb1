package analysis

// StepUpRequired is the `step-up-required` cause. TEMPORARY stub: detection and remedy steps to come.
var StepUpRequired = &Rule{
	ID:    "step-up-required",
	Title: "Stronger or fresher sign-in required",
	Doc:   "The token is valid, but the sign-in behind it was too weak or too old for this resource (for example, it needs multi-factor authentication).",
}
