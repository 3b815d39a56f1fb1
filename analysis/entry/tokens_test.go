package entry

import (
	"reflect"
	"testing"
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
