package decode

import (
	"fmt"
	"strings"
)

// ParseChallenges parses one or more WWW-Authenticate (or
// Proxy-Authenticate) header values into challenges (RFC 9110 §11.6.1):
// several challenges in one value and across values, auth-params with
// token or quoted-string values (backslash escapes, commas inside quotes),
// token68, empty list elements. Scheme names keep their case; parameter
// names are lower-cased. It returns every challenge it could read and an
// error describing the first syntax problem (it skips to the next comma
// and carries on after one).
func ParseChallenges(values ...string) ([]Challenge, error) {
	var out []Challenge
	var first error
	for vi, v := range values {
		p := &challengeParser{s: v}
		chs := p.parse()
		out = append(out, chs...)
		if p.err != nil && first == nil {
			first = fmt.Errorf("header value %d: %w", vi+1, p.err)
		}
	}
	return out, first
}

type challengeParser struct {
	s   string
	i   int
	err error
}

func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken68Char(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}

func (p *challengeParser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("at byte %d: %s", p.i, fmt.Sprintf(format, args...))
	}
}

func (p *challengeParser) skipWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// skipSeparators skips whitespace and commas (empty list elements).
func (p *challengeParser) skipSeparators() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

// skipToComma recovers from a syntax error: it moves past the next comma
// that is not inside a quoted string.
func (p *challengeParser) skipToComma() {
	inQuote := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case inQuote && c == '\\':
			p.i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ',':
			return
		}
	}
}

func (p *challengeParser) token() string {
	start := p.i
	for p.i < len(p.s) && isTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// atEndOfElement reports whether only whitespace lies before the next
// comma or the end.
func (p *challengeParser) atEndOfElement() bool {
	j := p.i
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	return j == len(p.s) || p.s[j] == ','
}

func (p *challengeParser) quoted() (string, bool) {
	// p.s[p.i] == '"'
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '\\':
			if p.i+1 >= len(p.s) {
				p.i++
				p.fail("unterminated quoted string")
				return b.String(), false
			}
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case '"':
			p.i++
			return b.String(), true
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	p.fail("unterminated quoted string")
	return b.String(), false
}

func (p *challengeParser) parse() []Challenge {
	var out []Challenge
	var cur *Challenge
	curStart := 0
	finish := func(end int) {
		if cur != nil {
			cur.Raw = strings.TrimRight(strings.TrimSpace(p.s[curStart:end]), ", \t")
			out = append(out, *cur)
			cur = nil
		}
	}
	for {
		p.skipSeparators()
		if p.i >= len(p.s) {
			break
		}
		elemStart := p.i
		name := p.token()
		if name == "" {
			p.fail("expected a scheme or parameter name, found %q", p.s[p.i])
			p.skipToComma()
			continue
		}
		// A token followed by "=" is a parameter of the current challenge
		// (a token68 only ever follows its scheme); anything else starts a
		// new challenge.
		save := p.i
		p.skipWS()
		if cur != nil && p.i < len(p.s) && p.s[p.i] == '=' {
			if cur.Token68 != "" {
				p.fail("parameter %q after the token68 of %q", name, cur.Scheme)
				p.skipToComma()
				continue
			}
			p.i++
			p.skipWS()
			val, ok := p.paramValue()
			if !ok {
				p.skipToComma()
				continue
			}
			key := lower(name)
			if _, dup := cur.Params[key]; dup {
				p.fail("parameter %q repeated", name)
			} else {
				cur.Params[key] = val
			}
			if !p.atEndOfElement() {
				p.fail("unexpected text after parameter %q", name)
				p.skipToComma()
			}
			continue
		}
		p.i = save
		finish(elemStart)
		cur = &Challenge{Scheme: name, Params: map[string]string{}}
		curStart = elemStart
		if p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != '\t' && p.s[p.i] != ',' {
			p.fail("unexpected %q after scheme %q", p.s[p.i], name)
			p.skipToComma()
			continue
		}
		p.skipWS()
		if p.i >= len(p.s) || p.s[p.i] == ',' {
			continue
		}
		// token68 or the first auth-param.
		if t68, ok := p.token68(); ok {
			cur.Token68 = t68
			continue
		}
		pname := p.token()
		if pname == "" {
			p.fail("expected a parameter or token68 after scheme %q", name)
			p.skipToComma()
			continue
		}
		p.skipWS()
		if p.i >= len(p.s) || p.s[p.i] != '=' {
			p.fail("expected \"=\" after parameter %q", pname)
			p.skipToComma()
			continue
		}
		p.i++
		p.skipWS()
		val, ok := p.paramValue()
		if !ok {
			p.skipToComma()
			continue
		}
		cur.Params[lower(pname)] = val
		if !p.atEndOfElement() {
			p.fail("unexpected text after parameter %q", pname)
			p.skipToComma()
		}
	}
	finish(len(p.s))
	return out
}

// token68 reads a token68 when the rest of the list element is one.
func (p *challengeParser) token68() (string, bool) {
	j := p.i
	for j < len(p.s) && isToken68Char(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", false
	}
	for j < len(p.s) && p.s[j] == '=' {
		j++
	}
	k := j
	for k < len(p.s) && (p.s[k] == ' ' || p.s[k] == '\t') {
		k++
	}
	if k != len(p.s) && p.s[k] != ',' {
		return "", false
	}
	t := p.s[p.i:j]
	p.i = j
	return t, true
}

func (p *challengeParser) paramValue() (string, bool) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		return p.quoted()
	}
	v := p.token()
	if v == "" {
		// Tolerate an empty value ("realm=") as the empty string.
		if p.atEndOfElement() {
			p.fail("empty parameter value")
			return "", true
		}
		p.fail("invalid parameter value starting with %q", p.s[p.i])
		return "", false
	}
	return v, true
}
