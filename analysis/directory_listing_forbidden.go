package analysis

// DirectoryListingForbidden is the `directory-listing-forbidden` cause. TEMPORARY stub: detection and remedy steps to come.
var DirectoryListingForbidden = &Rule{
	ID:    "directory-listing-forbidden",
	Title: "Folder address without an index page",
	Doc:   "The address is a folder with no index page, and listing folders is turned off.",
}
