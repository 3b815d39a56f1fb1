package analysis

// TokenAudienceMismatch is the `token-audience-mismatch` cause. TEMPORARY stub: detection and remedy steps to come.
var TokenAudienceMismatch = &Rule{
	ID:    "token-audience-mismatch",
	Title: "Token issued for another API",
	Doc:   "The token was issued for another API, tenant or issuer.",
}
