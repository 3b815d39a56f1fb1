package analysis

// FilesystemPermission is the `filesystem-permission` cause. TEMPORARY stub: detection and remedy steps to come.
var FilesystemPermission = &Rule{
	ID:    "filesystem-permission",
	Title: "The web server cannot read the file",
	Doc:   "The web server is not allowed to read this file or folder (file permissions, ACL, SELinux).",
}
