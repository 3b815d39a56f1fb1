package analysis

// DNSMismatch is the `dns-mismatch` cause. TEMPORARY stub: detection and remedy steps to come.
var DNSMismatch = &Rule{
	ID:    "dns-mismatch",
	Title: "One host name reached different servers",
	Doc:   "The same host name resolved to different servers, and the failures come from one of them (an old address, a stale hosts-file entry).",
}
