package viewmodel

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"authlens/har"
)

// searchHAR is a small trace: a request ID only in a response header, a
// cookie name only in the Cookie list, an error code only in a body, a
// secret token in a header, and a body large enough to stay in the file.
func searchHAR(t testing.TB) []byte {
	t.Helper()
	type nv = map[string]any
	entry := func(url string, status int, reqH, respH []nv, cookies []nv, body string) nv {
		return nv{
			"startedDateTime": "2026-11-20T09:00:00.000Z", "time": 20,
			"request": nv{"method": "GET", "url": url, "httpVersion": "HTTP/1.1", "headers": reqH, "cookies": cookies,
				"queryString": []nv{}, "headersSize": -1, "bodySize": 0},
			"response": nv{"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": respH, "cookies": []nv{},
				"content": nv{"size": len(body), "mimeType": "application/json", "text": body}, "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
			"cache": nv{}, "timings": nv{"send": 1, "wait": 15, "receive": 4},
		}
	}
	big := `{"items":"` + strings.Repeat("x", 80<<10) + `","error":"AADSTS50058"}`
	log := nv{"log": nv{"version": "1.2", "creator": nv{"name": "test", "version": "1"}, "entries": []nv{
		entry("https://app.example.com/", 200, nil, nil, nil, "<html>hello</html>"),
		entry("https://api.example.com/me", 401,
			[]nv{{"name": "Authorization", "value": "Bearer sEcReTtOkEn0123456789abcdefXYZ"}},
			[]nv{{"name": "X-Request-Id", "value": "req-7f3a9c"}}, nil, `{"error":"invalid_token","code":"E4711"}`),
		entry("https://api.example.com/items", 200, nil, nil, []nv{{"name": "SESSIONID", "value": "abc"}}, big),
	}}}
	b, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func searchSession(t testing.TB) *Session {
	t.Helper()
	s, err := HARAnalyzer{}.Load(context.Background(), Source{Name: "search.har", Data: searchHAR(t)}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSearchFindsHeadersCookiesAndBodies(t *testing.T) {
	s := searchSession(t)
	if s.Entries()[2].Response.Content.Ref == nil {
		t.Fatal("the large body is not left in the file: the test does not cover reading bodies back")
	}
	for _, c := range []struct {
		query  string
		want   []int
		where  string
		inBody bool
	}{
		{"REQ-7F3A9C", []int{1}, "response header", false},
		{"x-request-id", []int{1}, "response header", false},
		{"sessionid", []int{2}, "request cookie", false},
		{"e4711", []int{1}, "response body", true},
		{"AADSTS50058", []int{2}, "response body", true}, // in a body left in the file
		{"401", []int{1}, "address, status or type", false},
		{"no-such-thing", nil, "", false},
	} {
		res, err := Search(context.Background(), s, c.query, SearchOptions{Bodies: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for i, m := range res.Match {
			if m {
				got = append(got, i)
			}
		}
		if !equalInts(got, c.want) {
			t.Errorf("%q: matches %v, want %v", c.query, got, c.want)
			continue
		}
		if len(c.want) == 0 {
			if res.Summary() != "No exchange matches" {
				t.Errorf("%q: summary %q", c.query, res.Summary())
			}
			continue
		}
		h, _ := res.Hit(c.want[0])
		if h.Where != c.where || h.InBody != c.inBody {
			t.Errorf("%q: hit %+v, want where %q in body %v", c.query, h, c.where, c.inBody)
		}
	}
}

func TestSearchSecretValueFindsButNeverShowsIt(t *testing.T) {
	s := searchSession(t)
	res, err := Search(context.Background(), s, "sEcReTtOkEn0123456789", SearchOptions{Bodies: true})
	if err != nil {
		t.Fatal(err)
	}
	h, ok := res.Hit(1)
	if !ok || res.Matches() != 1 {
		t.Fatalf("the token was not found: %+v", res)
	}
	if strings.Contains(strings.ToLower(h.Excerpt), "secrettoken0123") {
		t.Errorf("the excerpt shows the secret: %q", h.Excerpt)
	}
	if !strings.HasPrefix(h.Excerpt, "Authorization: Bearer ") {
		t.Errorf("excerpt %q does not say where", h.Excerpt)
	}
}

func TestSearchSummaryCountsBodies(t *testing.T) {
	s := searchSession(t)
	res, _ := Search(context.Background(), s, "error", SearchOptions{Bodies: true})
	if got := res.Summary(); got != "2 exchanges match — 2 in bodies" {
		t.Errorf("summary %q", got)
	}
	res, _ = Search(context.Background(), s, "error", SearchOptions{})
	if got := res.Summary(); got != "No exchange matches" {
		t.Errorf("without bodies: %q", got)
	}
}

func TestSearchStopsWhenCancelled(t *testing.T) {
	s := searchSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	var reports int
	_, err := Search(ctx, s, "aadsts", SearchOptions{Bodies: true, ProgressEvery: time.Nanosecond, Progress: func(r SearchResult) {
		reports++
		cancel() // the query changed after the metadata pass
	}})
	if err != context.Canceled || reports != 1 {
		t.Errorf("err %v after %d reports, want context.Canceled after 1", err, reports)
	}
}

func TestBodyExcerptMasksTokensWhole(t *testing.T) {
	tok := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
	body := `{"note":"` + strings.Repeat("a ", 50) + `","access_token":"` + tok + `","error":"E4711"}`
	k := strings.Index(body, "E4711")
	got := bodyExcerpt(body, k, 5)
	if strings.Contains(got, "c2lnbmF0dXJl") || !strings.Contains(got, "E4711") {
		t.Errorf("excerpt %q", got)
	}
	k = strings.Index(body, "eyJzdWIi")
	if got := bodyExcerpt(body, k, 8); strings.Contains(got, "c2lnbmF0dXJl") {
		t.Errorf("excerpt of a match inside the token shows it: %q", got)
	}
}

func TestIndexFold(t *testing.T) {
	for _, c := range []struct {
		s, q string
		want int
	}{{"Hello World", "world", 6}, {"abc", "abcd", -1}, {"X-Request-ID", "request-id", 2}, {"", "a", -1}, {"ÄB", "b", 2}} {
		if got := indexFold(c.s, c.q); got != c.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", c.s, c.q, got, c.want)
		}
	}
}

func TestFilterToggles(t *testing.T) {
	s := searchSession(t)
	rs := s.Rows
	for _, c := range []struct {
		f    Filter
		want []int
	}{
		{Filter{Kind: FilterAll, HasAuthorization: true}, []int{1}},
		{Filter{Kind: FilterAll, HasCookies: true}, []int{2}},
		{Filter{Kind: FilterAll, Type: "xhr"}, []int{0, 1, 2}},
		{Filter{Kind: FilterAll, Match: []bool{true, false, true}}, []int{0, 2}},
		{Filter{Kind: FilterAll, Match: []bool{true, false, true}, Text: "items"}, []int{2}},
	} {
		if got := rs.Filter(c.f, nil); !equalInts(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
}

func TestSortIsStableAndCycles(t *testing.T) {
	es := []*har.Entry{
		testEntry(0, "GET", "https://b.example/x", 200),
		testEntry(1, "POST", "https://a.example/y", 401),
		testEntry(2, "GET", "https://c.example/z", 200),
		testEntry(3, "GET", "https://a.example/w", 0),
	}
	es[0].Time, es[1].Time, es[2].Time, es[3].Time = 50, 10, 50, 5
	rs := NewRowSet(es, nil)
	pos := []int{0, 1, 2, 3}
	sorted := func(s Sort) []int {
		p := append([]int(nil), pos...)
		rs.SortRows(p, s)
		return p
	}
	var s Sort
	s = s.Next(ColStatus)
	if got := sorted(s); !equalInts(got, []int{0, 2, 1, 3}) || s.Arrow(ColStatus) != "↑" {
		t.Errorf("status ascending: %v %q (no status last, ties in file order)", got, s.Arrow(ColStatus))
	}
	s = s.Next(ColStatus)
	if got := sorted(s); !equalInts(got, []int{1, 0, 2, 3}) || s.Arrow(ColStatus) != "↓" {
		t.Errorf("status descending: %v", got)
	}
	if s = s.Next(ColStatus); s.On || !equalInts(sorted(s), pos) {
		t.Errorf("third tap should restore file order: %+v", s)
	}
	if got := sorted(Sort{Column: ColHost, On: true}); !equalInts(got, []int{1, 3, 0, 2}) {
		t.Errorf("host: %v", got)
	}
	if got := sorted(Sort{Column: ColDuration, On: true, Descending: true}); !equalInts(got, []int{0, 2, 1, 3}) {
		t.Errorf("duration descending: %v", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
