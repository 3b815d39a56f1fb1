package capture

import "testing"

func TestLiveLinesHideSecrets(t *testing.T) {
	for raw, want := range map[string]string{
		"https://alice:secret@site.test/a?token=abc": "https://site.test/a?…",
		"http://site.test/b#access_token=xyz":        "http://site.test/b?…",
		"http://site.test/plain":                     "http://site.test/plain",
	} {
		if got := displayURL(raw); got != want {
			t.Errorf("displayURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
