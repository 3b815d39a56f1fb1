package analysis

// StaleNonce is the `stale-nonce` cause. TEMPORARY stub: detection and remedy steps to come.
var StaleNonce = &Rule{
	ID:    "stale-nonce",
	Title: "Digest nonce went stale and was not retried",
	Doc:   "The server said the Digest nonce was stale (the password was right) and the client did not retry with the new nonce.",
}
