package capture

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is a capture's settings as people type them: the flags of
// `authlens capture` and the fields of the app's Capture view. Both turn
// them into Options through ParseConfig, so they accept and refuse the
// same things with the same messages.
type Config struct {
	// Listen is host:port; "" means DefaultListen.
	Listen      string
	AllowRemote bool
	// Out is the HAR to write ("" records in memory only).
	Out string
	// Upstream is http://[user:pass@]host:port, or "" for none.
	Upstream string
	// Include, Exclude and Passthrough are comma-separated host patterns.
	Include, Exclude, Passthrough string
	// BodyLimit is the recorded bytes per body, with an optional k/M/G
	// (1000-based) or KiB/MiB/GiB suffix; "0" records no bodies, "" the
	// default.
	BodyLimit string
	// Pin is auto (or ""), always or never.
	Pin string
	// UpstreamCA is a PEM file of extra root CAs trusted for servers.
	UpstreamCA       string
	InsecureUpstream bool
	// UpstreamAuthFile is a file holding user:password for the upstream
	// proxy (first line). Without it, the environment variable
	// EnvUpstreamAuth is used. Credentials typed into Upstream work but
	// are visible to every local user (ps), and say so in a warning.
	UpstreamAuthFile string

	// AllowFrom is a comma-separated CIDR list of client addresses
	// accepted besides loopback; required with a non-loopback Listen.
	AllowFrom string
	// ProxyPasswordFile holds the password remote clients must send
	// (Proxy-Authorization Basic, any user name). Without it the
	// environment variable EnvProxyPassword is used, and without that a
	// password is generated for the run (Options.ProxyPasswordGenerated).
	ProxyPasswordFile string

	// The limits, as typed ("" is the default): MaxHeaderBytes (request
	// line + headers), MaxConns (concurrent client connections),
	// IdleTimeout (keep-alive wait for the next request), HeaderTimeout
	// (receiving one request's line and headers), RequestTimeout (one
	// whole exchange), JournalLimit (bytes of journal before recording
	// stops) and MinFreeDisk (free space kept on the journal's disk).
	// ResponseTimeout is how long a server may take to start answering.
	MaxHeaderBytes, MaxConns, IdleTimeout, HeaderTimeout, RequestTimeout, ResponseTimeout, JournalLimit, MinFreeDisk string

	// Getenv reads the environment (nil means os.Getenv); tests set it.
	Getenv func(string) string
}

// Environment variables ParseConfig reads secrets from, so that they never
// appear in a command line.
const (
	// EnvUpstreamAuth holds user:password for the upstream proxy.
	EnvUpstreamAuth = "AUTHLENS_UPSTREAM_AUTH"
	// EnvProxyPassword holds the password remote clients must send.
	EnvProxyPassword = "AUTHLENS_PROXY_PASSWORD"
)

// Field names used in FieldError: the `authlens capture` flag of each
// setting.
const (
	FieldListen     = "listen"
	FieldUpstream   = "upstream"
	FieldBodyLimit  = "body-limit"
	FieldPin        = "pin"
	FieldUpstreamCA = "upstream-ca"

	FieldUpstreamAuthFile  = "upstream-auth-file"
	FieldAllowFrom         = "allow-from"
	FieldProxyPasswordFile = "proxy-password-file"
	FieldMaxHeaderBytes    = "max-header-bytes"
	FieldMaxConns          = "max-conns"
	FieldIdleTimeout       = "idle-timeout"
	FieldHeaderTimeout     = "header-timeout"
	FieldRequestTimeout    = "request-timeout"
	FieldResponseTimeout   = "response-timeout"
	FieldJournalLimit      = "journal-limit"
	FieldMinFreeDisk       = "min-free-disk"
)

// FieldError is a setting ParseConfig refused; Field names it.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// ParseConfig validates c and returns the Options it describes. The caller
// adds what is not a typed setting (CA, callbacks, Version). Every error
// is a *FieldError.
func ParseConfig(c Config) (Options, error) {
	opts := Options{
		Listen: strings.TrimSpace(c.Listen), AllowRemote: c.AllowRemote, Out: c.Out,
		InsecureUpstream: c.InsecureUpstream,
		Include:          splitList(c.Include), Exclude: splitList(c.Exclude), Passthrough: splitList(c.Passthrough),
	}
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if err := checkListen(opts.Listen, c.AllowRemote); err != nil {
		return Options{}, &FieldError{FieldListen, err}
	}
	if up := strings.TrimSpace(c.Upstream); up != "" {
		u, err := url.Parse(up)
		if err != nil || u.Host == "" {
			return Options{}, &FieldError{FieldUpstream, errors.New("must look like http://host:port (with user:password@ if the proxy needs a login)")}
		}
		if u.Scheme != "http" {
			return Options{}, &FieldError{FieldUpstream, fmt.Errorf("only http:// proxies are supported, not %s://", u.Scheme)}
		}
		opts.Upstream = u
	}
	if s := strings.TrimSpace(c.BodyLimit); s != "" {
		n, err := ParseSize(s)
		if err != nil {
			return Options{}, &FieldError{FieldBodyLimit, err}
		}
		opts.BodyLimit = n
		if n == 0 {
			opts.BodyLimit = -1 // the setting's 0 means no bodies; Options' 0 means default
		}
	}
	switch strings.TrimSpace(c.Pin) {
	case "", "auto":
		opts.Pin = PinAuto
	case "always":
		opts.Pin = PinAlways
	case "never":
		opts.Pin = PinNever
	default:
		return Options{}, &FieldError{FieldPin, fmt.Errorf("must be auto, always or never, not %q", c.Pin)}
	}
	if c.UpstreamCA != "" {
		certs, err := readPEMCerts(c.UpstreamCA)
		if err != nil {
			return Options{}, &FieldError{FieldUpstreamCA, err}
		}
		opts.UpstreamRoots = certs
	}
	if err := parseSecrets(c, &opts); err != nil {
		return Options{}, err
	}
	lim, err := parseLimits(c)
	if err != nil {
		return Options{}, err
	}
	opts.Limits = lim
	if opts.InsecureUpstream {
		opts.Warnings = append(opts.Warnings, InsecureUpstreamWarning)
	}
	return opts, nil
}

// InsecureUpstreamWarning is shown whenever servers' certificates are not
// verified.
const InsecureUpstreamWarning = "WARNING: --insecure-upstream: servers' certificates are not verified; anyone on the path to a server can read and change that traffic"

// parseSecrets reads the upstream credentials and the proxy password from
// files or the environment, and the client allow-list.
func parseSecrets(c Config, opts *Options) error {
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if opts.Upstream != nil {
		if opts.Upstream.User != nil {
			opts.Warnings = append(opts.Warnings, "WARNING: the upstream proxy's credentials were given on the command line, where every local user can read them (ps); use --"+FieldUpstreamAuthFile+" or $"+EnvUpstreamAuth+" instead")
		}
		var auth string
		switch {
		case c.UpstreamAuthFile != "":
			s, err := readSecretFile(c.UpstreamAuthFile)
			if err != nil {
				return &FieldError{FieldUpstreamAuthFile, err}
			}
			auth = s
		case getenv(EnvUpstreamAuth) != "":
			auth = strings.TrimSpace(getenv(EnvUpstreamAuth))
		}
		if auth != "" {
			user, pass, ok := strings.Cut(auth, ":")
			if !ok || user == "" {
				field := FieldUpstreamAuthFile
				if c.UpstreamAuthFile == "" {
					field = FieldUpstream
				}
				return &FieldError{field, errors.New("the upstream credentials must read user:password")}
			}
			u := *opts.Upstream
			u.User = url.UserPassword(user, pass)
			opts.Upstream = &u
		}
	} else if c.UpstreamAuthFile != "" {
		return &FieldError{FieldUpstreamAuthFile, errors.New("given without --upstream")}
	}
	for _, s := range splitList(c.AllowFrom) {
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			if ip := net.ParseIP(s); ip != nil {
				bits := 128
				if ip.To4() != nil {
					ip, bits = ip.To4(), 32
				}
				n = &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}
			} else {
				return &FieldError{FieldAllowFrom, fmt.Errorf("%q is not a CIDR block (like 10.0.0.0/8) or an address", s)}
			}
		}
		opts.AllowFrom = append(opts.AllowFrom, n)
	}
	switch {
	case c.ProxyPasswordFile != "":
		s, err := readSecretFile(c.ProxyPasswordFile)
		if err != nil {
			return &FieldError{FieldProxyPasswordFile, err}
		}
		opts.ProxyPassword = s
	case getenv(EnvProxyPassword) != "":
		opts.ProxyPassword = strings.TrimSpace(getenv(EnvProxyPassword))
	}
	if opts.AllowRemote && !IsLoopback(opts.Listen) {
		if len(opts.AllowFrom) == 0 {
			return &FieldError{FieldAllowFrom, errors.New("listening beyond loopback needs the list of client networks allowed to connect (for example --allow-from 192.168.1.0/24)")}
		}
		if opts.ProxyPassword == "" {
			pw, err := NewProxyPassword()
			if err != nil {
				return &FieldError{FieldProxyPasswordFile, err}
			}
			opts.ProxyPassword, opts.ProxyPasswordGenerated = pw, true
		}
	}
	return nil
}

// NewProxyPassword returns a random password for remote clients.
func NewProxyPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating the proxy password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// readSecretFile returns the first line of a small file.
func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return line, nil
}

// parseLimits reads the typed limits; "" keeps each default.
func parseLimits(c Config) (Limits, error) {
	var l Limits
	sizes := []struct {
		field, in string
		out       *int64
	}{
		{FieldMaxHeaderBytes, c.MaxHeaderBytes, &l.MaxHeaderBytes},
		{FieldJournalLimit, c.JournalLimit, &l.JournalBytes},
		{FieldMinFreeDisk, c.MinFreeDisk, &l.MinFreeDisk},
	}
	for _, s := range sizes {
		if strings.TrimSpace(s.in) == "" {
			continue
		}
		n, err := ParseSize(s.in)
		if err != nil {
			return Limits{}, &FieldError{s.field, err}
		}
		if n == 0 && s.field == FieldMaxHeaderBytes {
			return Limits{}, &FieldError{s.field, errors.New("must be more than 0")}
		}
		if n == 0 {
			n = -1 // the setting's 0 means no limit; Limits' 0 means default
		}
		*s.out = n
	}
	if s := strings.TrimSpace(c.MaxConns); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1<<20 {
			return Limits{}, &FieldError{FieldMaxConns, fmt.Errorf("%q is not a connection count from 1 to 1048576", c.MaxConns)}
		}
		l.MaxConns = n
	}
	durs := []struct {
		field, in string
		out       *time.Duration
	}{
		{FieldIdleTimeout, c.IdleTimeout, &l.IdleTimeout},
		{FieldHeaderTimeout, c.HeaderTimeout, &l.HeaderTimeout},
		{FieldRequestTimeout, c.RequestTimeout, &l.RequestTimeout},
		{FieldResponseTimeout, c.ResponseTimeout, &l.ResponseTimeout},
	}
	for _, d := range durs {
		if strings.TrimSpace(d.in) == "" {
			continue
		}
		v, err := time.ParseDuration(strings.TrimSpace(d.in))
		if err != nil || v <= 0 {
			return Limits{}, &FieldError{d.field, fmt.Errorf("%q is not a positive duration (like 30s or 5m)", d.in)}
		}
		*d.out = v
	}
	return l, nil
}

// checkListen accepts host:port with a numeric port, on loopback unless
// remote listening was asked for.
func checkListen(listen string, allowRemote bool) error {
	_, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", listen, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q: the port must be a number from 0 to 65535", listen)
	}
	if !allowRemote && !IsLoopback(listen) {
		return fmt.Errorf("refusing to listen on %s: an open MITM proxy lets anyone who can reach it read and change traffic; listen on 127.0.0.1 or pass --allow-remote", listen)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseSize reads a byte count with an optional k/M/G (1000-based) or
// KiB/MiB/GiB suffix.
func ParseSize(s string) (int64, error) {
	orig := s
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"k", 1000}, {"K", 1000}, {"M", 1000 * 1000}, {"G", 1000 * 1000 * 1000}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a byte count", orig)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is too large", orig)
	}
	return n * mult, nil
}

func readPEMCerts(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parsing a certificate in %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return certs, nil
}
