package decode

import (
	"regexp"
	"strings"
)

// handMarkers are what people and export tools put where they removed
// or shortened a secret before sharing a file.
var handMarkers = regexp.MustCompile(`(?i)redacted|removed|<hidden>|\[filtered\]|\[masked\]|\bmasked\b|…|\.\.\.|\{\{[^}]*\}\}|\$\{[^}]*\}|<[a-z][a-z0-9 _-]*>|\*{3,}|•{3,}|^x{3,}$|x{6,}|\byour[_ -]?(?:[a-z]+[_ -])?(?:token|key|secret|password)`)

// HandRedacted reports whether a credential or cookie value was masked or
// shortened by a person or a tool before the file was shared
// ("[REDACTED]", "****", "<token>", "eyJhbG…", "{{token}}"). Such a value
// is never malformed and never equal to the real one: AuthLens can only
// say what it could not confirm because of it.
func HandRedacted(v string) bool {
	s := strings.TrimSpace(v)
	if len(s) < 3 || !mayHoldMarker(s) {
		return false
	}
	return handMarkers.MatchString(s)
}

// markerWords are the words of handMarkers, lower-case; markerRunes its
// other first characters. A value with none of them cannot match, and
// nearly every real credential has none: the check spares the expression
// (case-insensitive, without a literal prefix) almost every call.
var markerWords = []string{"redacted", "removed", "masked", "hidden", "filtered", "xxx", "your"}

const markerRunes = "<[{$*•…"

func mayHoldMarker(s string) bool {
	if strings.ContainsAny(s, markerRunes) || strings.Contains(s, "...") {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true // case folding beyond ASCII (ſ, K): leave it to the expression
		}
		c := s[i] | 0x20 // ASCII lower case
		if c != 'r' && c != 'm' && c != 'h' && c != 'f' && c != 'x' && c != 'y' {
			continue
		}
		for _, w := range markerWords {
			if len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}
