package viewmodel

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"authlens/analysis"
	"authlens/har"
	"authlens/report"
)

func TestExpiryPhrase(t *testing.T) {
	req := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		exp  time.Time
		want string
	}{
		{req.Add(-3 * time.Hour), "expired 3 h before this request"},
		{req.Add(-3*time.Hour - 20*time.Minute), "expired 3 h 20 min before this request"},
		{req.Add(-90 * time.Second), "expired 1 min before this request"},
		{req.Add(-72 * time.Hour), "expired 3 days before this request"},
		{req.Add(20 * time.Minute), "still valid for 20 min after this request"},
		{req, "expired less than a second before this request"},
	}
	for _, c := range cases {
		if got := ExpiryPhrase(c.exp, req); got != c.want {
			t.Errorf("ExpiryPhrase(%v) = %q, want %q", c.exp.Sub(req), got, c.want)
		}
	}
	if got := ExpiryPhrase(req, time.Time{}); got != "request time unknown" {
		t.Errorf("unknown request time: %q", got)
	}
}

func TestFormatting(t *testing.T) {
	for n, want := range map[int64]string{-1: "—", 0: "0 B", 999: "999 B", 1500: "1.5 kB", 2_500_000: "2.5 MB", 3_000_000_000: "3.0 GB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
	for ms, want := range map[float64]string{-1: "—", 42.4: "42 ms", 1250: "1.25 s", 90000: "1.5 min"} {
		if got := FormatMillis(ms); got != want {
			t.Errorf("FormatMillis(%v) = %q, want %q", ms, got, want)
		}
	}
}

func testEntry(i int, method, url string, status int) *har.Entry {
	return &har.Entry{Index: i, StartedDateTime: time.Date(2026, 1, 1, 10, 0, i%60, 0, time.UTC), Time: 12,
		Request:  har.Request{Method: method, URL: url},
		Response: har.Response{Status: status, Content: har.Content{MimeType: "application/json; charset=utf-8", Size: 321}}}
}

func TestEntryType(t *testing.T) {
	for _, c := range []struct{ resourceType, mime, want string }{
		{"xhr", "text/html", "xhr"}, // what the browser recorded wins
		{"fetch", "", "fetch"},
		{"Stylesheet", "", "style"},
		{"", "text/html; charset=utf-8", "document"},
		{"", "application/xhtml+xml", "document"},
		{"", "application/javascript", "script"},
		{"", "text/javascript;charset=UTF-8", "script"},
		{"", "text/css", "style"},
		{"", "image/svg+xml", "image"},
		{"", "font/woff2", "font"},
		{"", "application/font-woff", "font"},
		{"", "application/problem+json", "xhr"},
		{"", "application/json", "xhr"},
		{"", "text/xml", "xhr"},
		{"", "video/mp4", "media"},
		{"", "text/plain", "other"},
		{"", "application/octet-stream", "other"},
		{"", "", "other"},
	} {
		e := &har.Entry{ResourceType: c.resourceType, Response: har.Response{Content: har.Content{MimeType: c.mime}}}
		if got := EntryType(e); got != c.want {
			t.Errorf("EntryType(%q, %q) = %q, want %q", c.resourceType, c.mime, got, c.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 150000: "150,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestApplyFilter(t *testing.T) {
	es := []*har.Entry{
		testEntry(0, "GET", "https://a.example/", 200),
		testEntry(1, "GET", "https://api.example/v1/orders", 401),
		testEntry(2, "POST", "https://a.example/admin", 403),
		testEntry(3, "GET", "https://a.example/missing", 404),
		testEntry(4, "GET", "https://cdn.example/x.js", 502),
		testEntry(5, "GET", "https://api.example/v1/me", 401), // a handshake leg, not a problem
	}
	failing := map[int]bool{1: true, 2: true}
	rs := NewRowSet(es, func(i int) bool { return failing[i] })
	rows := rs.Rows
	cases := []struct {
		f    Filter
		want []int
	}{
		{Filter{Kind: FilterAuthFailures}, []int{1, 2}},
		{Filter{Kind: FilterAll}, []int{0, 1, 2, 3, 4, 5}},
		{Filter{Kind: Filter4xx}, []int{1, 2, 3, 5}},
		{Filter{Kind: Filter5xx}, []int{4}},
		{Filter{Kind: FilterAll, Text: "ORDERS"}, []int{1}},
		{Filter{Kind: FilterAll, Text: "post"}, []int{2}},
		{Filter{Kind: FilterAll, Text: "json"}, []int{0, 1, 2, 3, 4, 5}},
		{Filter{Kind: FilterAll, Host: "api.example"}, []int{1, 5}},
		{Filter{Kind: FilterAuthFailures, Host: "api.example"}, []int{1}},
		{Filter{Kind: FilterAll, Text: "nothing-like-this"}, nil},
		{Filter{Kind: FilterAll, Text: "example/"}, []int{0, 1, 2, 3, 4, 5}}, // one match per row, not more
		{Filter{Kind: FilterAll, Text: "/x.js get"}, nil},                    // never across rows
	}
	for _, c := range cases {
		got := rs.Filter(c.f, nil)
		if len(got) != len(c.want) {
			t.Errorf("%+v: got %v, want %v", c.f, got, c.want)
			continue
		}
		for k := range got {
			if got[k] != c.want[k] {
				t.Errorf("%+v: got %v, want %v", c.f, got, c.want)
				break
			}
		}
	}
	if r := rows[1]; r.Host != "api.example" || r.Path != "/v1/orders" || r.Status != "401" || r.Type != "xhr" || r.Size != "321 B" ||
		r.Duration != "12 ms" || r.Time != es[1].StartedDateTime.Local().Format("15:04:05") {
		t.Errorf("row formatting: %+v", r)
	}
	hs := Hosts(rows)
	if len(hs) != 3 || hs[0].Host != "a.example" || hs[0].Count != 3 {
		t.Errorf("Hosts = %+v", hs)
	}
}

func sampleExchange() *analysis.Exchange {
	return &analysis.Exchange{
		Index: 7, Method: "GET", URL: "https://api.example.com/orders", Status: 401, Problem: true,
		Explanation: "401 Unauthorized: the site does not know who you are.",
		Diagnoses: []analysis.Diagnosis{
			{Cause: "expired-token", Confidence: 0.9, Title: "The token expired", Explanation: "exp is in the past",
				Evidence: []analysis.Evidence{{Entry: 7, Where: har.RequestHeader("Authorization"), Detail: "exp 3 h before"}},
				Remedy:   []analysis.Step{{Who: analysis.User, Step: "Sign in again"}, {Who: analysis.Developer, Step: "Refresh tokens before they expire"}}},
			{Cause: "clock-skew", Confidence: 0.4, Title: "Clocks disagree", Explanation: "server clock differs",
				Remedy: []analysis.Step{{Who: analysis.Admin, Step: "Sync the server clock"}}},
		},
	}
}

func TestWalkthroughStateMachine(t *testing.T) {
	w := NewWalkthrough("trace.har", sampleExchange())
	if w.Stage != StageWhat || w.StepNumber() != 1 {
		t.Fatalf("start: stage %v step %d", w.Stage, w.StepNumber())
	}
	if !strings.Contains(w.WhatHappened(), "401 Unauthorized") {
		t.Errorf("what happened: %q", w.WhatHappened())
	}
	w.Next()
	if w.Stage != StageCause || w.Current().Cause != "expired-token" || w.StepNumber() != 2 {
		t.Fatalf("after Next: stage %v cause %v", w.Stage, w.Current().Cause)
	}
	if w.WhoActsFirst() != "Customer" {
		t.Errorf("who acts first = %q", w.WhoActsFirst())
	}
	w.Next()
	if w.Stage != StageRemedy || w.StepNumber() != 3 {
		t.Fatalf("remedy stage: %v", w.Stage)
	}
	w.SetChecked(0, true)
	w.DidNotHelp()
	if w.Stage != StageCause || w.Current().Cause != "clock-skew" || w.StepNumber() != 4 {
		t.Fatalf("after DidNotHelp: stage %v cause %+v", w.Stage, w.Current())
	}
	if w.Checked(0) {
		t.Error("the second cause inherited the first cause's ticks")
	}
	w.Next()
	w.Notes = "Customer cleared cookies first."
	w.DidNotHelp()
	if w.Stage != StageDone || w.Fixed {
		t.Fatalf("after the last cause: stage %v fixed %v", w.Stage, w.Fixed)
	}
	w.ThisFixedIt() // no effect once done
	if w.Fixed {
		t.Error("ThisFixedIt after the end changed the outcome")
	}
	// The case report (Copy for ticket, Save report…) carries the walk.
	var md strings.Builder
	c := report.Case{Report: &analysis.Report{Source: analysis.SourceInfo{Path: "trace.har"}, Exchanges: []analysis.Exchange{*w.Exchange}},
		Audience: report.Engineering, Focus: w.Exchange.Index, Notes: w.Notes, Tried: w.Tried(), Result: w.Result()}
	if err := report.WriteCaseMarkdown(&md, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"`trace.har`", "- The token expired `expired-token`: did not help", "- [x] Customer: Sign in again",
		"- Clocks disagree `clock-skew`: did not help", "Not resolved: every likely cause was tried", "**Notes**: Customer cleared cookies first."} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the case report lacks %q:\n%s", want, md.String())
		}
	}
	// Back from the end reopens the last cause's remedy and forgets its outcome.
	w.Back()
	if w.Stage != StageRemedy || len(w.Attempts) != 1 || w.Current().Cause != "clock-skew" {
		t.Errorf("Back from done: stage %v attempts %d", w.Stage, len(w.Attempts))
	}
	w.ThisFixedIt()
	if !w.Fixed || w.Result() != "Fixed: Clocks disagree." {
		t.Errorf("fixed: %v %q", w.Fixed, w.Result())
	}
}

func TestWalkthroughWithoutCauses(t *testing.T) {
	x := sampleExchange()
	x.Diagnoses = nil
	w := NewWalkthrough("t.har", x)
	w.Next()
	if w.Stage != StageDone || !strings.Contains(w.Result(), "no known cause") {
		t.Errorf("stage %v result %q", w.Stage, w.Result())
	}
	w.DidNotHelp() // nothing to move to
	if len(w.Attempts) != 0 {
		t.Errorf("attempts recorded without a cause: %+v", w.Attempts)
	}
}

func TestHeaderRowsMaskSecrets(t *testing.T) {
	token := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"
	rows := HeaderRows([]har.Header{
		{Name: "Authorization", Value: "Bearer " + token},
		{Name: "Cookie", Value: "session=abcdefghijklmnopqrstuvwxyz; theme=dark"},
		{Name: "Set-Cookie", Value: "sid=0123456789abcdef0123; Path=/; HttpOnly"},
		{Name: "Accept", Value: "text/html"},
	})
	for _, r := range rows[:3] {
		if !r.Secret {
			t.Errorf("%s not marked secret", r.Name)
		}
	}
	if strings.Contains(rows[0].Masked, token[10:]) || !strings.HasPrefix(rows[0].Masked, "Bearer ") {
		t.Errorf("Authorization masked as %q", rows[0].Masked)
	}
	if strings.Contains(rows[1].Masked, "abcdefghij") || !strings.Contains(rows[1].Masked, "session=") || !strings.Contains(rows[1].Masked, "theme=") {
		t.Errorf("Cookie masked as %q", rows[1].Masked)
	}
	if strings.Contains(rows[2].Masked, "0123456789") || !strings.Contains(rows[2].Masked, "HttpOnly") {
		t.Errorf("Set-Cookie masked as %q", rows[2].Masked)
	}
	if rows[3].Secret || rows[3].Masked != "text/html" {
		t.Errorf("Accept: %+v", rows[3])
	}
}

func TestEvidenceTarget(t *testing.T) {
	cases := map[string][2]string{
		"request.headers.Authorization":     {TabRequest, "Authorization"},
		"response.headers.WWW-Authenticate": {TabResponse, "WWW-Authenticate"},
		"response.content.text":             {TabResponse, "body"},
		"request.cookies.session":           {TabCookies, "session"},
		"request.url":                       {TabRequest, "url"},
		"response.status":                   {TabResponse, "status"},
		"timings.wait":                      {TabTiming, ""},
		"something.else":                    {TabSummary, ""},
	}
	for where, want := range cases {
		tab, field := EvidenceTarget(har.ParseLocation(where))
		if tab != want[0] || field != want[1] {
			t.Errorf("EvidenceTarget(%q) = %q, %q; want %q, %q", where, tab, field, want[0], want[1])
		}
	}
}

func TestBodyPreview(t *testing.T) {
	k, s := BodyPreview("application/json", []byte(`{"error":"invalid_token","n":[1,2]}`))
	if k != BodyJSON || !strings.Contains(s, "\n  \"error\": \"invalid_token\"") {
		t.Errorf("JSON preview %v %q", k, s)
	}
	if k, _ := BodyPreview("image/png", []byte{0x89, 'P', 'N', 'G'}); k != BodyImage {
		t.Errorf("png kind %v", k)
	}
	if k, _ := BodyPreview("application/octet-stream", []byte{0xff, 0xfe, 0x00, 0x81}); k != BodyBinary {
		t.Errorf("binary kind %v", k)
	}
	if k, _ := BodyPreview("text/html", nil); k != BodyNone {
		t.Errorf("empty kind %v", k)
	}
	big := strings.Repeat("x", maxPreview+500)
	if _, s := BodyPreview("text/plain", []byte(big)); len(s) > maxPreview+100 || !strings.Contains(s, "more not shown") {
		t.Errorf("big body not clipped: %d bytes", len(s))
	}
}

func TestReadErrorText(t *testing.T) {
	err := &har.Error{Path: "x.har", Kind: har.ErrSyntax, Offset: 1234, Entry: 5, Err: errString("invalid character 'h'")}
	r := ReadErrorText("x.har", err)
	if !strings.Contains(r.Title, "x.har") || !strings.Contains(r.What, "byte 1234") || !strings.Contains(r.What, "request number 5") ||
		!strings.Contains(r.Next, "export") || !strings.Contains(r.Detail, "invalid character") {
		t.Errorf("got %+v", r)
	}
	notHAR := ReadErrorText("mail.har", &har.Error{Path: "mail.har", Kind: har.ErrSyntax, Offset: 1, Entry: -1, Err: errString("bad")})
	if !strings.Contains(notHAR.What, "This is not a HAR file") {
		t.Errorf("text file: %+v", notHAR)
	}
	missing := ReadErrorText("gone.har", fmt.Errorf("reading gone.har: %w", fs.ErrNotExist))
	if !strings.Contains(missing.What, "does not exist") {
		t.Errorf("missing file: %+v", missing)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestWhereWords(t *testing.T) {
	for where, want := range map[string]string{
		"request.headers.Authorization": "Request header Authorization",
		"response.content.text":         "Response body",
		"request.cookies.sid":           "Cookie sid (sent)",
		"response.status":               "Response status",
		"log.pages":                     "log.pages",
	} {
		if got := WhereWords(har.ParseLocation(where)); got != want {
			t.Errorf("WhereWords(%q) = %q, want %q", where, got, want)
		}
	}
}

func TestSplitURLHidesCredentials(t *testing.T) {
	cases := map[string][2]string{
		"https://bob:secret@intranet.example.com/reports?x=1#frag": {"intranet.example.com", "/reports?x=1"},
		"http://127.0.0.1:8080": {"127.0.0.1:8080", "/"},
		"https://a.example?q=1": {"a.example", "/?q=1"},
		"data:text/plain,hello": {"", "data:text/plain,hello"},
	}
	for in, want := range cases {
		h, p := SplitURL(in)
		if h != want[0] || p != want[1] {
			t.Errorf("SplitURL(%q) = %q, %q; want %q, %q", in, h, p, want[0], want[1])
		}
	}
}
