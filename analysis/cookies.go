package analysis

// TEMPORARY stub: the cookie timeline (set / sent / changed / cleared /
// rejected per name+domain+path) replaces this file.

// CookieIndex is the cookie timeline of a trace.
type CookieIndex struct{}

func buildCookieIndex(t *Trace) *CookieIndex { return &CookieIndex{} }
