package capture

import (
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A WebSocket, a CONNECT, a decrypted CONNECT's request and a name that
// resolves to the proxy, all aimed at the proxy itself, are refused with
// 508 and recorded; the proxy keeps serving and holds no extra files.
func TestRequestsAimedAtTheProxyItselfAreRefused(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "fine") }))
	defer origin.Close()
	p, _ := startProxy(t, Options{resolver: fakeDNS(t, map[string]net.IP{"self.test": net.IPv4(127, 0, 0, 1)})})
	self := p.Addr().String()
	_, port, _ := net.SplitHostPort(self)
	baseFiles := openFiles(t)

	cases := []struct{ name, req string }{
		{"websocket", "GET http://" + self + "/ HTTP/1.1\r\nHost: " + self + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"},
		{"websocket by name", "GET http://localhost:" + port + "/ HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"},
		{"websocket by a name resolved at dial time", "GET http://self.test:" + port + "/ HTTP/1.1\r\nHost: self.test:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"},
		{"connect", "CONNECT " + self + " HTTP/1.1\r\nHost: " + self + "\r\n\r\n"},
		{"connect by name", "CONNECT localhost:" + port + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n"},
		{"plain by a name resolved at dial time", "GET http://self.test:" + port + "/x HTTP/1.1\r\nHost: self.test:" + port + "\r\n\r\n"},
	}
	for i := 0; i < 20; i++ { // repeated: a loop would multiply connections
		for _, c := range cases {
			res, err := rawExchange(t, self, c.req)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusLoopDetected {
				b, _ := io.ReadAll(res.Body)
				t.Fatalf("%s: status %d, want 508: %s", c.name, res.StatusCode, b)
			}
		}
	}
	entryWith(t, p, http.StatusLoopDetected, "would loop")
	if n := len(p.Entries()); n != 20*len(cases) {
		t.Errorf("%d entries for %d refused requests (a loop records more)", n, 20*len(cases))
	}
	// Still serving.
	out := curl(t, "-x", "http://"+self, origin.URL+"/ok")
	if out != "fine" {
		t.Fatalf("after the refusals: %q", out)
	}
	if n := settle(baseFiles+4, func() int { return openFiles(t) }); n > baseFiles+4 {
		t.Errorf("open files: %d after, %d before", n, baseFiles)
	}
}

// Two proxies chained into each other: the request comes back to the
// first one with its own Via token and is refused as a loop.
func TestViaTokenDetectsALoopThroughAnotherHop(t *testing.T) {
	portB := freePort(t)
	a, _ := startProxy(t, Options{Upstream: &url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", portB)}})
	startProxy(t, Options{Listen: fmt.Sprintf("127.0.0.1:%d", portB), Upstream: &url.URL{Scheme: "http", Host: a.Addr().String()}})
	target := "http://127.0.0.1:" + itoa(freePort(t)) + "/somewhere"
	out := curl(t, "-x", "http://"+a.Addr().String(), "-w", "%{http_code}", "-o", "/dev/null", target)
	if out != "508" {
		t.Fatalf("a request looping through two proxies: status %s, want 508", out)
	}
	entryWith(t, a, http.StatusLoopDetected, "Via token")
	if n := len(entriesFor(a.Entries(), "/somewhere")); n > 2 {
		t.Errorf("the loop went round: %d entries", n)
	}
}

// The hop-by-hop fields of RFC 9110 §7.6.1, and those named in
// Connection, never reach the origin, nor the client on the way back;
// Proxy-Authorization is consumed; both directions carry Via.
func TestHopByHopHeadersAreRemovedBothWays(t *testing.T) {
	got := make(chan http.Header, 4)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.Header().Set("Connection", "X-Resp-Hop")
		w.Header().Set("X-Resp-Hop", "leak")
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("X-End-To-End", "kept")
		io.WriteString(w, "ok")
	})
	plain := httptest.NewServer(handler)
	defer plain.Close()
	pki := newOriginPKI(t)
	secure := startTLSOrigin(t, pki, handler)
	p, _ := startProxy(t, Options{UpstreamRoots: []*x509.Certificate{pki.CA}})
	caFile := writeCA(t, p)
	for _, target := range []string{plain.URL + "/hop", strings.Replace(secure.URL, "127.0.0.1", "localhost", 1) + "/hop"} {
		out := curl(t, "-x", "http://"+p.Addr().String(), "--cacert", caFile, "-D", "-", "-o", "/dev/null",
			"-H", "Connection: keep-alive, X-Secret-Hop", "-H", "X-Secret-Hop: must-not-pass",
			"-H", "Keep-Alive: 300", "-H", "TE: trailers", "-H", "Proxy-Authorization: Basic dTpw",
			"-H", "Proxy-Connection: keep-alive", "-H", "X-End-To-End: yes", target)
		h := <-got
		for _, name := range []string{"X-Secret-Hop", "Keep-Alive", "Te", "Proxy-Authorization", "Proxy-Connection"} {
			if v := h.Get(name); v != "" {
				t.Errorf("%s: %s reached the origin: %q", target, name, v)
			}
		}
		if strings.Contains(strings.ToLower(h.Get("Connection")), "x-secret-hop") {
			t.Errorf("%s: Connection reached the origin: %q", target, h.Get("Connection"))
		}
		if h.Get("X-End-To-End") != "yes" || !strings.Contains(h.Get("Via"), "authlens-") {
			t.Errorf("%s: end-to-end header %q, Via %q", target, h.Get("X-End-To-End"), h.Get("Via"))
		}
		lower := strings.ToLower(out)
		if strings.Contains(lower, "x-resp-hop") || strings.Contains(lower, "keep-alive: timeout") {
			t.Errorf("%s: hop-by-hop response fields reached the client:\n%s", target, out)
		}
		if !strings.Contains(lower, "x-end-to-end: kept") || !strings.Contains(lower, "via: 1.1 authlens-") {
			t.Errorf("%s: response to the client:\n%s", target, out)
		}
	}
	// The recording keeps what each side really sent.
	es := waitEntries(t, p, 2)
	if v := header(es[0], false, "X-Secret-Hop"); v != "must-not-pass" {
		t.Errorf("recorded request lost the client's header: %q", v)
	}
	if v := header(es[0], true, "X-Resp-Hop"); v != "leak" {
		t.Errorf("recorded response lost the server's header: %q", v)
	}
}

// A client on another machine needs the proxy password (407 without),
// and even with it cannot reach this machine's loopback services.
func TestRemoteClientNeedsThePasswordAndCannotReachLoopback(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Proxy-Authorization") != "" {
			t.Errorf("the proxy password reached the origin")
		}
		io.WriteString(w, "loopback-only service")
	}))
	defer origin.Close()
	p, _ := startProxy(t, Options{ProxyPassword: "s3cret-run-pass", AllowFrom: []*net.IPNet{{IP: net.IPv4(127, 0, 0, 0), Mask: net.CIDRMask(8, 32)}}, resolver: fakeDNS(t, map[string]net.IP{"loopback.test": net.IPv4(127, 0, 0, 1)}), clientIsRemote: func(string) bool { return true }})
	proxy := "http://" + p.Addr().String()
	code := func(args ...string) string {
		return curl(t, append([]string{"-x", proxy, "-w", "%{http_code}", "-o", "/dev/null"}, args...)...)
	}
	if c := code(origin.URL + "/"); c != "407" {
		t.Errorf("remote client without the password: %s, want 407", c)
	}
	if c := code("-U", "any:wrong", origin.URL+"/"); c != "407" {
		t.Errorf("remote client with a wrong password: %s, want 407", c)
	}
	entryWith(t, p, http.StatusProxyAuthRequired, "password")
	for _, target := range []string{origin.URL + "/", strings.Replace(origin.URL, "127.0.0.1", "localhost", 1) + "/", strings.Replace(origin.URL, "127.0.0.1", "loopback.test", 1) + "/"} {
		if c := code("-U", "any:s3cret-run-pass", target); c != "403" {
			t.Errorf("remote client with the password to %s: %s, want 403 (loopback)", target, c)
		}
	}
	// CONNECT too.
	if out, _ := rawExchange(t, p.Addr().String(), "CONNECT "+strings.TrimPrefix(origin.URL, "http://")+" HTTP/1.1\r\nHost: x\r\n\r\n"); out == nil || out.StatusCode != 407 {
		t.Errorf("CONNECT without the password: %v", out)
	}
	entryWith(t, p, http.StatusForbidden, "loopback")
	for _, e := range p.Entries() {
		for _, h := range e.Request.Headers {
			if strings.Contains(h.Value, "s3cret") {
				t.Errorf("the password was recorded in clear")
			}
		}
	}
	// A loopback client is not asked (the seam off: a second proxy).
	p2, _ := startProxy(t, Options{ProxyPassword: "x"})
	if out := curl(t, "-x", "http://"+p2.Addr().String(), origin.URL+"/"); out != "loopback-only service" {
		t.Errorf("loopback client: %q", out)
	}
}

func TestAllowFrom(t *testing.T) {
	p := &Proxy{opts: Options{AllowFrom: []*net.IPNet{{IP: net.IPv4(10, 1, 0, 0), Mask: net.CIDRMask(16, 32)}}}}
	for addr, want := range map[string]bool{"127.0.0.1:5": true, "[::1]:5": true, "10.1.2.3:5": true, "10.2.0.1:5": false, "192.0.2.9:1": false, "garbage": false} {
		if got := p.allowedClient(addr); got != want {
			t.Errorf("allowedClient(%s) = %v", addr, got)
		}
	}
}
