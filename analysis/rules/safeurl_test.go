package rules

import (
	"authlens/redact"
	"testing"
)

func TestSafeURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://example.com/a?b=1", "https://example.com/a?b=1"},
		{"https://alice:s3cret@example.com/", "https://alice:***@example.com/"},
		{"https://bucket.s3.amazonaws.com/f?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-Signature=abcdef", "https://bucket.s3.amazonaws.com/f?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-Signature=***"},
		{"https://acct.blob.core.windows.net/c/b?se=2026-01-01&sig=AbC%2Bd", "https://acct.blob.core.windows.net/c/b?se=2026-01-01&sig=***"},
		{"https://app/cb?code=xyz&state=1", "https://app/cb?code=***&state=1"},
		{"%zz", "%zz"},
	} {
		if got := redact.URL(c.in); got != c.want {
			t.Errorf("SafeURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
