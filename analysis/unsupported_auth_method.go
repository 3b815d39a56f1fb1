package analysis

// UnsupportedAuthMethod is the `unsupported-auth-method` cause. TEMPORARY stub: detection and remedy steps to come.
var UnsupportedAuthMethod = &Rule{
	ID:    "unsupported-auth-method",
	Title: "The server asks for a sign-in method this browser cannot do",
	Doc:   "The server only offers an authentication method (such as Windows authentication: Negotiate/NTLM) that this client does not answer.",
}
