package analysis

// PluginBlock is the `plugin-block` cause. TEMPORARY stub: detection and remedy steps to come.
var PluginBlock = &Rule{
	ID:    "plugin-block",
	Title: "Blocked by a security plugin",
	Doc:   "A CMS security plugin (WordPress Wordfence, Solid Security, ...) refused the request.",
}
