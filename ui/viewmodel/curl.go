package viewmodel

import (
	"strings"

	"authlens/har"
	"authlens/redact"
)

// CurlRequest is what a curl command replays: the request as recorded.
type CurlRequest struct {
	Method  string
	URL     string
	Headers []har.Header
	Body    string // sent with --data-binary when HasBody
	HasBody bool
}

// CurlRequestOf returns entry i's request, its body read through the
// session (bodies of large files stay in the file until asked for).
func CurlRequestOf(s *Session, i int) (CurlRequest, error) {
	e := s.Entries()[i]
	req := CurlRequest{Method: e.Request.Method, URL: e.Request.URL, Headers: e.Request.Headers}
	if len(har.HeaderValues(e.Request.Headers, "Cookie")) == 0 && len(e.Request.Cookies) > 0 {
		// Some exports list the cookies but not the Cookie header.
		var pairs []string
		for _, c := range e.Request.Cookies {
			pairs = append(pairs, c.Name+"="+c.Value)
		}
		req.Headers = append(append([]har.Header(nil), req.Headers...), har.Header{Name: "Cookie", Value: strings.Join(pairs, "; ")})
	}
	if e.Request.PostData != nil {
		body, err := s.RequestBody(i)
		if err != nil {
			return req, err
		}
		req.Body, req.HasBody = body, true
	}
	return req, nil
}

// CurlArgs is the argv of the curl command for req. Unless reveal, every
// secret (credentials, cookies, tokens in the URL or body) is masked with
// the one redaction policy, so the command can go in a ticket; masked
// secrets make the replay fail authentication, which is the point.
// NUL bytes, which no argv can carry, are dropped.
func CurlArgs(req CurlRequest, reveal bool) []string {
	mask := func(name, v string) string {
		if reveal {
			return v
		}
		return redact.Header(name, v)
	}
	url := req.URL
	if !reveal {
		url = redact.URL(url)
	}
	args := []string{"curl"}
	method := strings.ToUpper(req.Method)
	if method == "" {
		method = "GET"
	}
	// curl picks GET, or POST with --data-binary, by itself.
	if !(method == "GET" && !req.HasBody || method == "POST" && req.HasBody) {
		args = append(args, "-X", method)
	}
	args = append(args, url)
	for _, h := range req.Headers {
		lower := strings.ToLower(h.Name)
		// HTTP/2 pseudo-headers and the length are curl's to write.
		if h.Name == "" || strings.HasPrefix(h.Name, ":") || lower == "content-length" {
			continue
		}
		args = append(args, "-H", h.Name+": "+mask(h.Name, h.Value))
		if lower == "accept-encoding" {
			args = append(args, "--compressed")
		}
	}
	if req.HasBody {
		body := req.Body
		if !reveal {
			body = redact.Text(body)
		}
		args = append(args, "--data-binary", body)
	}
	for k, a := range args {
		args[k] = strings.ReplaceAll(a, "\x00", "")
	}
	return args
}

// Curl is CurlArgs as one POSIX shell command, an argument per line.
func Curl(req CurlRequest, reveal bool) string {
	args := CurlArgs(req, reveal)
	var b strings.Builder
	for k, a := range args {
		if k > 0 {
			if k > 1 && strings.HasPrefix(a, "-") {
				b.WriteString(" \\\n  ")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(ShellQuote(a))
	}
	return b.String()
}

// ShellQuote quotes s as one word for a POSIX shell. Inside single quotes
// nothing is special ($(), backticks, newlines, backslashes), so only the
// single quote itself needs care: close, escape it, reopen.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:,=@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
