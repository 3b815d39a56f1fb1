package trace

import (
	"testing"

	"authlens/analysis/decode"
	"authlens/analysis/internal/fixture"
)

func challenges(t *testing.T, values ...string) []decode.Challenge {
	t.Helper()
	chs, err := decode.ParseChallenges(values...)
	if err != nil {
		t.Fatalf("ParseChallenges(%q): %v", values, err)
	}
	return chs
}

func TestChallengeClasses(t *testing.T) {
	windows := challenges(t, "Negotiate", "NTLM")
	custom := challenges(t, `FormsLogin realm="app"`)
	sha512 := challenges(t, `Digest realm="r", nonce="n", algorithm=SHA-512-256`)
	sha256 := challenges(t, `Digest realm="r", nonce="n", algorithm=SHA-256`)
	if !OnlySchemes(windows, "negotiate", "ntlm") || OnlySchemes(append(windows, custom...), "negotiate", "ntlm") || OnlySchemes(nil, "ntlm") {
		t.Error("OnlySchemes")
	}
	if !NoneStandard(custom) || NoneStandard(windows) || NoneStandard(nil) {
		t.Error("NoneStandard")
	}
	if !DigestOnlyUnsupported(sha512) || DigestOnlyUnsupported(sha256) || DigestOnlyUnsupported(append(sha512, windows...)) {
		t.Error("DigestOnlyUnsupported")
	}
	if !StaleDigest(challenges(t, `Digest realm="r", nonce="n2", stale=TRUE`)) || StaleDigest(sha256) || StaleDigest(windows) {
		t.Error("StaleDigest")
	}
	if !BareChallenge(windows, "NTLM") || BareChallenge(challenges(t, "NTLM TlRMTVNTUAACAAAA"), "NTLM") {
		t.Error("BareChallenge")
	}
}

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
