// Package assets holds what AuthLens ships inside its binary: the app icon
// and the demo trace that opens on first start.
package assets

import _ "embed"

// Icon is the application icon (512×512 PNG).
//
//go:embed icon.png
var Icon []byte

// DemoHAR is a trace recorded by real Chromium against real servers, with
// a few 401/403 failures of different causes (see testdata/traces/expired-token/demo).
//
//go:embed demo.har
var DemoHAR []byte
