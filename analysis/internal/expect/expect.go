// Package expect reads the expectations test traces carry beside them
// (expect.txt, the scenario harness format of analysis/rules) and
// analyses a trace directory the way the harness does, for the scenario
// test and the vendor-corpus scorer alike.
//
//	# comment, or "# key: value" (source, vendor, trap, …)
//	<index> <METHOD> <path?query> <status> <verdict>
//
// verdict is cause=<id>, also=<id>, ok, not-problem or flagged.
package expect

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
)

// Want is one expectation line.
type Want struct {
	Line    int // line number in expect.txt
	Index   int
	Method  string
	Path    string
	Status  int
	Verdict string // cause, also, ok, not-problem or flagged
	Cause   string // the cause of cause= and also=
}

// File is an expect.txt: its expectations and its "# key: value" lines.
type File struct {
	Wants []Want
	Keys  map[string]string // first value of each lower-case key
}

var keyLine = regexp.MustCompile(`^#\s*([a-z][a-z-]*):\s*(.*)$`)

// Read parses an expect.txt. An unknown verdict, a line without five
// fields, a non-numeric index or status, or a path that is no URL path is
// an error that names the file and line.
func Read(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	file := File{Keys: map[string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if m := keyLine.FindStringSubmatch(line); m != nil {
			if _, seen := file.Keys[m[1]]; !seen {
				file.Keys[m[1]] = strings.TrimSpace(m[2])
			}
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 5 {
			return File{}, fmt.Errorf("%s:%d: want 5 fields (index method path status verdict), got %q", path, n, line)
		}
		idx, err1 := strconv.Atoi(fs[0])
		st, err2 := strconv.Atoi(fs[3])
		if err1 != nil || err2 != nil {
			return File{}, fmt.Errorf("%s:%d: index and status must be numbers: %q", path, n, line)
		}
		w := Want{Line: n, Index: idx, Method: fs[1], Path: fs[2], Status: st, Verdict: fs[4]}
		if k, v, ok := strings.Cut(w.Verdict, "="); ok {
			w.Verdict, w.Cause = k, v
		}
		switch w.Verdict {
		case "cause", "also", "ok", "not-problem", "flagged":
		default:
			return File{}, fmt.Errorf("%s:%d: unknown verdict %q", path, n, fs[4])
		}
		if _, err := url.Parse(w.Path); err != nil {
			return File{}, fmt.Errorf("%s:%d: bad path %q", path, n, w.Path)
		}
		file.Wants = append(file.Wants, w)
	}
	return file, sc.Err()
}

// PathOf is the path and query of a URL as expect.txt writes it.
func PathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// Analyze loads dir/trace.har and analyses it with every rule. The caller
// closes the returned trace.
func Analyze(ctx context.Context, dir string) (*har.Trace, *analysis.Report, error) {
	h, err := har.Load(ctx, filepath.Join(dir, "trace.har"), har.Options{})
	if err != nil {
		return nil, nil, err
	}
	rep, err := analysis.Analyze(ctx, trace.FromHAR(h), rules.All())
	if err != nil {
		h.Close()
		return nil, nil, err
	}
	return h, rep, nil
}

// Causes lists an exchange's diagnoses with their confidence, for
// messages: "expired-token(0.90), cookie-not-sent(0.70)".
func Causes(x analysis.Exchange) string {
	if len(x.Diagnoses) == 0 {
		return "no diagnosis"
	}
	var s []string
	for _, d := range x.Diagnoses {
		s = append(s, fmt.Sprintf("%s(%.2f)", d.Cause, d.Confidence))
	}
	return strings.Join(s, ", ")
}
