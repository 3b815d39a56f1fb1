package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// openFiles counts this process's open file descriptors.
func openFiles(t testing.TB) int {
	t.Helper()
	des, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("counting open files: %v", err)
	}
	return len(des)
}

// settle waits until f() <= limit (goroutines and descriptors wind down
// asynchronously) and returns the last value.
func settle(limit int, f func() int) int {
	var v int
	for i := 0; i < 100; i++ {
		if v = f(); v <= limit {
			return v
		}
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
	}
	return v
}

// resetPeakRSS resets the kernel's high-water mark of this process's
// resident memory (Linux clear_refs 5), so peakRSS measures what follows.
func resetPeakRSS(t testing.TB) {
	t.Helper()
	// Collect and hand freed memory back to the kernel first: what earlier
	// tests freed (the 500-connection soak, a writer queue that peaked)
	// must not count as this test's peak.
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o200); err != nil {
		t.Fatalf("resetting the peak RSS: %v", err)
	}
}

// peakRSS is VmHWM in bytes.
func peakRSS(t testing.TB) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// rawExchange writes req on a fresh connection to the proxy and returns
// the response status line and headers (or the read error).
func rawExchange(t testing.TB, proxy string, req string) (*http.Response, error) {
	t.Helper()
	c, err := net.Dial("tcp", proxy)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := c.Write([]byte(req)); err != nil {
		return nil, err
	}
	return http.ReadResponse(bufio.NewReader(c), nil)
}

// entryWith waits for an entry whose response has status and whose
// comment or error contains text.
func entryWith(t testing.TB, p *Proxy, status int, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range p.Entries() {
			if e.Response.Status == status && (strings.Contains(e.Comment, text) || strings.Contains(e.Error, text)) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	var b bytes.Buffer
	for _, e := range p.Entries() {
		fmt.Fprintf(&b, "\n  %s %s → %d %q %q", e.Request.Method, e.Request.URL, e.Response.Status, e.Error, e.Comment)
	}
	t.Fatalf("no entry with status %d mentioning %q; entries:%s", status, text, b.String())
}

// fakeDNS serves names (lower case, no trailing dot) → IPv4 addresses on
// a UDP port of 127.0.0.1 and answers NXDOMAIN for any other name; the
// returned resolver asks only it, so tests resolve without any traffic
// leaving the machine.
func fakeDNS(t testing.TB, names map[string]net.IP) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			name := strings.TrimSuffix(strings.ToLower(q.Name.String()), ".")
			ip, known := names[name]
			rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
			if !known {
				rh.RCode = dnsmessage.RCodeNameError
			}
			b := dnsmessage.NewBuilder(nil, rh)
			b.EnableCompression()
			b.StartQuestions()
			b.Question(q)
			b.StartAnswers()
			if known && q.Type == dnsmessage.TypeA {
				var a [4]byte
				copy(a[:], ip.To4())
				b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}, dnsmessage.AResource{A: a})
			}
			out, err := b.Finish()
			if err == nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

func urlParse(s string) (*url.URL, error) { return url.Parse(s) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
