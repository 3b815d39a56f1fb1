package main

import (
	"context"
	"fmt"
	"io"

	"authlens/assets"
	"authlens/internal/cli"
	"authlens/ui"
)

// runGUI opens the desktop app on path, or on the embedded demo trace.
func runGUI(ctx context.Context, path string, stderr io.Writer) int {
	hideOwnConsole()
	err := ui.Run(ctx, ui.Options{Path: path, Demo: assets.DemoHAR, Icon: assets.Icon, Version: cli.VersionString(), AppID: cli.AppID})
	if err != nil {
		fmt.Fprintf(stderr, "authlens: %v\n", err)
		return 1
	}
	return 0
}
