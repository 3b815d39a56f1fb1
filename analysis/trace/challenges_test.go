package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestEntryAuthWrongScheme(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "GET", "https://api.example.com/a", 401, []string{"Authorization: Bearer abc"}, []string{`WWW-Authenticate: Basic realm="api"`}, ""),
		fixture.Entry(1, "GET", "https://api.example.com/a", 401, []string{"Authorization: Basic dXNlcjpwYXNz"}, []string{`WWW-Authenticate: Basic realm="api"`}, ""),
		fixture.Entry(2, "GET", "https://api.example.com/a", 401, []string{"Authorization: Bearer abc"}, nil, ""),
		fixture.Entry(3, "GET", "https://api.example.com/a", 401, nil, []string{`WWW-Authenticate: Basic realm="api"`}, ""),
	)
	for i, want := range []bool{true, false, false, false} {
		if got := tr.Auth(i).WrongScheme(); got != want {
			t.Errorf("entry %d: WrongScheme = %v, want %v", i, got, want)
		}
	}
}
