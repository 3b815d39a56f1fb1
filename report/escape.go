package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one escaping policy of every output. Text taken from a HAR (method,
// URL, header names and values, body excerpts) may hold terminal escape
// sequences or Markdown and HTML structure; it reaches a terminal, a
// ticket or a file only through these functions.

// Visible renders C0 and C1 control characters (and DEL, and invalid
// UTF-8 bytes) visibly as \xNN or \u00NN, so an ANSI/OSC sequence in a
// HAR cannot drive the terminal that prints it. Newlines and tabs become
// spaces when oneLine is set, and are kept otherwise.
func Visible(s string, oneLine bool) string {
	if isPlain(s) && (!oneLine || !strings.ContainsAny(s, "\n\t")) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			if oneLine {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '\u2028' || r == '\u2029' || r == '\u202e' || r == '\u202d' || r == '\u2066' || r == '\u2067' || r == '\u2068' || r == '\u2069':
			// line separators and bidi overrides reorder what a person reads
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// isPlain reports whether s holds nothing Visible would change.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				return isPlainUnicode(s)
			}
			if c != '\n' && c != '\t' {
				return false
			}
		}
	}
	return true
}

func isPlainUnicode(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// markdownSpecial are the characters CommonMark (and GitHub's tables and
// strikethrough) may read as structure anywhere in a line. Others are
// structure only at the start of a line; Markdown handles those.
const markdownSpecial = "\\`*_[]#!|~"

// Markdown escapes s for a Markdown paragraph or list item: control
// characters are made visible, line breaks become spaces (a line break
// could start a heading or a list), every character CommonMark may read
// as structure is backslash-escaped (inline ones anywhere, list and break
// markers at the start), and < > & become HTML entities so no raw HTML or
// autolink survives.
func Markdown(s string) string {
	s = Visible(s, true)
	var b strings.Builder
	b.Grow(len(s) + 8)
	// At the start of a line, "- ", "+ ", "1. " and "1) " open a list and
	// "---" a thematic break or heading underline.
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	for i, r := range s {
		if (i == 0 && (r == '-' || r == '+')) || (i == digits && digits > 0 && (r == '.' || r == ')')) {
			b.WriteByte('\\')
			b.WriteRune(r)
			continue
		}
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r < utf8.RuneSelf && strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Code puts s in a Markdown code span whose backtick fence is longer than
// any run of backticks inside s, so s cannot close it early. Control
// characters are made visible first; inside a code span nothing else is
// markup.
func Code(s string) string {
	s = Visible(s, true)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		pad = " "
	}
	return fence + pad + s + pad + fence
}
