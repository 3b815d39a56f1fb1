package analysis

// InsufficientPermissions is the `insufficient-permissions` cause. TEMPORARY stub: detection and remedy steps to come.
var InsufficientPermissions = &Rule{
	ID:    "insufficient-permissions",
	Title: "Signed in, but not allowed",
	Doc:   "You are known to the site but have no right to this resource or action (role, ownership, plan).",
}
