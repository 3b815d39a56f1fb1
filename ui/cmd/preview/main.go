// Command preview runs the AuthLens window on its own, without the CLI in
// main.go: `go run ./ui/cmd/preview [FILE]`. With no file it opens the
// demo trace. The screenshot script (ui/screenshots/take.sh) uses it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"authlens/assets"
	"authlens/ui"
	_ "authlens/ui/localefix" // before Fyne reads the locale
)

func main() {
	path := ""
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	appID := os.Getenv("AUTHLENS_APP_ID")
	if appID == "" {
		appID = "io.authlens.preview"
	}
	err := ui.Run(ctx, ui.Options{Path: path, Demo: assets.DemoHAR, Version: "preview", AppID: appID, Icon: assets.Icon})
	if err != nil {
		fmt.Fprintln(os.Stderr, "authlens preview:", err)
		os.Exit(1)
	}
}
