package main

import (
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "fyne.io/fyne/v2/dialog"
	_ "github.com/go-json-experiment/json"
	_ "github.com/go-json-experiment/json/jsontext"
	_ "github.com/google/martian/v3"
	_ "github.com/google/martian/v3/mitm"
	_ "github.com/google/martian/v3/har"
	_ "golang.org/x/net/publicsuffix"
	_ "golang.org/x/text/encoding/unicode"
)

func main() {}
