package capture

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"authlens/capture/localca"
	"authlens/har"
)

// testCA returns a fresh AuthLens CA in a temporary directory.
func testCA(t testing.TB) *localca.CA {
	t.Helper()
	ca, created, err := localca.LoadOrCreate(filepath.Join(t.TempDir(), "authlens"))
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Fatal("localca.LoadOrCreate in an empty directory did not create a CA")
	}
	return ca
}

// originPKI is a test origin's own CA and a server certificate for
// 127.0.0.1 and localhost, as nginx or a Go server uses them.
type originPKI struct {
	CA       *x509.Certificate
	CAPEM    []byte
	CertPEM  []byte // leaf + CA
	KeyPEM   []byte
	TLSCert  tls.Certificate
	Dir      string
	CAFile   string
	CertFile string
	KeyFile  string
}

func newOriginPKI(t testing.TB) *originPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "AuthLens test origin CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "origin.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost", "origin.test"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	o := &originPKI{CA: caCert, Dir: t.TempDir()}
	o.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	o.CertPEM = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), o.CAPEM...)
	o.KeyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
	if o.TLSCert, err = tls.X509KeyPair(o.CertPEM, o.KeyPEM); err != nil {
		t.Fatal(err)
	}
	o.CAFile, o.CertFile, o.KeyFile = filepath.Join(o.Dir, "origin-ca.pem"), filepath.Join(o.Dir, "origin.pem"), filepath.Join(o.Dir, "origin-key.pem")
	for f, b := range map[string][]byte{o.CAFile: o.CAPEM, o.CertFile: o.CertPEM, o.KeyFile: o.KeyPEM} {
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// startTLSOrigin serves h over HTTPS with the origin PKI's certificate.
func startTLSOrigin(t testing.TB, pki *originPKI, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{pki.TLSCert}}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// startProxy starts a capture proxy on a free loopback port. The returned
// func stops it (once) and returns the final HAR path.
func startProxy(t testing.TB, opts Options) (*Proxy, func() string) {
	t.Helper()
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	if opts.CA == nil {
		opts.CA = testCA(t)
	}
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	p, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	var out string
	stop := func() string {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			path, err := p.Stop(ctx)
			if err != nil {
				t.Errorf("stopping the proxy: %v", err)
			}
			out = path
		})
		return out
	}
	t.Cleanup(func() { stop() })
	return p, stop
}

// needBinary skips the test when a system binary is genuinely absent.
func needBinary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin"} {
			if _, serr := os.Stat(filepath.Join(dir, name)); serr == nil {
				return filepath.Join(dir, name)
			}
		}
		t.Skipf("%s is not installed (CI installs it): %v", name, err)
	}
	return p
}

// curl runs curl and returns stdout; it fails the test on a curl error.
func curl(t testing.TB, args ...string) string {
	t.Helper()
	bin := needBinary(t, "curl")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-sS", "--noproxy", "", "--max-time", "20"}, args...)...)
	cmd.Env = append(os.Environ(), "http_proxy=", "https_proxy=", "HTTP_PROXY=", "HTTPS_PROXY=", "no_proxy=", "NO_PROXY=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// freePort returns a loopback port nothing listens on right now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startDaemon starts a server process, waits until addr accepts
// connections, and stops it by its PID when the test ends.
func startDaemon(t testing.TB, addr string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("%s exited early: %v\n%s", name, waitErr, out.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return cmd
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not listen on %s\n%s", name, addr, out.String())
	return nil
}

// entriesFor returns the entries whose URL contains part.
func entriesFor(es []*har.Entry, part string) []*har.Entry {
	var out []*har.Entry
	for _, e := range es {
		if strings.Contains(e.Request.URL, part) {
			out = append(out, e)
		}
	}
	return out
}

// waitEntries waits until the proxy has journaled at least n entries.
func waitEntries(t testing.TB, p *Proxy, n int) []*har.Entry {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		es := p.Entries()
		if len(es) >= n {
			return es
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited for %d entries, have %d", n, len(es))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// loadHAR reads a HAR (or journal) with the project reader.
func loadHAR(t testing.TB, path string) *har.Trace {
	t.Helper()
	tr, err := har.Load(context.Background(), path, har.Options{})
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr
}

// validateHAR runs the repository's HAR 1.2 schema validator on path.
func validateHAR(t testing.TB, path string) {
	t.Helper()
	node := needBinary(t, "node")
	script, err := filepath.Abs("../testdata/tools/validate-har.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "har-validator")); err != nil {
		t.Fatalf("the HAR validator is not installed (npm ci in testdata/tools): %v", err)
	}
	out, err := exec.Command(node, script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("validate-har.js %s: %v\n%s", path, err, out)
	}
}

func header(e *har.Entry, resp bool, name string) string {
	hs := e.Request.Headers
	if resp {
		hs = e.Response.Headers
	}
	v, _ := har.HeaderValue(hs, name)
	return v
}

var errNotFound = errors.New("not found")

func findEntry(es []*har.Entry, method, urlPart string, status int) (*har.Entry, error) {
	for _, e := range es {
		if e.Request.Method == method && strings.Contains(e.Request.URL, urlPart) && e.Response.Status == status {
			return e, nil
		}
	}
	return nil, fmt.Errorf("%s %s → %d: %w", method, urlPart, status, errNotFound)
}
