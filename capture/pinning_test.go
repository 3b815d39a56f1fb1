package capture

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"authlens/analysis/rules"
	"authlens/har"
)

func ntlmMessage(typ byte) string {
	b := append([]byte("NTLMSSP\x00"), typ, 0, 0, 0)
	b = append(b, make([]byte, 24)...)
	return "NTLM " + base64.StdEncoding.EncodeToString(b)
}

type connKey struct{}

// ntlmOrigin is a server that, like IIS, authenticates the TCP connection:
// it answers 200 to the type-3 message only when it arrives on the
// connection that carried the type-1 message.
func ntlmOrigin(t *testing.T, pki *originPKI) *httptest.Server {
	var nextConn atomic.Int64
	var mu sync.Mutex
	type1Conn := int64(-1)
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Context().Value(connKey{}).(int64)
		if r.URL.Path == "/slow" {
			time.Sleep(700 * time.Millisecond)
			io.WriteString(w, "slow")
			return
		}
		switch auth := r.Header.Get("Authorization"); {
		case auth == "":
			w.Header().Set("WWW-Authenticate", "NTLM")
			w.Header().Add("WWW-Authenticate", "Negotiate")
			w.WriteHeader(http.StatusUnauthorized)
		case auth == ntlmMessage(1):
			mu.Lock()
			type1Conn = id
			mu.Unlock()
			w.Header().Set("WWW-Authenticate", ntlmMessage(2))
			w.WriteHeader(http.StatusUnauthorized)
		case auth == ntlmMessage(3):
			mu.Lock()
			same := id == type1Conn
			mu.Unlock()
			if same {
				io.WriteString(w, "authenticated on one connection")
				return
			}
			w.Header().Set("WWW-Authenticate", "NTLM")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "type-3 on another connection than type-1")
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	s.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, nextConn.Add(1))
	}
	if pki != nil {
		s.TLS = &tls.Config{Certificates: []tls.Certificate{pki.TLSCert}}
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// ntlmThroughProxy runs the NTLM legs on one client connection while
// another client's slow request occupies the connection the first leg
// used in a shared pool. It returns the final status.
func ntlmThroughProxy(t *testing.T, pin PinMode, secure bool) (int, *Proxy) {
	var pki *originPKI
	opts := Options{Pin: pin}
	if secure {
		pki = newOriginPKI(t)
		opts.UpstreamRoots = []*x509.Certificate{pki.CA}
	}
	origin := ntlmOrigin(t, pki)
	p, _ := startProxy(t, opts)
	proxyURL, _ := url.Parse("http://" + p.Addr().String())
	roots := x509.NewCertPool()
	roots.AddCert(p.opts.CA.Cert)
	client := func() *http.Client {
		return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), MaxConnsPerHost: 1, DisableCompression: true,
			TLSClientConfig: &tls.Config{RootCAs: roots}}}
	}
	a, b := client(), client()
	do := func(c *http.Client, path, auth string) *http.Response {
		req, _ := http.NewRequest("GET", origin.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	if res := do(a, "/ntlm", ""); res.StatusCode != 401 {
		t.Fatalf("anonymous request: %d", res.StatusCode)
	}
	if res := do(a, "/ntlm", ntlmMessage(1)); res.StatusCode != 401 || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "NTLM TlRMTVNTUAACAAAA") {
		t.Fatalf("type-1 leg: %d %q", res.StatusCode, res.Header.Get("WWW-Authenticate"))
	}
	done := make(chan struct{})
	go func() { defer close(done); do(b, "/slow", "") }()
	time.Sleep(200 * time.Millisecond) // the slow request holds an upstream connection now
	res := do(a, "/ntlm", ntlmMessage(3))
	<-done
	return res.StatusCode, p
}

func TestNTLMHandshakeStaysOnOneUpstreamConnection(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[secure], func(t *testing.T) { testNTLMPinned(t, secure) })
	}
}

func testNTLMPinned(t *testing.T, secure bool) {
	status, p := ntlmThroughProxy(t, PinAuto, secure)
	if status != 200 {
		t.Fatalf("NTLM through the pinning proxy ended with %d, want 200", status)
	}
	es := waitEntries(t, p, 4)
	var t1, t3 *har.Entry
	for _, e := range es {
		switch header(e, false, "Authorization") {
		case ntlmMessage(1):
			t1 = e
		case ntlmMessage(3):
			t3 = e
		}
	}
	if t1 == nil || t3 == nil {
		t.Fatal("type-1 or type-3 entry missing")
	}
	if t1.ConnectionID != t3.ConnectionID || t1.Connection != t3.Connection {
		t.Errorf("type-1 on client %s/server %s, type-3 on client %s/server %s", t1.Connection, t1.ConnectionID, t3.Connection, t3.ConnectionID)
	}
	if !strings.Contains(t3.Comment, "pinned") {
		t.Errorf("the type-3 entry does not say it was pinned: %q", t3.Comment)
	}
}

// Without pinning the same exchange breaks: this proves the test above
// can fail, and shows what connection-auth-broken looks like in a capture.
func TestNTLMBreaksWithoutPinning(t *testing.T) {
	status, p := ntlmThroughProxy(t, PinNever, false)
	if status != 401 {
		t.Fatalf("NTLM through a non-pinning proxy ended with %d; the test setup no longer splits the legs", status)
	}
	es := waitEntries(t, p, 4)
	var ids []string
	for _, e := range es {
		if a := header(e, false, "Authorization"); a == ntlmMessage(1) || a == ntlmMessage(3) {
			ids = append(ids, e.ConnectionID)
		}
	}
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("upstream connection ids of the legs: %v, want two different", ids)
	}
	// The analysis reads the split from _connectionId.
	rep := analyseCaptured(t, p.Log(), es)
	var named bool
	for _, x := range rep.Exchanges {
		for _, d := range x.Diagnoses {
			named = named || d.Cause == rules.ConnectionAuthBroken.ID
		}
	}
	if !named {
		t.Errorf("the analysis of the split handshake does not name %s: %+v", rules.ConnectionAuthBroken.ID, rep.Exchanges)
	}
}
