package capture

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startNginx serves 401 and 403 scenarios over HTTP and HTTPS (with the
// origin PKI's certificate) on two free loopback ports.
func startNginx(t *testing.T, pki *originPKI) (httpBase, httpsBase string) {
	t.Helper()
	bin := needBinary(t, "nginx")
	htpasswd := needBinary(t, "htpasswd")
	// nginx workers run as nobody: everything they read must be readable.
	dir, err := os.MkdirTemp("", "authlens-nginx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	www := filepath.Join(dir, "www")
	os.MkdirAll(filepath.Join(www, "basic"), 0o755)
	os.WriteFile(filepath.Join(www, "index.html"), []byte(`<!doctype html><html><head><title>loading</title></head><body>
<h1>AuthLens capture test</h1><img src="/forbidden" alt="">
<script>fetch('/api/me').then(r => { document.title = 'api ' + r.status; });</script></body></html>`), 0o644)
	os.WriteFile(filepath.Join(www, "basic", "index.html"), []byte("members only\n"), 0o644)
	if out, err := exec.Command(htpasswd, "-b", "-c", "-m", filepath.Join(dir, "htpasswd"), "alice", "secret").CombinedOutput(); err != nil {
		t.Fatalf("htpasswd: %v\n%s", err, out)
	}
	for _, f := range []string{"htpasswd"} {
		os.Chmod(filepath.Join(dir, f), 0o644)
	}
	cert, key := filepath.Join(dir, "origin.pem"), filepath.Join(dir, "origin-key.pem")
	os.WriteFile(cert, pki.CertPEM, 0o644)
	os.WriteFile(key, pki.KeyPEM, 0o644)
	httpPort, httpsPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
  access_log %[1]s/access.log;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  default_type text/html;
  server {
    listen 127.0.0.1:%[2]d;
    listen 127.0.0.1:%[3]d ssl;
    ssl_certificate %[4]s;
    ssl_certificate_key %[5]s;
    root %[1]s/www;
    location /basic/ { auth_basic "AuthLens nginx"; auth_basic_user_file %[1]s/htpasswd; }
    location = /forbidden { return 403; }
    location = /api/me {
      add_header WWW-Authenticate 'Bearer realm="api"' always;
      default_type application/json;
      return 401 '{"detail":"Authentication credentials were not provided."}';
    }
  }
}
`, dir, httpPort, httpsPort, cert, key)
	confPath := filepath.Join(dir, "nginx.conf")
	os.WriteFile(confPath, []byte(conf), 0o644)
	startDaemon(t, fmt.Sprintf("127.0.0.1:%d", httpsPort), bin, "-c", confPath, "-p", dir)
	return fmt.Sprintf("http://127.0.0.1:%d", httpPort), fmt.Sprintf("https://127.0.0.1:%d", httpsPort)
}

func TestChromiumThroughProxyAgainstNginx(t *testing.T) {
	node := needBinary(t, "node")
	needBinary(t, "chromium")
	pwcore, err := filepath.Abs("../testdata/tools/node_modules/playwright-core")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pwcore); err != nil {
		t.Fatalf("playwright-core is not installed (npm ci in testdata/tools): %v", err)
	}
	pki := newOriginPKI(t)
	httpBase, httpsBase := startNginx(t, pki)
	out := filepath.Join(t.TempDir(), "chromium.har")
	p, stop := startProxy(t, Options{Out: out, UpstreamRoots: []*x509.Certificate{pki.CA}})

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/chromium_capture.js", p.Addr().String(), p.opts.CA.SPKIHash(), httpBase, httpsBase)
	cmd.Env = append(os.Environ(), "PLAYWRIGHT_CORE="+pwcore)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium through the proxy: %v\n%s", err, stderr.String())
	}
	var results [][2]any
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("script output %q: %v", stdout.String(), err)
	}
	want := map[string]any{}
	for _, base := range []string{httpBase, httpsBase} {
		want[base+"/"] = 200.0
		want[base+"/api/me"] = "api 401"
		want[base+"/basic/"] = 401.0
		want[base+"/forbidden"] = 403.0
	}
	for _, r := range results {
		if want[r[0].(string)] != r[1] {
			t.Errorf("Chromium saw %v = %v, want %v", r[0], r[1], want[r[0].(string)])
		}
	}
	if len(results) != len(want) {
		t.Fatalf("script results %v", results)
	}

	final := stop()
	validateHAR(t, final)
	tr := loadHAR(t, final)
	for _, base := range []string{httpBase, httpsBase} {
		for _, c := range []struct {
			path, challenge string
			status          int
		}{{"/basic/", "Basic realm=\"AuthLens nginx\"", 401}, {"/api/me", "Bearer realm=\"api\"", 401}, {"/forbidden", "", 403}} {
			e, err := findEntry(tr.Entries, "GET", base+c.path, c.status)
			if err != nil {
				for _, e := range tr.Entries {
					t.Logf("entry %d: %s %s %d", e.Index, e.Request.Method, e.Request.URL, e.Response.Status)
				}
				t.Fatalf("the saved HAR lacks %s%s: %v", base, c.path, err)
			}
			if got := header(e, true, "WWW-Authenticate"); got != c.challenge {
				t.Errorf("%s%s: WWW-Authenticate %q, want %q", base, c.path, got, c.challenge)
			}
			if !strings.Contains(header(e, false, "User-Agent"), "Chrome") {
				t.Errorf("%s%s: not Chromium's request (User-Agent %q)", base, c.path, header(e, false, "User-Agent"))
			}
			if strings.HasPrefix(base, "https") {
				if e.SecurityDetails == nil || e.SecurityDetails.Issuer != "AuthLens test origin CA" {
					t.Errorf("%s%s: security details %+v", base, c.path, e.SecurityDetails)
				}
				if !strings.Contains(e.Comment, "HTTP/2") {
					t.Errorf("%s%s: Chromium offers h2; the entry comment does not say it was negotiated down: %q", base, c.path, e.Comment)
				}
			}
		}
	}
	if _, err := findEntry(tr.Entries, "GET", httpsBase+"/", 200); err != nil {
		t.Error(err)
	}
}
