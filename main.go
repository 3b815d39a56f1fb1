// Command authlens explains why a web site answered 401 Unauthorized or
// 403 Forbidden, from a browser's HAR export or a live capture.
//
//	authlens [FILE]                     open the desktop app (the demo trace when no FILE)
//	authlens analyze [--format F] FILE  print the diagnosis (text, json or markdown)
//	authlens capture --out FILE.har     record through the local MITM proxy
//	authlens ca export FILE             write the capture proxy's CA certificate
//	authlens version | help
//
// The commands live in authlens/internal/cli; this file only owns the
// process: its signals, and the choice between the window and a command.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"authlens/internal/cli"
	_ "authlens/ui/localefix" // before Fyne reads the locale
)

func main() {
	ctx := signalContext()
	args := os.Args[1:]
	if path, ok := cli.WantsGUI(args); ok {
		os.Exit(runGUI(ctx, path, os.Stderr))
	}
	os.Exit(cli.Run(ctx, args, os.Stdout, os.Stderr))
}

// signalContext is the process's one signal handler: the first SIGINT or
// SIGTERM cancels the returned context, so a capture stops cleanly and
// writes its HAR and the window closes; a second one exits at once (128 +
// the signal number, 130 for Ctrl+C), for a stop that takes too long.
func signalContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel()
		s := <-sigs
		code := 130
		if n, ok := s.(syscall.Signal); ok {
			code = 128 + int(n)
		}
		os.Exit(code)
	}()
	return ctx
}
