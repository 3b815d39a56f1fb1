package capture

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
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
	p       *Proxy
	release func() // frees the connection's slot under Limits.MaxConns

	mu        sync.Mutex
	sniffing  bool   // recording the bytes of the next TLS ClientHello
	hello     []byte // the recorded bytes
	offered   []string
	parsed    bool
	pin       bool            // connection-oriented auth seen: keep one upstream connection
	pinned    *http.Transport // dedicated upstream transport, created on first use
	hijacked  bool            // a tunnel or WebSocket owns the connection
	tunnel    string          // host:port of the CONNECT this connection made, if any
	authed    bool            // a remote client that sent the proxy password
	closeOnce sync.Once

	// The header phase: from the moment martian waits for a request until
	// the request's headers are parsed, bytes are counted against
	// Limits.MaxHeaderBytes and time against the idle and header timeouts.
	armed   bool
	started bool   // a byte of the request arrived (idle → header timeout)
	inTLS   bool   // the bytes are TLS records: no plaintext answer possible
	headerN int64  // bytes received in the header phase
	head    []byte // the first bytes of the request (plain HTTP), for the entry
	abort   bool   // the last response was cut short: close instead of waiting for another request
}

// abortAfterResponse makes the connection close once martian is done with
// the current response: the server's body broke off, and the client must
// see the response end early rather than wait for bytes that never come.
func (c *clientConn) abortAfterResponse() {
	c.mu.Lock()
	c.abort = true
	c.mu.Unlock()
}

// errHeaderLimit ends a connection whose request headers broke a limit.
var errHeaderLimit = errors.New("request header limit")

// SetDeadline is called by martian before it waits for each request on the
// connection: that starts a header phase. A zero time (a tunnel or
// WebSocket taking the connection over) passes through.
func (c *clientConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	hijacked, abort := c.hijacked, c.abort
	c.mu.Unlock()
	if abort && !t.IsZero() {
		c.Close()
		return net.ErrClosed
	}
	if t.IsZero() || hijacked || c.p == nil {
		c.mu.Lock()
		c.armed = false
		c.mu.Unlock()
		return c.Conn.SetDeadline(t)
	}
	c.mu.Lock()
	c.armed, c.started, c.headerN, c.head = true, false, 0, nil
	c.mu.Unlock()
	if err := c.Conn.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetReadDeadline(time.Now().Add(c.p.limits.IdleTimeout))
}

// armTLSHeaders starts a header phase for the TLS handshake and first
// request inside a CONNECT the proxy decrypts.
func (c *clientConn) armTLSHeaders() {
	if c.p == nil {
		return
	}
	c.mu.Lock()
	c.armed, c.started, c.inTLS, c.headerN, c.head = true, true, true, 0, nil
	c.mu.Unlock()
	c.Conn.SetReadDeadline(time.Now().Add(c.p.limits.HeaderTimeout))
}

// requestRead ends the header phase: a request was parsed. The exchange
// then has Limits.RequestTimeout.
func (c *clientConn) requestRead() {
	c.mu.Lock()
	was := c.armed
	c.armed = false
	c.mu.Unlock()
	if was && c.p != nil {
		c.Conn.SetReadDeadline(time.Now().Add(c.p.limits.RequestTimeout))
	}
}

func (c *clientConn) isAuthenticated() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authed
}

func (c *clientConn) setAuthenticated() {
	c.mu.Lock()
	c.authed = true
	c.mu.Unlock()
}

func (c *clientConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	var refuse int
	if c.p != nil {
		c.mu.Lock()
		if c.armed {
			if n > 0 && !c.started {
				c.started = true
				c.Conn.SetReadDeadline(time.Now().Add(c.p.limits.HeaderTimeout))
			}
			c.headerN += int64(n)
			if !c.inTLS && len(c.head) < 1024 {
				c.head = append(c.head, p[:min(n, 1024-len(c.head))]...)
			}
			switch {
			case c.headerN > c.p.limits.MaxHeaderBytes:
				refuse = http.StatusRequestHeaderFieldsTooLarge
			case err != nil && isTimeout(err) && c.started:
				refuse = http.StatusRequestTimeout
			}
			if refuse != 0 {
				c.armed = false
			}
		}
		c.mu.Unlock()
	}
	if refuse != 0 {
		c.refuseHeaders(refuse)
		return 0, errHeaderLimit
	}
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
		if c.release != nil {
			c.release()
		}
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
	p     *Proxy
	slots chan struct{} // one per open client connection, Limits.MaxConns in all
}

func (l *clientListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if !l.p.allowedClient(c.RemoteAddr().String()) {
			go l.p.refuseConn(c, http.StatusForbidden, "refused: the client's address "+hostOnly(c.RemoteAddr().String())+" is not in the capture proxy's --allow-from list")
			continue
		}
		select {
		case l.slots <- struct{}{}:
		default:
			go l.p.refuseConn(c, http.StatusServiceUnavailable, fmt.Sprintf("refused: the capture proxy already serves %d client connections (--max-conns)", cap(l.slots)))
			continue
		}
		cc := l.p.conns.add(c)
		cc.p = l.p
		cc.release = func() { <-l.slots }
		return cc, nil
	}
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
