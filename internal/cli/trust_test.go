package cli

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The trust commands for each OS, with a path that has spaces and
// non-ASCII letters (a Windows user called Zoë Müller).
func TestTrustPlanPerOS(t *testing.T) {
	win := trustPlanFor("windows", `C:\Users\Zoë Müller\AppData\Roaming\authlens\ca.pem`, "AuthLens capture CA (PC)", "7f01", `C:\Users\Zoë Müller`)
	text := win.Text()
	for _, want := range []string{
		`certutil -user -addstore Root "C:\Users\Zoë Müller\AppData\Roaming\authlens\ca.pem"`,
		"security.enterprise_roots.enabled", "Group Policy", "certutil -user -delstore Root 7f01",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Windows plan lacks %q:\n%s", want, text)
		}
	}
	if len(win.Run) != 1 || win.Run[0][4] != `C:\Users\Zoë Müller\AppData\Roaming\authlens\ca.pem` {
		t.Errorf("Windows command %q: the path must be one unquoted argument", win.Run)
	}
	mac := trustPlanFor("darwin", "/Users/zoë/Library/Application Support/authlens/ca.pem", "AuthLens capture CA (mac)", "1", "/Users/zoë").Text()
	for _, want := range []string{
		"security add-trusted-cert -r trustRoot -k /Users/zoë/Library/Keychains/login.keychain-db '/Users/zoë/Library/Application Support/authlens/ca.pem'",
		"security delete-certificate -c 'AuthLens capture CA (mac)' /Users/zoë/Library/Keychains/login.keychain-db",
		"Firefox",
	} {
		if !strings.Contains(mac, want) {
			t.Errorf("macOS plan lacks %q:\n%s", want, mac)
		}
	}
	lin := trustPlanFor("linux", "/home/a/.config/authlens/ca.pem", "AuthLens capture CA (box)", "1", "/home/a").Text()
	for _, want := range []string{
		"certutil -d sql:/home/a/.pki/nssdb -A -t C,, -n 'AuthLens capture CA (box)' -i /home/a/.config/authlens/ca.pem",
		"update-ca-certificates", "Firefox",
	} {
		if !strings.Contains(lin, want) {
			t.Errorf("Linux plan lacks %q:\n%s", want, lin)
		}
	}
}

func TestCAInstallPrintsAndRefusesForeignYes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Zoë Müller", "authlens")
	out, errOut, code := runCLI("ca", "install", "--ca-dir", dir, "--os", "windows")
	if code != 0 || !strings.Contains(out, "certutil -user -addstore Root") || !strings.Contains(out, "--yes") {
		t.Fatalf("ca install --os windows: %d %q %q", code, out, errOut)
	}
	other := "windows"
	if runtime.GOOS == "windows" {
		other = "linux"
	}
	if _, errOut, code := runCLI("ca", "install", "--ca-dir", dir, "--os", other, "--yes"); code != 2 || !strings.Contains(errOut, "this machine") {
		t.Errorf("--yes for another OS: %d %q", code, errOut)
	}
}

func TestVersionString(t *testing.T) {
	defer func(c string) { Commit = c }(Commit)
	Commit = ""
	if got := VersionString(); got != Version+" (development build)" {
		t.Errorf("unstamped: %q", got)
	}
	Commit = "0123456789ab"
	if out, _, _ := runCLI("version"); out != "AuthLens "+Version+" (commit 0123456789ab)\n" {
		t.Errorf("stamped: %q", out)
	}
}
