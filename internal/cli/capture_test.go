package cli

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"authlens/capture"
	"authlens/capture/localca"
	"authlens/har"
)

// syncBuffer is a bytes.Buffer a running command writes while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// configHome gives the test its own config directory: the CA is created
// there (as under a fresh user account).
func configHome(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	return dir
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestCACommands(t *testing.T) {
	config := configHome(t)
	out, errOut, code := runCLI("ca", "path")
	want := filepath.Join(config, "authlens", "ca.pem")
	if code != 0 || strings.TrimSpace(out) != want {
		t.Fatalf("ca path: %d %q %q; want %s (XDG_CONFIG_HOME moves the CA)", code, out, errOut, want)
	}
	dirInfo, _ := os.Stat(filepath.Join(config, "authlens"))
	keyInfo, _ := os.Stat(filepath.Join(config, "authlens", "ca-key.pem"))
	if dirInfo.Mode().Perm() != 0o700 || keyInfo.Mode().Perm() != 0o600 {
		t.Errorf("CA directory mode %04o, key mode %04o; want 0700 and 0600", dirInfo.Mode().Perm(), keyInfo.Mode().Perm())
	}
	pemFile := filepath.Join(t.TempDir(), "ca.pem")
	derFile := filepath.Join(t.TempDir(), "ca.crt")
	if _, e, c := runCLI("ca", "export", pemFile); c != 0 {
		t.Fatalf("ca export: %d %s", c, e)
	}
	if _, e, c := runCLI("ca", "export", derFile, "--der"); c != 0 {
		t.Fatalf("ca export --der: %d %s", c, e)
	}
	pemData, _ := os.ReadFile(pemFile)
	derData, _ := os.ReadFile(derFile)
	block, _ := pem.Decode(pemData)
	if block == nil || !bytes.Equal(block.Bytes, derData) {
		t.Fatal("the PEM and DER exports are not the same certificate")
	}
	cert, err := x509.ParseCertificate(derData)
	if err != nil || !cert.IsCA {
		t.Fatalf("exported certificate: %v (IsCA %v)", err, cert != nil && cert.IsCA)
	}
	info, _, _ := runCLI("ca", "info")
	ca, err := localca.Load(filepath.Join(config, "authlens"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(info, ca.Fingerprint()) || !strings.Contains(info, ca.SPKIHash()) {
		t.Errorf("ca info lacks the fingerprints:\n%s", info)
	}
	help, _, _ := runCLI("ca", "help")
	for _, w := range []string{"--proxy-server=127.0.0.1:8080", "<-loopback>", "certutil", "Firefox", "security add-trusted-cert"} {
		if !strings.Contains(help, w) {
			t.Errorf("ca help lacks %q", w)
		}
	}
	if _, e, c := runCLI("ca", "regenerate"); c != 0 {
		t.Fatalf("ca regenerate: %d %s", c, e)
	}
	ca2, err := localca.Load(filepath.Join(config, "authlens"))
	if err != nil {
		t.Fatal(err)
	}
	if ca2.Fingerprint() == ca.Fingerprint() {
		t.Error("ca regenerate kept the same certificate")
	}
	if _, e, c := runCLI("ca", "bogus"); c != 2 || !strings.Contains(e, "unknown command") {
		t.Errorf("ca bogus: %d %q", c, e)
	}
}

// TestCaptureFlagErrorsNameTheFlag checks the shared config parser's
// errors reach the user as the flag they typed.
func TestCaptureFlagErrorsNameTheFlag(t *testing.T) {
	configHome(t)
	out := filepath.Join(t.TempDir(), "x.har")
	for _, c := range []struct{ args, want []string }{
		{[]string{"--listen", fmt.Sprintf("0.0.0.0:%s", portOf(freeAddr(t)))}, []string{"--listen:", "--allow-remote"}},
		{[]string{"--listen", "8080"}, []string{"--listen:"}},
		{[]string{"--upstream", "proxy:3128"}, []string{"--upstream:", "http://"}},
		{[]string{"--body-limit", "lots"}, []string{"--body-limit:", "lots"}},
		{[]string{"--pin", "sometimes"}, []string{"--pin:", "auto, always or never"}},
		{[]string{"--upstream-ca", filepath.Join(t.TempDir(), "none.pem")}, []string{"--upstream-ca:"}},
		{[]string{"extra"}, []string{"unexpected argument"}},
	} {
		_, e, code := runCLI(append([]string{"capture", "--out", out}, c.args...)...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", c.args, code, e)
		}
		for _, w := range c.want {
			if !strings.Contains(e, w) {
				t.Errorf("%q: message %q lacks %q", c.args, e, w)
			}
		}
	}
	if _, err := os.Stat(capture.JournalPath(out)); !os.IsNotExist(err) {
		t.Error("a refused capture left a journal")
	}
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// runningCapture is `authlens capture` run in this process.
type runningCapture struct {
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	code           chan int
}

func startCapture(t *testing.T, args ...string) *runningCapture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rc := &runningCapture{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, code: make(chan int, 1)}
	go func() { rc.code <- Run(ctx, append([]string{"capture"}, args...), rc.stdout, rc.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-rc.code:
		case <-time.After(20 * time.Second):
		}
	})
	rc.waitFor(t, "the proxy to listen", func() bool { return strings.Contains(rc.stderr.String(), "capture proxy on") })
	return rc
}

func (rc *runningCapture) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		select {
		case code := <-rc.code:
			rc.code <- code
			if !cond() {
				t.Fatalf("authlens capture exited (%d) before %s: %s", code, what, rc.stderr.String())
			}
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %s", what, rc.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop cancels the context (the binary's first Ctrl+C) and returns the
// exit status.
func (rc *runningCapture) stop(t *testing.T) int {
	t.Helper()
	rc.cancel()
	select {
	case code := <-rc.code:
		rc.code <- code // for the cleanup
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("authlens capture did not return after its context ended")
		return -1
	}
}

func TestCaptureRecordsPrintsLiveLinesAndWritesHAROnCancel(t *testing.T) {
	configHome(t)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "welcome")
	}))
	defer origin.Close()
	out := filepath.Join(t.TempDir(), "live.har")
	addr := freeAddr(t)
	rc := startCapture(t, "--listen", addr, "--out", out)
	if m := regexp.MustCompile(`capture proxy on (\S+)`).FindStringSubmatch(rc.stderr.String()); m == nil || m[1] != addr {
		t.Fatalf("start message: %s", rc.stderr.String())
	}
	proxyURL, _ := url.Parse("http://" + addr)
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
	for _, user := range []string{"", "alice"} {
		req, _ := http.NewRequest("GET", origin.URL+"/basic?token=hidden", nil)
		if user != "" {
			req.SetBasicAuth(user, "secret")
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	rc.waitFor(t, "two live lines", func() bool { return strings.Count(rc.stdout.String(), "\n") >= 2 })
	if code := rc.stop(t); code != 0 {
		t.Fatalf("exit %d: %s", code, rc.stderr.String())
	}
	lines := rc.stdout.String()
	first, _, _ := strings.Cut(lines, "\n")
	if !strings.Contains(first, "GET") || !strings.Contains(first, "401") || !strings.Contains(first, "/basic?…") {
		t.Errorf("first live line %q", first)
	}
	if strings.Contains(lines, "hidden") || strings.Contains(lines, "secret") || strings.Contains(lines, "YWxpY2U6c2VjcmV0") {
		t.Errorf("the live output shows a secret:\n%s", lines)
	}
	if !strings.Contains(rc.stderr.String(), "wrote "+out+" (2 exchanges)") {
		t.Errorf("stderr: %s", rc.stderr.String())
	}
	if _, err := os.Stat(capture.JournalPath(out)); !os.IsNotExist(err) {
		t.Error("the journal was not removed")
	}
	h, err := har.Load(context.Background(), out, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if len(h.Entries) != 2 || h.Damage != nil || h.Entries[0].Response.Status != 401 || h.Entries[1].Response.Status != 200 {
		t.Errorf("HAR: %d entries, damage %v", len(h.Entries), h.Damage)
	}
}

func TestCaptureOnAllInterfacesWarns(t *testing.T) {
	configHome(t)
	rc := startCapture(t, "--allow-remote", "--allow-from", "192.168.1.0/24", "--listen", "0.0.0.0:"+portOf(freeAddr(t)), "--out", filepath.Join(t.TempDir(), "z.har"), "--quiet")
	if !strings.Contains(rc.stderr.String(), "WARNING") {
		t.Errorf("no warning when listening on all interfaces:\n%s", rc.stderr.String())
	}
	if code := rc.stop(t); code != 0 {
		t.Errorf("exit %d: %s", code, rc.stderr.String())
	}
}

// --allow-remote: the generated password is printed once; a client
// reaching the proxy through a non-loopback address of this machine gets
// 407 without it, and 403 for a loopback target even with it.
func TestCaptureAllowRemotePrintsThePasswordOnceAndRequiresIt(t *testing.T) {
	configHome(t)
	t.Setenv(capture.EnvProxyPassword, "")
	port := portOf(freeAddr(t))
	if _, _, code := runCLI("capture", "--allow-remote", "--listen", "0.0.0.0:"+port, "--out", filepath.Join(t.TempDir(), "n.har")); code != 2 {
		t.Errorf("--allow-remote without --allow-from: exit %d, want 2", code)
	}
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			ip = n.IP.To4()
			break
		}
	}
	allow := "192.0.2.0/24"
	if ip != nil {
		allow = ip.String() + "/32"
	}
	rc := startCapture(t, "--allow-remote", "--allow-from", allow, "--listen", "0.0.0.0:"+port, "--out", filepath.Join(t.TempDir(), "r.har"), "--quiet")
	rc.waitFor(t, "the password", func() bool { return strings.Contains(rc.stderr.String(), "generated for this run): ") })
	errText := rc.stderr.String()
	_, after, _ := strings.Cut(errText, "generated for this run): ")
	pw, _, _ := strings.Cut(after, "\n")
	if len(pw) < 20 {
		t.Fatalf("password %q", pw)
	}
	if ip != nil {
		origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("local")) }))
		defer origin.Close()
		status := func(user *url.Userinfo) int {
			pu := &url.URL{Scheme: "http", Host: net.JoinHostPort(ip.String(), port), User: user}
			c := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}, Timeout: 10 * time.Second}
			res, err := c.Get(origin.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if s := status(nil); s != 407 {
			t.Errorf("remote client without the password: %d, want 407", s)
		}
		if s := status(url.UserPassword("x", pw)); s != 403 {
			t.Errorf("remote client with the password, loopback target: %d, want 403", s)
		}
	} else {
		t.Log("no non-loopback IPv4 address on this machine: the remote client part was not run")
	}
	if code := rc.stop(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	if n := strings.Count(rc.stderr.String()+rc.stdout.String(), pw); n != 1 {
		t.Errorf("the password appears %d times in the output, want once", n)
	}
}

func TestCaptureWarnsAboutArgvCredentialsAndInsecureUpstream(t *testing.T) {
	configHome(t)
	t.Setenv(capture.EnvUpstreamAuth, "")
	rc := startCapture(t, "--upstream", "http://u:argv-secret@127.0.0.1:9", "--insecure-upstream", "--listen", freeAddr(t), "--out", filepath.Join(t.TempDir(), "w.har"), "--quiet")
	rc.waitFor(t, "limits", func() bool { return strings.Contains(rc.stderr.String(), "limits: ") })
	out := rc.stderr.String()
	if !strings.Contains(out, "given on the command line") || !strings.Contains(out, "--insecure-upstream") {
		t.Errorf("warnings missing:\n%s", out)
	}
	if strings.Contains(out, "argv-secret") {
		t.Errorf("the upstream password was printed:\n%s", out)
	}
	rc.stop(t)
}

func TestCaptureRecoverUsage(t *testing.T) {
	if _, e, code := runCLI("capture", "recover"); code != 2 || !strings.Contains(e, "usage") {
		t.Errorf("capture recover without a file: %d %q", code, e)
	}
	if _, e, code := runCLI("capture", "recover", filepath.Join(t.TempDir(), "none.har.journal")); code != 1 || !strings.Contains(e, "none.har.journal") {
		t.Errorf("capture recover of a missing journal: %d %q", code, e)
	}
}

// TestCaptureExitsPromptlyAfterManyExchanges: after a burst of 20,000
// exchanges, the stop (the binary's SIGTERM) writes the HAR with every
// exchange and returns within the 2 s budget (with a margin for a loaded
// test machine): the live analysis never holds the exit up.
func TestCaptureExitsPromptlyAfterManyExchanges(t *testing.T) {
	configHome(t)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/0") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `{"items":[1,2,3]}`)
	}))
	defer origin.Close()
	out := filepath.Join(t.TempDir(), "burst.har")
	addr := freeAddr(t)
	rc := startCapture(t, "--listen", addr, "--out", out)
	proxyURL, _ := url.Parse("http://" + addr)
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), MaxIdleConnsPerHost: 20}}

	const n, workers = 20000, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				res, err := client.Get(fmt.Sprintf("%s/api/%d/%d", origin.URL, i, i%50))
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	start := time.Now()
	code := rc.stop(t)
	took := time.Since(start)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, rc.stderr.String())
	}
	if took > 3*time.Second {
		t.Errorf("the stop after %d exchanges took %v; the budget is 2 s", n, took)
	}
	if want := fmt.Sprintf("wrote %s (%d exchanges)", out, n); !strings.Contains(rc.stderr.String(), want) {
		t.Errorf("stderr lacks %q: %s", want, rc.stderr.String())
	}
	h, err := har.Load(context.Background(), out, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	failing := 0
	for _, e := range h.Entries {
		if e.Response.Status == http.StatusUnauthorized {
			failing++
		}
	}
	if len(h.Entries) != n || h.Damage != nil || failing != n/50 {
		t.Errorf("HAR: %d entries (%d 401s), damage %v; want %d (%d 401s)", len(h.Entries), failing, h.Damage, n, n/50)
	}
	t.Logf("%d exchanges; stop took %v; %d live lines", n, took, strings.Count(rc.stdout.String(), "\n"))
}
