// Command profile runs an authlens command line (usually `capture`) in
// process under the CPU profiler, so make bench can show where the proxy
// spends its time under load. The profile ends and is written at the first
// SIGTERM or Ctrl+C (which also ends a capture as usual), so a slow exit
// does not dilute it.
//
//	go run ./scripts/bench/profile -o cpu.pprof capture --listen 127.0.0.1:8080 --out x.har
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"authlens/internal/cli"
)

func main() {
	out := flag.String("o", "cpu.pprof", "CPU profile to write")
	flag.Parse()
	os.Exit(run(*out, flag.Args()))
}

func run(out string, args []string) int {
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return 1
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	profiled := make(chan struct{})
	go func() {
		<-ctx.Done()
		pprof.StopCPUProfile()
		close(profiled)
	}()
	code := cli.Run(ctx, args, os.Stdout, os.Stderr)
	stop()
	<-profiled
	return code
}
