package capture

import (
	"bytes"
	"crypto/tls"
	"errors"

	"net"
	"net/http"
	"sync"
	"time"
)

// maxHelloBytes bounds how much of a client's first TLS record is kept to
// read the protocols it offered (ALPN).
const maxHelloBytes = 16 << 10

// clientConn is one connection a client (browser, curl) opened to the
// proxy. It carries the per-connection state martian has no place for:
// an identity for the HAR, the pinned upstream transport of connection-
// oriented auth, and the ALPN protocols of the client's TLS ClientHello.
type clientConn struct {
	net.Conn
	id      uint64
	onClose func(*clientConn)

	mu        sync.Mutex
	sniffing  bool   // recording the bytes of the next TLS ClientHello
	hello     []byte // the recorded bytes
	offered   []string
	parsed    bool
	pin       bool            // connection-oriented auth seen: keep one upstream connection
	pinned    *http.Transport // dedicated upstream transport, created on first use
	hijacked  bool            // a tunnel or WebSocket owns the connection
	tunnel    string          // host:port of the CONNECT this connection made, if any
	closeOnce sync.Once
}

func (c *clientConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if c.sniffing {
			room := maxHelloBytes - len(c.hello)
			c.hello = append(c.hello, p[:min(n, room)]...)
			if helloComplete(c.hello) || len(c.hello) >= maxHelloBytes {
				c.sniffing = false
			}
		}
		c.mu.Unlock()
	}
	return n, err
}

func (c *clientConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() {
		c.mu.Lock()
		tr := c.pinned
		c.mu.Unlock()
		if tr != nil {
			tr.CloseIdleConnections()
		}
		if c.onClose != nil {
			c.onClose(c)
		}
	})
	return err
}

// armHelloSniff starts recording the bytes that follow: the proxy is about
// to answer a CONNECT, and the client's next bytes are its ClientHello.
func (c *clientConn) armHelloSniff() {
	c.mu.Lock()
	c.sniffing, c.hello, c.parsed, c.offered = true, nil, false, nil
	c.mu.Unlock()
}

// offeredProtocols returns the ALPN protocols the client offered in its
// last ClientHello on this connection (nil when none or not TLS).
func (c *clientConn) offeredProtocols() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.parsed && len(c.hello) > 0 && !c.sniffing {
		c.offered = parseALPN(c.hello)
		c.parsed = true
		c.hello = nil
	}
	return c.offered
}

// helloComplete reports whether b holds a whole TLS handshake record.
func helloComplete(b []byte) bool {
	if len(b) < 5 {
		return false
	}
	if b[0] != 22 { // not a TLS handshake: nothing to wait for
		return true
	}
	return len(b) >= 5+int(b[3])<<8|int(b[4])
}

var errHelloRead = errors.New("client hello read")

// parseALPN replays recorded ClientHello bytes into crypto/tls, which
// parses them and hands over the offered protocols; the handshake is then
// abandoned.
func parseALPN(hello []byte) []string {
	var protos []string
	srv := tls.Server(&replayConn{r: bytes.NewReader(hello)}, &tls.Config{
		GetConfigForClient: func(chi *tls.ClientHelloInfo) (*tls.Config, error) {
			protos = append([]string(nil), chi.SupportedProtos...)
			return nil, errHelloRead
		},
	})
	_ = srv.Handshake() // always fails: errHelloRead or a short record
	return protos
}

// replayConn is a net.Conn that reads recorded bytes and discards writes.
type replayConn struct{ r *bytes.Reader }

func (c *replayConn) Read(p []byte) (int, error)         { return c.r.Read(p) }
func (c *replayConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c *replayConn) Close() error                       { return nil }
func (c *replayConn) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (c *replayConn) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (c *replayConn) SetDeadline(t time.Time) error      { return nil }
func (c *replayConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *replayConn) SetWriteDeadline(t time.Time) error { return nil }

// clientListener wraps accepted connections in clientConn and registers
// them with the proxy.
type clientListener struct {
	net.Listener
	p *Proxy
}

func (l *clientListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.p.conns.add(c), nil
}

// clientRegistry finds a request's client connection by its remote
// address (martian sets req.RemoteAddr from the connection, and a live
// TCP peer address is unique per listener).
type clientRegistry struct {
	mu     sync.Mutex
	next   uint64
	byAddr map[string]*clientConn
}

func (r *clientRegistry) add(c net.Conn) *clientConn {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byAddr == nil {
		r.byAddr = map[string]*clientConn{}
	}
	r.next++
	cc := &clientConn{Conn: c, id: r.next, onClose: r.remove}
	r.byAddr[c.RemoteAddr().String()] = cc
	return cc
}

func (r *clientRegistry) remove(c *clientConn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byAddr[c.RemoteAddr().String()] == c {
		delete(r.byAddr, c.RemoteAddr().String())
	}
}

func (r *clientRegistry) lookup(remoteAddr string) *clientConn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byAddr[remoteAddr]
}

// closeAll closes every client connection; with onlyHijacked, only those
// a tunnel or WebSocket owns (they never end on their own).
func (r *clientRegistry) closeAll(onlyHijacked bool) {
	r.mu.Lock()
	var cs []*clientConn
	for _, c := range r.byAddr {
		cs = append(cs, c)
	}
	r.mu.Unlock()
	for _, c := range cs {
		c.mu.Lock()
		h := c.hijacked
		c.mu.Unlock()
		if h || !onlyHijacked {
			c.Close()
		}
	}
}

func (c *clientConn) setTunnelTarget(hostport string) {
	c.mu.Lock()
	c.tunnel = hostport
	c.mu.Unlock()
}

// tunnelTarget is the host:port the client CONNECTed to ("" for a plain
// proxy connection).
func (c *clientConn) tunnelTarget() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tunnel
}

func (c *clientConn) pinnedNow() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pin
}

func (c *clientConn) markHijacked() {
	c.mu.Lock()
	c.hijacked = true
	c.mu.Unlock()
}
