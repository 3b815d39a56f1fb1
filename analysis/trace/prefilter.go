package trace

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

// A prefilter is a set of lower-case literals at least one of which every
// match of a regexp contains. Go's regexp scans a long body with its NFA
// when a pattern is case-insensitive or alternates (≈ a few MB/s); checking
// the literals with strings.Contains on a lower-cased body first skips the
// regexp on the bodies that cannot match, which is almost all of them.
type prefilter struct {
	Any []string // nil: no literal is required, always run the regexp
}

// MayMatch reports whether lowered (a lower-cased text) can match.
func (p prefilter) MayMatch(lowered string) bool {
	if p.Any == nil {
		return true
	}
	for _, lit := range p.Any {
		if strings.Contains(lowered, lit) {
			return true
		}
	}
	return false
}

// Prefilters caches the prefilter of each regexp the rules use.
type Prefilters struct {
	mu sync.Mutex
	m  map[*regexp.Regexp]prefilter
}

func (ps *Prefilters) Of(re *regexp.Regexp) prefilter {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p, ok := ps.m[re]; ok {
		return p
	}
	p := prefilter{}
	if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
		p.Any = requiredLiterals(tree.Simplify())
	}
	if ps.m == nil {
		ps.m = map[*regexp.Regexp]prefilter{}
	}
	ps.m[re] = p
	return p
}

// requiredLiterals returns lower-case literals one of which any match of
// re contains, or nil when it cannot tell.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		s := strings.ToLower(string(re.Rune))
		if utf8.RuneCountInString(s) < 3 {
			return nil // too short to be worth a pass over the body
		}
		return []string{s}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		// Any child's requirement holds for the whole; keep the one whose
		// shortest literal is longest (the most selective).
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			lits := requiredLiterals(sub)
			if lits == nil {
				continue
			}
			if m := shortest(lits); m > bestLen {
				best, bestLen = lits, m
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits := requiredLiterals(sub)
			if lits == nil {
				return nil
			}
			all = append(all, lits...)
		}
		return all
	}
	return nil
}

func shortest(lits []string) int {
	m := -1
	for _, l := range lits {
		if n := len(l); m < 0 || n < m {
			m = n
		}
	}
	return m
}

// maxBodyCache bounds the bodies kept for rules: several rules read the
// same failing exchange's body, but a trace with many large failures must
// not hold them all.
const maxBodyCache = 64 << 20

type cachedBody struct{ body, lowered string }

// bodyCache keeps bodies rules asked for, so each is read, decoded and
// lower-cased once however many rules match against it.
type bodyCache struct {
	mu    sync.Mutex
	m     map[int]cachedBody
	bytes int
}

// bodyForMatch returns entry i's body (as Body does) and its lower-cased copy.
func (t *Trace) bodyForMatch(i int) (body, lowered string) {
	c := &t.bodyCache
	c.mu.Lock()
	if b, ok := c.m[i]; ok {
		c.mu.Unlock()
		return b.body, b.lowered
	}
	c.mu.Unlock()
	body = t.Body(i)
	lowered = strings.ToLower(body)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+2*len(body) <= maxBodyCache {
		if c.m == nil {
			c.m = map[int]cachedBody{}
		}
		c.m[i] = cachedBody{body, lowered}
		c.bytes += 2 * len(body)
	}
	return body, lowered
}
