package compare

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"authlens/analysis/trace"
	"authlens/redact"
)

// step is one request of a flow: consecutive exchanges with the same key
// on the same origin (a challenge and its answer, retries, polling) are
// one step, whose outcome is that of its last exchange.
type step struct {
	key     string
	origin  string
	entries []int // in time order
}

func (s *step) last() int { return s.entries[len(s.entries)-1] }

func buildSteps(t *trace.Trace) []step {
	var steps []step
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		if noiseEntry(e) {
			continue
		}
		origin, key := Template(e.Request.Method, e.Request.URL)
		if n := len(steps); n > 0 && steps[n-1].key == key && steps[n-1].origin == origin {
			steps[n-1].entries = append(steps[n-1].entries, i)
			continue
		}
		steps = append(steps, step{key: key, origin: origin, entries: []int{i}})
	}
	return steps
}

// hostMap maps origins of the good trace to origins of the bad one.
type hostMap struct {
	user     map[string]string // as given: host or origin → host or origin
	proposed map[string]string // good origin → bad origin
}

func newHostMap(user map[string]string) *hostMap {
	u := map[string]string{}
	for k, v := range user {
		u[strings.ToLower(strings.TrimSuffix(k, "/"))] = strings.ToLower(strings.TrimSuffix(v, "/"))
	}
	return &hostMap{user: u, proposed: map[string]string{}}
}

// userTarget returns what the user mapped a good origin to ("" when
// nothing): an origin, or a host the bad origin must have.
func (h *hostMap) userTarget(goodOrigin string) string {
	if v, ok := h.user[goodOrigin]; ok {
		return v
	}
	host := hostOf(goodOrigin)
	if v, ok := h.user[host]; ok {
		return v
	}
	if v, ok := h.user[stripPort(host)]; ok {
		return v
	}
	return ""
}

// same reports whether a bad origin is what the good origin maps to.
func (h *hostMap) same(goodOrigin, badOrigin string) bool {
	if t := h.userTarget(goodOrigin); t != "" {
		return t == badOrigin || t == hostOf(badOrigin) || t == stripPort(hostOf(badOrigin))
	}
	if p, ok := h.proposed[goodOrigin]; ok {
		return p == badOrigin
	}
	return goodOrigin == badOrigin
}

func hostOf(origin string) string {
	if u, err := url.Parse(origin); err == nil && u.Host != "" {
		return u.Host
	}
	return origin
}

func stripPort(host string) string {
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		return h
	}
	return host
}

// maxCells bounds the dynamic-programming table of one gap (4 bytes a
// cell): a longer gap is aligned greedily, so memory stays bounded on
// traces of any size.
const maxCells = 1 << 22

// greedyWindow is how far ahead the greedy alignment looks for a match.
const greedyWindow = 64

// align matches the steps of two traces. Keys that occur exactly once in
// each trace anchor the alignment (their longest increasing run); the
// anchors' origins propose the host mapping; between anchors, a weighted
// longest common subsequence matches equal keys, preferring mapped
// origins. Unmatched steps on either side are kept as half pairs.
func align(ctx context.Context, gs, bs []step, hm *hostMap) ([]Pair, error) {
	anchors := uniqueAnchors(gs, bs)
	proposeHosts(gs, bs, anchors, hm)

	var matches [][2]int
	gi, bi := 0, 0
	for _, a := range append(anchors, [2]int{len(gs), len(bs)}) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("compare: aligning: %w", err)
		}
		matches = append(matches, alignGap(gs[gi:a[0]], bs[bi:a[1]], gi, bi, hm)...)
		if a[0] < len(gs) {
			matches = append(matches, a)
		}
		gi, bi = a[0]+1, a[1]+1
	}

	var pairs []Pair
	gi, bi = 0, 0
	for _, m := range append(matches, [2]int{len(gs), len(bs)}) {
		for ; gi < m[0]; gi++ {
			pairs = append(pairs, halfPair(gs[gi], true))
		}
		for ; bi < m[1]; bi++ {
			pairs = append(pairs, halfPair(bs[bi], false))
		}
		if m[0] < len(gs) && m[1] < len(bs) {
			pairs = append(pairs, Pair{Key: gs[m[0]].key, Good: gs[m[0]].last(), Bad: bs[m[1]].last(),
				GoodCount: len(gs[m[0]].entries), BadCount: len(bs[m[1]].entries)})
			gi, bi = m[0]+1, m[1]+1
		}
	}
	return pairs, nil
}

func halfPair(s step, good bool) Pair {
	if good {
		return Pair{Key: s.key, Good: s.last(), Bad: -1, GoodCount: len(s.entries)}
	}
	return Pair{Key: s.key, Good: -1, Bad: s.last(), BadCount: len(s.entries)}
}

// uniqueAnchors returns the longest increasing chain of steps whose key
// occurs once in each trace, as (good, bad) step indexes.
func uniqueAnchors(gs, bs []step) [][2]int {
	count := func(ss []step) map[string]int {
		m := make(map[string]int, len(ss))
		for _, s := range ss {
			m[s.key]++
		}
		return m
	}
	gc, bc := count(gs), count(bs)
	badAt := map[string]int{}
	for j, s := range bs {
		if bc[s.key] == 1 {
			badAt[s.key] = j
		}
	}
	var cand [][2]int
	for i, s := range gs {
		if gc[s.key] == 1 {
			if j, ok := badAt[s.key]; ok {
				cand = append(cand, [2]int{i, j})
			}
		}
	}
	return longestIncreasing(cand)
}

// longestIncreasing returns the longest subsequence of cand (ordered by
// good index) whose bad indexes increase (patience sorting).
func longestIncreasing(cand [][2]int) [][2]int {
	if len(cand) == 0 {
		return nil
	}
	tails := []int{} // index into cand of the smallest tail of each length
	prev := make([]int, len(cand))
	for k, c := range cand {
		n := sort.Search(len(tails), func(x int) bool { return cand[tails[x]][1] >= c[1] })
		if n > 0 {
			prev[k] = tails[n-1]
		} else {
			prev[k] = -1
		}
		if n == len(tails) {
			tails = append(tails, k)
		} else {
			tails[n] = k
		}
	}
	out := make([][2]int, len(tails))
	for k, n := tails[len(tails)-1], len(tails)-1; n >= 0; k, n = prev[k], n-1 {
		out[n] = cand[k]
	}
	return out
}

// proposeHosts maps each good origin to the bad origin that served the
// most of the same anchored steps (or, with no anchors, the same keys).
func proposeHosts(gs, bs []step, anchors [][2]int, hm *hostMap) {
	votes := map[string]map[string]int{}
	vote := func(g, b string) {
		if votes[g] == nil {
			votes[g] = map[string]int{}
		}
		votes[g][b]++
	}
	for _, a := range anchors {
		vote(gs[a[0]].origin, bs[a[1]].origin)
	}
	if len(anchors) == 0 {
		firstBad := map[string]string{}
		for _, s := range bs {
			if _, ok := firstBad[s.key]; !ok {
				firstBad[s.key] = s.origin
			}
		}
		for _, s := range gs {
			if b, ok := firstBad[s.key]; ok {
				vote(s.origin, b)
			}
		}
	}
	for g, bv := range votes {
		best, bestN := "", 0
		for b, n := range bv {
			// The same origin wins a tie; otherwise the smaller name, for a stable answer.
			if n > bestN || n == bestN && (b == g || best != g && b < best) {
				best, bestN = b, n
			}
		}
		hm.proposed[g] = best
	}
}

// alignGap aligns the steps between two anchors.
func alignGap(gs, bs []step, goff, boff int, hm *hostMap) [][2]int {
	n, m := len(gs), len(bs)
	if n == 0 || m == 0 {
		return nil
	}
	if (n+1)*(m+1) > maxCells {
		return alignGreedy(gs, bs, goff, boff, hm)
	}
	score := func(i, j int) int32 {
		if gs[i].key != bs[j].key {
			return 0
		}
		if hm.same(gs[i].origin, bs[j].origin) {
			return 3
		}
		return 2
	}
	w := m + 1
	dp := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			best := max(dp[(i+1)*w+j], dp[i*w+j+1])
			if s := score(i, j); s > 0 {
				best = max(best, dp[(i+1)*w+j+1]+s)
			}
			dp[i*w+j] = best
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch s := score(i, j); {
		case s > 0 && dp[i*w+j] == dp[(i+1)*w+j+1]+s:
			out = append(out, [2]int{i + goff, j + boff})
			i, j = i+1, j+1
		case dp[(i+1)*w+j] >= dp[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

// alignGreedy matches equal keys walking both sides, looking a bounded
// window ahead on each for the nearer match.
func alignGreedy(gs, bs []step, goff, boff int, hm *hostMap) [][2]int {
	var out [][2]int
	i, j := 0, 0
	for i < len(gs) && j < len(bs) {
		if gs[i].key == bs[j].key {
			out = append(out, [2]int{i + goff, j + boff})
			i, j = i+1, j+1
			continue
		}
		db, dg := -1, -1
		for k := 1; k <= greedyWindow && j+k < len(bs); k++ {
			if bs[j+k].key == gs[i].key {
				db = k
				break
			}
		}
		for k := 1; k <= greedyWindow && i+k < len(gs); k++ {
			if gs[i+k].key == bs[j].key {
				dg = k
				break
			}
		}
		switch {
		case db < 0 && dg < 0:
			i, j = i+1, j+1
		case dg < 0 || db >= 0 && db <= dg:
			j += db
		default:
			i += dg
		}
	}
	return out
}

// mappings lists the host mapping the comparison used: each good origin
// with the bad origin it was aligned to most often.
func (h *hostMap) mappings(gs, bs []step, pairs []Pair) []HostMapping {
	stepOrigin := func(ss []step) map[int]string {
		m := make(map[int]string, len(ss))
		for _, s := range ss {
			m[s.last()] = s.origin
		}
		return m
	}
	gOrig, bOrig := stepOrigin(gs), stepOrigin(bs)
	shared := map[[2]string]int{}
	for _, p := range pairs {
		if p.Good >= 0 && p.Bad >= 0 {
			shared[[2]string{gOrig[p.Good], bOrig[p.Bad]}]++
		}
	}
	best := map[string]HostMapping{}
	for k, n := range shared {
		g, b := k[0], k[1]
		cur, ok := best[g]
		confirmed := h.userTarget(g) != ""
		if confirmed && !h.same(g, b) {
			continue
		}
		if !ok || n > cur.Shared || n == cur.Shared && h.same(g, b) && !h.same(g, cur.Bad) {
			best[g] = HostMapping{Good: g, Bad: b, Confirmed: confirmed, Shared: n}
		}
	}
	var out []HostMapping
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Good < out[b].Good })
	return out
}

// divergence finds the first aligned step (in the bad trace's order) that
// worked in the good trace and was refused or failed in the bad one; when
// no aligned step diverges, the first failing step the good trace lacks.
func divergence(good, bad *trace.Trace, pairs []Pair) *Divergence {
	for k := range pairs {
		p := &pairs[k]
		if p.Good >= 0 {
			p.GoodStatus = trace.EffectiveStatus(good.Entries[p.Good])
			p.GoodOutcome = outcomeOf(good.Entries[p.Good])
		}
		if p.Bad >= 0 {
			p.BadStatus = trace.EffectiveStatus(bad.Entries[p.Bad])
			p.BadOutcome = outcomeOf(bad.Entries[p.Bad])
		}
	}
	// A refused CORS preflight is explained at the request it preceded,
	// which the browser then failed: preflights count only when nothing
	// else diverges.
	at := -1
	for _, preflights := range []bool{false, true} {
		for k, p := range pairs {
			if at < 0 && p.Good >= 0 && p.Bad >= 0 && !p.GoodOutcome.Bad() && p.BadOutcome.Bad() && (preflights || !strings.HasPrefix(p.Key, "OPTIONS ")) {
				at = k
			}
		}
	}
	if at < 0 {
		for k, p := range pairs {
			if p.Good < 0 && p.Bad >= 0 && p.BadOutcome.Bad() {
				at = k
				break
			}
		}
	}
	if at < 0 {
		return nil
	}
	p := pairs[at]
	d := &Divergence{Pair: at, Key: p.Key, Good: p.Good, Bad: p.Bad}
	const maxPath = 6
	var gp, bp []int
	for k := at - 1; k >= 0 && (len(gp) < maxPath || len(bp) < maxPath); k-- {
		if pairs[k].Good >= 0 && pairs[k].Bad >= 0 {
			if len(gp) < maxPath {
				gp = append([]int{pairs[k].Good}, gp...)
			}
			if len(bp) < maxPath {
				bp = append([]int{pairs[k].Bad}, bp...)
			}
		}
	}
	d.GoodPath = pathSteps(good, withChain(good, gp, p.Good))
	d.BadPath = pathSteps(bad, withChain(bad, bp, p.Bad))
	return d
}

func pathSteps(t *trace.Trace, entries []int) []PathStep {
	out := make([]PathStep, len(entries))
	for k, i := range entries {
		e := t.Entries[i]
		out[k] = PathStep{Entry: i, Method: e.Request.Method, URL: redact.URL(e.Request.URL), Status: trace.EffectiveStatus(e)}
	}
	return out
}

// withChain appends the redirect chain into entry j (j itself included).
func withChain(t *trace.Trace, path []int, j int) []int {
	if j < 0 {
		return path
	}
	for _, k := range t.RedirectChain(j) {
		if len(path) == 0 || path[len(path)-1] != k {
			path = append(path, k)
		}
	}
	return path
}
