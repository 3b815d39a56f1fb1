package trace

import (
	"strings"

	"authlens/analysis/entry"
)

// IsLoginPost reports whether entry i posts to a login-looking path.
func (t *Trace) IsLoginPost(i int) bool {
	e := t.Entries[i]
	return !strings.EqualFold(e.Request.Method, "GET") && loginPath.MatchString(entry.PathOfURL(e.Request.URL))
}
