package capture

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// TestMain removes the binary authlensBinary built.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// authlensBinary builds the real authlens command from the repository
// root into a temporary directory, once per test process.
func authlensBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "authlens-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "authlens")
		cmd := exec.Command("go", "build", "-o", builtBin, ".")
		cmd.Dir = ".."
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("building authlens: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

// cliEnv runs the binary with its own config directory (so the CA lives
// in the test's temporary XDG_CONFIG_HOME) and no proxy variables.
func cliEnv(config string) []string {
	env := []string{"XDG_CONFIG_HOME=" + config, "HOME=" + config}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToLower(k) {
		case "xdg_config_home", "home", "http_proxy", "https_proxy", "no_proxy", "all_proxy":
			continue
		}
		env = append(env, kv)
	}
	return env
}

func runCLI(t *testing.T, config string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, authlensBinary(t), args...)
	cmd.Env = cliEnv(config)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running authlens %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

func TestCLICACommands(t *testing.T) {
	config := t.TempDir()
	out, errOut, code := runCLI(t, config, "ca", "path")
	want := filepath.Join(config, "authlens", "ca.pem")
	if code != 0 || strings.TrimSpace(out) != want {
		t.Fatalf("ca path: %d %q %q; want %s (XDG_CONFIG_HOME moves the CA)", code, out, errOut, want)
	}
	dirInfo, _ := os.Stat(filepath.Join(config, "authlens"))
	keyInfo, _ := os.Stat(filepath.Join(config, "authlens", "ca-key.pem"))
	if dirInfo.Mode().Perm() != 0o700 || keyInfo.Mode().Perm() != 0o600 {
		t.Errorf("CA directory mode %04o, key mode %04o; want 0700 and 0600", dirInfo.Mode().Perm(), keyInfo.Mode().Perm())
	}
	pemFile := filepath.Join(t.TempDir(), "ca.pem")
	derFile := filepath.Join(t.TempDir(), "ca.crt")
	if _, e, c := runCLI(t, config, "ca", "export", pemFile); c != 0 {
		t.Fatalf("ca export: %d %s", c, e)
	}
	if _, e, c := runCLI(t, config, "ca", "export", derFile, "--der"); c != 0 {
		t.Fatalf("ca export --der: %d %s", c, e)
	}
	pemData, _ := os.ReadFile(pemFile)
	derData, _ := os.ReadFile(derFile)
	block, _ := pem.Decode(pemData)
	if block == nil || !bytes.Equal(block.Bytes, derData) {
		t.Fatal("the PEM and DER exports are not the same certificate")
	}
	cert, err := x509.ParseCertificate(derData)
	if err != nil || !cert.IsCA {
		t.Fatalf("exported certificate: %v (IsCA %v)", err, cert != nil && cert.IsCA)
	}
	info, _, _ := runCLI(t, config, "ca", "info")
	ca, err := LoadCA(filepath.Join(config, "authlens"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(info, ca.Fingerprint()) || !strings.Contains(info, ca.SPKIHash()) {
		t.Errorf("ca info lacks the fingerprints:\n%s", info)
	}
	help, _, _ := runCLI(t, config, "ca", "help")
	for _, w := range []string{"--proxy-server=127.0.0.1:8080", "<-loopback>", "certutil", "Firefox", "security add-trusted-cert"} {
		if !strings.Contains(help, w) {
			t.Errorf("ca help lacks %q", w)
		}
	}
	if _, e, c := runCLI(t, config, "ca", "regenerate"); c != 0 {
		t.Fatalf("ca regenerate: %d %s", c, e)
	}
	ca2, err := LoadCA(filepath.Join(config, "authlens"))
	if err != nil {
		t.Fatal(err)
	}
	if ca2.Fingerprint() == ca.Fingerprint() {
		t.Error("ca regenerate kept the same certificate")
	}
}

// captureProcess is a running `authlens capture`.
type captureProcess struct {
	cmd    *exec.Cmd
	addr   string
	stdout *lockedBuffer
	stderr *lockedBuffer
	exited chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startCaptureCLI(t *testing.T, config string, args ...string) *captureProcess {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(authlensBinary(t), append([]string{"capture", "--listen", addr}, args...)...)
	cmd.Env = cliEnv(config)
	cp := &captureProcess{cmd: cmd, addr: addr, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = cp.stdout, cp.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(cp.exited) }()
	t.Cleanup(func() {
		select {
		case <-cp.exited:
		default:
			cmd.Process.Kill()
			<-cp.exited
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(cp.stderr.String(), "capture proxy on") {
		select {
		case <-cp.exited:
			t.Fatalf("authlens capture exited: %s", cp.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("authlens capture did not start: %s", cp.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cp
}

func TestCLICaptureSurvivesKill9(t *testing.T) {
	config := t.TempDir()
	pki := newOriginPKI(t)
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	secure := startTLSOrigin(t, pki, originMux())
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if _, e, c := runCLI(t, config, "ca", "export", caFile); c != 0 {
		t.Fatalf("ca export: %s", e)
	}
	out := filepath.Join(t.TempDir(), "crash.har")
	cp := startCaptureCLI(t, config, "--out", out, "--upstream-ca", pki.CAFile)
	proxy := "http://" + cp.addr
	// Every curl returns only after its response is complete: each of
	// these exchanges must survive the kill.
	n := 0
	for i := 0; i < 3; i++ {
		for _, base := range []string{plain.URL, secure.URL} {
			curl(t, "-x", proxy, "--cacert", caFile, "-o", "/dev/null", base+"/basic?try="+fmt.Sprint(i))
			n++
		}
	}
	curl(t, "-x", proxy, "--cacert", caFile, "-H", "Authorization: Bearer good-token", secure.URL+"/api/me")
	n++
	if err := cp.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-cp.exited
	journal := JournalPath(out)
	tr := loadHAR(t, journal)
	if len(tr.Entries) != n {
		t.Fatalf("after kill -9 the journal holds %d entries, want %d (damage %v)", len(tr.Entries), n, tr.Damage)
	}
	if tr.Damage == nil {
		t.Error("the journal of a killed capture reads as a closed HAR")
	}
	for i, e := range tr.Entries {
		if e.Request.Method != "GET" || (e.Response.Status != 401 && e.Response.Status != 200) {
			t.Errorf("journal entry %d: %s %s %d", i, e.Request.Method, e.Request.URL, e.Response.Status)
		}
	}
	// The live lines may lag the journal (the process was killed right
	// after the last exchange); they never show secrets.
	if strings.Contains(cp.stdout.String(), "good-token") {
		t.Error("the live output printed a token")
	}

	// analyze reads the journal as it is.
	js, e, code := runCLI(t, config, "analyze", "--format", "json", journal)
	if code != 0 {
		t.Fatalf("authlens analyze %s: %d %s", journal, code, e)
	}
	var rep struct {
		Source struct {
			Entries int `json:"entries"`
		} `json:"source"`
		Exchanges []struct {
			Status int `json:"status"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("analyze json: %v\n%s", err, js)
	}
	if rep.Source.Entries != n || len(rep.Exchanges) != 6 {
		t.Errorf("analyze of the journal: %d entries, %d exchanges; want %d and 6 401s", rep.Source.Entries, len(rep.Exchanges), n)
	}

	// The GUI's recovery: find the journal, turn it into a HAR.
	found, err := FindJournals(filepath.Dir(out))
	if err != nil || len(found) != 1 || found[0].Path != journal || found[0].Target != out {
		t.Fatalf("FindJournals: %+v %v", found, err)
	}
	res, err := Recover(context.Background(), journal)
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries != n || res.Path != out {
		t.Errorf("Recover: %+v", res)
	}
	if _, err := os.Stat(journal); !os.IsNotExist(err) {
		t.Error("the journal is still there after recovery")
	}
	validateHAR(t, out)
	if tr := loadHAR(t, out); len(tr.Entries) != n || tr.Damage != nil {
		t.Errorf("recovered HAR: %d entries, damage %v", len(tr.Entries), tr.Damage)
	}
}

func TestCLICaptureStopsCleanlyOnSIGTERM(t *testing.T) {
	config := t.TempDir()
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	out := filepath.Join(t.TempDir(), "clean.har")
	cp := startCaptureCLI(t, config, "--out", out)
	curl(t, "-x", "http://"+cp.addr, plain.URL+"/basic")
	curl(t, "-x", "http://"+cp.addr, "-u", "alice:secret", plain.URL+"/basic")
	// Wait for the live lines, then stop like Ctrl+C / a service manager.
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(cp.stdout.String(), "\n") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cp.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-cp.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("authlens capture did not exit on SIGTERM")
	}
	if code := cp.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d: %s", code, cp.stderr.String())
	}
	if _, err := os.Stat(JournalPath(out)); !os.IsNotExist(err) {
		t.Error("the journal was not removed")
	}
	validateHAR(t, out)
	tr := loadHAR(t, out)
	if len(tr.Entries) != 2 || tr.Damage != nil {
		t.Fatalf("%d entries, damage %v", len(tr.Entries), tr.Damage)
	}
	lines := cp.stdout.String()
	sc := bufio.NewScanner(strings.NewReader(lines))
	var first string
	for sc.Scan() {
		if first == "" {
			first = sc.Text()
		}
	}
	if !strings.Contains(first, "GET") || !strings.Contains(first, "401") || !strings.Contains(first, "/basic") {
		t.Errorf("first live line %q", first)
	}
	if strings.Contains(lines, "alice:secret") || strings.Contains(lines, "YWxpY2U6c2VjcmV0") {
		t.Error("the live output printed the credential")
	}
	t.Logf("live output:\n%s", lines)
}

func TestCLIRefusesRemoteListenWithoutFlag(t *testing.T) {
	config := t.TempDir()
	port := freePort(t)
	_, e, code := runCLI(t, config, "capture", "--listen", fmt.Sprintf("0.0.0.0:%d", port), "--out", filepath.Join(t.TempDir(), "x.har"))
	if code == 0 || !strings.Contains(e, "--allow-remote") {
		t.Fatalf("capture on 0.0.0.0 without --allow-remote: exit %d, %q", code, e)
	}
	addr := fmt.Sprintf("0.0.0.0:%d", freePort(t))
	cmd := exec.Command(authlensBinary(t), "capture", "--allow-remote", "--listen", addr, "--out", filepath.Join(t.TempDir(), "z.har"))
	cmd.Env = cliEnv(config)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		io.Copy(io.Discard, stderr)
		cmd.Wait()
	}()
	br := bufio.NewReader(io.LimitReader(stderr, 1<<16))
	var seen strings.Builder
	for !strings.Contains(seen.String(), "capture proxy on") {
		line, err := br.ReadString('\n')
		seen.WriteString(line)
		if err != nil {
			break
		}
	}
	if !strings.Contains(seen.String(), "WARNING") {
		t.Errorf("no warning when listening on %s:\n%s", addr, seen.String())
	}
}
