// Package capture is AuthLens's live capture: a local MITM proxy (built on
// github.com/google/martian/v3) that support staff put next to a browser
// when a customer's HAR is not enough.
//
// Every completed exchange is queued for a writer goroutine (writer.go),
// never delaying the client's response: it becomes a har.Entry, is
// appended to an on-disk journal (an unclosed HAR, synced in groups at
// most 50 ms apart) before anything else sees it, and then is handed to
// Options.OnEntry. The package records; judging the traffic
// is someone else's job (authlens/live analyses a running capture), so it
// imports no analysis code. It signs with the per-install CA of
// authlens/capture/localca, and owns the instructions for trusting it
// (help.go), recovery of journals left by a crash (journal.go), and the
// details martian has no place for: connection pinning for
// NTLM/Negotiate, pass-through tunnels, WebSocket upgrades, upstream
// proxies.
package capture

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/martian/v3"
	martianlog "github.com/google/martian/v3/log"
	"github.com/google/martian/v3/mitm"

	"authlens/capture/internal/atomicfile"
	"authlens/capture/localca"
	"authlens/har"
)

// DefaultListen is where the proxy listens unless told otherwise.
const DefaultListen = "127.0.0.1:8080"

// DefaultBodyLimit is how many bytes of each request and response body
// are recorded.
const DefaultBodyLimit = 1 << 20

// MagicHost is the host name the proxy answers itself, with the CA
// download and the set-up instructions (like mitmproxy's mitm.it).
const MagicHost = "authlens.proxy"

// PinMode says when a client connection gets its own upstream connection.
type PinMode int

// The pinning modes.
const (
	// PinAuto pins a client connection once NTLM or Negotiate is seen on
	// it (Authorization or WWW-Authenticate): those schemes authenticate
	// the TCP connection, not the request.
	PinAuto PinMode = iota
	// PinAlways pins every client connection.
	PinAlways
	// PinNever shares one upstream pool (breaks NTLM/Negotiate).
	PinNever
)

// Options configure a capture.
type Options struct {
	// Listen is host:port; "" means DefaultListen. A non-loopback address
	// is refused unless AllowRemote is set.
	Listen      string
	AllowRemote bool
	// Out is the HAR written when the capture stops; the journal is
	// Out + ".journal". Empty Out means record in memory only (tests, a
	// GUI session not yet saved) — no crash safety.
	Out string
	// Upstream is a corporate HTTP proxy to chain to (CONNECT for HTTPS),
	// with credentials in its userinfo when needed.
	Upstream *url.URL
	// Include, when not empty, limits recording (and decryption) to these
	// hosts; Exclude removes hosts; Passthrough hosts are tunnelled
	// without decryption (certificate-pinned apps). A pattern matches the
	// host and its subdomains.
	Include, Exclude, Passthrough []string
	// BodyLimit is the recorded bytes per body; 0 means DefaultBodyLimit,
	// negative means record no bodies.
	BodyLimit int64
	// CA signs the per-host certificates. Required.
	CA *localca.CA
	// UpstreamRoots are extra root CAs trusted for servers (a test
	// origin's own CA); InsecureUpstream skips server verification.
	UpstreamRoots    []*x509.Certificate
	InsecureUpstream bool
	// Pin chooses connection pinning (default PinAuto).
	Pin PinMode
	// OnEntry, when set, receives each recorded exchange once it is
	// durable (journaled and synced; in memory without Out). It runs on the
	// capture's writer goroutine, one entry at a time in Index order, at
	// most about 50 ms after the exchange ended: it must be cheap and must
	// never block (queue the entry, as live.Analyzer.Add does), or the
	// journal falls behind. The entry is shared and read-only.
	OnEntry func(*har.Entry)
	// Logf, when set, receives operational messages (no secrets).
	Logf func(format string, args ...any)
	// Version is written as log.creator.version ("dev" when empty).
	Version string

	// Limits bound connections, headers, timeouts and the journal.
	Limits Limits
	// AllowFrom lists the client networks accepted besides loopback.
	AllowFrom []*net.IPNet
	// ProxyPassword, when set, is required from clients that are not on
	// loopback (Proxy-Authorization Basic, any user name); it is consumed,
	// never forwarded. ProxyPasswordGenerated says ParseConfig made it up
	// for this run (the caller shows it once).
	ProxyPassword          string
	ProxyPasswordGenerated bool
	// Warnings are ParseConfig's remarks on risky settings; Start logs
	// them.
	Warnings []string

	// clientIsRemote, when set, replaces the loopback test of client
	// addresses (tests make a loopback client count as remote).
	clientIsRemote func(remoteAddr string) bool
	// resolver, when set, resolves upstream names (tests).
	resolver *net.Resolver
	// JournalOnly keeps no recorded exchange in memory once journaled, so
	// memory stays flat however long the capture runs (the command line):
	// Entries and SaveHAR then read the journal back. Needs Out.
	JournalOnly bool

	// syncInterval, when set, replaces the journal's group-commit interval
	// (tests hold the fsync back).
	syncInterval time.Duration
}

// Proxy is a running capture.
type Proxy struct {
	opts     Options
	listener net.Listener
	mproxy   *martian.Proxy
	dialer   *dialer
	viaToken string
	limits   Limits
	rec      *recordGuard
	writer   *writer // records finished exchanges off the request path
	// bodyBuffers recycles the buffers bodies are recorded in: most bodies
	// are small, and a buffer per exchange was the proxy's largest
	// allocation.
	bodyBuffers sync.Pool
	shared      *http.Transport
	conns       clientRegistry
	journal     *Journal
	log         har.Log
	served      chan error
	stopOnce    sync.Once

	mu      sync.Mutex
	mem     []*har.Entry // when there is no journal
	stopped bool
}

// IsLoopback reports whether a listen address only accepts local
// connections.
func IsLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Start opens the journal, listens and serves until Stop.
func Start(ctx context.Context, opts Options) (*Proxy, error) {
	if opts.CA == nil {
		return nil, errors.New("starting the capture proxy: no CA given")
	}
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if !IsLoopback(opts.Listen) && !opts.AllowRemote {
		return nil, fmt.Errorf("refusing to listen on %s: an open MITM proxy lets anyone who can reach it read and change traffic; listen on 127.0.0.1 or pass --allow-remote", opts.Listen)
	}
	if !IsLoopback(opts.Listen) && (opts.ProxyPassword == "" || len(opts.AllowFrom) == 0) {
		return nil, fmt.Errorf("refusing to listen on %s without a proxy password and an allow-from list: remote clients must authenticate", opts.Listen)
	}
	if opts.BodyLimit == 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	if opts.BodyLimit < 0 {
		opts.BodyLimit = 0
	}
	if opts.Upstream != nil && opts.Upstream.Scheme != "http" {
		return nil, fmt.Errorf("upstream proxy %s: only http:// proxies are supported", opts.Upstream.Redacted())
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	// martian logs errors of every failed client connection to stderr;
	// the proxy reports what matters itself.
	martianlog.SetLevel(martianlog.Silent)

	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	for _, c := range opts.UpstreamRoots {
		roots.AddCert(c)
	}

	for _, w := range opts.Warnings {
		opts.Logf("%s", w)
	}
	if opts.InsecureUpstream && !containsFold(opts.Warnings, InsecureUpstreamWarning) {
		opts.Logf("%s", InsecureUpstreamWarning)
	}

	p := &Proxy{opts: opts, served: make(chan error, 1), viaToken: newViaToken(), limits: opts.Limits.withDefaults()}
	p.dialer = newDialer(opts.Upstream, roots, opts.InsecureUpstream, max(opts.BodyLimit, 64<<10))
	p.dialer.net.ControlContext = p.dialGuard
	if opts.resolver != nil {
		p.dialer.net.Resolver = opts.resolver
	}
	p.dialer.responseTimeout = p.limits.ResponseTimeout
	p.shared = p.dialer.newTransport(false)
	p.log = NewLog(opts.Version)

	mc, err := mitm.NewConfig(opts.CA.Cert, opts.CA.Key)
	if err != nil {
		return nil, fmt.Errorf("setting up TLS interception with the AuthLens CA: %w", err)
	}
	mc.SetValidity(24 * time.Hour)
	mc.SetOrganization("AuthLens capture")
	// martian offers clients only http/1.1 in ALPN (no H2 config): a
	// client that wanted HTTP/2 is negotiated down, and each entry says so.

	mp := martian.NewProxy()
	mp.SetMITM(mc)
	mp.SetRoundTripper(p)
	mp.SetRequestModifier(requestModifier{p})
	mp.SetTimeout(p.limits.RequestTimeout)
	p.mproxy = mp

	if opts.Out != "" {
		j, err := OpenJournal(opts.Out, p.log)
		if err != nil {
			return nil, err
		}
		j.forget = opts.JournalOnly
		p.journal = j
	}
	p.rec = newRecordGuard(p)
	p.writer = newWriter(p)

	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", opts.Listen)
	if err != nil {
		p.writer.close()
		if p.journal != nil {
			p.journal.Abandon()
			removeEmptyJournal(p.journal.Path())
		}
		return nil, fmt.Errorf("listening on %s: %w", opts.Listen, err)
	}
	p.listener = &clientListener{Listener: l, p: p, slots: make(chan struct{}, p.limits.MaxConns)}
	go func() { p.served <- mp.Serve(p.listener) }()
	if !IsLoopback(opts.Listen) {
		opts.Logf("WARNING: the capture proxy listens on %s, reachable from other machines: anyone who can connect can read and alter traffic through it", l.Addr())
	}
	return p, nil
}

// NewLog is the HAR log header of a capture written by AuthLens version
// ("dev" when empty): consumers of Options.OnEntry that build a trace
// before the capture ends use it.
func NewLog(version string) har.Log {
	if version == "" {
		version = "dev"
	}
	return har.Log{
		Version: "1.2",
		Creator: har.Creator{Name: "AuthLens", Version: version, Comment: "live capture proxy"},
		Comment: "Captured through the AuthLens proxy. entry.connection is the client's connection to the proxy, _connectionId the proxy's connection to the server (or upstream proxy); serverIPAddress is the upstream proxy's address when one was used.",
	}
}

// removeEmptyJournal deletes a journal that holds no entries (a start
// that failed right after creating it).
func removeEmptyJournal(path string) {
	os.Remove(path)
}

// Addr is the address the proxy listens on.
func (p *Proxy) Addr() net.Addr { return p.listener.Addr() }

// JournalPath is the journal being written ("" without Out).
func (p *Proxy) JournalPath() string {
	if p.journal == nil {
		return ""
	}
	return p.journal.Path()
}

// Log is the HAR log header of this capture.
func (p *Proxy) Log() har.Log { return p.log }

// Entries returns the recorded exchanges, in order: every exchange that
// finished before the call, once the writer goroutine has put it in the
// journal (or in memory without one). The slice and entries are shared
// and read-only. It must not be called from Options.OnEntry.
func (p *Proxy) Entries() []*har.Entry {
	p.writer.wait()
	if p.journal != nil {
		return p.journal.Written()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mem[:len(p.mem):len(p.mem)]
}

// Recorded is how many exchanges are recorded (in the journal or in
// memory) once those that finished before the call are written.
func (p *Proxy) Recorded() int {
	p.writer.wait()
	if p.journal != nil {
		return p.journal.Count()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.mem)
}

// Stop stops accepting connections, lets exchanges in flight finish (until
// ctx ends, then cuts them), and writes the final
// HAR (Options.Out), removing the journal. It returns the HAR's path.
func (p *Proxy) Stop(ctx context.Context) (string, error) {
	p.shutdown(ctx)
	p.writer.close()
	if p.journal == nil {
		return "", nil
	}
	return p.journal.Finish()
}

// Abort stops like Stop but leaves the journal unfinished on disk, as a
// crash would (the GUI's "discard" keeps the data recoverable).
func (p *Proxy) Abort(ctx context.Context) error {
	p.shutdown(ctx)
	p.writer.close()
	if p.journal == nil {
		return nil
	}
	return p.journal.Abandon()
}

func (p *Proxy) shutdown(ctx context.Context) {
	p.stopOnce.Do(func() {
		p.mu.Lock()
		p.stopped = true
		p.mu.Unlock()
		p.listener.Close()
		// Tunnels and WebSockets have no end of their own.
		p.conns.closeAll(true)
		done := make(chan struct{})
		go func() { p.mproxy.Close(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			p.conns.closeAll(false)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				p.opts.Logf("some client connections did not close in time")
			}
		}
		<-p.served
		p.shared.CloseIdleConnections()
	})
}

// SaveHAR writes the exchanges recorded so far as a complete HAR 1.2 file
// (the capture goes on).
func (p *Proxy) SaveHAR(path string) error {
	return writeHAR(path, p.log, p.Entries(), p.Body)
}

// Body returns a recorded response body, whether held in memory or left in
// the journal (Content.Ref): it implements the BodyReader of
// authlens/analysis/trace. Bodies in the journal stay readable after Stop.
func (p *Proxy) Body(c *har.Content) ([]byte, error) {
	if c.Ref == nil || p.journal == nil {
		return c.InlineBytes()
	}
	return p.journal.Body(c)
}

// WriteHAR writes entries as a complete HAR 1.2 file, atomically.
func WriteHAR(path string, log har.Log, entries []*har.Entry) error {
	return writeHAR(path, log, entries, nil)
}

func writeHAR(path string, log har.Log, entries []*har.Entry, bodies func(*har.Content) ([]byte, error)) error {
	var b strings.Builder
	w, err := har.NewWriter(&b, log)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if bodies != nil {
		w.SetBodySource(bodies)
	}
	for _, e := range entries {
		if err := w.WriteEntry(e); err != nil {
			return fmt.Errorf("writing entry %d to %s: %w", e.Index, path, err)
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return atomicfile.Write(path, []byte(b.String()), 0o600)
}

// hostMatches reports whether host (no port) is one of the patterns or a
// subdomain of one.
func hostMatches(host string, patterns []string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(p), "*"), "."))
		if p == "" {
			continue
		}
		if host == p || strings.HasSuffix(host, "."+p) {
			return true
		}
	}
	return false
}

// records reports whether exchanges with host are recorded.
func (p *Proxy) records(host string) bool {
	if hostMatches(host, p.opts.Exclude) {
		return false
	}
	return len(p.opts.Include) == 0 || hostMatches(host, p.opts.Include)
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// requestModifier takes the requests martian cannot handle itself: the
// CONNECTs to tunnel without decryption and WebSocket upgrades.
type requestModifier struct{ p *Proxy }

func (m requestModifier) ModifyRequest(req *http.Request) error {
	p := m.p
	cc := p.conns.lookup(req.RemoteAddr)
	if cc != nil {
		cc.requestRead()
	}
	host := hostOnly(req.URL.Host)
	magic := strings.EqualFold(host, MagicHost)
	if req.Method == http.MethodConnect || isUpgrade(req.Header) && !magic {
		if r := p.gate(req, cc); r != nil {
			return p.refuseHijacked(req, cc, r)
		}
	}
	if req.Method == http.MethodConnect {
		if cc != nil {
			cc.setTunnelTarget(req.URL.Host)
		}
		if !magic && (hostMatches(host, p.opts.Passthrough) || !p.records(host)) {
			return p.tunnel(req, cc, hostMatches(host, p.opts.Passthrough) && p.records(host))
		}
		if cc != nil {
			// The client's next bytes are its ClientHello, then the first
			// request inside TLS: both count against the header limits.
			cc.armHelloSniff()
			cc.armTLSHeaders()
		}
		return nil
	}
	if isUpgrade(req.Header) && !magic {
		return p.upgrade(req, cc)
	}
	return nil
}

// isUpgrade reports a protocol upgrade request (WebSocket).
func isUpgrade(h http.Header) bool {
	if h.Get("Upgrade") == "" {
		return false
	}
	for _, v := range h.Values("Connection") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "upgrade") {
				return true
			}
		}
	}
	return false
}

// RoundTrip forwards one request upstream and records it. It never
// returns an error: failures become a 502 the entry explains.
func (p *Proxy) RoundTrip(req *http.Request) (*http.Response, error) {
	cc := p.conns.lookup(req.RemoteAddr)
	inTunnel := cc != nil && cc.tunnelTarget() != ""
	if req.TLS == nil && !inTunnel && strings.HasPrefix(req.RequestURI, "/") || strings.EqualFold(hostOnly(req.URL.Host), MagicHost) || p.isSelf(req.URL.Host) {
		// Origin-form outside any tunnel: someone opened the proxy's own
		// address as a web site. Answer with the set-up page.
		return p.serveMagic(req), nil
	}
	if r := p.gate(req, cc); r != nil {
		x := p.newExchange(req, cc)
		return x.refused(r), nil
	}
	tr := p.transportFor(cc, req)
	x := p.newExchange(req, cc)

	out := req.Clone(withRemoteClient(httptraceContext(req.Context(), x), p.isRemote(req.RemoteAddr)))
	p.prepareOutbound(out, false)
	if req.Body != nil && req.Body != http.NoBody {
		x.reqRec = p.newBodyRecorder()
		out.Body = &requestBody{ReadCloser: req.Body, rec: x.reqRec}
	}
	res, err := tr.RoundTrip(out)
	if err != nil {
		return x.failed(err), nil
	}
	if cc != nil && isConnectionAuth(res.Header.Values("WWW-Authenticate")) && p.opts.Pin == PinAuto {
		cc.mu.Lock()
		cc.pin = true
		cc.mu.Unlock()
	}
	res = x.received(res)
	p.prepareInbound(res)
	return res, nil
}

// isSelf reports whether hostport is the proxy's own listening address,
// which would make a request loop through the proxy.
func (p *Proxy) isSelf(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	_, ownPort, _ := net.SplitHostPort(p.Addr().String())
	if port != ownPort {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	own := p.Addr().(*net.TCPAddr).IP
	return ip != nil && (ip.IsLoopback() || ip.Equal(own) || own.IsUnspecified() && isLocalIP(ip))
}

// isLocalIP reports whether ip belongs to this machine.
func isLocalIP(ip net.IP) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// transportFor picks the upstream transport: the client connection's own
// (pinned) one during connection-oriented auth, else the shared pool.
func (p *Proxy) transportFor(cc *clientConn, req *http.Request) *http.Transport {
	if cc == nil || p.opts.Pin == PinNever {
		return p.shared
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if p.opts.Pin == PinAlways || isConnectionAuth(req.Header.Values("Authorization")) {
		cc.pin = true
	}
	if !cc.pin {
		return p.shared
	}
	if cc.pinned == nil {
		cc.pinned = p.dialer.newTransport(true)
	}
	return cc.pinned
}

func (p *Proxy) newExchange(req *http.Request, cc *clientConn) *exchange {
	x := &exchange{
		p: p, start: time.Now(), req: req, client: cc,
		record: p.records(hostOnly(req.URL.Host)),
	}
	// martian sets req.TLS only on the first request of a decrypted
	// connection; the scheme it sets holds for every request.
	if cc != nil && req.URL.Scheme == "https" {
		if protos := cc.offeredProtocols(); containsFold(protos, "h2") {
			x.note("the client offered HTTP/2 (ALPN %s); AuthLens negotiated HTTP/1.1", strings.Join(protos, ","))
		}
	}
	if p.opts.Upstream != nil {
		x.note("sent through the upstream proxy %s", p.opts.Upstream.Host)
	}
	if cc != nil && cc.pinnedNow() {
		x.note("client connection pinned to its own server connection (connection-oriented authentication)")
	}
	return x
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// received wraps the server's response so that its entry is journaled
// when the body has been read (before its last byte reaches the client).
func (x *exchange) received(res *http.Response) *http.Response {
	x.mu.Lock()
	x.res = res
	x.resHeader = res.Header.Clone() // as the server sent it, before any header is removed
	x.resRec = x.p.newBodyRecorder()
	x.mu.Unlock()
	if res.Body == nil || res.Body == http.NoBody || res.ContentLength == 0 {
		x.finish("")
		return res
	}
	res.Body = &responseBody{ReadCloser: res.Body, x: x, rec: x.resRec, length: res.ContentLength}
	return res
}

// failed answers the client when the server could not be reached: with
// the upstream proxy's own refusal (407 and its evidence) when that was
// the reason, else a 502 that says what went wrong.
func (x *exchange) failed(err error) *http.Response {
	var refused *ProxyRefusedError
	if errors.As(err, &refused) {
		res := &http.Response{
			StatusCode: refused.StatusCode, Status: refused.Status,
			Proto: refused.Proto, ProtoMajor: 1, ProtoMinor: 1,
			Header: refused.Header.Clone(), Request: x.req,
			ContentLength: int64(len(refused.Body)),
			Body:          io.NopCloser(strings.NewReader(string(refused.Body))),
		}
		res.Header.Del("Content-Length")
		res.Header.Del("Transfer-Encoding")
		x.mu.Lock()
		x.serverAddr = refused.ProxyIP
		x.mu.Unlock()
		x.note("the upstream proxy %s answered the CONNECT for %s: %s", refused.Proxy, refused.Target, refused.Status)
		return x.received(res)
	}
	if r, ok := refusedStatus(err); ok {
		return x.refused(r)
	}
	code := browserError(err)
	msg := code + ": AuthLens could not get a response from the server: " + err.Error()
	x.mu.Lock()
	x.errText = msg
	x.mu.Unlock()
	status := http.StatusBadGateway
	if code == "net::ERR_TIMED_OUT" {
		status = http.StatusGatewayTimeout
	}
	x.note("%d generated by AuthLens: the server was not reached or did not answer", status)
	return x.received(x.generated(status, msg, "upstream"))
}

// generated is a response the proxy makes up itself, with msg as its
// text body.
func (x *exchange) generated(status int, msg, kind string) *http.Response {
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Authlens-Error": {kind}},
		Request: x.req, ContentLength: int64(len(msg)),
		Body: io.NopCloser(strings.NewReader(msg)),
	}
}

// refused answers a request the proxy will not forward, recording why
// (whatever Include and Exclude say: a refusal is always evidence).
func (x *exchange) refused(r *RefusedError) *http.Response {
	x.mu.Lock()
	x.record = true
	x.errText = browserError(r) + ": " + r.Reason
	x.mu.Unlock()
	x.note("%d generated by AuthLens: %s", r.Status, r.Reason)
	res := x.generated(r.Status, r.Reason+"\n", "refused")
	if r.Status == http.StatusProxyAuthRequired {
		res.Header.Set("Proxy-Authenticate", `Basic realm="AuthLens capture proxy"`)
	}
	res.Close = r.Status != http.StatusProxyAuthRequired
	return x.received(res)
}

// refuseHijacked answers a CONNECT or an upgrade the proxy refuses: it
// takes the connection over from martian, writes the refusal, records it
// and closes the connection.
func (p *Proxy) refuseHijacked(req *http.Request, cc *clientConn, r *RefusedError) error {
	conn, brw, err := martian.NewContext(req).Session().Hijack()
	if err != nil {
		return fmt.Errorf("taking over the connection to refuse %s: %w", req.URL.Host, err)
	}
	defer conn.Close()
	if cc != nil {
		cc.markHijacked()
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	x := p.newExchange(req, cc)
	res := x.refused(r)
	res.Close = true
	writeResponse(brw, res)
	return nil
}

// httptraceContext attaches the exchange's timing hooks to ctx.
func httptraceContext(ctx context.Context, x *exchange) context.Context {
	return httptrace.WithClientTrace(ctx, x.trace())
}
