package entry

import "testing"

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"The token": "the token", "CORS preflight": "CORS preflight", "DNS answer": "DNS answer", "": "", "already": "already", "Élan": "élan"} {
		if got := LowerFirst(in); got != want {
			t.Errorf("LowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
