package capture

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"authlens/har"
)

// FuzzParseConfig: no setting, however typed, panics the parser, and what
// it accepts is within bounds.
func FuzzParseConfig(f *testing.F) {
	for _, s := range [][]string{
		{"127.0.0.1:8080", "1MiB", "1MiB", "512", "30s", "10.0.0.0/8", "http://proxy:3128"},
		{"0.0.0.0:0", "0", "9223372036854775807", "1", "1ns", "::1", "http://u:p@h:1"},
		{"[::1]:70000", "8 GiB", "99999999999G", "-1", "-5s", "10.0.0.1/33, fe80::/10", "https://x"},
		{"", "", "", "", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
	}
	f.Fuzz(func(t *testing.T, listen, body, header, conns, dur, allow, upstream string) {
		if len(listen)+len(body)+len(header)+len(conns)+len(dur)+len(allow)+len(upstream) > 4096 {
			return
		}
		env := func(string) string { return "" }
		opts, err := ParseConfig(Config{Listen: listen, BodyLimit: body, MaxHeaderBytes: header, JournalLimit: body, MinFreeDisk: header,
			MaxConns: conns, IdleTimeout: dur, HeaderTimeout: dur, RequestTimeout: dur, ResponseTimeout: dur,
			AllowFrom: allow, Upstream: upstream, AllowRemote: true, Getenv: env})
		if n, err := ParseSize(body); err == nil && n < 0 {
			t.Fatalf("ParseSize(%q) = %d", body, n)
		}
		if err != nil {
			var fe *FieldError
			if !errorsAs(err, &fe) || fe.Field == "" {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		l := opts.Limits
		if l.MaxHeaderBytes < 0 || l.MaxConns < 0 || l.MaxConns > 1<<20 || l.IdleTimeout < 0 || l.HeaderTimeout < 0 {
			t.Fatalf("limits out of bounds: %+v", l)
		}
		if opts.Upstream != nil && opts.Upstream.Scheme != "http" {
			t.Fatalf("upstream %v accepted", opts.Upstream)
		}
		if !IsLoopback(opts.Listen) && (len(opts.AllowFrom) == 0 || opts.ProxyPassword == "") {
			t.Fatalf("remote listen %q accepted without allow-from and password", opts.Listen)
		}
		_ = l.withDefaults().String()
	})
}

// FuzzHopByHop: whatever a client puts in Connection, none of the fields
// it names nor any RFC 9110 §7.6.1 field survives, the other fields do,
// and a Via value never makes the loop check panic.
func FuzzHopByHop(f *testing.F) {
	f.Add("keep-alive, X-Secret", "X-Secret", "1.1 authlens-abc, 1.0 squid")
	f.Add("Upgrade", "Upgrade", "")
	f.Add(",,, ,\t", "X-Kept", "1.1")
	f.Add("close", "Te", "authlens-x")
	f.Fuzz(func(t *testing.T, connection, name, via string) {
		h := http.Header{}
		h.Set("Connection", connection)
		key := http.CanonicalHeaderKey(strings.TrimSpace(name))
		if key != "" {
			h.Set(key, "v")
		}
		h.Set("X-End-To-End", "kept")
		h.Set("Keep-Alive", "5")
		h.Set("Via", via)
		p := &Proxy{viaToken: "authlens-abc"}
		_ = p.looped(h)
		stripHopByHop(h, false)
		for _, f := range hopByHop {
			if h.Get(f) != "" {
				t.Fatalf("%s survived", f)
			}
		}
		named := map[string]bool{}
		for _, n := range strings.Split(connection, ",") {
			if n = strings.TrimSpace(n); n != "" {
				named[http.CanonicalHeaderKey(n)] = true
				if h.Get(n) != "" {
					t.Fatalf("%q, named in Connection, survived", n)
				}
			}
		}
		if !named["X-End-To-End"] && h.Get("X-End-To-End") != "kept" {
			t.Fatalf("an end-to-end field was removed (Connection %q)", connection)
		}
	})
}

// FuzzRefusalEntry: the first bytes of any request become an entry whose
// method is a token and whose URL parses, and the entry is valid JSON.
func FuzzRefusalEntry(f *testing.F) {
	f.Add([]byte("GET http://example.com/a?b HTTP/1.1\r\nHost: x\r\n"), false)
	f.Add([]byte("CONNECT host:443 HTTP/1.1\r\n"), false)
	f.Add([]byte("GET /%zz\x00\xff HTTP/1.1"), false)
	f.Add([]byte("\x16\x03\x01"), true)
	f.Fuzz(func(t *testing.T, head []byte, inTLS bool) {
		method, u := requestLineOf(head, inTLS, "tunnel.test:443", "127.0.0.1:8080")
		if !validMethod(method) {
			t.Fatalf("method %q", method)
		}
		if _, err := url.Parse(u); err != nil {
			t.Fatalf("URL %q does not parse: %v", u, err)
		}
		e := &har.Entry{StartedDateTime: time.Unix(0, 0), Request: har.Request{Method: method, URL: u}}
		var b bytes.Buffer
		w, err := har.NewWriter(&b, NewLog("fuzz"))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteEntry(e); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if !json.Valid(b.Bytes()) {
			t.Fatalf("invalid JSON for %q", head)
		}
	})
}
