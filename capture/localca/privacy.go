package localca

import (
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// How the CA directory and key are kept private differs by operating
// system. On Unix (Linux, macOS, the BSDs) by the owner's uid and the
// mode bits 0700/0600; on Windows by the owner's SID and the DACL: only
// the user (and SYSTEM and the Administrators, who can read every file
// anyway) may have access, the equivalent of `icacls DIR /inheritance:r
// /grant:r %USERNAME%:(OI)(CI)F`. The policy is chosen from a GOOS
// string, not by build tags, so the tests run every OS's decisions here;
// only the calls into the Windows security API are Windows-only
// (acl_windows.go).

// aclOps is the Windows ACL access a policy needs; the tests give a fake.
type aclOps interface {
	// Exposure lists who besides the user may access path, or who owns
	// it when that is someone else (empty when it is private).
	Exposure(path string) ([]string, error)
	// Restrict gives path a protected DACL that grants the user alone
	// full control (inherited by what a directory will hold).
	Restrict(path string, dir bool) error
}

// fsPolicy is the privacy policy of one operating system.
type fsPolicy struct {
	goos string
	acl  aclOps // Windows only
	// owner checks a Unix owner (the uid); nil skips it.
	owner func(path string, fi fs.FileInfo) error
}

// hostPolicy is this machine's policy.
func hostPolicy() fsPolicy {
	return fsPolicy{goos: runtime.GOOS, acl: hostACL(), owner: checkOwner}
}

// usesACL reports whether privacy is an ACL (Windows) rather than mode bits.
func (p fsPolicy) usesACL() bool { return p.goos == "windows" }

// checkPrivateDir verifies that dir is a directory owned by this user and
// not accessible to others; with fix it tightens the mode (or the ACL)
// instead of refusing, and says so in a warning.
func (p fsPolicy) checkPrivateDir(dir string, fix bool) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("checking the AuthLens CA directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("the AuthLens CA path %s is not a directory", dir)
	}
	if p.usesACL() {
		who, err := p.acl.Exposure(dir)
		if err != nil {
			return nil, fmt.Errorf("reading the access list of the AuthLens CA folder %s: %w", dir, err)
		}
		if len(who) == 0 {
			return nil, nil
		}
		if !fix {
			return nil, fmt.Errorf("the AuthLens CA folder %s is accessible to %s: it must be yours alone (run `authlens ca path` to fix it)", dir, strings.Join(who, ", "))
		}
		if err := p.acl.Restrict(dir, true); err != nil {
			return nil, fmt.Errorf("restricting the AuthLens CA folder %s to you: %w", dir, err)
		}
		if who2, err := p.acl.Exposure(dir); err != nil || len(who2) > 0 {
			return nil, fmt.Errorf("the AuthLens CA folder %s is still accessible to %s after restricting it to you (%v)", dir, strings.Join(who2, ", "), err)
		}
		return []string{fmt.Sprintf("the CA folder %s was accessible to %s; restricted it to you", dir, strings.Join(who, ", "))}, nil
	}
	if p.owner != nil {
		if err := p.owner(dir, fi); err != nil {
			return nil, err
		}
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil, nil
	}
	if !fix {
		return nil, fmt.Errorf("the AuthLens CA directory %s has mode %04o: it must not be accessible to other users (chmod 700 it)", dir, fi.Mode().Perm())
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("tightening the mode of the AuthLens CA directory %s: %w", dir, err)
	}
	return []string{fmt.Sprintf("the CA directory %s had mode %04o; changed it to 0700", dir, fi.Mode().Perm())}, nil
}

// checkPrivateKey refuses a key file someone else owns or could have
// read: it may have been copied, so it is not silently fixed.
func (p fsPolicy) checkPrivateKey(keyPath string) error {
	fi, err := os.Stat(keyPath)
	if err != nil {
		return fmt.Errorf("reading the AuthLens CA key: %w", err)
	}
	if p.usesACL() {
		who, err := p.acl.Exposure(keyPath)
		if err != nil {
			return fmt.Errorf("reading the access list of the AuthLens CA key %s: %w", keyPath, err)
		}
		if len(who) > 0 {
			return fmt.Errorf("the AuthLens CA key %s is accessible to %s and may have been read by them: run `authlens ca regenerate` (and trust the new certificate)", keyPath, strings.Join(who, ", "))
		}
		return nil
	}
	if p.owner != nil {
		if err := p.owner(keyPath, fi); err != nil {
			return err
		}
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("the AuthLens CA key %s has mode %04o and may have been read by other users: run `authlens ca regenerate` (and trust the new certificate)", keyPath, fi.Mode().Perm())
	}
	return nil
}

// restrictKey makes a newly written key the user's alone where the mode
// bits (0600, set when writing it) do not: on Windows its ACL.
func (p fsPolicy) restrictKey(keyPath string) error {
	if !p.usesACL() {
		return nil
	}
	if err := p.acl.Restrict(keyPath, false); err != nil {
		return fmt.Errorf("restricting the AuthLens CA key %s to you: %w", keyPath, err)
	}
	return nil
}

// Well-known Windows SIDs.
const (
	sidSystem         = "S-1-5-18"
	sidAdministrators = "S-1-5-32-544"
	sidCreatorOwner   = "S-1-3-0"
	sidOwnerRights    = "S-1-3-4"
)

// aceInfo is one access control entry, as read from a DACL.
type aceInfo struct {
	Allow bool   // an access-allowed entry (deny entries never expose)
	SID   string // the trustee
	Mask  uint32 // the access it grants
}

// aclExposure is the Windows decision, kept free of Windows calls so it
// is tested everywhere: who besides user may access an object with this
// owner and DACL (nullDACL: no DACL at all, which grants everyone
// everything). SYSTEM and the Administrators are not counted: they can
// take any file anyway, and %AppData% grants them access by default.
func aclExposure(owner string, nullDACL bool, aces []aceInfo, user string) []string {
	trusted := func(sid string) bool {
		switch sid {
		case user, sidSystem, sidAdministrators, sidCreatorOwner, sidOwnerRights:
			return true
		}
		return false
	}
	var who []string
	if owner != "" && !trusted(owner) {
		who = append(who, "its owner "+owner)
	}
	if nullDACL {
		return append(who, "everyone (the object has no access list)")
	}
	seen := map[string]bool{}
	for _, a := range aces {
		if !a.Allow || a.Mask == 0 || trusted(a.SID) || seen[a.SID] {
			continue
		}
		seen[a.SID] = true
		who = append(who, a.SID)
	}
	return who
}
