package localca

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCAIsCreatedOnceWithPrivateFiles(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "authlens"); dir != want {
		t.Fatalf("DefaultDir = %s, want %s (XDG_CONFIG_HOME must move it)", dir, want)
	}
	ca, created, err := LoadOrCreate(dir)
	if err != nil || !created {
		t.Fatalf("first use: created %v, err %v", created, err)
	}
	if !ca.Cert.IsCA || ca.Cert.MaxPathLen != 0 || !ca.Cert.MaxPathLenZero {
		t.Errorf("the certificate is not a CA limited to leaf certificates")
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("CA directory mode %04o", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(ca.KeyPath()); fi.Mode().Perm() != 0o600 {
		t.Errorf("CA key mode %04o", fi.Mode().Perm())
	}
	again, created, err := LoadOrCreate(dir)
	if err != nil || created || again.Fingerprint() != ca.Fingerprint() {
		t.Fatalf("second use made a new CA (created %v, err %v)", created, err)
	}
	// The certificate signs what the proxy serves: a leaf made by martian
	// with this CA verifies against it.
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	if _, err := ca.Cert.Verify(x509.VerifyOptions{Roots: pool}); err != nil {
		t.Errorf("the CA does not verify against itself: %v", err)
	}
	if len(strings.Split(ca.Fingerprint(), ":")) != 32 || len(ca.SPKIHash()) != 44 {
		t.Errorf("fingerprint %q / SPKI hash %q have the wrong shape", ca.Fingerprint(), ca.SPKIHash())
	}
}

func TestCAPermissionsAreFixedOrRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "authlens")
	ca, _, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A directory others can enter is tightened, with a warning.
	os.Chmod(dir, 0o755)
	ca2, _, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 || len(ca2.Warnings) == 0 {
		t.Errorf("open directory: mode now %04o, warnings %q", fi.Mode().Perm(), ca2.Warnings)
	}
	// Load (no fixing) refuses such a directory.
	os.Chmod(dir, 0o750)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "0750") {
		t.Errorf("Load of a group-readable directory: %v", err)
	}
	os.Chmod(dir, 0o700)
	// A key others could read is refused: it may have been copied.
	os.Chmod(ca.KeyPath(), 0o644)
	if _, _, err := LoadOrCreate(dir); err == nil || !strings.Contains(err.Error(), "regenerate") {
		t.Errorf("a world-readable key was accepted: %v", err)
	}
	regen, err := Regenerate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if regen.Fingerprint() == ca.Fingerprint() {
		t.Error("Regenerate kept the old certificate")
	}
	if fi, _ := os.Stat(regen.KeyPath()); fi.Mode().Perm() != 0o600 {
		t.Errorf("regenerated key mode %04o", fi.Mode().Perm())
	}
	if _, err := Load(dir); err != nil {
		t.Errorf("the regenerated CA does not load: %v", err)
	}
}
