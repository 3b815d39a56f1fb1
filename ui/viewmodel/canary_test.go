package viewmodel

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"authlens/internal/canary"
	"authlens/report"
)

// TestCanaryViewModels opens the canary HAR the way the app does and
// checks what the view models give the widgets: table rows, the summary
// strip, masked header rows and the case report of every walkthrough
// (Markdown and HTML, both audiences) hold no secret and no raw control
// character.
func TestCanaryViewModels(t *testing.T) {
	path, err := canary.WriteHAR(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := HARAnalyzer{}.Load(context.Background(), Source{Path: path}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []string
	rows := NewRowSet(s.Entries(), s.Failing)
	for i := range rows.Rows {
		for col := 0; col < 9; col++ {
			out = append(out, rows.Rows[i].Cell(col))
		}
	}
	stats := Summarize(s.Entries(), s.Report)
	out = append(out, stats.Headline(), stats.CausesLine())
	for _, e := range s.Entries() {
		for _, h := range append(HeaderRows(e.Request.Headers), HeaderRows(e.Response.Headers)...) {
			out = append(out, h.Name, h.Masked)
		}
	}
	walks := 0
	for i := range s.Entries() {
		x := s.Exchange(i)
		if x == nil {
			continue
		}
		w := NewWalkthrough(path, x)
		w.Notes = "customer pasted " + canary.Secrets[0]
		out = append(out, w.WhatHappened())
		for _, aud := range []report.Audience{report.Engineering, report.Customer} {
			c := CaseOf(s, w, aud, time.Unix(0, 0))
			var md, html bytes.Buffer
			if err := report.WriteCaseMarkdown(&md, c); err != nil {
				t.Fatal(err)
			}
			if err := report.WriteCaseHTML(&html, c); err != nil {
				t.Fatal(err)
			}
			out = append(out, md.String(), html.String())
		}
		walks++
	}
	if walks < 4 {
		t.Fatalf("only %d exchanges reached the walkthrough", walks)
	}
	all := strings.Join(out, "\n")
	for _, secret := range canary.Secrets[1:] { // [0] is typed into the notes by the person on purpose
		if strings.Contains(all, secret) {
			t.Errorf("secret %q reaches the app's view models", secret)
		}
	}
	for _, c := range []string{"\x1b", "\x07"} {
		for _, line := range out {
			if strings.Contains(line, c) && !strings.Contains(line, "customer pasted") {
				t.Errorf("raw control character %q in %q", c, line)
				break
			}
		}
	}
}
