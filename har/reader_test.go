package har

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/text/encoding/unicode"
)

func loadString(t *testing.T, s string, opt Options) (*Trace, error) {
	t.Helper()
	tr, err := LoadBytes(context.Background(), "test.har", []byte(s), opt)
	if tr != nil {
		t.Cleanup(func() { tr.Close() })
	}
	return tr, err
}

func mustLoad(t *testing.T, s string) *Trace {
	t.Helper()
	tr, err := loadString(t, s, Options{})
	if err != nil {
		t.Fatalf("LoadBytes: %v", err)
	}
	return tr
}

func errKind(t *testing.T, err error) *Error {
	t.Helper()
	var herr *Error
	if !errors.As(err, &herr) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return herr
}

func TestTolerantValues(t *testing.T) {
	tr := mustLoad(t, `{"log":{"entries":[
	 {"startedDateTime":"2024-01-02T03:04:05.678+01:00","time":"12.5",
	  "request":{"method":"GET","url":"https://a.example/x","httpVersion":"HTTP/1.1","headers":[{"name":"Cookie","value":"sid=abc; theme=dark"}],"headersSize":"-1","bodySize":12.0},
	  "response":{"status":"200","statusText":"OK","httpVersion":"h2","headers":[{"name":"Set-Cookie","value":"a=1; Path=/; Secure; HttpOnly; SameSite=Lax\nb=2"}],"content":null,"cookies":null},
	  "cache":null,"timings":{"send":1,"wait":"2","receive":null},
	  "_connectionId":12345,"_fromCache":"disk","serverIPAddress":"[2001:db8::1]","connection":443,"_transferSize":1.5e3,"unknown":{"x":[1,2]}},
	 {"startedDateTime":"NaN-NaN-NaNTNaN:NaN:NaN.NaN+NaN:NaN","request":null,"response":{"status":0,"_error":"connection refused"},"_initiator":{"type":"script","url":"https://a.example/app.js","lineNumber":7}},
	 {"startedDateTime":"2024-01-02T03:04:06Z","request":{"method":"POST","url":"https://a.example/login","cookies":[],"headers":{"name":"Cookie","value":"x=1"},
	   "postData":{"mimeType":"application/x-www-form-urlencoded","text":"user=a","params":[{"name":"user","value":"a"}]}},
	  "response":{"status":401.0,"headers":[{"name":"WWW-Authenticate","value":"Basic realm=x"}],"content":{"size":3,"text":"bad","mimeType":"text/plain"}},
	  "_webSocketMessages":null,"_securityDetails":"none"}
	],"creator":{"name":"late","version":2}}}`)
	if len(tr.Entries) != 3 || tr.Damage != nil {
		t.Fatalf("%d entries, damage %v", len(tr.Entries), tr.Damage)
	}
	if tr.Log.Creator.Name != "late" || tr.Log.Creator.Version != "2" {
		t.Errorf("creator after entries: %+v", tr.Log.Creator)
	}
	e := tr.Entries[0]
	if e.Response.Status != 200 || e.Time != 12.5 || e.Request.HeadersSize != -1 || e.Request.BodySize != 12 {
		t.Errorf("numbers: status %d time %v sizes %d/%d", e.Response.Status, e.Time, e.Request.HeadersSize, e.Request.BodySize)
	}
	if e.StartedDateTime.UTC() != time.Date(2024, 1, 2, 2, 4, 5, 678e6, time.UTC) {
		t.Errorf("startedDateTime %v", e.StartedDateTime)
	}
	if e.ConnectionID != "12345" || e.Connection != "443" || e.FromCache != "disk" || e.TransferSize != 1500 {
		t.Errorf("extensions: %q %q %q %d", e.ConnectionID, e.Connection, e.FromCache, e.TransferSize)
	}
	if e.ServerIPAddress != "2001:db8::1" {
		t.Errorf("serverIPAddress %q", e.ServerIPAddress)
	}
	if tm := e.Timings; tm.Send != 1 || tm.Wait != 2 || tm.Receive != -1 || tm.DNS != -1 {
		t.Errorf("timings %+v", tm)
	}
	if c := e.Request.Cookies; !e.Request.CookiesDerived || len(c) != 2 || c[0].Name != "sid" || c[1].Value != "dark" {
		t.Errorf("request cookies from the Cookie header: %+v", c)
	}
	if c := e.Response.Cookies; !e.Response.CookiesDerived || len(c) != 2 || !c[0].Secure || !c[0].HTTPOnly || c[0].SameSite != "Lax" || c[1].Name != "b" {
		t.Errorf("response cookies from Set-Cookie: %+v", c)
	}
	e = tr.Entries[1]
	if !e.StartedDateTime.IsZero() || !strings.HasPrefix(e.StartedRaw, "NaN") || e.FailureReason() != "connection refused" || !e.Failed() {
		t.Errorf("entry 1: %v %q %q", e.StartedDateTime, e.StartedRaw, e.FailureReason())
	}
	if e.Initiator == nil || e.Initiator.LineNumber == nil || *e.Initiator.LineNumber != 7 {
		t.Errorf("initiator %+v", e.Initiator)
	}
	e = tr.Entries[2]
	if e.Response.Status != 401 || e.Request.PostData == nil || e.Request.PostData.Text != "user=a" || len(e.Request.PostData.Params) != 1 {
		t.Errorf("entry 2: %d %+v", e.Response.Status, e.Request.PostData)
	}
	if len(e.Request.Headers) != 1 || len(e.Request.Cookies) != 1 || !e.Request.CookiesDerived {
		t.Errorf("lone header object / empty cookies with Cookie header: %+v %+v", e.Request.Headers, e.Request.Cookies)
	}
	for _, w := range []string{"response.status is a number written as text", "startedDateTime is not a date", "request.headers is a single object", "_securityDetails is text"} {
		if !containsWarning(tr, w) {
			t.Errorf("no warning %q in %q", w, tr.Warnings)
		}
	}
}

func TestEntryThatIsNotAnObject(t *testing.T) {
	_, err := loadString(t, `{"log":{"entries":["oops"]}}`, Options{})
	if herr := errKind(t, err); herr.Kind != ErrEntry || herr.Entry != 0 || herr.Offset != 19 {
		t.Errorf("got %v (kind %d entry %d offset %d)", err, herr.Kind, herr.Entry, herr.Offset)
	}
	tr, err := loadString(t, `{"log":{"entries":[{"request":{"url":"https://x/"}}, 42, {}]}}`, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Entries) != 1 || tr.Damage == nil || tr.Damage.Kind != ErrEntry || tr.Damage.Entry != 1 ||
		!strings.Contains(tr.Damage.Error(), "entry 1") || !strings.Contains(tr.Damage.Error(), "test.har") {
		t.Errorf("entries %d, damage %v", len(tr.Entries), tr.Damage)
	}
}

func TestNotHAR(t *testing.T) {
	for in, want := range map[string]struct {
		kind ErrorKind
		text string
	}{
		``:                              {ErrNotHAR, "empty"},
		"  \n ":                         {ErrNotHAR, "only white space"},
		`[1,2]`:                         {ErrNotHAR, "valid JSON but not a HAR: the document is an array"},
		`{"a":1}`:                       {ErrNotHAR, `valid JSON but not a HAR: no log.entries (its top level has "a")`},
		`{"log":{"version":"1.2"}}`:     {ErrNotHAR, "valid JSON but not a HAR: no log.entries"},
		`{"log":{"entries":{}}}`:        {ErrNotHAR, "log.entries is an object"},
		`{"log":{"entries":[}`:          {ErrSyntax, "invalid JSON"},
		`{"log":`:                       {ErrTruncated, "cut off"},
		"PK\x03\x04rest":                {ErrEncoding, "ZIP archive"},
		"\x00\x01\x02\x03binary\x00":    {ErrEncoding, "binary data"},
		"\xff\xfe\x00\x00{\x00\x00\x00": {ErrEncoding, "UTF-32"},
	} {
		_, err := loadString(t, in, Options{})
		if err == nil {
			t.Errorf("%q: no error", in)
			continue
		}
		if herr := errKind(t, err); herr.Kind != want.kind || !strings.Contains(err.Error(), want.text) {
			t.Errorf("%q: %v (kind %d), want kind %d with %q", in, err, herr.Kind, want.kind, want.text)
		}
	}
	tr := mustLoad(t, `{"log":{"entries":null}}`)
	if len(tr.Entries) != 0 || !containsWarning(tr, "log.entries is null") {
		t.Errorf("entries null: %d entries, warnings %q", len(tr.Entries), tr.Warnings)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(context.Background(), filepath.Join(t.TempDir(), "nope.har"), Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestTruncatedEverywhere cuts a real HAR at many offsets: never a panic,
// every entry that ends before the cut is returned, and Damage says so.
func TestTruncatedEverywhere(t *testing.T) {
	needCorpus(t)
	data, err := os.ReadFile(filepath.Join(corpusDir, "chrome-har-0.3-redirects-307.har"))
	if err != nil {
		t.Fatal(err)
	}
	full, err := LoadBytes(context.Background(), "full", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ends := make([]int64, len(full.Entries)) // where each entry's JSON ends
	for i, e := range full.Entries {
		v, err := jsontext.NewDecoder(bytes.NewReader(data[e.Offset:])).ReadValue()
		if err != nil {
			t.Fatal(err)
		}
		ends[i] = e.Offset + int64(len(v))
	}
	cuts := []int{}
	for cut := 0; cut < len(data)-1; cut += len(data)/400 + 1 {
		cuts = append(cuts, cut)
	}
	for _, end := range ends { // right at, before and after each entry's end
		cuts = append(cuts, int(end)-1, int(end), int(end)+1)
	}
	for _, cut := range cuts {
		tr, err := LoadBytes(context.Background(), "cut.har", data[:cut], Options{})
		if err != nil {
			herr := errKind(t, err)
			// Only a cut before the first entry ends may fail, and only as truncated/empty.
			if int64(cut) > ends[0] || (herr.Kind != ErrTruncated && herr.Kind != ErrNotHAR) {
				t.Fatalf("cut at %d: %v", cut, err)
			}
			continue
		}
		complete := 0
		for _, end := range ends {
			if end <= int64(cut) {
				complete++
			}
		}
		if len(tr.Entries) != complete {
			t.Fatalf("cut at %d: %d entries, %d complete before the cut", cut, len(tr.Entries), complete)
		}
		if tr.Damage == nil || tr.Damage.Kind != ErrTruncated || tr.Damage.Offset != int64(cut) ||
			!strings.Contains(tr.Damage.Error(), fmt.Sprintf("cut off at byte %d", cut)) ||
			!strings.Contains(tr.Damage.Error(), fmt.Sprintf("after %d complete entries", len(tr.Entries))) {
			t.Fatalf("cut at %d: damage %v", cut, tr.Damage)
		}
		for i, e := range tr.Entries {
			if e.Request.URL != full.Entries[i].Request.URL {
				t.Fatalf("cut at %d: entry %d differs", cut, i)
			}
		}
	}
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGzip(t *testing.T) {
	needCorpus(t)
	data, err := os.ReadFile(filepath.Join(corpusDir, "fiddler-2.3-pages-null-bom-harviewer.har"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trace.json") // the name does not matter: content decides
	if err := os.WriteFile(path, gzipBytes(t, data), 0o600); err != nil {
		t.Fatal(err)
	}
	var last Progress
	tr, err := Load(context.Background(), path, Options{InlineBodyLimit: 128, Progress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	plain := loadCorpus(t, "fiddler-2.3-pages-null-bom-harviewer.har")
	if tr.Format != "har.gz" || len(tr.Entries) != len(plain.Entries) || tr.Damage != nil {
		t.Fatalf("format %q, %d entries (want %d), damage %v", tr.Format, len(tr.Entries), len(plain.Entries), tr.Damage)
	}
	if last.Entries != len(plain.Entries) || last.FileRead != last.FileSize || last.Bytes == 0 {
		t.Errorf("final progress %+v", last)
	}
	refs := 0
	for i, e := range tr.Entries {
		if e.Response.Content.Ref != nil {
			refs++
		}
		got, err1 := tr.Body(&e.Response.Content)
		want, err2 := plain.Body(&plain.Entries[i].Response.Content)
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Fatalf("entry %d: bodies differ (%v, %v)", i, err1, err2)
		}
	}
	if refs == 0 {
		t.Error("no body was left in the spooled source")
	}
	// A cut .har.gz still yields the entries before the cut.
	gz := gzipBytes(t, data)
	tr2, err := LoadBytes(context.Background(), "cut.har.gz", gz[:len(gz)*2/3], Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr2.Close()
	if tr2.Damage == nil || tr2.Damage.Kind != ErrTruncated || len(tr2.Entries) == 0 || len(tr2.Entries) >= len(plain.Entries) {
		t.Errorf("cut gzip: %d entries, damage %v", len(tr2.Entries), tr2.Damage)
	}
	if err := tr.Close(); err != nil {
		t.Error(err)
	}
	if _, err := tr.Body(&tr.Entries[0].Response.Content); err == nil && tr.Entries[0].Response.Content.Ref != nil {
		t.Error("Body after Close succeeded")
	}
}

// bombHAR is a valid HAR prefix followed by a huge run of spaces: gzip
// members of 1 MiB of spaces each (about 1 KB compressed), concatenated.
func bombHAR(t testing.TB, mib int) []byte {
	t.Helper()
	spaces := gzipBytes(t, bytes.Repeat([]byte(" "), 1<<20))
	var buf bytes.Buffer
	buf.Write(gzipBytes(t, []byte(`{"log":{"version":"1.2","entries":[`)))
	for range mib {
		buf.Write(spaces)
	}
	buf.Write(gzipBytes(t, []byte(`]}}`)))
	return buf.Bytes()
}

func TestGzipBomb(t *testing.T) {
	bomb := bombHAR(t, 1024) // 1 GiB from about 1 MB
	start := time.Now()
	// A small ratio-guard floor keeps the test fast; the default is 64 MiB.
	_, err := LoadBytes(context.Background(), "bomb.har.gz", bomb, Options{bombFloor: 8 << 20})
	if herr := errKind(t, err); herr.Kind != ErrTooLarge || !strings.Contains(err.Error(), "gzip bomb") {
		t.Fatalf("bomb of %d bytes: %v", len(bomb), err)
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("refusing the bomb took %v", d)
	}
	// The absolute limit applies whatever the ratio.
	small := gzipBytes(t, []byte(`{"log":{"entries":[`+strings.Repeat(`{"request":{"url":"https://x/"}},`, 1000)+`{}]}}`))
	_, err = LoadBytes(context.Background(), "big.har.gz", small, Options{MaxDecompressed: 4096})
	if herr := errKind(t, err); herr.Kind != ErrTooLarge || !strings.Contains(err.Error(), "more than 4096 bytes") {
		t.Fatalf("over MaxDecompressed: %v", err)
	}
}

func TestUTF16(t *testing.T) {
	doc := "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"Fiddler ü\",\"version\":\"1\"},\"entries\":[" +
		"{\"request\":{\"method\":\"GET\",\"url\":\"https://x.example/é\"},\"response\":{\"status\":403,\"content\":{\"text\":\"" +
		strings.Repeat("Zugriff verweigert – ", 20) + "\"}}}]}}"
	for _, enc := range []struct {
		name  string
		order unicode.Endianness
		bom   unicode.BOMPolicy
	}{
		{"LE with BOM", unicode.LittleEndian, unicode.UseBOM},
		{"BE with BOM", unicode.BigEndian, unicode.UseBOM},
		{"LE without BOM", unicode.LittleEndian, unicode.IgnoreBOM},
		{"BE without BOM", unicode.BigEndian, unicode.IgnoreBOM},
	} {
		data, err := unicode.UTF16(enc.order, enc.bom).NewEncoder().Bytes([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := loadString(t, string(data), Options{InlineBodyLimit: 64})
		if err != nil {
			t.Fatalf("%s: %v", enc.name, err)
		}
		if len(tr.Entries) != 1 || tr.Log.Creator.Name != "Fiddler ü" || tr.Entries[0].Request.URL != "https://x.example/é" {
			t.Fatalf("%s: %d entries, creator %q", enc.name, len(tr.Entries), tr.Log.Creator.Name)
		}
		body, err := tr.Body(&tr.Entries[0].Response.Content)
		if err != nil || !strings.HasPrefix(string(body), "Zugriff verweigert – ") || tr.Entries[0].Response.Content.Ref == nil {
			t.Errorf("%s: body %v %.30q", enc.name, err, body)
		}
		if !containsWarning(tr, "UTF-16") {
			t.Errorf("%s: no UTF-16 warning: %q", enc.name, tr.Warnings)
		}
	}
}

func TestLargeBodiesStayInTheFile(t *testing.T) {
	big := strings.Repeat("A", 200<<10)
	doc := `{"log":{"entries":[{"request":{"method":"POST","url":"https://x/","postData":{"mimeType":"text/plain","text":"` + big + `"}},` +
		`"response":{"status":200,"content":{"size":1,"mimeType":"text/plain","text":"` + big + `\n\u00e9"}}},` +
		`{"response":{"content":{"encoding":"base64","text":"` + strings.Repeat("QUJD", 30<<10) + `"}}}]}}`
	path := filepath.Join(t.TempDir(), "big.har")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	tr, err := Load(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	c := &tr.Entries[0].Response.Content
	if c.Text != "" || c.Ref == nil {
		t.Fatalf("a 200 KiB body was kept inline")
	}
	if got := doc[c.Ref.Offset : c.Ref.Offset+c.Ref.Length]; !strings.HasPrefix(got, `"AAA`) || !strings.HasSuffix(got, `\u00e9"`) {
		t.Errorf("Ref does not point at the JSON string: %.20q...", got)
	}
	b, err := tr.Body(c)
	if err != nil || string(b) != big+"\né" {
		t.Errorf("body read back: %v, %d bytes", err, len(b))
	}
	p := tr.Entries[0].Request.PostData
	if txt, err := tr.PostText(p); p.Ref == nil || err != nil || txt != big {
		t.Errorf("post body: ref %v, %v, %d bytes", p.Ref, err, len(txt))
	}
	b, err = tr.Body(&tr.Entries[1].Response.Content)
	if err != nil || len(b) != 90<<10 || string(b[:3]) != "ABC" {
		t.Errorf("base64 body from the file: %v, %d bytes", err, len(b))
	}
}

func TestCancellation(t *testing.T) {
	doc := `{"log":{"entries":[` + strings.Repeat(`{"request":{"url":"https://x/"}},`, 5000) + `{}]}}`
	ctx, cancel := context.WithCancel(context.Background())
	seen := 0
	_, err := LoadBytes(ctx, "c.har", []byte(doc), Options{OnEntry: func(e *Entry) {
		if seen++; seen == 100 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if seen >= 5001 || seen < 100 {
		t.Errorf("read %d entries after cancelling at 100", seen)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := LoadBytes(ctx, "c.har.gz", gzipBytes(t, []byte(doc)), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("gzip, cancelled before: %v", err)
	}
}

func TestProgressAndOnEntry(t *testing.T) {
	doc := `{"log":{"entries":[` + strings.Repeat(`{"request":{"url":"https://x/"}},`, 999) + `{}]}}`
	var calls []Progress
	order := 0
	tr, err := LoadBytes(context.Background(), "p.har", []byte(doc), Options{
		Progress: func(p Progress) { calls = append(calls, p) },
		OnEntry: func(e *Entry) {
			if e.Index != order {
				t.Errorf("OnEntry got index %d, want %d", e.Index, order)
			}
			order++
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if order != 1000 || len(tr.Entries) != 1000 {
		t.Fatalf("OnEntry called %d times", order)
	}
	if len(calls) < 3 {
		t.Fatalf("progress called %d times", len(calls))
	}
	last := calls[len(calls)-1]
	if last.Entries != 1000 || last.Total != int64(len(doc)) || last.Bytes != int64(len(doc)) {
		t.Errorf("final progress %+v, total %d", last, len(doc))
	}
}

func TestHARPWrappers(t *testing.T) {
	body := `{"log":{"entries":[{"request":{"url":"https://x/"}}]}}`
	for _, in := range []string{"onInputData(" + body + ");", "\ufeff  HAR.load (" + body + ")\n", "cb(" + body} {
		tr := mustLoad(t, in)
		if tr.Format != "harp" || len(tr.Entries) != 1 {
			t.Errorf("%.20q: format %q, %d entries", in, tr.Format, len(tr.Entries))
		}
	}
	big := strings.Repeat("x", 100<<10)
	bigDoc := `{"log":{"entries":[{"response":{"content":{"text":"` + big + `"}}}]}}`
	path := filepath.Join(t.TempDir(), "big.harp")
	if err := os.WriteFile(path, []byte("\ufeffonInputData("+bigDoc+");\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tr, err := Load(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := tr.Body(&tr.Entries[0].Response.Content); err != nil || string(b) != big || tr.Entries[0].Response.Content.Ref == nil {
		t.Errorf("HARP body left in the file: %v, %d bytes", err, len(b))
	}
	tr.Close()
	tr, err = LoadBytes(context.Background(), "x.harp.gz", gzipBytes(t, []byte("onInputData("+body+");")), Options{})
	if err != nil || len(tr.Entries) != 1 || tr.Format != "har.gz" {
		t.Fatalf("gzipped HARP: %v", err)
	}
	tr.Close()
}

func TestCutGzipEverywhere(t *testing.T) {
	doc := `{"log":{"version":"1.2","entries":[` + strings.Repeat(`{"request":{"method":"GET","url":"https://x.example/a"},"response":{"status":401}},`, 40) + `{}]}}`
	gz := gzipBytes(t, []byte(doc))
	for cut := 0; cut < len(gz); cut += 7 {
		tr, err := LoadBytes(context.Background(), "cut.har.gz", gz[:cut], Options{})
		if err != nil {
			if herr := errKind(t, err); herr.Kind != ErrTruncated && herr.Kind != ErrEncoding && herr.Kind != ErrNotHAR {
				t.Fatalf("cut at %d: %v", cut, err)
			}
			continue
		}
		if tr.Damage == nil || tr.Damage.Kind != ErrTruncated {
			t.Fatalf("cut at %d of %d: %d entries, damage %v", cut, len(gz), len(tr.Entries), tr.Damage)
		}
		tr.Close()
	}
}

func TestGzipCorruptChecksum(t *testing.T) {
	gz := gzipBytes(t, []byte(`{"log":{"entries":[{"request":{"url":"https://x/"}},{"request":{"url":"https://y/"}}]}}`))
	gz[len(gz)-6] ^= 0xff // CRC-32 in the trailer
	tr, err := LoadBytes(context.Background(), "crc.har.gz", gz, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if len(tr.Entries) != 2 || tr.Damage == nil || tr.Damage.Kind != ErrEncoding || !strings.Contains(tr.Damage.Error(), "checksum") {
		t.Errorf("%d entries, damage %v", len(tr.Entries), tr.Damage)
	}
}

func TestEntriesKeepFileOrder(t *testing.T) {
	tr := mustLoad(t, `{"log":{"entries":[
	 {"startedDateTime":"2024-01-02T03:04:09Z","request":{"url":"https://x/late"}},
	 {"startedDateTime":"2024-01-02T03:04:01Z","request":{"url":"https://x/early"}}]}}`)
	if tr.Entries[0].Request.URL != "https://x/late" || tr.Entries[1].Index != 1 {
		t.Errorf("entries reordered: %s first", tr.Entries[0].Request.URL)
	}
}
