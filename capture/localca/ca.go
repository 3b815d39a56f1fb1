// Package localca is the capture proxy's per-install certificate
// authority: it creates the CA on first use, loads it, regenerates it,
// and keeps its folder and private key readable by the user alone (mode
// bits and owner on Unix, the owner and DACL on Windows). The CA is never
// shipped: every install makes its own, in the user config directory.
// The proxy (authlens/capture) signs its per-host certificates with it;
// the CLI and the app export it and explain how to trust it.
package localca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"authlens/capture/internal/atomicfile"
)

// File names inside the CA directory.
const (
	caCertFile = "ca.pem"
	caKeyFile  = "ca-key.pem"
)

// caValidity is how long a generated CA stays valid. Two years keeps the
// CA usable for a long support engagement without being eternal.
const caValidity = 2 * 365 * 24 * time.Hour

// CA is the per-install certificate authority the proxy signs its
// per-host certificates with. It is created on first use, never shipped.
type CA struct {
	Dir  string // directory holding ca.pem and ca-key.pem
	Cert *x509.Certificate
	Key  crypto.Signer
	// Warnings are non-fatal problems found and fixed while loading (for
	// example a directory that was readable by others).
	Warnings []string
}

// DefaultDir returns the user config directory + authlens:
// %AppData%\authlens on Windows, ~/Library/Application Support/authlens
// on macOS, $XDG_CONFIG_HOME/authlens or ~/.config/authlens elsewhere
// (configDir, the same answer as os.UserConfigDir).
func DefaultDir() (string, error) {
	return configDir(runtime.GOOS, os.Getenv)
}

// CertPath is the path of the CA certificate (PEM).
func (ca *CA) CertPath() string { return filepath.Join(ca.Dir, caCertFile) }

// KeyPath is the path of the CA private key (PEM, mode 0600).
func (ca *CA) KeyPath() string { return filepath.Join(ca.Dir, caKeyFile) }

// PEM returns the CA certificate in PEM form.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// DER returns the CA certificate in DER form.
func (ca *CA) DER() []byte { return append([]byte(nil), ca.Cert.Raw...) }

// Fingerprint is the SHA-256 fingerprint of the certificate, as browsers
// show it (upper-case hex pairs separated by colons).
func (ca *CA) Fingerprint() string {
	sum := sha256.Sum256(ca.Cert.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// SPKIHash is base64(SHA-256(SubjectPublicKeyInfo)), the value Chromium's
// --ignore-certificate-errors-spki-list takes.
func (ca *CA) SPKIHash() string {
	sum := sha256.Sum256(ca.Cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// LoadOrCreate loads the CA from dir, creating the directory (0700) and
// a new CA on first use. created reports whether a new CA was made.
func LoadOrCreate(dir string) (ca *CA, created bool, err error) {
	warnings, err := ensurePrivateDir(dir)
	if err != nil {
		return nil, false, err
	}
	ca, err = loadCA(dir)
	if err == nil {
		ca.Warnings = append(warnings, ca.Warnings...)
		return ca, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	ca, err = createCA(dir)
	if err != nil {
		return nil, false, err
	}
	ca.Warnings = warnings
	return ca, true, nil
}

// Load loads an existing CA from dir without creating one.
func Load(dir string) (*CA, error) {
	if _, err := checkPrivateDir(dir, false); err != nil {
		return nil, err
	}
	return loadCA(dir)
}

// Regenerate replaces the CA in dir with a new one. Browsers that
// trusted the old one must be told to trust the new one.
func Regenerate(dir string) (*CA, error) {
	warnings, err := ensurePrivateDir(dir)
	if err != nil {
		return nil, err
	}
	ca, err := createCA(dir)
	if err != nil {
		return nil, err
	}
	ca.Warnings = warnings
	return ca, nil
}

// ensurePrivateDir creates dir with mode 0700, or checks an existing one
// and tightens its mode when it is open to others.
func ensurePrivateDir(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the AuthLens CA directory %s: %w", dir, err)
	}
	return checkPrivateDir(dir, true)
}

// checkPrivateDir is the host's check of the CA directory (privacy.go).
func checkPrivateDir(dir string, fix bool) ([]string, error) {
	return hostPolicy().checkPrivateDir(dir, fix)
}

func loadCA(dir string) (*CA, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, caCertFile))
	if err != nil {
		return nil, fmt.Errorf("reading the AuthLens CA certificate: %w", err)
	}
	keyPath := filepath.Join(dir, caKeyFile)
	// A key others could read may have been copied: refuse it rather than
	// silently fixing the mode, so the user regenerates it.
	if err := hostPolicy().checkPrivateKey(keyPath); err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("reading the AuthLens CA key: %w", err)
	}
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("the AuthLens CA certificate %s is not a PEM certificate", filepath.Join(dir, caCertFile))
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parsing the AuthLens CA certificate: %w", err)
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil {
		return nil, fmt.Errorf("the AuthLens CA key %s is not PEM", keyPath)
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parsing the AuthLens CA key: %w", err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("the AuthLens CA key %s cannot sign", keyPath)
	}
	ca := &CA{Dir: dir, Cert: cert, Key: signer}
	if time.Now().After(cert.NotAfter) {
		ca.Warnings = append(ca.Warnings, fmt.Sprintf("the AuthLens CA expired on %s: run `authlens ca regenerate`", cert.NotAfter.Format(time.DateOnly)))
	}
	return ca, nil
}

func createCA(dir string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the AuthLens CA key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generating the AuthLens CA serial number: %w", err)
	}
	host, _ := os.Hostname()
	now := time.Now()
	name := "AuthLens capture CA"
	if host != "" {
		name += " (" + host + ")"
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"AuthLens (local install, " + now.UTC().Format(time.DateOnly) + ")"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("creating the AuthLens CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing the new AuthLens CA certificate: %w", err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encoding the AuthLens CA key: %w", err)
	}
	// Key first: a certificate without its key is useless, the reverse is
	// only replaced on the next start.
	if err := atomicfile.Write(filepath.Join(dir, caKeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600); err != nil {
		return nil, err
	}
	if err := hostPolicy().restrictKey(filepath.Join(dir, caKeyFile)); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, caCertFile), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, err
	}
	return &CA{Dir: dir, Cert: cert, Key: key}, nil
}
