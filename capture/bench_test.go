package capture

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"authlens/har"
)

// Throughput and added latency of the capture proxy against direct
// requests, for HTTP and HTTPS: run capture/bench/bench.sh (or
// go test -run '^$' -bench . ./capture). Every proxied exchange is fully
// recorded: journaled (group commit) and handed to an OnEntry queue, as in
// real use (the live analysis runs off the request path, in authlens/live).

var benchBody = strings.Repeat("x", 1024)

func benchOrigins(b *testing.B) (plain, secure *httptest.Server, pki *originPKI) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, benchBody)
	})
	plain = httptest.NewServer(h)
	b.Cleanup(plain.Close)
	pki = newOriginPKI(b)
	secure = startTLSOrigin(b, pki, h)
	return plain, secure, pki
}

func benchClient(proxy *Proxy, pki *originPKI) *http.Client {
	roots := x509.NewCertPool()
	roots.AddCert(pki.CA)
	tr := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: roots},
		MaxIdleConnsPerHost: 64,
		DisableCompression:  true,
	}
	if proxy != nil {
		roots.AddCert(proxy.opts.CA.Cert)
		u, _ := url.Parse("http://" + proxy.Addr().String())
		tr.Proxy = http.ProxyURL(u)
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func benchGet(b *testing.B, c *http.Client, u string) {
	res, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || n != int64(len(benchBody)) {
		b.Fatalf("status %d, %d bytes", res.StatusCode, n)
	}
}

func runBench(b *testing.B, viaProxy bool, https bool, parallel bool) {
	runBenchWith(b, viaProxy, https, parallel, true)
}

func runBenchWith(b *testing.B, viaProxy bool, https bool, parallel bool, analyse bool) {
	plain, secure, pki := benchOrigins(b)
	var p *Proxy
	if viaProxy {
		opts := Options{
			Out: filepath.Join(b.TempDir(), "bench.har"), UpstreamRoots: []*x509.Certificate{pki.CA},
			Logf: func(string, ...any) {},
		}
		if analyse {
			// What a live consumer costs the request path: a queue.
			q := make(chan *har.Entry, 1024)
			go func() {
				for range q {
				}
			}()
			b.Cleanup(func() { close(q) })
			opts.OnEntry = func(e *har.Entry) {
				select {
				case q <- e:
				default:
				}
			}
		}
		p, _ = startProxy(b, opts)
	}
	c := benchClient(p, pki)
	u := plain.URL + "/"
	if https {
		u = secure.URL + "/"
	}
	benchGet(b, c, u) // connections and certificates set up outside the timing
	b.ResetTimer()
	start := time.Now()
	if parallel {
		b.SetParallelism(8) // 8 × GOMAXPROCS concurrent clients
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchGet(b, c, u)
			}
		})
	} else {
		for i := 0; i < b.N; i++ {
			benchGet(b, c, u)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	if !parallel {
		b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "ms/req")
	}
	if p != nil {
		waitEntries(b, p, b.N+1) // every exchange was recorded
	}
}

func BenchmarkLatencyHTTPDirect(b *testing.B)     { runBench(b, false, false, false) }
func BenchmarkLatencyHTTPProxy(b *testing.B)      { runBench(b, true, false, false) }
func BenchmarkLatencyHTTPSDirect(b *testing.B)    { runBench(b, false, true, false) }
func BenchmarkLatencyHTTPSProxy(b *testing.B)     { runBench(b, true, true, false) }
func BenchmarkThroughputHTTPDirect(b *testing.B)  { runBench(b, false, false, true) }
func BenchmarkThroughputHTTPProxy(b *testing.B)   { runBench(b, true, false, true) }
func BenchmarkThroughputHTTPSDirect(b *testing.B) { runBench(b, false, true, true) }
func BenchmarkThroughputHTTPSProxy(b *testing.B)  { runBench(b, true, true, true) }

// The same without an OnEntry consumer: the cost of proxying and journaling.
func BenchmarkLatencyHTTPSProxyNoAnalysis(b *testing.B)    { runBenchWith(b, true, true, false, false) }
func BenchmarkThroughputHTTPSProxyNoAnalysis(b *testing.B) { runBenchWith(b, true, true, true, false) }
