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
	if len(s) < 3 {
		return false
	}
	return handMarkers.MatchString(s)
}
