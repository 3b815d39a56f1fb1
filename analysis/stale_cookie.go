package analysis

// StaleCookie is the `stale-cookie` cause. TEMPORARY stub: detection and remedy steps to come.
var StaleCookie = &Rule{
	ID:    "stale-cookie",
	Title: "Outdated session cookie",
	Doc:   "The browser sent a session cookie that the server had already cleared or replaced, or two cookies of the same name.",
}
