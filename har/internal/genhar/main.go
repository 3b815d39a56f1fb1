// Command genhar writes a large, realistic HAR file for measuring the
// reader: go run ./har/internal/genhar -o /tmp/large.har -mb 200
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"authlens/har/internal/harfake"
)

func main() {
	out := flag.String("o", "", "output file (required)")
	mb := flag.Int64("mb", 200, "approximate size in MB")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: genhar -o FILE [-mb 200] [-seed 1]")
		os.Exit(2)
	}
	if err := run(*out, *mb<<20, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "genhar:", err)
		os.Exit(1)
	}
}

func run(path string, size int64, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	n, err := harfake.Generate(w, harfake.Options{TargetBytes: size, Seed: seed})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d entries, %.1f MB\n", path, n, float64(info.Size())/1e6)
	return nil
}
