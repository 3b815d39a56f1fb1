package redact

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// alnum turns fuzzer bytes into a secret of [A-Za-z0-9]{6,}.
func alnum(raw []byte) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 0, len(raw)+6)
	for _, c := range raw {
		b = append(b, chars[int(c)%len(chars)])
	}
	for len(b) < 6 {
		b = append(b, chars[len(b)*7%len(chars)])
	}
	return string(b)
}

func addSeeds(f *testing.F) {
	for _, c := range canaries {
		f.Add(c.in, []byte(c.secret))
		f.Add("Request failed for "+c.in+" ", []byte("SECRETVALUE1"))
	}
	f.Add("", []byte(""))
	f.Add("https://h/?a=1&", []byte("x"))
	f.Add("//", []byte("abcdefghijklmnopq"))
	f.Add("password=…(3 chars)", []byte("abcdef"))
}

// checkMasker checks the properties FuzzURL and FuzzText share: no panic,
// valid UTF-8 out of valid UTF-8, idempotence, and that a secret after
// "token=" never shows, whatever stands before it.
func checkMasker(t *testing.T, name string, fn func(string) string, in string, raw []byte) {
	out := fn(in)
	if utf8.ValidString(in) && !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q: invalid UTF-8", name, in, out)
	}
	// Idempotence, with one documented exception: when a masked value held
	// a URL delimiter ("keY=? ://@", "#=token=//#A000…") or a space inside
	// an unclosed quoted credential, the masked text parses differently and
	// a second pass may mask more, fold two masks into one, or recount a
	// mask's length. It must then show no more clear text than the first
	// pass, and neither may a third.
	if twice := fn(out); twice != out {
		clear := len(clearText(out))
		if len(clearText(twice)) > clear || len(clearText(fn(twice))) > clear {
			t.Fatalf("%s not idempotent on %q:\n once  %q\n twice %q", name, in, out, twice)
		}
	}
	secret := alnum(raw)
	if strings.Contains(in+"token="+secret[:len(secret)-1], secret) {
		return // the secret is also in what is kept ("33333" + "token")
	}
	withSecret := in + "token=" + secret
	if got := fn(withSecret); strings.Contains(got, secret) {
		t.Fatalf("%s(%q) = %q leaks %q", name, withSecret, got, secret)
	}
}

func FuzzURL(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in string, raw []byte) {
		checkMasker(t, "URL", URL, in, raw)
	})
}

func FuzzText(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in string, raw []byte) {
		checkMasker(t, "Text", Text, in, raw)
	})
}

// maskPattern matches a mask and the runes a Value mask keeps before it.
var maskPattern = regexp.MustCompile(`\S{0,4}…\(\d+ chars\)|\*\*\*`)

// clearText is s without its masks: what a reader can still see.
func clearText(s string) string { return maskPattern.ReplaceAllString(s, "") }
