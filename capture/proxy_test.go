package capture

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// originMux is the Go test origin: Basic auth, binary, gzip and large
// bodies.
func originMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/basic", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); ok && u == "alice" && p == "secret" {
			io.WriteString(w, "welcome alice")
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="test", charset="UTF-8"`)
		http.Error(w, "who are you?", http.StatusUnauthorized)
	})
	// A token API in the style of Django REST framework: a bare Bearer
	// challenge when no token arrived, error="invalid_token" for a bad one.
	mux.HandleFunc("/api/me", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch auth := r.Header.Get("Authorization"); auth {
		case "Bearer good-token":
			io.WriteString(w, `{"user":"alice"}`)
		case "":
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"detail":"Authentication credentials were not provided."}`)
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token", error_description="The access token is invalid"`)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"detail":"Invalid token."}`)
		}
	})
	mux.HandleFunc("/bin", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		b := make([]byte, 3000)
		for i := range b {
			b[i] = byte(i)
		}
		w.Write(b)
	})
	mux.HandleFunc("/gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		io.WriteString(gz, `{"error":"invalid_token","detail":"`+strings.Repeat("x", 500)+`"}`)
		gz.Close()
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, strings.Repeat("0123456789", 10000)) // 100 kB, chunked
	})
	mux.HandleFunc("/post", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "forbidden: "+string(b[:min(len(b), 20)]))
	})
	return mux
}

func TestCurlThroughProxyRecordsHTTPAndHTTPS(t *testing.T) {
	pki := newOriginPKI(t)
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	secure := startTLSOrigin(t, pki, originMux())
	out := filepath.Join(t.TempDir(), "capture.har")
	p, stop := startProxy(t, Options{Out: out, BodyLimit: 4096, UpstreamRoots: []*x509.Certificate{pki.CA}})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, p.opts.CA.PEM(), 0o644)
	proxy := "http://" + p.Addr().String()

	for _, base := range []string{plain.URL, secure.URL} {
		curl(t, "-x", proxy, "--cacert", caFile, base+"/basic")
		if got := curl(t, "-x", proxy, "--cacert", caFile, "-u", "alice:secret", base+"/basic"); got != "welcome alice" {
			t.Fatalf("through the proxy %s/basic answered %q", base, got)
		}
		curl(t, "-x", proxy, "--cacert", caFile, "-o", "/dev/null", base+"/bin")
		curl(t, "-x", proxy, "--cacert", caFile, "--compressed", "-o", "/dev/null", base+"/gz")
		curl(t, "-x", proxy, "--cacert", caFile, "-o", "/dev/null", base+"/big")
		curl(t, "-x", proxy, "--cacert", caFile, "-d", "user=bob&pw=x", base+"/post")
	}
	es := waitEntries(t, p, 12)

	// While capturing, the journal on disk already holds every exchange.
	tr := loadHAR(t, p.JournalPath())
	if len(tr.Entries) != 12 || tr.Damage == nil {
		t.Fatalf("journal during capture: %d entries, damage %v; want 12 and an unclosed HAR", len(tr.Entries), tr.Damage)
	}

	for _, scheme := range []string{"http://", "https://"} {
		e401, err := findEntry(es, "GET", scheme+"127.0.0.1", 401)
		if err != nil {
			t.Fatal(err)
		}
		if got := header(e401, true, "WWW-Authenticate"); !strings.HasPrefix(got, "Basic realm=") {
			t.Errorf("%s 401 entry WWW-Authenticate = %q", scheme, got)
		}
		if e401.Response.Content.Text != "who are you?\n" {
			t.Errorf("%s 401 body = %q", scheme, e401.Response.Content.Text)
		}
		e200, err := findEntry(es, "GET", scheme+"127.0.0.1", 200)
		if err != nil {
			t.Fatal(err)
		}
		if got := header(e200, false, "Authorization"); got != "Basic "+base64.StdEncoding.EncodeToString([]byte("alice:secret")) {
			t.Errorf("%s Authorization recorded as %q", scheme, got)
		}
		if e200.ServerIPAddress != "127.0.0.1" || e200.Connection == "" || e200.ConnectionID == "" {
			t.Errorf("%s entry: serverIPAddress %q connection %q _connectionId %q", scheme, e200.ServerIPAddress, e200.Connection, e200.ConnectionID)
		}
		if e200.Request.HTTPVersion != "HTTP/1.1" || e200.Response.HTTPVersion != "HTTP/1.1" {
			t.Errorf("%s versions %q/%q", scheme, e200.Request.HTTPVersion, e200.Response.HTTPVersion)
		}
		if e200.Timings.Wait < 0 || e200.Time <= 0 {
			t.Errorf("%s timings %+v time %v", scheme, e200.Timings, e200.Time)
		}
		bin := entriesFor(es, scheme+"127.0.0.1")
		var sawBin, sawGz, sawBig, sawPost bool
		for _, e := range bin {
			switch {
			case strings.HasSuffix(e.Request.URL, "/bin"):
				sawBin = true
				b, err := e.Response.Content.InlineBytes()
				if err != nil || e.Response.Content.Encoding != "base64" || len(b) != 3000 || b[255] != 255 {
					t.Errorf("%s binary body: encoding %q, %d bytes, err %v", scheme, e.Response.Content.Encoding, len(b), err)
				}
			case strings.HasSuffix(e.Request.URL, "/gz"):
				sawGz = true
				c := e.Response.Content
				if !strings.HasPrefix(c.Text, `{"error":"invalid_token"`) || c.Size != int64(len(c.Text)) || c.Compression <= 0 {
					t.Errorf("%s gzip body not decoded: size %d compression %d text %.40q", scheme, c.Size, c.Compression, c.Text)
				}
			case strings.HasSuffix(e.Request.URL, "/big"):
				sawBig = true
				c := e.Response.Content
				if len(c.Text) != 4096 || c.Size != 100000 || !strings.Contains(c.Comment, "truncated") {
					t.Errorf("%s big body: kept %d, size %d, comment %q", scheme, len(c.Text), c.Size, c.Comment)
				}
			case strings.HasSuffix(e.Request.URL, "/post"):
				sawPost = true
				pd := e.Request.PostData
				if pd == nil || pd.Text != "user=bob&pw=x" || len(pd.Params) != 2 || e.Response.Status != 403 {
					t.Errorf("%s post entry: %+v status %d", scheme, pd, e.Response.Status)
				}
			}
		}
		if !sawBin || !sawGz || !sawBig || !sawPost {
			t.Errorf("%s: missing entries (bin %v gz %v big %v post %v)", scheme, sawBin, sawGz, sawBig, sawPost)
		}
	}
	e, _ := findEntry(es, "GET", "https://127.0.0.1", 200)
	if e == nil || e.SecurityDetails == nil || e.SecurityDetails.SubjectName != "origin.test" || e.SecurityDetails.Issuer != "AuthLens test origin CA" || !strings.HasPrefix(e.SecurityDetails.Protocol, "TLS") {
		t.Errorf("HTTPS entry security details: %+v", e.SecurityDetails)
	}

	final := stop()
	if final != out {
		t.Fatalf("Stop wrote %q, want %q", final, out)
	}
	if _, err := os.Stat(JournalPath(out)); !os.IsNotExist(err) {
		t.Errorf("the journal still exists after Stop: %v", err)
	}
	tr2 := loadHAR(t, out)
	if len(tr2.Entries) != 12 || tr2.Damage != nil {
		t.Fatalf("final HAR: %d entries, damage %v", len(tr2.Entries), tr2.Damage)
	}
	validateHAR(t, out)
}

func TestMagicHostServesCAAndHelp(t *testing.T) {
	p, _ := startProxy(t, Options{})
	proxy := "http://" + p.Addr().String()
	if got := curl(t, "-x", proxy, "http://"+MagicHost+"/ca.pem"); got != string(p.opts.CA.PEM()) {
		t.Errorf("ca.pem through the magic host differs from the CA")
	}
	der := curl(t, "-x", proxy, "http://"+MagicHost+"/ca.crt")
	if der != string(p.opts.CA.DER()) {
		t.Errorf("ca.crt through the magic host differs from the CA's DER")
	}
	page := curl(t, "-x", proxy, "http://"+MagicHost+"/")
	for _, want := range []string{p.opts.CA.Fingerprint(), "--proxy-server=" + p.Addr().String(), "&lt;-loopback&gt;", "Firefox", "Windows", "macOS"} {
		if !strings.Contains(page, want) {
			t.Errorf("help page lacks %q", want)
		}
	}
	// Opening the proxy's own address as a site gives the same page.
	if direct := curl(t, "http://"+p.Addr().String()+"/"); !strings.Contains(direct, p.opts.CA.Fingerprint()) {
		t.Errorf("the proxy's own address does not serve the help page")
	}
	// Through the proxy to the proxy's own address: served, not looped.
	if self := curl(t, "-x", proxy, "http://"+p.Addr().String()+"/ca.pem"); self != string(p.opts.CA.PEM()) {
		t.Errorf("a proxied request to the proxy itself was not answered by it")
	}
	if n := len(p.Entries()); n != 0 {
		t.Errorf("the magic host's pages were recorded: %d entries", n)
	}
}

func TestListenIsLoopbackUnlessAllowed(t *testing.T) {
	ca := testCA(t)
	if _, err := Start(context.Background(), Options{Listen: "0.0.0.0:0", CA: ca}); err == nil || !strings.Contains(err.Error(), "--allow-remote") {
		t.Fatalf("a non-loopback listen address without AllowRemote: err = %v", err)
	}
	p, _ := startProxy(t, Options{CA: ca})
	if ip := p.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		t.Fatalf("default listener on %v, not loopback", ip)
	}
	// The default address itself is loopback.
	if !IsLoopback(DefaultListen) || IsLoopback("0.0.0.0:8080") || IsLoopback("192.168.1.2:8080") || !IsLoopback("[::1]:8080") {
		t.Fatal("IsLoopback misjudges an address")
	}
	var warned []string
	p2, _ := startProxy(t, Options{CA: ca, Listen: "0.0.0.0:0", AllowRemote: true, ProxyPassword: "pw", AllowFrom: []*net.IPNet{{IP: net.IPv4(192, 168, 1, 0), Mask: net.CIDRMask(24, 32)}}, Logf: func(f string, a ...any) { warned = append(warned, f) }})
	if ip := p2.Addr().(*net.TCPAddr).IP; ip.IsLoopback() {
		t.Fatalf("AllowRemote listener on %v", ip)
	}
	if len(warned) == 0 || !strings.Contains(warned[0], "WARNING") {
		t.Errorf("no warning for a remote listener: %q", warned)
	}
}

func TestClientHTTP2IsNegotiatedDownAndSaid(t *testing.T) {
	pki := newOriginPKI(t)
	secure := startTLSOrigin(t, pki, originMux())
	p, _ := startProxy(t, Options{UpstreamRoots: []*x509.Certificate{pki.CA}})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, p.opts.CA.PEM(), 0o644)
	out := curl(t, "--http2", "-x", "http://"+p.Addr().String(), "--cacert", caFile, "-w", "%{http_version}", "-o", "/dev/null", secure.URL+"/basic")
	if out != "1.1" {
		t.Errorf("curl --http2 through the proxy used HTTP/%s, want 1.1", out)
	}
	es := waitEntries(t, p, 1)
	if !strings.Contains(es[0].Comment, "HTTP/2") || !strings.Contains(es[0].Comment, "HTTP/1.1") {
		t.Errorf("entry comment does not say HTTP/2 was negotiated down: %q", es[0].Comment)
	}
}

func TestIncludeExcludePassthrough(t *testing.T) {
	pki := newOriginPKI(t)
	secure := startTLSOrigin(t, pki, originMux())
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	plainPort := plain.Listener.Addr().(*net.TCPAddr).Port
	secPort := secure.Listener.Addr().(*net.TCPAddr).Port

	// localhost is passed through (not decrypted: curl sees the origin's
	// own certificate and trusts it with the origin CA); 127.0.0.1 is
	// excluded: forwarded, not recorded.
	p, _ := startProxy(t, Options{UpstreamRoots: []*x509.Certificate{pki.CA}, Passthrough: []string{"localhost"}, Exclude: []string{"127.0.0.1"}})
	proxy := "http://" + p.Addr().String()
	got := curl(t, "-x", proxy, "--cacert", pki.CAFile, "-u", "alice:secret", "https://localhost:"+itoa(secPort)+"/basic")
	if got != "welcome alice" {
		t.Fatalf("pass-through answer %q", got)
	}
	if got := curl(t, "-x", proxy, "http://127.0.0.1:"+itoa(plainPort)+"/basic"); got != "who are you?\n" {
		t.Fatalf("excluded host answer %q", got)
	}
	waitEntries(t, p, 1)
	time.Sleep(300 * time.Millisecond) // an excluded entry would have arrived by now
	es := p.Entries()
	if len(es) != 1 {
		for _, e := range es {
			t.Logf("entry %s %s %d", e.Request.Method, e.Request.URL, e.Response.Status)
		}
		t.Fatalf("recorded %d entries, want only the pass-through CONNECT", len(es))
	}
	connect, err := findEntry(es, "CONNECT", "localhost:"+itoa(secPort), 200)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(connect.Comment, "pass-through") {
		t.Errorf("pass-through CONNECT comment %q", connect.Comment)
	}
	saved := filepath.Join(t.TempDir(), "passthrough.har")
	if err := p.SaveHAR(saved); err != nil {
		t.Fatal(err)
	}
	validateHAR(t, saved)

	// Include list: only listed hosts are recorded.
	p2, _ := startProxy(t, Options{Include: []string{"localhost"}})
	curl(t, "-x", "http://"+p2.Addr().String(), "http://127.0.0.1:"+itoa(plainPort)+"/basic")
	curl(t, "-x", "http://"+p2.Addr().String(), "http://localhost:"+itoa(plainPort)+"/basic")
	es2 := waitEntries(t, p2, 1)
	time.Sleep(200 * time.Millisecond)
	es2 = p2.Entries()
	if len(es2) != 1 || !strings.Contains(es2[0].Request.URL, "localhost") {
		t.Errorf("with Include=localhost recorded %d entries (first %q)", len(es2), es2[0].Request.URL)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestUpstreamFailureBecomesRecorded502(t *testing.T) {
	p, _ := startProxy(t, Options{})
	port := freePort(t)
	out := curl(t, "-x", "http://"+p.Addr().String(), "-w", "%{http_code}", "-o", "/dev/null", "http://127.0.0.1:"+itoa(port)+"/nothing")
	if out != "502" {
		t.Fatalf("unreachable server: status %s", out)
	}
	es := waitEntries(t, p, 1)
	if es[0].Response.Status != 502 || !strings.Contains(es[0].Error, "could not get a response") {
		t.Errorf("entry status %d error %q", es[0].Response.Status, es[0].Error)
	}
}

func TestWebSocketUpgradeIsRelayedAndRecorded(t *testing.T) {
	// An origin that switches protocols and then echoes bytes.
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "upgrade required", http.StatusUpgradeRequired)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		io.WriteString(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: test\r\n\r\n")
		brw.Flush()
		io.Copy(conn, brw) // echo
	}))
	defer origin.Close()
	p, _ := startProxy(t, Options{})
	c, err := net.Dial("tcp", p.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u, _ := url.Parse(origin.URL)
	io.WriteString(c, "GET http://"+u.Host+"/ws HTTP/1.1\r\nHost: "+u.Host+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	c.SetDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 4096)
	var head bytes.Buffer
	for !bytes.Contains(head.Bytes(), []byte("\r\n\r\n")) {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("reading the 101: %v (got %q)", err, head.String())
		}
		head.Write(buf[:n])
	}
	if !strings.HasPrefix(head.String(), "HTTP/1.1 101") {
		t.Fatalf("upgrade answer %q", head.String())
	}
	io.WriteString(c, "ping through the tunnel")
	n, err := io.ReadFull(c, buf[:len("ping through the tunnel")])
	if err != nil || string(buf[:n]) != "ping through the tunnel" {
		t.Fatalf("echo through the upgraded connection: %q, %v", buf[:n], err)
	}
	es := waitEntries(t, p, 1)
	if es[0].Response.Status != 101 || header(es[0], true, "Upgrade") != "websocket" || !strings.Contains(es[0].Comment, "upgrade") {
		t.Errorf("upgrade entry: status %d, comment %q", es[0].Response.Status, es[0].Comment)
	}
	saved := filepath.Join(t.TempDir(), "ws.har")
	if err := p.SaveHAR(saved); err != nil {
		t.Fatal(err)
	}
	validateHAR(t, saved)
}
