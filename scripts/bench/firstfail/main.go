// Command firstfail measures how soon the HAR loader hands over the first
// failing exchange (401 or 403) of a file while it is still reading it:
// the time a viewer that shows entries as they stream could show it. It
// stops reading at that entry.
//
//	go run ./scripts/bench/firstfail FILE.har
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"authlens/har"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: firstfail FILE.har")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "firstfail:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	var found time.Duration
	index := -1
	opt := har.Options{OnEntry: func(e *har.Entry) {
		if index < 0 && (e.Response.Status == 401 || e.Response.Status == 403) {
			found, index = time.Since(start), e.Index
			cancel()
		}
	}}
	tr, err := har.Load(ctx, path, opt)
	if tr != nil {
		tr.Close()
	}
	if index < 0 {
		if err != nil {
			return fmt.Errorf("loading %s: %w", path, err)
		}
		return errors.New("no 401/403 in " + path)
	}
	// Seconds, then the entry's index: the bench script parses this line.
	fmt.Printf("%.3f %d\n", found.Seconds(), index)
	return nil
}
