package ui

import (
	"context"
	"os"
	"testing"

	"authlens/analysis"
)

func TestZZDump(t *testing.T) {
	s, err := HARAnalyzer{}.Load(context.Background(), Source{Path: os.Getenv("F")}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	analysis.WriteText(os.Stdout, s.Report)
}
