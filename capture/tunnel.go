package capture

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/google/martian/v3"
)

// tunnel answers a CONNECT without decrypting: the client's bytes go to
// the server (directly or through the upstream proxy's CONNECT) as they
// are. With record, the CONNECT itself becomes an entry.
func (p *Proxy) tunnel(req *http.Request, cc *clientConn, record bool) error {
	conn, brw, err := martian.NewContext(req).Session().Hijack()
	if err != nil {
		return fmt.Errorf("taking over the connection for the tunnel to %s: %w", req.URL.Host, err)
	}
	defer conn.Close()
	if cc != nil {
		cc.markHijacked()
	}
	// martian set a per-request deadline; a tunnel lives as long as the
	// client keeps it.
	conn.SetDeadline(time.Time{})
	x := p.newExchange(req, cc)
	x.record = record

	ctx, cancel := context.WithTimeout(withRemoteClient(context.Background(), p.isRemote(req.RemoteAddr)), 30*time.Second)
	x.mu.Lock()
	x.connectStart = time.Now()
	x.getConn = x.connectStart
	x.mu.Unlock()
	var clientAuth []string
	if p.opts.ProxyPassword == "" {
		clientAuth = req.Header.Values("Proxy-Authorization") // for the upstream proxy
	}
	up, err := p.dialer.dialTunnel(ctx, req.URL.Host, clientAuth)
	cancel()
	if err != nil {
		res := x.failed(err)
		writeResponse(brw, res)
		return nil
	}
	defer up.Close()
	now := time.Now()
	x.mu.Lock()
	x.connectDone, x.gotConn, x.wroteRequest, x.firstByte = now, now, now, now
	x.serverAddr = up.RemoteAddr().String()
	if uc, ok := up.(*upstreamConn); ok {
		x.upstreamConnID = uc.id
	}
	x.mu.Unlock()
	x.note("pass-through tunnel: the traffic inside was not decrypted or recorded")
	res := &http.Response{StatusCode: http.StatusOK, Status: "200 Connection established", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}, Body: http.NoBody, Request: req}
	x.received(res) // journaled now, before the client is answered
	if _, err := io.WriteString(brw, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return nil
	}
	if err := brw.Flush(); err != nil {
		return nil
	}
	relay(conn, brw, up)
	return nil
}

// upgrade forwards a protocol upgrade (WebSocket): the handshake is
// recorded as an entry (status 101), then bytes are relayed both ways.
func (p *Proxy) upgrade(req *http.Request, cc *clientConn) error {
	conn, brw, err := martian.NewContext(req).Session().Hijack()
	if err != nil {
		return fmt.Errorf("taking over the connection for the upgrade of %s: %w", req.URL, err)
	}
	defer conn.Close()
	if cc != nil {
		cc.markHijacked()
	}
	conn.SetDeadline(time.Time{}) // a WebSocket lives as long as its peers keep it
	tr := p.transportFor(cc, req)
	x := p.newExchange(req, cc)
	out := req.Clone(withRemoteClient(httptraceContext(context.Background(), x), p.isRemote(req.RemoteAddr)))
	p.prepareOutbound(out, true)
	res, err := tr.RoundTrip(out)
	if err != nil {
		writeResponse(brw, x.failed(err))
		return nil
	}
	up, ok := res.Body.(io.ReadWriteCloser)
	if res.StatusCode != http.StatusSwitchingProtocols || !ok {
		res = x.received(res)
		p.prepareInbound(res)
		writeResponse(brw, res)
		return nil
	}
	defer up.Close()
	x.mu.Lock()
	x.res = res
	x.resHeader = res.Header.Clone() // before prepareInbound removes hop-by-hop fields
	x.mu.Unlock()
	p.prepareInbound(res)
	x.note("%s upgrade: the frames are relayed, not recorded", res.Header.Get("Upgrade"))
	x.finish("") // queued for the journal before the client sees the 101

	fmt.Fprintf(brw, "HTTP/1.1 %s\r\n", res.Status)
	res.Header.Write(brw)
	io.WriteString(brw, "\r\n")
	if err := brw.Flush(); err != nil {
		return nil
	}
	relay(conn, brw, up)
	return nil
}

// writeResponse sends res to the client and lets its body finish the
// entry.
func writeResponse(brw *bufio.ReadWriter, res *http.Response) {
	defer res.Body.Close()
	if err := res.Write(brw); err == nil {
		brw.Flush()
	}
}

// relay copies bytes both ways until either side stops, then closes both.
func relay(client net.Conn, brw *bufio.ReadWriter, up io.ReadWriteCloser) {
	done := make(chan struct{}, 2)
	go func() {
		io.Copy(up, brw.Reader) // includes bytes martian already buffered
		done <- struct{}{}
	}()
	go func() {
		io.Copy(flushWriter{brw.Writer}, up)
		done <- struct{}{}
	}()
	<-done
	client.Close()
	up.Close()
	<-done
}

// flushWriter flushes after every write, so relayed bytes are not held in
// the buffer.
type flushWriter struct{ w *bufio.Writer }

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err == nil {
		err = f.w.Flush()
	}
	if errors.Is(err, net.ErrClosed) {
		return n, io.EOF
	}
	return n, err
}
