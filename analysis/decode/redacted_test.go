package decode

import (
	"strings"
	"testing"
)

func TestHandRedacted(t *testing.T) {
	for _, v := range []string{"[REDACTED]", "****", "***", "xxx", "<token>", "<API KEY>", "eyJhbGciOi…", "eyJhbGciOiJIUzI1NiJ9...[REDACTED]",
		"{{access_token}}", "${TOKEN}", "ya29.a0Af…", "sk_live_xxxxxxxxxxxx", "YOUR_API_KEY", "•••••", "removed by the exporter"} {
		if !HandRedacted(v) {
			t.Errorf("HandRedacted(%q) = false", v)
		}
	}
	for _, v := range []string{"", "abc", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "dXNlcjpwYXNz", "481ec93f7d02a5dbd1e032dcb28523c9", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "max-age=0"} {
		if HandRedacted(v) {
			t.Errorf("HandRedacted(%q) = true", v)
		}
	}
}

func TestHandRedactedCredentialIsNeverMalformed(t *testing.T) {
	for _, v := range []string{"Bearer ****", "Bearer eyJhbG…[REDACTED]", "Basic <base64>", "Bearer <APIKEY>", "****", "Bearer {{token}}"} {
		c := ParseCredentials(v)
		if c.Malformed != "" || !c.Placeholder {
			t.Errorf("ParseCredentials(%q): Malformed %q, Placeholder %v", v, c.Malformed, c.Placeholder)
		}
	}
	if c := ParseCredentials("Bearer Bearer abc.def.ghi"); c.Placeholder || c.Malformed == "" {
		t.Errorf("a real doubled scheme: %+v", c)
	}
}

// The pre-check never hides a marker the expression would find.
func FuzzHandRedactedPrecheck(f *testing.F) {
	for _, s := range []string{"[REDACTED]", "eyJhbGciOi…", "Bearer ****", "<token>", "{{token}}", "${API_KEY}", "xxxxxx", "XXX", "your_api_key", "MASKED", "removed", "abcDEF123", "•••••", "a.b...c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := strings.TrimSpace(s)
		if len(v) >= 3 && handMarkers.MatchString(v) && !mayHoldMarker(v) {
			t.Fatalf("pre-check hides a marker in %q", v)
		}
	})
}

func BenchmarkHandRedactedPlainToken(b *testing.B) {
	tok := "ya29.a0AfB_byC8kX2mQeL9v0rT3nJ5pW7sD1fG4hK6lZ8xC0vB2nM4qW6eR8tY0uI2oP4aS6dF8gH0jK2lZ4xC6vB8nM0qW2eR4tY6uI8o"
	for i := 0; i < b.N; i++ {
		HandRedacted(tok)
	}
}
