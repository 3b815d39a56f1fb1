//go:build unix

package localca

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkOwner refuses a CA file or directory that another user owns: they
// could have replaced the key.
func checkOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Getuid(); int(st.Uid) != uid {
		return fmt.Errorf("%s is owned by uid %d, not by you (uid %d): refusing to use it for the AuthLens CA", path, st.Uid, uid)
	}
	return nil
}
