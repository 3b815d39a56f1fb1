// Command measure loads a HAR with har.Load and reports throughput and
// memory: entries/s, MB/s, heap in use after loading, and the process's
// peak resident memory (VmHWM).
//
// Usage: go run ./har/internal/measure [-inline BYTES] [-memprofile FILE] FILE
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"authlens/har"
)

func main() {
	inline := flag.Int64("inline", 0, "Options.InlineBodyLimit (0: the default, 64 KiB)")
	memprofile := flag.String("memprofile", "", "write a heap profile after loading")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: measure [-inline BYTES] [-memprofile FILE] FILE.har")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), har.Options{InlineBodyLimit: *inline}, *memprofile); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

func run(path string, opt har.Options, memprofile string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	start := time.Now()
	tr, err := har.Load(context.Background(), path, opt)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	defer tr.Close()

	refs, refBytes := 0, int64(0)
	for _, e := range tr.Entries {
		if r := e.Response.Content.Ref; r != nil {
			refs++
			refBytes += r.Length
		}
	}
	// Bodies left in the file are still readable.
	for _, e := range tr.Entries {
		if e.Response.Content.Ref != nil {
			if _, err := tr.Body(&e.Response.Content); err != nil {
				return err
			}
			break
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mb := float64(info.Size()) / 1e6
	fmt.Printf("file:            %s (%.1f MB, format %s)\n", path, mb, tr.Format)
	fmt.Printf("entries:         %d (%d bodies left in the file, %.1f MB)\n", len(tr.Entries), refs, float64(refBytes)/1e6)
	fmt.Printf("load time:       %v\n", elapsed.Round(time.Millisecond))
	fmt.Printf("throughput:      %.0f entries/s, %.1f MB/s\n", float64(len(tr.Entries))/elapsed.Seconds(), mb/elapsed.Seconds())
	fmt.Printf("heap after load: %.1f MB in use (GC'd), %.1f MB allocated in total\n", float64(ms.HeapAlloc)/1e6, float64(ms.TotalAlloc)/1e6)
	fmt.Printf("peak RSS:        %s (VmHWM)\n", vmHWM())
	if memprofile != "" {
		f, err := os.Create(memprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.WriteHeapProfile(f); err != nil {
			return err
		}
	}
	runtime.KeepAlive(tr)
	return nil
}

func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown (no /proc)"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
