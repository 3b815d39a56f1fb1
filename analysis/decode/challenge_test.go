package decode

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseChallenges(t *testing.T) {
	type ch struct {
		scheme  string
		token68 string
		params  map[string]string
	}
	tests := []struct {
		name    string
		values  []string
		want    []ch
		wantErr bool
	}{
		{"basic", []string{`Basic realm="Staff area"`}, []ch{{"Basic", "", map[string]string{"realm": "Staff area"}}}, false},
		{"case kept, keys lowered", []string{`bAsIc ReAlM="x", CharSet="UTF-8"`}, []ch{{"bAsIc", "", map[string]string{"realm": "x", "charset": "UTF-8"}}}, false},
		{"two in one header", []string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`},
			[]ch{{"Newauth", "", map[string]string{"realm": "apps", "type": "1", "title": `Login to "apps"`}}, {"Basic", "", map[string]string{"realm": "simple"}}}, false},
		{"across headers", []string{"Negotiate", "NTLM"}, []ch{{"Negotiate", "", map[string]string{}}, {"NTLM", "", map[string]string{}}}, false},
		{"token68", []string{"NTLM TlRMTVNTUAACAAAADAAMADAAAAA=", "Negotiate oYG3MIG0oAMKAQA="},
			[]ch{{"NTLM", "TlRMTVNTUAACAAAADAAMADAAAAA=", map[string]string{}}, {"Negotiate", "oYG3MIG0oAMKAQA=", map[string]string{}}}, false},
		{"comma inside quotes", []string{`Digest realm="a, b", qop="auth, auth-int", nonce="n1", stale=TRUE`},
			[]ch{{"Digest", "", map[string]string{"realm": "a, b", "qop": "auth, auth-int", "nonce": "n1", "stale": "TRUE"}}}, false},
		{"empty list elements", []string{` , Basic realm="x" ,, , Bearer ,`},
			[]ch{{"Basic", "", map[string]string{"realm": "x"}}, {"Bearer", "", map[string]string{}}}, false},
		{"bearer error", []string{`Bearer realm="api", error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="myACR"`},
			[]ch{{"Bearer", "", map[string]string{"realm": "api", "error": "insufficient_user_authentication", "error_description": "A different authentication level is required", "acr_values": "myACR"}}}, false},
		{"BWS around equals", []string{`Basic realm = "x"`}, []ch{{"Basic", "", map[string]string{"realm": "x"}}}, false},
		{"unterminated quote", []string{`Basic realm="x`}, []ch{{"Basic", "", map[string]string{}}}, true},
		{"garbage then good", []string{`@@@, Basic realm="ok"`}, []ch{{"Basic", "", map[string]string{"realm": "ok"}}}, true},
		{"dpop nonce", []string{`DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`},
			[]ch{{"DPoP", "", map[string]string{"error": "use_dpop_nonce", "error_description": "Resource server requires nonce in DPoP proof"}}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseChallenges(tc.values...)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			var g []ch
			for _, c := range got {
				g = append(g, ch{c.Scheme, c.Token68, c.Params})
			}
			if !reflect.DeepEqual(g, tc.want) {
				t.Errorf("got %#v\nwant %#v", g, tc.want)
			}
		})
	}
}

func TestChallengeParamAndRaw(t *testing.T) {
	chs, err := ParseChallenges(`Basic realm="a", Digest realm="b", nonce="c"`)
	if err != nil || len(chs) != 2 {
		t.Fatalf("got %v, %v", chs, err)
	}
	if v, ok := chs[1].Param("NONCE"); !ok || v != "c" {
		t.Errorf("Param(NONCE) = %q, %v", v, ok)
	}
	if chs[0].Raw != `Basic realm="a"` || chs[1].Raw != `Digest realm="b", nonce="c"` {
		t.Errorf("Raw = %q / %q", chs[0].Raw, chs[1].Raw)
	}
}

// FuzzParseChallenges checks that the parser never panics, that every
// challenge has a scheme that is a token, and that rendering challenges
// and parsing them again gives the same challenges.
func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{`Basic realm="x"`, `Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`,
		"NTLM TlRMTVNTUAACAAAA", `Digest realm="a, b", stale=true`, ",,", `Bearer error="x`, "a=b", "Basic  , realm=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		chs, _ := ParseChallenges(s)
		for _, c := range chs {
			if !isToken(c.Scheme) {
				t.Fatalf("scheme %q is not a token (input %q)", c.Scheme, s)
			}
			if c.Token68 != "" && len(c.Params) > 0 {
				t.Fatalf("challenge has both token68 and params: %#v", c)
			}
		}
		again, err := ParseChallenges(render(chs))
		if err != nil {
			t.Fatalf("rendered %q does not parse: %v", render(chs), err)
		}
		if len(again) != len(chs) {
			t.Fatalf("round trip: %d challenges, want %d (%q)", len(again), len(chs), render(chs))
		}
		for i := range chs {
			if again[i].Scheme != chs[i].Scheme || again[i].Token68 != chs[i].Token68 || !reflect.DeepEqual(again[i].Params, chs[i].Params) {
				t.Fatalf("round trip changed %#v into %#v", chs[i], again[i])
			}
		}
	})
}

func render(chs []Challenge) string {
	var parts []string
	for _, c := range chs {
		s := c.Scheme
		if c.Token68 != "" {
			s += " " + c.Token68
		}
		var ps []string
		for k, v := range c.Params {
			ps = append(ps, k+`="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v)+`"`)
		}
		if len(ps) > 0 {
			s += " " + strings.Join(ps, ", ")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
