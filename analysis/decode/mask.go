package decode

import (
	"fmt"
	"unicode/utf8"
)

// maskKeep is how many leading characters of a long secret Mask keeps:
// enough to recognise a JWT ("eyJh") or an NTLM blob ("TlRM"), too few to
// reuse anything.
const maskKeep = 4

// maskMinKeep is the shortest secret of which Mask shows any character;
// shorter ones are shown by length only, since 4 characters of a short
// secret are a large part of it.
const maskMinKeep = 16

// Mask hides a secret, keeping only enough to recognise it (e.g.
// "eyJh…(812 chars)"). Secrets shorter than 16 characters are shown by
// length only ("…(8 chars)"); the empty string stays empty.
func Mask(secret string) string {
	n := utf8.RuneCountInString(secret)
	if n == 0 {
		return ""
	}
	if n < maskMinKeep {
		return fmt.Sprintf("…(%d chars)", n)
	}
	kept := 0
	end := 0
	for i := range secret {
		if kept == maskKeep {
			end = i
			break
		}
		kept++
	}
	return fmt.Sprintf("%s…(%d chars)", secret[:end], n)
}
