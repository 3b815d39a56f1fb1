//go:build !unix

package localca

import "io/fs"

// checkOwner is a no-op where file ownership is not a uid (Windows keeps
// the user config directory private through ACLs).
func checkOwner(path string, fi fs.FileInfo) error { return nil }
