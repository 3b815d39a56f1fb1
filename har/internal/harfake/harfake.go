// Package harfake generates large, realistic HAR files (Chrome-like
// headers and cookies, a mix of small and large bodies, some 401/403
// exchanges, about 2%) for the reader's benchmark, memory measurement and
// make bench.
package harfake

import (
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"authlens/har"
)

// Options shape the generated trace.
type Options struct {
	TargetBytes    int64 // stop after about this many bytes
	Seed           uint64
	LargeBodyEvery int // every n-th response carries a large body (0: 50)
	LargeBodySize  int // bytes of a large body before encoding (0: 256 KiB)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

var words = strings.Fields(`the user session token expired access denied please sign in again
account settings profile dashboard api request response error message invalid credentials
permission role admin read write scope resource tenant organisation policy cookie consent
loading analytics metrics chart table export download upload file image script style font`)

// Generate writes a HAR of about opt.TargetBytes to w and returns the
// number of entries written.
func Generate(w io.Writer, opt Options) (int, error) {
	if opt.LargeBodyEvery <= 0 {
		opt.LargeBodyEvery = 50
	}
	if opt.LargeBodySize <= 0 {
		opt.LargeBodySize = 256 << 10
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 42))
	// A pool of text the bodies are cut from: word salad compresses and
	// tokenises like real JSON/HTML text.
	var pool strings.Builder
	for pool.Len() < 4<<20 {
		pool.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(12) == 0 {
			pool.WriteString("\",\n  \"")
		} else {
			pool.WriteByte(' ')
		}
	}
	text := pool.String()
	binary := make([]byte, opt.LargeBodySize)
	for i := range binary {
		binary[i] = byte(rng.UintN(256))
	}

	cw := &countingWriter{w: w}
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	hw, err := har.NewWriter(cw, har.Log{
		Creator: har.Creator{Name: "WebInspector", Version: "537.36"},
		Pages:   []har.Page{{StartedDateTime: start, ID: "page_1", Title: "https://app.example.test/", PageTimings: har.PageTimings{OnContentLoad: 812, OnLoad: 1490}}},
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for cw.n < opt.TargetBytes {
		e := entry(rng, n, start, text, binary, opt)
		if err := hw.WriteEntry(e); err != nil {
			return n, err
		}
		n++
	}
	return n, hw.Close()
}

func entry(rng *rand.Rand, i int, start time.Time, text string, binary []byte, opt Options) *har.Entry {
	host := fmt.Sprintf("svc%d.example.test", rng.IntN(40))
	path := fmt.Sprintf("/api/v2/%s/%d", words[rng.IntN(len(words))], rng.IntN(100000))
	url := "https://" + host + path + "?page=" + fmt.Sprint(rng.IntN(50)) + "&sort=" + words[rng.IntN(len(words))]
	status, statusText := 200, "OK"
	// About 2% of exchanges fail authentication, as in a long real
	// reproduction where a few calls hit an expired token or a missing role.
	switch r := rng.IntN(1000); {
	case r < 12:
		status, statusText = 401, "Unauthorized"
	case r < 20:
		status, statusText = 403, "Forbidden"
	case r < 70:
		status, statusText = 304, "Not Modified"
	}
	session := fmt.Sprintf("%016x", rng.Uint64())
	reqHeaders := []har.Header{
		{Name: ":authority", Value: host}, {Name: ":method", Value: "GET"}, {Name: ":path", Value: path}, {Name: ":scheme", Value: "https"},
		{Name: "accept", Value: "application/json, text/plain, */*"},
		{Name: "accept-encoding", Value: "gzip, deflate, br, zstd"},
		{Name: "accept-language", Value: "en-GB,en;q=0.9,de;q=0.8"},
		{Name: "authorization", Value: "Bearer eyJhbGciOiJSUzI1NiJ9." + text[rng.IntN(1000):][:120]},
		{Name: "cookie", Value: "sid=" + session + "; theme=dark; consent=1"},
		{Name: "referer", Value: "https://app.example.test/"},
		{Name: "sec-ch-ua", Value: `"Chromium";v="131", "Not_A Brand";v="24"`},
		{Name: "sec-fetch-dest", Value: "empty"}, {Name: "sec-fetch-mode", Value: "cors"}, {Name: "sec-fetch-site", Value: "same-site"},
		{Name: "user-agent", Value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
	}
	respHeaders := []har.Header{
		{Name: "cache-control", Value: "no-store"}, {Name: "content-type", Value: "application/json; charset=utf-8"},
		{Name: "date", Value: start.Add(time.Duration(i) * 37 * time.Millisecond).Format(time.RFC1123)},
		{Name: "server", Value: "nginx"}, {Name: "strict-transport-security", Value: "max-age=63072000"},
		{Name: "vary", Value: "Origin, Accept-Encoding"}, {Name: "x-request-id", Value: fmt.Sprintf("%032x", rng.Uint64())},
	}
	if status == 401 {
		respHeaders = append(respHeaders, har.Header{Name: "www-authenticate", Value: `Bearer realm="api", error="invalid_token", error_description="The access token expired"`})
	}
	if rng.IntN(20) == 0 {
		respHeaders = append(respHeaders, har.Header{Name: "set-cookie", Value: "sid=" + session + "; Path=/; Secure; HttpOnly; SameSite=Lax"})
	}
	content := har.Content{MimeType: "application/json"}
	switch {
	case status == 304:
	case i%opt.LargeBodyEvery == opt.LargeBodyEvery-1:
		// A large image or script, as Chrome saves it: base64.
		content = har.Content{MimeType: "image/png", Encoding: "base64", Size: int64(len(binary)), Text: base64.StdEncoding.EncodeToString(binary)}
	case rng.IntN(10) == 0:
		// An HTML page or error page: text with markup.
		n := 500 + rng.IntN(12000)
		off := rng.IntN(len(text) - n)
		body := "<!DOCTYPE html>\n<html><head><title>" + words[rng.IntN(len(words))] + "</title></head>\n<body><div class=\"content\"><p>" + text[off:off+n] + "</p></div></body></html>"
		content = har.Content{MimeType: "text/html", Size: int64(len(body)), Text: body}
	default:
		n := 300 + rng.IntN(6000)
		off := rng.IntN(len(text) - n)
		body := `{"items": ["` + text[off:off+n] + `"]}`
		content = har.Content{MimeType: "application/json", Size: int64(len(body)), Text: body}
	}
	wait := 20 + rng.Float64()*200
	return &har.Entry{
		Pageref:         "page_1",
		StartedDateTime: start.Add(time.Duration(i) * 37 * time.Millisecond),
		Time:            wait + 3,
		Request: har.Request{Method: "GET", URL: url, HTTPVersion: "http/2.0", Headers: reqHeaders,
			Cookies:     []har.Cookie{{Name: "sid", Value: session}, {Name: "theme", Value: "dark"}, {Name: "consent", Value: "1"}},
			QueryString: []har.NameValue{{Name: "page", Value: "1"}, {Name: "sort", Value: "name"}}, HeadersSize: -1, BodySize: 0},
		Response: har.Response{Status: status, StatusText: statusText, HTTPVersion: "http/2.0", Headers: respHeaders,
			Content: content, HeadersSize: -1, BodySize: content.Size},
		Timings:         har.Timings{Blocked: 1.2, DNS: -1, Connect: -1, SSL: -1, Send: 0.3, Wait: wait, Receive: 1.5},
		ServerIPAddress: fmt.Sprintf("192.0.2.%d", rng.IntN(250)+1),
		Connection:      fmt.Sprint(10000 + rng.IntN(50)),
		ResourceType:    "fetch",
		Initiator:       &har.Initiator{Type: "script", URL: "https://app.example.test/static/app.js"},
		TransferSize:    content.Size + 400,
	}
}
