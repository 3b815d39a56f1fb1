package decode

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"short":                  "…(5 chars)",
		"eyJhbGciOiJSUzI1NiJ9.x": "eyJh…(22 chars)",
		"ääääääääääääääääää":     "ääää…(18 chars)",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMask(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig")
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if utf8.RuneCountInString(s) >= 8 && strings.Contains(m, s) {
			t.Fatalf("Mask(%q) = %q contains the secret", s, m)
		}
	})
}
