//go:build !windows

package localca

// hostACL is nil off Windows: privacy is the owner uid and mode bits.
func hostACL() aclOps { return nil }
