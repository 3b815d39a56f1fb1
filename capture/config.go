package capture

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
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
}

// Field names used in FieldError: the `authlens capture` flag of each
// setting.
const (
	FieldListen     = "listen"
	FieldUpstream   = "upstream"
	FieldBodyLimit  = "body-limit"
	FieldPin        = "pin"
	FieldUpstreamCA = "upstream-ca"
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
	return opts, nil
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
