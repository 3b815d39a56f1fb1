package entry

import (
	"strings"
	"unicode"
)

// WithArticle puts "a" or "an" before a word as it is said aloud: "a
// Bearer", "an OAuth", "an NTLM" (an acronym is spelled out), "a
// Negotiate".
func WithArticle(word string) string {
	if word == "" {
		return word
	}
	first := unicode.ToLower(rune(word[0]))
	acronym := len(word) > 1 && strings.ToUpper(word) == word && unicode.IsLetter(rune(word[0]))
	an := strings.ContainsRune("aeiou", first)
	if acronym {
		// Letters whose names start with a vowel sound: eff, aitch, ell, em, en, ess, ex…
		an = strings.ContainsRune("aefhilmnorsx", first)
	}
	if an {
		return "an " + word
	}
	return "a " + word
}
