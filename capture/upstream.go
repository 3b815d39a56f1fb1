package capture

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// upstreamConn is a connection the proxy opened towards a server (or the
// upstream proxy), numbered so the HAR can tell connections apart.
type upstreamConn struct {
	net.Conn
	id uint64
}

// ProxyRefusedError is an upstream proxy's non-200 answer to CONNECT
// (typically 407 Proxy Authentication Required). The proxy turns it into
// the response of the exchange, so the evidence (Proxy-Authenticate, Via,
// X-Squid-Error, the error page) is recorded.
type ProxyRefusedError struct {
	Proxy      string // host:port of the upstream proxy
	ProxyIP    string // its address as dialled
	Target     string // host:port the CONNECT asked for
	StatusCode int
	Status     string // e.g. "407 Proxy Authentication Required"
	Proto      string
	Header     http.Header
	Body       []byte
}

func (e *ProxyRefusedError) Error() string {
	return fmt.Sprintf("upstream proxy %s refused CONNECT %s: %s", e.Proxy, e.Target, e.Status)
}

// dialer opens upstream connections: direct, or through the upstream
// proxy with CONNECT (with its credentials).
type dialer struct {
	net       net.Dialer
	upstream  *url.URL // nil: direct
	tlsConfig *tls.Config
	nextID    atomic.Uint64
	bodyLimit int64
	// responseTimeout bounds the wait for a server's response headers.
	responseTimeout time.Duration
}

func newDialer(upstream *url.URL, roots *x509.CertPool, insecure bool, bodyLimit int64) *dialer {
	return &dialer{
		net:      net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second},
		upstream: upstream,
		tlsConfig: &tls.Config{
			RootCAs:            roots,
			InsecureSkipVerify: insecure, //nolint:gosec // only with --insecure-upstream, off by default
			NextProtos:         []string{"http/1.1"},
		},
		bodyLimit: bodyLimit,
	}
}

func (d *dialer) wrap(c net.Conn) net.Conn {
	return &upstreamConn{Conn: c, id: d.nextID.Add(1)}
}

// dialTCP dials addr directly (plain HTTP, or the upstream proxy itself
// when net/http proxies a plain-HTTP request).
func (d *dialer) dialTCP(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.net.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return d.wrap(c), nil
}

// dialTLS opens the TCP path to addr (through the upstream proxy when one
// is set) and returns an un-handshaken TLS client: net/http runs the
// handshake and reports it to the request's trace.
func (d *dialer) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.dialTunnel(ctx, addr, nil)
	if err != nil {
		return nil, err
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	cfg := d.tlsConfig.Clone()
	cfg.ServerName = host
	return tls.Client(c, cfg), nil
}

// dialTunnel returns a raw byte path to addr: a direct TCP connection, or
// a CONNECT tunnel through the upstream proxy. proxyAuth, when set, is a
// Proxy-Authorization the client sent, used when AuthLens has no upstream
// credentials of its own.
func (d *dialer) dialTunnel(ctx context.Context, addr string, clientProxyAuth []string) (net.Conn, error) {
	if d.upstream == nil {
		return d.dialTCP(ctx, "tcp", addr)
	}
	c, err := d.dialTCP(ctx, "tcp", d.upstream.Host)
	if err != nil {
		return nil, fmt.Errorf("connecting to the upstream proxy %s: %w", d.upstream.Host, err)
	}
	req := &http.Request{
		Method: http.MethodConnect,
		URL:    &url.URL{Opaque: addr},
		Host:   addr,
		Header: http.Header{},
	}
	if pa := proxyAuthorization(d.upstream); pa != "" {
		req.Header.Set("Proxy-Authorization", pa)
	} else {
		for _, v := range clientProxyAuth {
			req.Header.Add("Proxy-Authorization", v)
		}
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	} else {
		c.SetDeadline(time.Now().Add(30 * time.Second))
	}
	if err := req.Write(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("sending CONNECT %s to the upstream proxy %s: %w", addr, d.upstream.Host, err)
	}
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, req)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("reading the upstream proxy %s's answer to CONNECT %s: %w", d.upstream.Host, addr, err)
	}
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, d.bodyLimit))
		res.Body.Close()
		c.Close()
		return nil, &ProxyRefusedError{
			Proxy: d.upstream.Host, ProxyIP: c.RemoteAddr().String(), Target: addr,
			StatusCode: res.StatusCode, Status: res.Status, Proto: res.Proto,
			Header: res.Header, Body: body,
		}
	}
	c.SetDeadline(time.Time{})
	if br.Buffered() > 0 {
		// The proxy sent bytes right after its 200: keep them.
		uc := c.(*upstreamConn)
		buffered, _ := br.Peek(br.Buffered())
		uc.Conn = &prefixConn{Conn: uc.Conn, prefix: append([]byte(nil), buffered...)}
	}
	return c, nil
}

// prefixConn returns prefix before reading from the connection.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// proxyAuthorization is the Basic Proxy-Authorization for the upstream
// URL's userinfo, or "".
func proxyAuthorization(u *url.URL) string {
	if u == nil || u.User == nil {
		return ""
	}
	pass, _ := u.User.Password()
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pass))
}

// newTransport builds an upstream transport. Plain-HTTP requests go to the
// upstream proxy as absolute-form requests (net/http adds the proxy
// credentials); HTTPS goes through dialTLS (CONNECT). pinned transports
// keep one connection per host: the upstream half of a client connection.
func (d *dialer) newTransport(pinned bool) *http.Transport {
	tr := &http.Transport{
		DialContext:    d.dialTCP,
		DialTLSContext: d.dialTLS,
		Proxy: func(r *http.Request) (*url.URL, error) {
			if d.upstream != nil && r.URL.Scheme == "http" {
				return d.upstream, nil
			}
			return nil, nil
		},
		// HTTP/1.1 only upstream: martian speaks HTTP/1.1 to clients, and
		// NTLM/Negotiate need HTTP/1.1.
		TLSNextProto:          map[string]func(string, *tls.Conn) http.RoundTripper{},
		ForceAttemptHTTP2:     false,
		DisableCompression:    true, // pass Accept-Encoding and bodies through untouched
		TLSHandshakeTimeout:   15 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: d.responseTimeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   16,
	}
	if pinned {
		tr.MaxConnsPerHost = 1
		tr.MaxIdleConnsPerHost = 1
	}
	return tr
}

// isConnectionAuth reports whether an Authorization or WWW-Authenticate
// value belongs to a connection-oriented scheme (NTLM, Negotiate).
func isConnectionAuth(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			scheme, _, _ := strings.Cut(strings.TrimSpace(part), " ")
			if strings.EqualFold(scheme, "NTLM") || strings.EqualFold(scheme, "Negotiate") {
				return true
			}
		}
	}
	return false
}
