package localca

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The config directory on every OS, with spaces and non-ASCII user names.
func TestConfigDirPerOS(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"windows", map[string]string{"AppData": `C:\Users\Zoë Müller\AppData\Roaming`}, `C:\Users\Zoë Müller\AppData\Roaming\authlens`},
		{"windows", map[string]string{"AppData": `D:\Profiles\李 雷\AppData\Roaming\`}, `D:\Profiles\李 雷\AppData\Roaming\authlens`},
		{"darwin", map[string]string{"HOME": "/Users/zoë müller", "XDG_CONFIG_HOME": "/ignored"}, "/Users/zoë müller/Library/Application Support/authlens"},
		{"linux", map[string]string{"HOME": "/home/zoë"}, "/home/zoë/.config/authlens"},
		{"linux", map[string]string{"HOME": "/home/zoë", "XDG_CONFIG_HOME": "/tmp/x y"}, "/tmp/x y/authlens"},
		{"freebsd", map[string]string{"HOME": "/home/a"}, "/home/a/.config/authlens"},
	}
	for _, c := range cases {
		got, err := configDir(c.goos, env(c.env))
		if err != nil || got != c.want {
			t.Errorf("%s %v: %q, %v; want %q", c.goos, c.env, got, err, c.want)
		}
	}
	for _, goos := range []string{"windows", "darwin", "linux"} {
		if _, err := configDir(goos, env(nil)); err == nil {
			t.Errorf("%s without the environment: no error", goos)
		}
	}
	if _, err := configDir("linux", env(map[string]string{"XDG_CONFIG_HOME": "rel"})); err == nil {
		t.Error("a relative XDG_CONFIG_HOME was accepted")
	}
	// On this machine the answer is os.UserConfigDir's.
	base, err := os.UserConfigDir()
	got, err2 := configDir(runtime.GOOS, os.Getenv)
	if err != nil || err2 != nil || got != filepath.Join(base, "authlens") {
		t.Errorf("host: %q (%v), os.UserConfigDir %q (%v)", got, err2, base, err)
	}
}

// macOS keeps the Unix mode-bit rules: a policy for "darwin" run here
// tightens an open directory and refuses a readable key.
func TestModeBitPolicyOnDarwin(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits do not apply on Windows")
	}
	p := fsPolicy{goos: "darwin"}
	home := filepath.Join(t.TempDir(), "Zoë Müller")
	dir, err := configDir("darwin", func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := p.checkPrivateDir(dir, false); err == nil || !strings.Contains(err.Error(), "0755") {
		t.Errorf("an open directory passed: %v", err)
	}
	w, err := p.checkPrivateDir(dir, true)
	if err != nil || len(w) != 1 {
		t.Fatalf("fixing: %v %q", err, w)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode now %04o", fi.Mode().Perm())
	}
	key := filepath.Join(dir, caKeyFile)
	os.WriteFile(key, []byte("k"), 0o644)
	os.Chmod(key, 0o644)
	if err := p.checkPrivateKey(key); err == nil || !strings.Contains(err.Error(), "regenerate") {
		t.Errorf("a readable key passed: %v", err)
	}
	os.Chmod(key, 0o600)
	if err := p.checkPrivateKey(key); err != nil {
		t.Errorf("a 0600 key was refused: %v", err)
	}
	if err := p.restrictKey(key); err != nil {
		t.Errorf("restrictKey off Windows: %v", err)
	}
}

// fakeACL is a Windows ACL store in memory.
type fakeACL struct {
	exposed  map[string][]string
	restrict []string
}

func (f *fakeACL) Exposure(path string) ([]string, error) { return f.exposed[path], nil }
func (f *fakeACL) Restrict(path string, dir bool) error {
	f.restrict = append(f.restrict, path)
	delete(f.exposed, path)
	return nil
}

// On Windows the mode bits mean nothing (Go reports 0666/0777): the
// policy asks the ACL instead, restricts an open folder and refuses an
// exposed key, whatever the mode says.
func TestWindowsPolicyUsesTheACL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "AppData Roaming", "authlens")
	os.MkdirAll(dir, 0o777)
	os.Chmod(dir, 0o777)
	key := filepath.Join(dir, caKeyFile)
	os.WriteFile(key, []byte("k"), 0o666)
	os.Chmod(key, 0o666)
	acl := &fakeACL{exposed: map[string][]string{dir: {`BUILTIN\Users (S-1-5-32-545)`}, key: {`Everyone (S-1-1-0)`}}}
	p := fsPolicy{goos: "windows", acl: acl}
	if _, err := p.checkPrivateDir(dir, false); err == nil || !strings.Contains(err.Error(), "BUILTIN\\Users") {
		t.Errorf("an open folder passed: %v", err)
	}
	w, err := p.checkPrivateDir(dir, true)
	if err != nil || len(w) != 1 || len(acl.restrict) != 1 || acl.restrict[0] != dir {
		t.Fatalf("fixing: %v %q, restricted %q", err, w, acl.restrict)
	}
	if w, err := p.checkPrivateDir(dir, false); err != nil || len(w) != 0 {
		t.Errorf("a restricted folder (mode 0777 in Go's eyes) was not accepted: %v %q", err, w)
	}
	if err := p.checkPrivateKey(key); err == nil || !strings.Contains(err.Error(), "Everyone") || !strings.Contains(err.Error(), "regenerate") {
		t.Errorf("an exposed key passed: %v", err)
	}
	if err := p.restrictKey(key); err != nil {
		t.Fatal(err)
	}
	if err := p.checkPrivateKey(key); err != nil {
		t.Errorf("a restricted key (mode 0666 in Go's eyes) was refused: %v", err)
	}
}

// The Windows verdict on an owner and a DACL.
func TestACLExposure(t *testing.T) {
	const me = "S-1-5-21-1-2-3-1001"
	allow := func(sid string) aceInfo { return aceInfo{Allow: true, SID: sid, Mask: 0x1f01ff} }
	cases := []struct {
		name  string
		owner string
		null  bool
		aces  []aceInfo
		want  string
	}{
		{"user alone", me, false, []aceInfo{allow(me)}, ""},
		{"the %AppData% default", me, false, []aceInfo{allow(sidSystem), allow(sidAdministrators), allow(me)}, ""},
		{"owned by an elevated admin", sidAdministrators, false, []aceInfo{allow(me)}, ""},
		{"Users can read", me, false, []aceInfo{allow(me), allow("S-1-5-32-545")}, "S-1-5-32-545"},
		{"Everyone twice", me, false, []aceInfo{allow("S-1-1-0"), allow("S-1-1-0")}, "S-1-1-0"},
		{"deny entries do not expose", me, false, []aceInfo{allow(me), {SID: "S-1-1-0", Mask: 0x1f01ff}}, ""},
		{"an empty mask grants nothing", me, false, []aceInfo{allow(me), {Allow: true, SID: "S-1-1-0"}}, ""},
		{"another user owns it", "S-1-5-21-1-2-3-1002", false, []aceInfo{allow(me)}, "its owner S-1-5-21-1-2-3-1002"},
		{"no DACL", me, true, nil, "everyone (the object has no access list)"},
		{"empty DACL", me, false, nil, ""},
	}
	for _, c := range cases {
		got := strings.Join(aclExposure(c.owner, c.null, c.aces, me), "; ")
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
