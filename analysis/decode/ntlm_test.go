package decode

import (
	"testing"

	"authlens/analysis/internal/ntlmtest"
)

func TestParseNTLM(t *testing.T) {
	uni := ntlmtest.FlagUnicode | ntlmtest.FlagNTLM
	tests := []struct {
		name string
		msg  []byte
		want NTLMMessage
	}{
		{"type1 bare", ntlmtest.Type1(uni, "", ""), NTLMMessage{Type: 1, Flags: uni, Unicode: true}},
		{"type1 names are OEM", ntlmtest.Type1(uni, "CORP", "WS01"), NTLMMessage{Type: 1, Flags: uni | ntlmtest.FlagDomainSupplied | ntlmtest.FlagWorkstationSupplied, Domain: "CORP", Workstation: "WS01", Unicode: true}},
		{"type2 unicode", ntlmtest.Type2(uni, "CORP"), NTLMMessage{Type: 2, Flags: uni, TargetName: "CORP", Unicode: true}},
		{"type2 oem", ntlmtest.Type2(ntlmtest.FlagOEM, "CORP"), NTLMMessage{Type: 2, Flags: ntlmtest.FlagOEM, TargetName: "CORP"}},
		{"type3 unicode non-ascii", ntlmtest.Type3(uni, "KÖLN", "jürgen", "WS01", false), NTLMMessage{Type: 3, Flags: uni, Domain: "KÖLN", User: "jürgen", Workstation: "WS01", Unicode: true}},
		{"type3 oem", ntlmtest.Type3(ntlmtest.FlagOEM, "CORP", "jdoe", "WS", false), NTLMMessage{Type: 3, Flags: ntlmtest.FlagOEM, Domain: "CORP", User: "jdoe", Workstation: "WS"}},
		{"type3 anonymous", ntlmtest.Type3(uni, "", "", "", true), NTLMMessage{Type: 3, Flags: uni, Anonymous: true, Unicode: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseNTLM(ntlmtest.Base64(tc.msg))
			if err != nil {
				t.Fatal(err)
			}
			if *m != tc.want {
				t.Errorf("got %+v\nwant %+v", *m, tc.want)
			}
		})
	}
	// The well-known prefixes.
	for typ, prefix := range map[int]string{1: "TlRMTVNTUAAB", 2: "TlRMTVNTUAAC", 3: "TlRMTVNTUAAD"} {
		var msg []byte
		switch typ {
		case 1:
			msg = ntlmtest.Type1(uni, "", "")
		case 2:
			msg = ntlmtest.Type2(uni, "X")
		case 3:
			msg = ntlmtest.Type3(uni, "D", "U", "W", false)
		}
		if got := ntlmtest.Base64(msg); got[:12] != prefix {
			t.Errorf("type %d starts %q, want %q", typ, got[:12], prefix)
		}
	}
	// Bounds: a buffer pointing past the end is an error, not a panic.
	bad := ntlmtest.Type3(uni, "CORP", "jdoe", "WS", false)
	bad[36+4] = 0xff // user offset far past the end
	if _, err := ParseNTLMBytes(bad); err == nil {
		t.Error("out-of-bounds user buffer accepted")
	}
	for _, s := range []string{"", "TlRMTVNTUA", "bm90IG50bG0=", "TlRMTVNTUAAEAAAA", "%%%"} {
		if _, err := ParseNTLM(s); err == nil {
			t.Errorf("ParseNTLM(%q) accepted", s)
		}
	}
}

func FuzzParseNTLM(f *testing.F) {
	f.Add([]byte(ntlmtest.Type1(1, "CORP", "WS")), "", "", "", false)
	f.Add([]byte(ntlmtest.Type2(1, "CORP")), "", "", "", false)
	f.Add([]byte{}, "CORP", "jdoe", "WS01", true)
	f.Add([]byte{}, "KÖLN", "jürgen", "", false)
	f.Fuzz(func(t *testing.T, raw []byte, domain, user, ws string, unicode bool) {
		// Arbitrary bytes: no panic, errors allowed.
		_, _ = ParseNTLMBytes(raw)
		// Built type-3 messages round-trip their names.
		var flags uint32 = ntlmtest.FlagOEM
		if unicode {
			flags = ntlmtest.FlagUnicode
		}
		if len(domain) > 1000 || len(user) > 1000 || len(ws) > 1000 {
			return
		}
		m, err := ParseNTLM(ntlmtest.Base64(ntlmtest.Type3(flags, domain, user, ws, false)))
		if err != nil {
			t.Fatalf("built type 3 does not parse: %v", err)
		}
		want := func(s string) string { return string(decodeBack(ntlmtest.Encode(s, unicode), unicode)) }
		if m.Domain != want(domain) || m.User != want(user) || m.Workstation != want(ws) {
			t.Fatalf("round trip: got %q %q %q", m.Domain, m.User, m.Workstation)
		}
	})
}

func decodeBack(b []byte, unicode bool) string {
	if unicode {
		return utf16LEString(b)
	}
	return oemString(b)
}
