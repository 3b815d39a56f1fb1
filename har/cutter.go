package har

// Huge values: a JSON string longer than a limit (a 300 MB header value, a
// 400 MB body) is cut in the stream the decoder reads, so no buffer ever
// holds it. The cut points are remembered to map the decoder's offsets
// back to the source: a cut body stays readable in full (Trace.Body reads
// it from the file), any other cut value is dropped with a warning.

import (
	"io"
	"sort"
	"sync"
)

// DefaultMaxValueBytes is the longest JSON string (bytes of JSON text)
// the reader holds; longer ones are located and skipped.
const DefaultMaxValueBytes = 1 << 20

// DefaultMaxEntryBytes is the largest entry (bytes of JSON text once huge
// strings are skipped) the reader decodes; larger ones are reported, not
// loaded.
const DefaultMaxEntryBytes = 64 << 20

// cut is one elided stretch: at offset at of the cut stream, elided bytes
// of the source were left out.
type cut struct {
	at     int64
	elided int64
	prior  int64 // bytes elided by the earlier cuts
}

// stringCutter passes JSON text through, keeping only the first keep
// bytes of each string's content.
type stringCutter struct {
	r    io.Reader
	keep int64

	out       int64 // bytes emitted so far
	inString  bool
	escape    int   // bytes of an escape sequence still to come
	strLen    int64 // content bytes of the current string so far
	dropping  bool
	buf       []byte
	mu        sync.Mutex
	cuts      []cut // in order of at
	totalSkip int64
}

func newStringCutter(r io.Reader, keep int64) *stringCutter {
	return &stringCutter{r: r, keep: keep, buf: make([]byte, 64<<10)}
}

// Read fills p with the cut text.
func (c *stringCutter) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(c.buf[:min(len(c.buf), len(p))])
		w := 0
		c.mu.Lock()
		for _, b := range c.buf[:n] {
			if c.inString {
				between := c.escape == 0 // b starts a character: a cut may go before it
				switch {
				case c.escape > 0:
					c.escape--
					if c.escape == 0 && b == 'u' {
						c.escape = 4
					}
				case b == '\\':
					c.escape = 1
				case b == '"':
					c.inString, c.dropping = false, false
				}
				if c.inString {
					c.strLen++
					if c.dropping {
						c.cuts[len(c.cuts)-1].elided++
						c.totalSkip++
						continue
					}
					if c.strLen > c.keep && between {
						// Cut here: between two characters, never inside an
						// escape sequence.
						c.dropping = true
						c.cuts = append(c.cuts, cut{at: c.out + int64(w), elided: 1, prior: c.totalSkip})
						c.totalSkip++
						continue
					}
				}
			} else if b == '"' {
				c.inString, c.strLen, c.escape = true, 0, 0
			}
			p[w] = b
			w++
		}
		c.out += int64(w)
		c.mu.Unlock()
		if w > 0 || err != nil {
			return w, err
		}
	}
}

// source maps an offset of the cut stream to the source.
func (c *stringCutter) source(off int64) int64 {
	if c == nil {
		return off
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	i := sort.Search(len(c.cuts), func(i int) bool { return c.cuts[i].at >= off })
	if i == 0 {
		return off
	}
	k := c.cuts[i-1]
	return off + k.prior + k.elided
}

// cutWithin reports whether a cut lies in [from, to) of the cut stream,
// and how many source bytes the range then spans.
func (c *stringCutter) cutWithin(from, to int64) (bool, int64) {
	if c == nil {
		return false, to - from
	}
	c.mu.Lock()
	i := sort.Search(len(c.cuts), func(i int) bool { return c.cuts[i].at >= from })
	hit := i < len(c.cuts) && c.cuts[i].at < to
	c.mu.Unlock()
	if !hit {
		return false, to - from
	}
	return true, c.source(to) - c.source(from)
}
