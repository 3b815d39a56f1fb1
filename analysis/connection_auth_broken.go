package analysis

// ConnectionAuthBroken is the `connection-auth-broken` cause. TEMPORARY stub: detection and remedy steps to come.
var ConnectionAuthBroken = &Rule{
	ID:    "connection-auth-broken",
	Title: "Windows authentication handshake broken across connections",
	Doc:   "NTLM and Negotiate authenticate one TCP connection; the handshake was split across connections or broken by a proxy.",
}
