// Command measurehuge writes a HAR holding one huge string value (in a
// request header) and one huge response body, or loads such a file with
// har.Load and reports time, peak memory and what the reader said about
// the huge values.
//
// Usage:
//
//	go run ./har/internal/measurehuge -write FILE [-string-mb 300] [-body-mb 400]
//	go run ./har/internal/measurehuge FILE
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"authlens/har"
)

func main() {
	write := flag.String("write", "", "write the test HAR to this path")
	stringMB := flag.Int("string-mb", 300, "size of the huge header value, MB")
	bodyMB := flag.Int("body-mb", 400, "size of the huge response body, MB")
	flag.Parse()
	var err error
	if *write != "" {
		err = Write(*write, int64(*stringMB)*1e6, int64(*bodyMB)*1e6)
	} else if flag.NArg() == 1 {
		err = measure(flag.Arg(0))
	} else {
		err = fmt.Errorf("usage: measurehuge -write FILE | measurehuge FILE")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measurehuge:", err)
		os.Exit(1)
	}
}

const entry = `{"startedDateTime":"2026-01-01T00:00:00Z","time":1,"request":{"method":"GET","url":"https://example.test/%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[%s],"queryString":[],"headersSize":-1,"bodySize":0},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":%d,"mimeType":"text/plain","text":"%s`

// Write streams a HAR with four entries: a normal one, one whose request
// header value is stringBytes long, one whose response body is bodyBytes
// long, and a normal 401 after them.
func Write(path string, stringBytes, bodyBytes int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill := func(n int64) {
		chunk := strings.Repeat("A", 1<<16)
		for n > 0 {
			k := min(n, int64(len(chunk)))
			io.WriteString(w, chunk[:k])
			n -= k
		}
	}
	end := `"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":0,"receive":0}}`
	io.WriteString(w, `{"log":{"version":"1.2","creator":{"name":"measurehuge","version":"1"},"entries":[`)
	fmt.Fprintf(w, entry, "first", "", 200, 2, "ok")
	io.WriteString(w, end+",")
	fmt.Fprintf(w, entry, "huge-header", `{"name":"X-Huge","value":"`, 200, 2, "")
	// The header value: close the content opened by the format first.
	w.Flush()
	// Simpler: rewrite this entry by hand.
	return writeRest(f, w, stringBytes, bodyBytes, fill, end)
}

func writeRest(f *os.File, w *bufio.Writer, stringBytes, bodyBytes int64, fill func(int64), end string) error {
	// Undo the partial entry written above: truncate back to before it.
	w.Flush()
	off, _ := f.Seek(0, io.SeekCurrent)
	partial := fmt.Sprintf(entry, "huge-header", `{"name":"X-Huge","value":"`, 200, 2, "")
	f.Truncate(off - int64(len(partial)))
	f.Seek(off-int64(len(partial)), io.SeekStart)
	w.Reset(f)
	io.WriteString(w, `{"startedDateTime":"2026-01-01T00:00:01Z","time":1,"request":{"method":"GET","url":"https://example.test/huge-header","httpVersion":"HTTP/1.1","cookies":[],"headers":[{"name":"X-Huge","value":"`)
	fill(stringBytes)
	io.WriteString(w, `"}],"queryString":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":0,"receive":0}},`)
	fmt.Fprintf(w, entry, "huge-body", "", 200, bodyBytes, "")
	fill(bodyBytes)
	io.WriteString(w, end+",")
	fmt.Fprintf(w, entry, "last", "", 401, 2, "no")
	io.WriteString(w, end+"]}}\n")
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func measure(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	start := time.Now()
	tr, err := har.Load(context.Background(), path, har.Options{})
	if err != nil {
		return err
	}
	defer tr.Close()
	elapsed := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("file:          %s (%.0f MB)\n", path, float64(info.Size())/1e6)
	fmt.Printf("load time:     %v\n", elapsed.Round(time.Millisecond))
	fmt.Printf("entries:       %d\n", len(tr.Entries))
	for _, e := range tr.Entries {
		longest := 0
		for _, h := range e.Request.Headers {
			longest = max(longest, len(h.Value))
		}
		ref := "inline"
		if e.Response.Content.Ref != nil {
			ref = fmt.Sprintf("left in the file at byte %d (%d bytes)", e.Response.Content.Ref.Offset, e.Response.Content.Ref.Length)
		}
		fmt.Printf("  #%d %s %d: longest header value held %d bytes, body %s\n", e.Index, e.Request.URL, e.Response.Status, longest, ref)
	}
	for _, w := range tr.Warnings {
		fmt.Printf("warning:       %v\n", w)
	}
	if tr.Damage != nil {
		fmt.Printf("damage:        %v\n", tr.Damage)
	}
	fmt.Printf("heap in use:   %.1f MB after load (GC'd), %.1f MB allocated in total\n", float64(ms.HeapAlloc)/1e6, float64(ms.TotalAlloc)/1e6)
	fmt.Printf("peak RSS:      %s\n", vmHWM())
	return nil
}

func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "?"
}
