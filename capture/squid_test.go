package capture

import (
	"crypto/x509"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis/rules"
	"authlens/har"
)

// squidDir makes a directory squid can use after dropping root to its
// "proxy" user (t.TempDir's parent is private to the test user).
func squidDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "authlens-squid-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startSquid runs squid in the foreground on a free loopback port with
// its own configuration (extra lines appended), logs and pid file in a
// temporary directory, and no cache directory. It returns host:port.
func startSquid(t *testing.T, dir, extra string) string {
	t.Helper()
	bin := needBinary(t, "squid")
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	conf := fmt.Sprintf(`http_port %s
pid_filename %s/squid.pid
cache_log %s/cache.log
access_log stdio:%s/access.log
cache deny all
cache_mem 8 MB
coredump_dir %s
shutdown_lifetime 0 seconds
pinger_enable off
logfile_rotate 0
%s
`, addr, dir, dir, dir, dir, extra)
	path := filepath.Join(dir, "squid.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	startDaemon(t, addr, bin, "-N", "-f", path)
	return addr
}

// diagnoses analyses what the capture recorded (as authlens/live would;
// this package cannot import it) and returns the causes named for the
// entry matching pick, most likely first.
func diagnoses(t *testing.T, p *Proxy, pick func(*har.Entry) bool) (*har.Entry, []string) {
	t.Helper()
	entries := p.Entries()
	rep := analyseCaptured(t, p.Log(), entries)
	for _, e := range entries {
		if !pick(e) {
			continue
		}
		var ids []string
		for _, x := range rep.Exchanges {
			if x.Index != e.Index {
				continue
			}
			for _, d := range x.Diagnoses {
				ids = append(ids, d.Cause)
			}
		}
		return e, ids
	}
	t.Fatalf("no recorded entry matches (have %d entries)", len(entries))
	return nil, nil
}

func TestUpstreamSquidWithProxyAuth(t *testing.T) {
	helper := "/usr/lib/squid/basic_ncsa_auth"
	if _, err := os.Stat(helper); err != nil {
		t.Skipf("squid's basic_ncsa_auth helper is not installed: %v", err)
	}
	htpasswd := needBinary(t, "htpasswd")
	dir := squidDir(t)
	pwfile := filepath.Join(dir, "htpasswd")
	if out, err := exec.Command(htpasswd, "-b", "-c", "-B", pwfile, "proxyuser", "proxypass").CombinedOutput(); err != nil {
		t.Fatalf("htpasswd: %v\n%s", err, out)
	}
	os.Chmod(pwfile, 0o644)
	squid := startSquid(t, dir, fmt.Sprintf(`auth_param basic program %s %s
auth_param basic realm AuthLens test proxy
acl authed proxy_auth REQUIRED
http_access allow authed
http_access deny all`, helper, pwfile))

	pki := newOriginPKI(t)
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	secure := startTLSOrigin(t, pki, originMux())

	t.Run("right credentials", func(t *testing.T) {
		up, _ := url.Parse("http://proxyuser:proxypass@" + squid)
		p, stop := startProxy(t, Options{Upstream: up, UpstreamRoots: []*x509.Certificate{pki.CA}})
		caFile := writeCA(t, p)
		for _, base := range []string{plain.URL, secure.URL} {
			if got := curl(t, "-x", "http://"+p.Addr().String(), "--cacert", caFile, "-u", "alice:secret", base+"/basic"); got != "welcome alice" {
				t.Fatalf("%s through AuthLens and squid: %q", base, got)
			}
		}
		stop()
		es := p.Entries()
		if len(es) != 2 {
			t.Fatalf("%d entries, want 2", len(es))
		}
		// Plain HTTP went through squid as a proxied request: its Via is evidence.
		if via := header(es[0], true, "Via"); !strings.Contains(strings.ToLower(via), "squid") {
			t.Errorf("the proxied HTTP response has no squid Via header: %q", via)
		}
		for _, e := range es {
			if e.Response.Status != 200 || !strings.Contains(e.Comment, "upstream proxy "+squid) {
				t.Errorf("%s: status %d comment %q", e.Request.URL, e.Response.Status, e.Comment)
			}
			if strings.Contains(e.Comment, "proxypass") {
				t.Errorf("the proxy password leaked into the entry comment")
			}
		}
	})

	t.Run("wrong credentials", func(t *testing.T) {
		up, _ := url.Parse("http://proxyuser:wrong@" + squid)
		p, stop := startProxy(t, Options{Upstream: up, UpstreamRoots: []*x509.Certificate{pki.CA}})
		caFile := writeCA(t, p)
		for _, base := range []string{plain.URL, secure.URL} {
			code := curl(t, "-x", "http://"+p.Addr().String(), "--cacert", caFile, "-o", "/dev/null", "-w", "%{http_code}", base+"/basic")
			if code != "407" {
				t.Errorf("%s with wrong proxy credentials: %s, want 407", base, code)
			}
		}
		stop()
		for _, scheme := range []string{"http://", "https://"} {
			e, causes := diagnoses(t, p, func(e *har.Entry) bool { return strings.HasPrefix(e.Request.URL, scheme) })
			if e.Response.Status != 407 || !strings.HasPrefix(header(e, true, "Proxy-Authenticate"), "Basic") {
				t.Errorf("%s entry: status %d, Proxy-Authenticate %q", scheme, e.Response.Status, header(e, true, "Proxy-Authenticate"))
			}
			if header(e, true, "X-Squid-Error") == "" {
				t.Errorf("%s entry lacks squid's X-Squid-Error evidence", scheme)
			}
			if len(causes) == 0 || causes[0] != rules.ProxyAuthRequired.ID {
				t.Errorf("%s 407: diagnosis %v, want %s first", scheme, causes, rules.ProxyAuthRequired.ID)
			}
		}
	})
}

func TestUpstreamSquidStripsAuthorization(t *testing.T) {
	squid := startSquid(t, squidDir(t), `request_header_access Authorization deny all
http_access allow localhost
http_access deny all`)
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	up, _ := url.Parse("http://" + squid)
	p, stop := startProxy(t, Options{Upstream: up})
	proxy := "http://" + p.Addr().String()
	if got := curl(t, "-x", proxy, "-u", "alice:secret", plain.URL+"/basic"); got != "who are you?\n" {
		t.Fatalf("the Basic origin behind the stripping squid answered %q", got)
	}
	if got := curl(t, "-x", proxy, "-H", "Authorization: Bearer good-token", plain.URL+"/api/me"); !strings.Contains(got, "not provided") {
		t.Fatalf("the token API behind the stripping squid answered %q", got)
	}
	stop()
	// What the capture proves by itself, for both schemes: the credential
	// left the client, the server answered as if there was none, and a
	// proxy was in between.
	for _, path := range []string{"/basic", "/api/me"} {
		e, causes := diagnoses(t, p, func(e *har.Entry) bool { return strings.HasSuffix(e.Request.URL, path) })
		if a := header(e, false, "Authorization"); a == "" {
			t.Errorf("%s: the entry does not show the Authorization the client sent", path)
		}
		if ch := header(e, true, "WWW-Authenticate"); e.Response.Status != 401 || ch == "" || strings.Contains(ch, "error=") {
			t.Errorf("%s: entry %d, WWW-Authenticate %q; want a bare challenge", path, e.Response.Status, ch)
		}
		if !strings.Contains(strings.ToLower(header(e, true, "Via")), "squid") {
			t.Errorf("%s: no squid Via on the response: %q", path, header(e, true, "Via"))
		}
		t.Logf("diagnosis of %s: %v", path, causes)
		if path != "/api/me" {
			// A Basic 401 after credentials reads as a wrong password
			// unless the server says more; the token API does.
			continue
		}
		if len(causes) == 0 || causes[0] != rules.ProxyStrippedAuthorization.ID {
			t.Errorf("%s: diagnosis %v, want %s first", path, causes, rules.ProxyStrippedAuthorization.ID)
		}
	}
}

func writeCA(t *testing.T, p *Proxy) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "authlens-ca.pem")
	if err := os.WriteFile(f, p.opts.CA.PEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}
