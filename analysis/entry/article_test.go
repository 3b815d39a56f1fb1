package entry

import (
	"testing"

	"authlens/har"
)

func TestWithArticle(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer": "a Bearer", "Basic": "a Basic", "OAuth": "an OAuth", "NTLM": "an NTLM",
		"Negotiate": "a Negotiate", "Digest": "a Digest", "AWS4-HMAC-SHA256": "an AWS4-HMAC-SHA256", "HOBA": "an HOBA",
	} {
		if got := WithArticle(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestStatusReadingWithoutReasonPhrase(t *testing.T) {
	e := &har.Entry{}
	e.Response.Status = 200
	if got := StatusReading(e); got != "200 OK." {
		t.Errorf("got %q", got)
	}
}
