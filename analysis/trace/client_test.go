package trace

import (
	"testing"

	"authlens/har"
)

func TestClientOf(t *testing.T) {
	cases := []struct {
		ua      string
		fetch   bool
		name    string
		browser bool
	}{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", false, "a browser", true},
		{"", true, "a browser", true}, // Sec-Fetch-* only browsers send
		{"curl/8.5.0", false, "curl 8.5.0", false},
		{"python-requests/2.31.0", false, "python-requests 2.31.0", false},
		{"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64", false, "aws-cli 2.15.0", false},
		{"Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux", false, "Boto3 1.34.0", false},
		{"kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f", false, "kubectl", false},
		{"Go-http-client/2.0", false, "Go-http-client 2.0", false},
		{"MyInternalTool/3.2 (build 77)", false, "MyInternalTool 3.2", false},
		{"", false, "", false},
	}
	for _, c := range cases {
		e := &har.Entry{}
		if c.ua != "" {
			e.Request.Headers = append(e.Request.Headers, har.Header{Name: "User-Agent", Value: c.ua})
		}
		if c.fetch {
			e.Request.Headers = append(e.Request.Headers, har.Header{Name: "Sec-Fetch-Mode", Value: "cors"})
		}
		got := ClientOf(e)
		if got.Name != c.name || got.Browser != c.browser {
			t.Errorf("ClientOf(%q) = %+v, want %q browser=%v", c.ua, got, c.name, c.browser)
		}
	}
	if ClientSubject("") != "The client" || ClientSubject("a browser") != "The browser" || ClientSubject("curl 8.5.0") != "curl 8.5.0" {
		t.Error("ClientSubject")
	}
}
