// Package excerpt cuts quotes out of bodies and headers for evidence:
// a match with some context around it, shortened on rune boundaries.
package excerpt

import "unicode/utf8"

// Around returns text[start:end] widened by before and after bytes, kept
// inside text and on rune boundaries, and whether it starts after the
// beginning of text. Evidence excerpts quote a match with its context.
func Around(text string, start, end, before, after int) (string, bool) {
	from, to := max(start-before, 0), min(end+after, len(text))
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return text[from:to], from > 0
}

// Clip shortens s to at most n bytes on a rune boundary, marking the cut with "…".
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
