package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// trustPlan is how to make one operating system trust the AuthLens CA for
// the current user: the commands `authlens ca install --yes` runs (each
// asks the user to confirm on its own: a Windows security prompt, the
// macOS password dialog), the notes for what they do not cover (Firefox,
// managed machines, system-wide trust) and how to undo it.
type trustPlan struct {
	OS    string     // "Windows", "macOS", "Linux"
	Run   [][]string // the commands, argument vectors
	Notes []string
	Undo  []string // commands as text
}

// trustPlanFor is the plan for goos (runtime.GOOS values; everything that
// is neither windows nor darwin gets the Linux/NSS plan). certPath is the
// PEM certificate, cn its common name, serial its serial number in hex,
// home the user's home directory.
func trustPlanFor(goos, certPath, cn, serial, home string) trustPlan {
	switch goos {
	case "windows":
		return trustPlan{
			OS:  "Windows",
			Run: [][]string{{"certutil", "-user", "-addstore", "Root", certPath}},
			Notes: []string{
				"certutil -user adds the CA to your own Trusted Root store (no administrator rights); Windows shows a security warning with the fingerprint: compare it with `authlens ca info` and answer Yes.",
				"Chrome and Edge use that store. Firefox uses its own unless security.enterprise_roots.enabled is true in about:config; or import the file in Firefox: Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import, tick \"Trust this CA to identify websites\".",
				"Managed (enterprise) PCs may ignore user roots or forbid them: ask IT to deploy the certificate with Group Policy (Computer Configuration › Policies › Windows Settings › Security Settings › Public Key Policies › Trusted Root Certification Authorities) or Intune. Machine-wide by hand needs an administrator prompt: certutil -addstore Root " + winQuote(certPath) + ".",
			},
			Undo: []string{"certutil -user -delstore Root " + serial},
		}
	case "darwin":
		keychain := home + "/Library/Keychains/login.keychain-db"
		return trustPlan{
			OS:  "macOS",
			Run: [][]string{{"security", "add-trusted-cert", "-r", "trustRoot", "-k", keychain, certPath}},
			Notes: []string{
				"security add-trusted-cert trusts the CA in your login keychain (no administrator rights); macOS asks for your password to change the trust settings.",
				"Safari, Chrome and Edge use the keychain. Firefox uses its own store: Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import (or set security.enterprise_roots.enabled to true in about:config).",
				"Managed Macs may refuse user trust settings: ask IT to push the certificate in a configuration profile (MDM). System-wide by hand: sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain " + shQuote(certPath) + ".",
			},
			Undo: []string{"security delete-certificate -c " + shQuote(cn) + " " + shQuote(keychain)},
		}
	}
	nssdb := "sql:" + home + "/.pki/nssdb"
	return trustPlan{
		OS: "Linux",
		Run: [][]string{
			{"mkdir", "-p", home + "/.pki/nssdb"},
			{"certutil", "-d", nssdb, "-A", "-t", "C,,", "-n", cn, "-i", certPath},
		},
		Notes: []string{
			"certutil here is NSS's (Debian/Ubuntu: sudo apt-get install libnss3-tools); it makes Chrome and Chromium trust the CA for your user.",
			"Firefox uses its own store: Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import, tick \"Trust this CA to identify websites\".",
			"curl and other tools use the system store, which needs root: sudo cp " + shQuote(certPath) + " /usr/local/share/ca-certificates/authlens-ca.crt && sudo update-ca-certificates (undo: sudo rm /usr/local/share/ca-certificates/authlens-ca.crt && sudo update-ca-certificates --fresh).",
		},
		Undo: []string{"certutil -d " + nssdb + " -D -n " + shQuote(cn)},
	}
}

// Text renders the plan for a terminal; quote is the OS's shell quoting.
func (p trustPlan) Text() string {
	quote := shQuote
	if p.OS == "Windows" {
		quote = winQuote
	}
	var b strings.Builder
	fmt.Fprintf(&b, "To trust the AuthLens CA on %s, for your user:\n\n", p.OS)
	for _, c := range p.Run {
		q := make([]string, len(c))
		for i, a := range c {
			q[i] = quote(a)
		}
		fmt.Fprintf(&b, "  %s\n", strings.Join(q, " "))
	}
	b.WriteString("\n")
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString("\nTo undo it later:\n\n")
	for _, u := range p.Undo {
		fmt.Fprintf(&b, "  %s\n", u)
	}
	return b.String()
}

// runPlan runs the plan's commands, stopping at the first failure.
func runPlan(p trustPlan, stdout, stderr io.Writer) error {
	for _, c := range p.Run {
		fmt.Fprintf(stdout, "running: %s\n", strings.Join(c, " "))
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", c[0], err)
		}
	}
	return nil
}

// shQuote quotes s for a POSIX shell when it needs it.
func shQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// winQuote quotes s for cmd.exe and PowerShell when it needs it (paths
// with spaces: C:\Users\Zoë Müller\…).
func winQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t&()[]{}^=;!'+,`~") {
		return s
	}
	return `"` + s + `"`
}
