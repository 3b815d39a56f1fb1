package capture

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

func TestParseConfigLimitsAndSecrets(t *testing.T) {
	dir := t.TempDir()
	authFile := filepath.Join(dir, "upstream-auth")
	os.WriteFile(authFile, []byte("alice:from-file\n"), 0o600)
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("remote-pass\n"), 0o600)
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	opts, err := ParseConfig(Config{MaxHeaderBytes: "64KiB", MaxConns: "10", IdleTimeout: "5s", HeaderTimeout: "2s",
		RequestTimeout: "1m", ResponseTimeout: "30s", JournalLimit: "1GiB", MinFreeDisk: "0", Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{MaxHeaderBytes: 64 << 10, MaxConns: 10, IdleTimeout: 5 * time.Second, HeaderTimeout: 2 * time.Second,
		RequestTimeout: time.Minute, ResponseTimeout: 30 * time.Second, JournalBytes: 1 << 30, MinFreeDisk: -1}
	if opts.Limits != want {
		t.Errorf("limits %+v, want %+v", opts.Limits, want)
	}
	if d := (Limits{}).withDefaults(); d.MaxHeaderBytes != 1<<20 || d.MaxConns != DefaultMaxConns || d.HeaderTimeout != DefaultHeaderTimeout || d.JournalBytes != DefaultJournalBytes {
		t.Errorf("defaults %+v", d)
	}

	// Upstream credentials: from a file, from the environment, and a
	// warning when they are typed into the URL.
	opts, err = ParseConfig(Config{Upstream: "http://proxy.test:3128", UpstreamAuthFile: authFile, Getenv: getenv})
	if pw, _ := opts.Upstream.User.Password(); err != nil || opts.Upstream.User.Username() != "alice" || pw != "from-file" || len(opts.Warnings) != 0 {
		t.Errorf("credentials from a file: %v %v %q", opts.Upstream, err, opts.Warnings)
	}
	env[EnvUpstreamAuth] = "bob:from-env"
	opts, _ = ParseConfig(Config{Upstream: "http://proxy.test:3128", Getenv: getenv})
	if pw, _ := opts.Upstream.User.Password(); pw != "from-env" {
		t.Errorf("credentials from the environment: %v", opts.Upstream)
	}
	opts, _ = ParseConfig(Config{Upstream: "http://u:argv-pass@proxy.test:3128", Getenv: func(string) string { return "" }})
	if len(opts.Warnings) != 1 || !strings.Contains(opts.Warnings[0], "command line") || strings.Contains(opts.Warnings[0], "argv-pass") {
		t.Errorf("argv credentials warning: %q", opts.Warnings)
	}
	if opts, _ := ParseConfig(Config{InsecureUpstream: true}); len(opts.Warnings) != 1 || !strings.Contains(opts.Warnings[0], "not verified") {
		t.Errorf("insecure-upstream warning: %q", opts.Warnings)
	}

	// Remote listening: allow-from required, a password generated (or
	// taken from a file or the environment).
	opts, err = ParseConfig(Config{Listen: "0.0.0.0:8080", AllowRemote: true, AllowFrom: "10.0.0.0/8, 192.168.1.7", Getenv: getenv})
	if err != nil || len(opts.AllowFrom) != 2 || !opts.ProxyPasswordGenerated || len(opts.ProxyPassword) < 20 {
		t.Errorf("remote: %v %v generated=%v", opts.AllowFrom, err, opts.ProxyPasswordGenerated)
	}
	opts, _ = ParseConfig(Config{Listen: "0.0.0.0:8080", AllowRemote: true, AllowFrom: "10.0.0.0/8", ProxyPasswordFile: pwFile, Getenv: getenv})
	if opts.ProxyPassword != "remote-pass" || opts.ProxyPasswordGenerated {
		t.Errorf("password from a file: generated=%v", opts.ProxyPasswordGenerated)
	}
	env[EnvProxyPassword] = "env-pass"
	opts, _ = ParseConfig(Config{Listen: "0.0.0.0:8080", AllowRemote: true, AllowFrom: "10.0.0.0/8", Getenv: getenv})
	if opts.ProxyPassword != "env-pass" {
		t.Errorf("password from the environment")
	}

	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{Listen: "0.0.0.0:8080", AllowRemote: true}, FieldAllowFrom},
		{Config{AllowFrom: "10.0.0.0/33"}, FieldAllowFrom},
		{Config{AllowFrom: "nowhere"}, FieldAllowFrom},
		{Config{MaxHeaderBytes: "0"}, FieldMaxHeaderBytes},
		{Config{MaxHeaderBytes: "99999999999GiB"}, FieldMaxHeaderBytes},
		{Config{MaxConns: "0"}, FieldMaxConns},
		{Config{MaxConns: "many"}, FieldMaxConns},
		{Config{IdleTimeout: "soon"}, FieldIdleTimeout},
		{Config{HeaderTimeout: "-1s"}, FieldHeaderTimeout},
		{Config{RequestTimeout: "0s"}, FieldRequestTimeout},
		{Config{ResponseTimeout: "1"}, FieldResponseTimeout},
		{Config{JournalLimit: "big"}, FieldJournalLimit},
		{Config{MinFreeDisk: "-5"}, FieldMinFreeDisk},
		{Config{UpstreamAuthFile: authFile}, FieldUpstreamAuthFile},
		{Config{Upstream: "http://p:1", UpstreamAuthFile: filepath.Join(dir, "missing")}, FieldUpstreamAuthFile},
		{Config{Listen: "0.0.0.0:1", AllowRemote: true, AllowFrom: "10.0.0.0/8", ProxyPasswordFile: filepath.Join(dir, "missing")}, FieldProxyPasswordFile},
	} {
		c.cfg.Getenv = func(string) string { return "" }
		_, err := ParseConfig(c.cfg)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want a FieldError on %s", c.cfg, err, c.field)
		}
	}
}
