package capture

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// 64 MiB of request headers are refused with 431 after the first MiB and
// recorded, in plain HTTP and inside a decrypted CONNECT, without the
// proxy's memory growing with them.
func TestHugeRequestHeadersAreRefusedWithBoundedMemory(t *testing.T) {
	pki := newOriginPKI(t)
	origin := startTLSOrigin(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer plain.Close()
	p, _ := startProxy(t, Options{UpstreamRoots: []*x509.Certificate{pki.CA}})
	resetPeakRSS(t)
	before := peakRSS(t)

	line := "X-Filler: " + strings.Repeat("a", 8180) + "\r\n" // 8 KiB a line
	send := func(w io.Writer) (int64, error) {
		var n int64
		for n < 64<<20 {
			k, err := io.WriteString(w, line)
			n += int64(k)
			if err != nil {
				return n, err
			}
		}
		_, err := io.WriteString(w, "\r\n")
		return n, err
	}
	// Plain HTTP.
	c, err := net.Dial("tcp", p.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	io.WriteString(c, "GET "+plain.URL+"/huge HTTP/1.1\r\nHost: x\r\n")
	sent, _ := send(c)
	res, err := http.ReadResponse(bufioReader(c), nil)
	if err != nil || res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("64 MiB of headers: %v %v", res, err)
	}
	c.Close()
	if sent >= 64<<20 {
		t.Errorf("the proxy read all %d bytes of headers before refusing", sent)
	}
	entryWith(t, p, http.StatusRequestHeaderFieldsTooLarge, "exceeded 1048576 bytes")

	// Inside TLS: no plain-text answer is possible; the connection closes
	// and the entry says why.
	c, err = net.Dial("tcp", p.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	host := strings.Replace(strings.TrimPrefix(origin.URL, "https://"), "127.0.0.1", "localhost", 1)
	io.WriteString(c, "CONNECT "+host+" HTTP/1.1\r\nHost: "+host+"\r\n\r\n")
	br := bufioReader(c)
	if res, err := http.ReadResponse(br, nil); err != nil || res.StatusCode != 200 {
		t.Fatalf("CONNECT: %v %v", res, err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(p.opts.CA.Cert)
	tc := tls.Client(c, &tls.Config{ServerName: "localhost", RootCAs: roots})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(tc, "GET /huge-tls HTTP/1.1\r\nHost: localhost\r\n")
	if _, err := send(tc); err == nil {
		if _, err := http.ReadResponse(bufioReader(tc), nil); err == nil {
			t.Error("64 MiB of headers inside TLS got a response")
		}
	}
	entryWith(t, p, http.StatusRequestHeaderFieldsTooLarge, "inside TLS")

	if peak := peakRSS(t); peak > 300<<20 {
		t.Errorf("peak RSS %d MiB (was %d MiB before)", peak>>20, before>>20)
	} else {
		t.Logf("peak RSS %d MiB during 2×64 MiB of headers (%d MiB before)", peak>>20, before>>20)
	}
	if out := curl(t, "-x", "http://"+p.Addr().String(), plain.URL+"/after"); out != "ok" {
		t.Errorf("after the refusals: %q", out)
	}
}

// A gzip bomb from an origin: the client gets it as sent, the entry keeps
// at most --body-limit decoded bytes, and memory stays bounded.
func TestGzipBombIsDecodedOnlyUpToTheBodyLimit(t *testing.T) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for i := 0; i < 256; i++ { // 256 MiB of zeros, about 256 KiB compressed
		zw.Write(zero)
	}
	zw.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/plain")
		w.Write(bomb.Bytes())
	}))
	defer origin.Close()
	p, _ := startProxy(t, Options{BodyLimit: 64 << 10})
	resetPeakRSS(t)
	out := curl(t, "-x", "http://"+p.Addr().String(), "-o", "/dev/null", "-w", "%{size_download}", origin.URL+"/bomb")
	if out != fmt.Sprint(bomb.Len()) {
		t.Errorf("the client got %s bytes, the origin sent %d", out, bomb.Len())
	}
	es := waitEntries(t, p, 1)
	c := es[0].Response.Content
	decoded, err := c.InlineBytes()
	if err != nil || len(decoded) > 64<<10 || len(decoded) == 0 {
		t.Errorf("recorded %d decoded bytes (%v), limit %d", len(decoded), err, 64<<10)
	}
	if !strings.Contains(c.Comment, "truncated") {
		t.Errorf("content comment %q does not say the body was cut", c.Comment)
	}
	if peak := peakRSS(t); peak > 300<<20 {
		t.Errorf("peak RSS %d MiB", peak>>20)
	}
}

// Slowloris: a request whose headers trickle in gets 408 after the header
// timeout, and is recorded; an idle kept-alive connection is closed
// silently after the idle timeout.
func TestSlowHeadersGet408AndIdleConnectionsClose(t *testing.T) {
	p, _ := startProxy(t, Options{Limits: Limits{HeaderTimeout: 700 * time.Millisecond, IdleTimeout: 500 * time.Millisecond}})
	c, err := net.Dial("tcp", p.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	io.WriteString(c, "GET http://127.0.0.1:9/slow HTTP/1.1\r\nHost: 127.0.0.1:9\r\n")
	go func() {
		for i := 0; i < 50; i++ {
			if _, err := io.WriteString(c, "X: y\r\n"); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufioReader(c), nil)
	if err != nil || res.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("trickled headers: %v %v", res, err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("408 after %s", d)
	}
	entryWith(t, p, http.StatusRequestTimeout, "did not arrive within")

	idle, err := net.Dial("tcp", p.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	start = time.Now()
	n, err := idle.Read(make([]byte, 1))
	if n != 0 || err == nil || isTimeout(err) {
		t.Errorf("idle connection: read %d, %v (want closed by the proxy)", n, err)
	}
	if d := time.Since(start); d < 400*time.Millisecond || d > 3*time.Second {
		t.Errorf("idle connection closed after %s, want about 500ms", d)
	}
	time.Sleep(100 * time.Millisecond)
	for _, e := range p.Entries() {
		if e.Response.Status != http.StatusRequestTimeout {
			t.Errorf("unexpected entry %s %d", e.Request.URL, e.Response.Status)
		}
	}
}

// Connections beyond --max-conns get 503 and one entry says why; the
// proxy serves again once connections close.
func TestConnectionCap(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer origin.Close()
	p, _ := startProxy(t, Options{Limits: Limits{MaxConns: 5}})
	var held []net.Conn
	for i := 0; i < 5; i++ {
		c, err := net.Dial("tcp", p.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond)
	res, err := rawExchange(t, p.Addr().String(), "GET "+origin.URL+"/sixth HTTP/1.1\r\nHost: x\r\n\r\n")
	if err != nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("connection 6 of 5: %v %v", res, err)
	}
	entryWith(t, p, http.StatusServiceUnavailable, "max-conns")
	for _, c := range held {
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := curl(t, "-x", "http://"+p.Addr().String(), "-w", "%{http_code}", "-o", "/dev/null", origin.URL+"/again")
		if out == "200" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after closing the held connections: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The journal stops growing at --journal-limit: recording stops with a
// warning and a last entry that says so, proxying goes on, and only
// metadata... the HAR stays valid.
func TestJournalLimitStopsRecordingButNotProxying(t *testing.T) {
	body := strings.Repeat("b", 20<<10)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	defer origin.Close()
	out := filepath.Join(t.TempDir(), "limited.har")
	var mu sync.Mutex
	var logs []string
	p, stop := startProxy(t, Options{Out: out, Limits: Limits{JournalBytes: 128 << 10}, Logf: func(f string, a ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(f, a...))
		mu.Unlock()
	}})
	for i := 0; i < 20; i++ {
		if got := curl(t, "-x", "http://"+p.Addr().String(), origin.URL+"/"+itoa(i)); got != body {
			t.Fatalf("request %d: %d bytes", i, len(got))
		}
	}
	if p.RecordingStopped() == "" {
		t.Fatal("recording did not stop at the journal limit")
	}
	if fi, err := os.Stat(p.JournalPath()); err != nil || fi.Size() > 160<<10 {
		t.Errorf("journal %v bytes, limit 128 KiB (%v)", fi.Size(), err)
	}
	es := p.Entries()
	if len(es) == 0 || len(es) >= 20 || !strings.Contains(es[len(es)-1].Comment, "recording stopped") {
		t.Errorf("%d entries; last comment %q", len(es), es[len(es)-1].Comment)
	}
	mu.Lock()
	warned := strings.Contains(strings.Join(logs, "\n"), "WARNING: recording stopped")
	mu.Unlock()
	if !warned {
		t.Error("no visible warning when recording stopped")
	}
	path := stop()
	validateHAR(t, path)
}
