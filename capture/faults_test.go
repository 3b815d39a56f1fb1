package capture

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// curlCode runs curl through the proxy and returns the HTTP status it
// printed and its exit code (a failed transfer is expected here).
func curlCode(t *testing.T, args ...string) (string, int) {
	t.Helper()
	bin := needBinary(t, "curl")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-sS", "--noproxy", "", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}"}, args...)...)
	cmd.Env = append(os.Environ(), "http_proxy=", "https_proxy=", "HTTP_PROXY=", "HTTPS_PROXY=", "no_proxy=", "NO_PROXY=")
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("curl: %v", err)
	}
	return string(out), code
}

// Faults on loopback with real clients: every exchange is recorded with
// the error a browser would show, the proxy keeps serving, and
// goroutines, open files and memory come back to where they were.
func TestFaultsAreRecordedAndLeaveNothingBehind(t *testing.T) {
	pki := newOriginPKI(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		conn, brw, _ := http.NewResponseController(w).Hijack()
		io.WriteString(brw, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nContent-Type: text/plain\r\n\r\n")
		brw.WriteString(strings.Repeat("x", 1000))
		brw.Flush()
		time.Sleep(50 * time.Millisecond)
		conn.(*net.TCPConn).SetLinger(0) // RST, not FIN
		conn.Close()
	})
	mux.HandleFunc("/slow-answer", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := make([]byte, 64<<10)
		for i := 0; i < 200; i++ { // 12.5 MiB, far more than the client reads
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(10 * time.Millisecond)
		}
	})
	plain := httptest.NewServer(mux)
	defer plain.Close()
	trusted := startTLSOrigin(t, pki, mux)
	untrusted := httptest.NewUnstartedServer(mux) // its own CA, which nobody trusts
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	defer untrusted.Close()

	origins := map[string]net.IP{"origin.test": net.IPv4(127, 0, 0, 1), "example.com": net.IPv4(127, 0, 0, 1)}
	p, _ := startProxy(t, Options{UpstreamRoots: []*x509.Certificate{pki.CA}, BodyLimit: 64 << 10,
		Limits: Limits{ResponseTimeout: 500 * time.Millisecond}, resolver: fakeDNS(t, origins)})
	proxy := "http://" + p.Addr().String()
	caFile := writeCA(t, p)
	port := func(u string) string { return u[strings.LastIndexByte(u, ':')+1:] }
	runtime.GC()
	baseGoroutines, baseFiles := runtime.NumGoroutine(), openFiles(t)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapInuse

	t0 := time.Now()
	check := func(name, wantStatus string, status string, urlPart, wantErr string) {
		t.Helper()
		t.Logf("%s at %s", name, time.Since(t0))
		if status != wantStatus {
			t.Errorf("%s: client saw %s, want %s", name, status, wantStatus)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			for _, e := range p.Entries() {
				if strings.Contains(e.Request.URL, urlPart) && strings.Contains(e.Error, wantErr) {
					return
				}
			}
			if time.Now().After(deadline) {
				var got []string
				for _, e := range p.Entries() {
					got = append(got, fmt.Sprintf("%s %d %q", e.Request.URL, e.Response.Status, e.Error))
				}
				t.Errorf("%s: no entry for %s with error %q; have:\n%s", name, urlPart, wantErr, strings.Join(got, "\n"))
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// The server resets the connection in the middle of the body.
	st, code := curlCode(t, "-x", proxy, plain.URL+"/reset")
	if code == 0 {
		t.Errorf("reset mid-body: curl succeeded")
	}
	if st != "200" && st != "" && st != "000" {
		t.Errorf("reset mid-body: status %q", st)
	}
	check("reset mid-body", st, st, "/reset", "net::ERR_")
	// TLS: an untrusted certificate, and a server that does not speak TLS.
	st, _ = curlCode(t, "-x", proxy, "--cacert", caFile, "https://example.com:"+port(untrusted.URL)+"/ok")
	check("untrusted certificate", "502", st, "example.com:"+port(untrusted.URL), "net::ERR_CERT_AUTHORITY_INVALID")
	st, _ = curlCode(t, "-x", proxy, "--cacert", caFile, "https://origin.test:"+port(plain.URL)+"/ok")
	check("TLS failure", "502", st, "origin.test:"+port(plain.URL), "net::ERR_SSL_PROTOCOL_ERROR")
	// The server takes too long to answer.
	st, _ = curlCode(t, "-x", proxy, plain.URL+"/slow-answer")
	check("upstream timeout", "504", st, "/slow-answer", "net::ERR_TIMED_OUT")
	// DNS failure.
	st, _ = curlCode(t, "-x", proxy, "http://nowhere.test/")
	check("DNS failure", "502", st, "nowhere.test", "net::ERR_NAME_NOT_RESOLVED")
	// The client goes away in the middle of the response (curl gives up
	// after 300 ms of a 2-second stream), over HTTPS.
	st, code = curlCode(t, "-x", proxy, "--cacert", caFile, "--max-time", "0.3", "https://origin.test:"+port(trusted.URL)+"/stream")
	if code != 28 {
		t.Errorf("client disconnect: curl exit %d, want 28 (timeout)", code)
	}
	check("client disconnect", "200", st, "/stream", "net::ERR_ABORTED")
	// A slow client reads a little, stalls, and leaves; meanwhile another
	// client is served at once.
	slowDone := make(chan struct{})
	go func() {
		defer close(slowDone)
		c, err := net.Dial("tcp", p.Addr().String())
		if err != nil {
			return
		}
		defer c.Close()
		io.WriteString(c, "GET "+plain.URL+"/stream?slow HTTP/1.1\r\nHost: x\r\n\r\n")
		buf := make([]byte, 1024)
		for i := 0; i < 10; i++ {
			c.Read(buf)
			time.Sleep(100 * time.Millisecond)
		}
	}()
	start := time.Now()
	if out := curl(t, "-x", proxy, plain.URL+"/ok"); out != "ok" || time.Since(start) > 2*time.Second {
		t.Errorf("served beside a slow client: %q after %s", out, time.Since(start))
	}
	<-slowDone
	check("slow client", "200", "200", "/stream?slow", "net::ERR_ABORTED")

	// Back to baseline.
	t.Logf("baseline check at %s", time.Since(t0))
	for _, c := range []struct {
		name string
		base int
		now  func() int
	}{{"goroutines", baseGoroutines, runtime.NumGoroutine}, {"open files", baseFiles, func() int { return openFiles(t) }}} {
		if n := settle(c.base+6, c.now); n > c.base+6 {
			t.Errorf("%s: %d after the faults, %d before", c.name, n, c.base)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > baseHeap+32<<20 {
		t.Errorf("heap in use %d MiB after, %d MiB before", ms.HeapInuse>>20, baseHeap>>20)
	}
}

// soakDuration is how long the concurrency test runs: 8 s in make test,
// AUTHLENS_SOAK_SECONDS (make soak: 60) for the long run.
func soakDuration(t *testing.T) time.Duration {
	if s := os.Getenv("AUTHLENS_SOAK_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("AUTHLENS_SOAK_SECONDS=%q", s)
		}
		return time.Duration(n) * time.Second
	}
	return 8 * time.Second
}

// 500 client connections at once, each sending requests for a bounded
// time: every exchange is recorded, memory while running grows by the
// recorded metadata only, and goroutines, open files and memory come back
// once the capture stops.
func TestFiveHundredConcurrentConnections(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("z", 2048))
	}))
	defer origin.Close()
	runtime.GC()
	baseGoroutines, baseFiles := runtime.NumGoroutine(), openFiles(t)
	p, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", CA: testCA(t), Out: t.TempDir() + "/soak.har", Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapInuse

	const clients = 500
	ctx, cancel := context.WithTimeout(context.Background(), soakDuration(t))
	defer cancel()
	proxyURL, _ := urlParse("http://" + p.Addr().String())
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	var peakConns atomic.Int64
	var open atomic.Int64
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tr := &http.Transport{Proxy: http.ProxyURL(proxyURL), MaxConnsPerHost: 1, DialContext: func(ctx context.Context, n, a string) (net.Conn, error) {
				var d net.Dialer
				c, err := d.DialContext(ctx, n, a)
				if err == nil {
					if v := open.Add(1); v > peakConns.Load() {
						peakConns.Store(v)
					}
				}
				return c, err
			}}
			defer tr.CloseIdleConnections()
			c := &http.Client{Transport: tr}
			for ctx.Err() == nil {
				res, err := c.Get(origin.URL + "/c" + strconv.Itoa(i))
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 && n == 2048 {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}(i)
	}
	wg.Wait()
	t.Logf("%d exchanges ok, %d failed, %d client connections open at the peak", ok.Load(), failed.Load(), peakConns.Load())
	if failed.Load() > 0 || ok.Load() < clients {
		t.Errorf("%d failed, %d ok", failed.Load(), ok.Load())
	}
	if peakConns.Load() < clients {
		t.Errorf("only %d connections were open at once", peakConns.Load())
	}
	deadline := time.Now().Add(10 * time.Second)
	for int64(len(p.Entries())) < ok.Load() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := int64(len(p.Entries())); n < ok.Load() {
		t.Errorf("%d exchanges completed, %d recorded", ok.Load(), n)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	entries := int64(len(p.Entries()))
	perEntry := (int64(ms.HeapInuse) - int64(baseHeap)) / max(entries, 1)
	t.Logf("while capturing: heap %d MiB for %d recorded entries (%d bytes an entry, 2 KiB bodies)", ms.HeapInuse>>20, entries, perEntry)
	if perEntry > 8<<10 {
		t.Errorf("%d bytes of heap per recorded entry", perEntry)
	}
	ctx, cancelStop := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancelStop()
	if _, err := p.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	p = nil
	for _, c := range []struct {
		name string
		base int
		now  func() int
	}{{"goroutines", baseGoroutines, runtime.NumGoroutine}, {"open files", baseFiles, func() int { return openFiles(t) }}} {
		if n := settle(c.base+10, c.now); n > c.base+10 {
			t.Errorf("%s: %d after, %d before", c.name, n, c.base)
		}
	}
	origin.CloseClientConnections()
	var heapAfter uint64
	for i := 0; i < 20; i++ { // buffers of closing connections are freed asynchronously
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if heapAfter = ms.HeapInuse; heapAfter <= baseHeap+16<<20 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if os.Getenv("AUTHLENS_HEAPPROFILE") != "" {
		f, _ := os.Create(os.Getenv("AUTHLENS_HEAPPROFILE"))
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	if ms.HeapInuse > baseHeap+16<<20 {
		t.Errorf("heap in use %d MiB after the capture stopped, %d MiB before", ms.HeapInuse>>20, baseHeap>>20)
	}
}
