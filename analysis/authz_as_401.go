package analysis

// AuthzAs401 is the `authz-as-401` cause. TEMPORARY stub: detection and remedy steps to come.
var AuthzAs401 = &Rule{
	ID:    "authz-as-401",
	Title: "Signed in, but not allowed (reported as 401)",
	Doc:   "Your sign-in works elsewhere on this site; the server used 401 for what is really a permission problem.",
}
