package capture

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestParseConfig(t *testing.T) {
	pki := newOriginPKI(t)
	opts, err := ParseConfig(Config{
		Listen: " 127.0.0.1:9090 ", Out: "x.har", Upstream: "http://u:p@proxy.test:3128",
		Include: "a.test, b.test,", Exclude: "c.test", Passthrough: "pinned.test",
		BodyLimit: "64KiB", Pin: "always", UpstreamCA: pki.CAFile, InsecureUpstream: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Listen != "127.0.0.1:9090" || opts.Out != "x.har" || opts.Upstream.Host != "proxy.test:3128" ||
		len(opts.Include) != 2 || opts.Include[1] != "b.test" || len(opts.Exclude) != 1 || len(opts.Passthrough) != 1 ||
		opts.BodyLimit != 64<<10 || opts.Pin != PinAlways || len(opts.UpstreamRoots) != 1 || !opts.InsecureUpstream {
		t.Errorf("options: %+v", opts)
	}

	// The zero Config is the defaults.
	opts, err = ParseConfig(Config{})
	if err != nil || opts.Listen != DefaultListen || opts.BodyLimit != 0 || opts.Pin != PinAuto || opts.Upstream != nil {
		t.Errorf("defaults: %+v, %v", opts, err)
	}
	// "0" records no bodies (Options' 0 would mean the default).
	if opts, _ := ParseConfig(Config{BodyLimit: "0"}); opts.BodyLimit >= 0 {
		t.Errorf("body limit 0 gave %d", opts.BodyLimit)
	}
	for in, want := range map[string]int64{"1000": 1000, "2k": 2000, "1MiB": 1 << 20, "3 M": 3e6, "1GiB": 1 << 30} {
		if n, err := ParseSize(in); err != nil || n != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, n, err, want)
		}
	}
	if opts, err := ParseConfig(Config{Listen: "0.0.0.0:8080", AllowRemote: true, AllowFrom: "192.168.1.0/24"}); err != nil || opts.Listen != "0.0.0.0:8080" {
		t.Errorf("remote listen with AllowRemote: %v", err)
	}
}

func TestParseConfigNamesTheField(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o600)
	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{Listen: "8080"}, FieldListen},
		{Config{Listen: "127.0.0.1:http"}, FieldListen},
		{Config{Listen: "127.0.0.1:70000"}, FieldListen},
		{Config{Listen: "0.0.0.0:8080"}, FieldListen},
		{Config{Upstream: "proxy.test:3128"}, FieldUpstream},
		{Config{Upstream: "https://proxy.test:3128"}, FieldUpstream},
		{Config{Upstream: "http://"}, FieldUpstream},
		{Config{BodyLimit: "lots"}, FieldBodyLimit},
		{Config{BodyLimit: "-1"}, FieldBodyLimit},
		{Config{Pin: "sometimes"}, FieldPin},
		{Config{UpstreamCA: filepath.Join(t.TempDir(), "missing.pem")}, FieldUpstreamCA},
		{Config{UpstreamCA: notPEM}, FieldUpstreamCA},
	} {
		_, err := ParseConfig(c.cfg)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want a FieldError on %s", c.cfg, err, c.field)
			continue
		}
		if fe.Error()[:len(c.field)+1] != c.field+":" {
			t.Errorf("message %q does not start with the field", fe.Error())
		}
	}
}
