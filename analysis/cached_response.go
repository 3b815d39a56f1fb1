package analysis

// CachedResponse is the `cached-response` cause. TEMPORARY stub: detection and remedy steps to come.
var CachedResponse = &Rule{
	ID:    "cached-response",
	Title: "The refusal came from a cache",
	Doc:   "The 401/403 was served from the browser's or a CDN's cache, not from a fresh check.",
}
