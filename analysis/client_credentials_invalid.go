package analysis

// ClientCredentialsInvalid is the `client-credentials-invalid` cause. TEMPORARY stub: detection and remedy steps to come.
var ClientCredentialsInvalid = &Rule{
	ID:    "client-credentials-invalid",
	Title: "The application's own OAuth client credentials were rejected",
	Doc:   "The identity provider rejected the application's client id or secret; nothing the user can retype fixes it.",
}
