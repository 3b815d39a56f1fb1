package capture

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	bin := authlensBinary(t) // the first call builds it: not part of the timeout
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
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
	// The writer goroutine puts an exchange in the journal file within a
	// moment of its response (the fsync comes later, in a group): once it
	// is there, kill -9 must lose nothing.
	journal := JournalPath(out)
	deadline := time.Now().Add(10 * time.Second)
	for {
		raw, _ := os.ReadFile(journal)
		if bytes.Count(raw, []byte(`"startedDateTime"`)) >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := cp.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-cp.exited
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

// TestCLICaptureStopsCleanlyOnSignal: one Ctrl+C (SIGINT) or a service
// manager's SIGTERM stops the capture and writes a valid HAR.
func TestCLICaptureStopsCleanlyOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { captureStopsCleanly(t, sig) })
	}
}

func captureStopsCleanly(t *testing.T, sig syscall.Signal) {
	config := t.TempDir()
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	out := filepath.Join(t.TempDir(), "clean.har")
	cp := startCaptureCLI(t, config, "--out", out)
	curl(t, "-x", "http://"+cp.addr, plain.URL+"/basic")
	curl(t, "-x", "http://"+cp.addr, "-u", "alice:secret", plain.URL+"/basic")
	// Wait for the live lines, then stop.
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(cp.stdout.String(), "\n") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cp.cmd.Process.Signal(sig)
	select {
	case <-cp.exited:
	case <-time.After(20 * time.Second):
		t.Fatalf("authlens capture did not exit on %v", sig)
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

// TestCLICaptureSecondSIGINTQuitsAtOnce holds an exchange in flight, so
// the clean stop after the first Ctrl+C waits for it (up to 10 s, the
// natural slow path), and checks a second Ctrl+C ends the process at once
// with status 130, leaving the journal for recovery.
func TestCLICaptureSecondSIGINTQuitsAtOnce(t *testing.T) {
	config := t.TempDir()
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	plain := httptest.NewServer(originMux())
	defer plain.Close()
	out := filepath.Join(t.TempDir(), "twice.har")
	cp := startCaptureCLI(t, config, "--out", out)
	proxy := "http://" + cp.addr
	curl(t, "-x", proxy, plain.URL+"/basic") // one exchange recorded
	proxyURL, _ := url.Parse(proxy)
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
	go func() {
		if res, err := client.Get(slow.URL + "/hangs"); err == nil {
			res.Body.Close()
		}
	}()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the slow request did not reach the origin")
	}

	cp.cmd.Process.Signal(syscall.SIGINT)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(cp.stderr.String(), "stopping:") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	// The clean stop is waiting for the exchange in flight.
	select {
	case <-cp.exited:
		t.Fatalf("the first SIGINT did not wait for the exchange in flight: %s", cp.stderr.String())
	case <-time.After(300 * time.Millisecond):
	}
	sent := time.Now()
	cp.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-cp.exited:
	case <-time.After(3 * time.Second):
		t.Fatalf("a second SIGINT did not end the process at once: %s", cp.stderr.String())
	}
	t.Logf("exited %v after the second SIGINT", time.Since(sent))
	if code := cp.cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit status %d after a second SIGINT, want 130", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a HAR was written although the stop was cut short: %v", err)
	}
	if tr := loadHAR(t, JournalPath(out)); len(tr.Entries) != 1 {
		t.Errorf("the journal left for recovery holds %d entries, want 1", len(tr.Entries))
	}
}
