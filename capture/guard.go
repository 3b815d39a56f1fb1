package capture

// Guards: what the proxy refuses before it opens any upstream connection
// (loops back into itself, remote clients without the password or aiming
// at loopback services), and the RFC 9110 header hygiene of a forwarding
// proxy (hop-by-hop headers, Proxy-Authorization, Via).

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// RefusedError is a request the proxy refused on purpose; Status is the
// HTTP status it answers with.
type RefusedError struct {
	Status int
	Reason string
}

func (e *RefusedError) Error() string { return e.Reason }

// errLoop builds the refusal of a connection back into the proxy.
func errLoop(target string) *RefusedError {
	return &RefusedError{Status: http.StatusLoopDetected, Reason: fmt.Sprintf("refused: %s is this capture proxy itself; forwarding there would loop", target)}
}

// newViaToken returns the per-run pseudonym the proxy writes in Via, so a
// request that comes back through another hop is recognised.
func newViaToken() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "authlens"
	}
	return "authlens-" + hex.EncodeToString(b)
}

// viaValue is the Via entry this proxy adds.
func (p *Proxy) viaValue() string { return "1.1 " + p.viaToken }

// looped reports whether h's Via already names this run of the proxy.
func (p *Proxy) looped(h http.Header) bool {
	for _, v := range h.Values("Via") {
		for _, part := range strings.Split(v, ",") {
			f := strings.Fields(part)
			if len(f) >= 2 && f[1] == p.viaToken {
				return true
			}
		}
	}
	return false
}

// ownAddr reports whether ip:port is an address this proxy listens on.
func (p *Proxy) ownAddr(ip net.IP, port int) bool {
	own, ok := p.listener.Addr().(*net.TCPAddr)
	if !ok || port != own.Port {
		return false
	}
	if ip.Equal(own.IP) {
		return true
	}
	if own.IP.IsUnspecified() {
		return ip.IsLoopback() || ip.IsUnspecified() || isLocalIP(ip)
	}
	return ip.IsUnspecified() // 0.0.0.0:port reaches the local listener
}

type ctxKey int

const remoteClientKey ctxKey = iota

// withRemoteClient marks ctx as working for a client that is not on this
// machine: its dials must not reach loopback.
func withRemoteClient(ctx context.Context, remote bool) context.Context {
	if !remote {
		return ctx
	}
	return context.WithValue(ctx, remoteClientKey, true)
}

// dialGuard is the net.Dialer ControlContext of every upstream dial: it
// sees the address after name resolution, so a name that resolves to the
// proxy's own address is refused as surely as the address itself.
func (p *Proxy) dialGuard(ctx context.Context, network, address string, _ syscall.RawConn) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return nil
	}
	var portN int
	fmt.Sscanf(port, "%d", &portN)
	if p.ownAddr(ip, portN) {
		return errLoop(address)
	}
	if remote, _ := ctx.Value(remoteClientKey).(bool); remote && (ip.IsLoopback() || ip.IsUnspecified()) {
		return &RefusedError{Status: http.StatusForbidden, Reason: fmt.Sprintf("refused: a client on another machine may not reach this machine's loopback address %s", address)}
	}
	return nil
}

// isRemote reports whether a client address is not on this machine's
// loopback.
func (p *Proxy) isRemote(remoteAddr string) bool {
	if p.opts.clientIsRemote != nil {
		return p.opts.clientIsRemote(remoteAddr)
	}
	return isRemoteAddr(remoteAddr)
}

func isRemoteAddr(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return true
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// allowedClient reports whether a client may connect at all: loopback
// always, others when their address is in Options.AllowFrom.
func (p *Proxy) allowedClient(remoteAddr string) bool {
	if !p.isRemote(remoteAddr) {
		return true
	}
	host, _, _ := net.SplitHostPort(remoteAddr)
	ip := net.ParseIP(host)
	for _, n := range p.opts.AllowFrom {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// gate decides whether the proxy forwards req at all. It returns the
// refusal, or nil. It consumes the proxy's own credentials.
func (p *Proxy) gate(req *http.Request, cc *clientConn) *RefusedError {
	remote := p.isRemote(req.RemoteAddr)
	if remote && p.opts.ProxyPassword != "" && (cc == nil || !cc.isAuthenticated()) {
		if !p.checkProxyPassword(req.Header.Values("Proxy-Authorization")) {
			return &RefusedError{Status: http.StatusProxyAuthRequired, Reason: "refused: this capture proxy accepts remote clients only with its password (Proxy-Authorization)"}
		}
		if cc != nil {
			cc.setAuthenticated()
		}
	}
	if p.opts.ProxyPassword != "" && remote {
		req.Header.Del("Proxy-Authorization") // ours: consumed
	}
	if p.looped(req.Header) {
		return &RefusedError{Status: http.StatusLoopDetected, Reason: "refused: the request already went through this capture proxy (its Via token came back): a proxy loop"}
	}
	host := hostOnly(req.URL.Host)
	if req.Method == http.MethodConnect || isUpgrade(req.Header) {
		if p.isSelf(req.URL.Host) {
			return errLoop(req.URL.Host)
		}
	}
	if remote {
		if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) || strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
			return &RefusedError{Status: http.StatusForbidden, Reason: fmt.Sprintf("refused: a client on another machine may not reach this machine's loopback address %s", host)}
		}
	}
	return nil
}

// checkProxyPassword accepts Basic credentials with any user name and the
// run's password.
func (p *Proxy) checkProxyPassword(values []string) bool {
	for _, v := range values {
		scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
		if !ok || !strings.EqualFold(scheme, "Basic") {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if err != nil {
			continue
		}
		_, pass, ok := strings.Cut(string(raw), ":")
		if ok && subtle.ConstantTimeCompare([]byte(pass), []byte(p.opts.ProxyPassword)) == 1 {
			return true
		}
	}
	return false
}

// hopByHop are the connection-specific fields of RFC 9110 §7.6.1 (and the
// obsolete Proxy-Connection and Keep-Alive) that a proxy must not forward.
var hopByHop = []string{"Connection", "Proxy-Connection", "Keep-Alive", "TE", "Transfer-Encoding", "Upgrade"}

// stripHopByHop removes the hop-by-hop fields of h, including every field
// named in Connection. With upgrade, Upgrade and "Connection: Upgrade"
// are kept (a WebSocket handshake needs them end to end).
func stripHopByHop(h http.Header, upgrade bool) {
	var named []string
	for _, v := range h.Values("Connection") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				named = append(named, f)
			}
		}
	}
	for _, f := range named {
		if upgrade && strings.EqualFold(f, "Upgrade") {
			continue
		}
		h.Del(f)
	}
	for _, f := range hopByHop {
		if upgrade && (f == "Upgrade" || f == "Connection") {
			continue
		}
		h.Del(f)
	}
	if upgrade {
		h.Set("Connection", "Upgrade")
	}
}

// prepareOutbound cleans the copy of a client request the proxy sends on:
// hop-by-hop fields removed, Proxy-Authorization kept only when it is for
// the upstream proxy (plain HTTP through an upstream without credentials
// of AuthLens's own), Via added.
func (p *Proxy) prepareOutbound(out *http.Request, upgrade bool) {
	out.RequestURI = ""
	stripHopByHop(out.Header, upgrade)
	if p.opts.Upstream == nil || p.opts.Upstream.User != nil || out.URL.Scheme != "http" {
		out.Header.Del("Proxy-Authorization")
	}
	out.Header.Add("Via", p.viaValue())
}

// prepareInbound cleans a server's response before it goes to the client:
// hop-by-hop fields removed (the proxy frames the response itself), Via
// added.
func (p *Proxy) prepareInbound(res *http.Response) {
	stripHopByHop(res.Header, res.StatusCode == http.StatusSwitchingProtocols)
	res.Header.Add("Via", p.viaValue())
}

// refusedStatus returns the refusal inside err, if any.
func refusedStatus(err error) (*RefusedError, bool) {
	var r *RefusedError
	if errors.As(err, &r) {
		return r, true
	}
	return nil, false
}
