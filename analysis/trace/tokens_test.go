package trace

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestScopes(t *testing.T) {
	if got := MissingScopes([]string{"read:user", " Repo "}, []string{"repo", "admin:org"}); !reflect.DeepEqual(got, []string{"admin:org"}) {
		t.Errorf("MissingScopes = %v", got)
	}
	if !ScopesCover([]string{"repo", "user"}, []string{"admin:org", " user"}) {
		t.Error("user is accepted")
	}
	if ScopesCover([]string{"repo"}, []string{"admin:org"}) {
		t.Error("admin:org is not held")
	}
	if !ScopesCover(nil, []string{""}) {
		t.Error("an empty accepted scope accepts any token")
	}
}

// jwtWithExp is an unsigned JWT whose exp is the fixture start.
func jwtWithExp() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"u1","exp":%d}`, fixture.Time(0).Unix()))) + ".sig"
}

func TestCarriedJWTOf(t *testing.T) {
	tok := jwtWithExp()
	tr := traceOf(
		fixture.Entry(0, "GET", "https://api.example.com/a", 401, []string{"Authorization: Bearer " + tok}, nil, ""),
		fixture.Entry(1, "GET", "https://api.example.com/a", 401, []string{"Cookie: access_token=" + tok}, nil, ""),
		fixture.Entry(2, "GET", "https://api.example.com/ws?token="+tok, 401, nil, nil, ""),
		fixture.Entry(3, "GET", "https://api.example.com/a", 401, nil, nil, ""),
	)
	cases := []struct{ label, prefix, cookie, param string }{
		{"The access token", "", "", ""},
		{"The token in the access_token cookie", "cookie access_token: ", "access_token", ""},
		{"The token in the address's token parameter", "query token: ", "", "token"},
	}
	for i, c := range cases {
		got := tr.CarriedJWTOf(i)
		if got.JWT == nil || got.Label() != c.label || got.EvidencePrefix() != c.prefix || got.Cookie != c.cookie || got.Param != c.param {
			t.Errorf("entry %d: CarriedJWTOf = %+v (%q, %q)", i, got, got.Label(), got.EvidencePrefix())
		}
	}
	if got := tr.CarriedJWTOf(3); got.JWT != nil {
		t.Errorf("entry 3 carried no token: %+v", got)
	}
}
