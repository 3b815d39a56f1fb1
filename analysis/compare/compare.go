package compare

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"

	"authlens/analysis/trace"
	"authlens/har"
)

// Outcome is how one exchange ended, as far as a comparison cares.
type Outcome string

// The outcomes of an exchange.
const (
	OutcomeOK      Outcome = "ok"      // 1xx, 2xx, 3xx
	OutcomeRefused Outcome = "refused" // 401, 403, 407, 419, 429, or a redirect to a sign-in page
	OutcomeFailed  Outcome = "failed"  // no answer (network error, blocked)
	OutcomeError   Outcome = "error"   // any other 4xx or 5xx
)

// Bad reports whether the outcome is a refusal or a failure.
func (o Outcome) Bad() bool { return o == OutcomeRefused || o == OutcomeFailed }

// Options tune a comparison.
type Options struct {
	// HostMap maps hosts (or origins) of the good trace to those of the bad
	// one, as the user confirmed them ("staging.example.com" →
	// "www.example.com"). Hosts it does not name are mapped by proposal.
	HostMap map[string]string
}

// Result is a comparison of a good and a bad trace.
type Result struct {
	Good TraceInfo `json:"good"`
	Bad  TraceInfo `json:"bad"`
	// Hosts maps each origin of the good trace to one of the bad trace.
	Hosts []HostMapping `json:"hosts,omitempty"`
	// Pairs are the aligned steps in the bad trace's order; a step one
	// trace lacks has -1 on that side.
	Pairs []Pair `json:"pairs"`
	// Divergence is the first step that worked in the good trace and was
	// refused or failed in the bad one; nil when there is none.
	Divergence *Divergence `json:"divergence,omitempty"`
	// Differences are ranked: the one that most likely explains the
	// divergence first, noise last.
	Differences []Difference `json:"differences"`
	// Notes say what limits the comparison (a sanitized file, ...).
	Notes []string `json:"notes,omitempty"`
}

// Meaningful returns the differences that are not noise.
func (r *Result) Meaningful() []Difference {
	var out []Difference
	for _, d := range r.Differences {
		if !d.Noise {
			out = append(out, d)
		}
	}
	return out
}

// TraceInfo names one side of a comparison.
type TraceInfo struct {
	Path      string `json:"path"`
	Entries   int    `json:"entries"`
	Steps     int    `json:"steps"`
	Sanitized bool   `json:"sanitized,omitempty"`
}

// HostMapping is one origin of the good trace and the origin of the bad
// trace it stands for.
type HostMapping struct {
	Good string `json:"good"`
	Bad  string `json:"bad"`
	// Confirmed is true when the user gave the mapping (Options.HostMap);
	// false when Compare proposed it from the paths both hosts served.
	Confirmed bool `json:"confirmed"`
	// Shared is how many aligned steps support it.
	Shared int `json:"shared"`
}

// Pair is one aligned step: a request of the flow (retries and polling
// of the same request collapsed into one step) in each trace.
type Pair struct {
	Key  string `json:"key"`  // method, templated path and query names
	Good int    `json:"good"` // entry index of the step's last exchange in the good trace, -1 when absent
	Bad  int    `json:"bad"`  // same in the bad trace
	// GoodCount and BadCount are how many exchanges the step collapsed.
	GoodCount   int     `json:"good_count,omitempty"`
	BadCount    int     `json:"bad_count,omitempty"`
	GoodStatus  int     `json:"good_status,omitempty"`
	BadStatus   int     `json:"bad_status,omitempty"`
	GoodOutcome Outcome `json:"good_outcome,omitempty"`
	BadOutcome  Outcome `json:"bad_outcome,omitempty"`
}

// Divergence is the first aligned step whose outcome differs.
type Divergence struct {
	Pair int    `json:"pair"` // index into Result.Pairs
	Key  string `json:"key"`
	Good int    `json:"good"` // entry index, -1 when the good trace has no such step
	Bad  int    `json:"bad"`
	// GoodPath and BadPath are the exchanges that led there in each trace:
	// the earlier aligned steps, then the redirect chain into the step
	// (the divergent exchange last).
	GoodPath []PathStep `json:"good_path"`
	BadPath  []PathStep `json:"bad_path"`
}

// PathStep is one exchange on the way to the divergence. URL is masked.
type PathStep struct {
	Entry  int    `json:"entry"`
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
}

// Evidence points at an exchange of one side and the part a difference
// rests on. Detail is safe to show (secrets masked or summarised).
type Evidence struct {
	Side   string       `json:"side"` // "good" or "bad"
	Entry  int          `json:"entry"`
	Where  har.Location `json:"where"`
	Detail string       `json:"detail"`
}

// Kind is what a difference is about.
type Kind string

// The kinds of differences.
const (
	KindCredentials   Kind = "credentials"    // Authorization / Proxy-Authorization present, scheme, user, token claims, secret
	KindCookie        Kind = "cookie"         // cookies sent in one and not the other, stale, refused
	KindRedirect      Kind = "redirect"       // redirect hosts and schemes on the way to the step
	KindIntermediary  Kind = "intermediary"   // Via, proxy, CDN and firewall headers
	KindServerAddress Kind = "server-address" // another server IP for the same host
	KindClient        Kind = "client"         // user agent and client hints
	KindClock         Kind = "clock"          // Date vs token times
	KindCORS          Kind = "cors"           // CORS preflights
	KindRequestHeader Kind = "request-header" // request headers present in one only
	KindRequestData   Kind = "request-data"   // query or body values
	KindRequestRate   Kind = "request-rate"   // more repeats of the same request
	KindNoise         Kind = "noise"          // timestamps, cache busters, request IDs, analytics cookies, ETags
)

// Difference is one difference between the traces.
type Difference struct {
	Kind Kind `json:"kind"`
	// Cause is the catalogue ID the difference points at ("" when none fits).
	Cause string `json:"cause,omitempty"`
	// Title is a short line; Explanation says in plain words what differs
	// and why it matters. Neither carries a secret.
	Title       string     `json:"title"`
	Explanation string     `json:"explanation"`
	Evidence    []Evidence `json:"evidence,omitempty"`
	Noise       bool       `json:"noise"`
	// Weight orders the differences (higher first).
	Weight int `json:"weight"`
}

// Comparer compares traces. Its key hashes secret values so that they
// can be compared and never shown; it is drawn at random per Comparer, so
// hashes mean nothing outside one comparison.
type Comparer struct {
	key []byte
}

// NewComparer returns a Comparer with a fresh random key.
func NewComparer() (*Comparer, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("compare: drawing a key: %w", err)
	}
	return &Comparer{key: key}, nil
}

// sameSecret reports whether two secret values are equal, by keyed hash.
func (c *Comparer) sameSecret(a, b string) bool {
	return hmac.Equal(c.digest(a), c.digest(b))
}

func (c *Comparer) digest(v string) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(v))
	return m.Sum(nil)
}

// Compare lines up good and bad and explains the first divergence.
func Compare(ctx context.Context, good, bad *trace.Trace, opt Options) (*Result, error) {
	c, err := NewComparer()
	if err != nil {
		return nil, err
	}
	return c.Compare(ctx, good, bad, opt)
}

// Compare lines up good and bad and explains the first divergence.
func (c *Comparer) Compare(ctx context.Context, good, bad *trace.Trace, opt Options) (*Result, error) {
	gs, bs := buildSteps(good), buildSteps(bad)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	res := &Result{
		Good: TraceInfo{Path: good.Source.Path, Entries: len(good.Entries), Steps: len(gs), Sanitized: sanitized(good)},
		Bad:  TraceInfo{Path: bad.Source.Path, Entries: len(bad.Entries), Steps: len(bs), Sanitized: sanitized(bad)},
	}
	hm := newHostMap(opt.HostMap)
	pairs, err := align(ctx, gs, bs, hm)
	if err != nil {
		return nil, err
	}
	res.Hosts = hm.mappings(gs, bs, pairs)
	res.Pairs = pairs
	res.Divergence = divergence(good, bad, pairs)
	cx := &diffContext{c: c, good: good, bad: bad, gs: gs, bs: bs, hosts: res.Hosts, res: res}
	res.Differences = cx.differences()
	if res.Good.Sanitized != res.Bad.Sanitized {
		res.Notes = append(res.Notes, "One trace is sanitized and the other is not: secret values (tokens, passwords, cookies) cannot be compared, only their presence, names and decoded claims.")
	} else if res.Good.Sanitized {
		res.Notes = append(res.Notes, "Both traces are sanitized: placeholders compare equal only when both files were sanitized with the same salt (authlens sanitize --salt-file).")
	}
	return res, nil
}

// SanitizerComment starts the log.comment of a file written by `authlens
// sanitize` (sanitize.CommentPrefix; a test keeps the two equal).
const SanitizerComment = "Sanitized by AuthLens"

// sanitized reports a trace whose secrets were removed or replaced: by
// the browser's export, by hand, or by authlens sanitize, whose
// placeholders look like real values.
func sanitized(t *trace.Trace) bool {
	return t.Sanitized().Sanitized || strings.Contains(t.Log.Comment, SanitizerComment)
}

// outcomeOf classifies an exchange.
func outcomeOf(e *har.Entry) Outcome {
	st := trace.EffectiveStatus(e)
	switch {
	case st <= 0 || e.Failed() && st < 400:
		if e.Response.Status > 0 {
			return OutcomeOK
		}
		return OutcomeFailed
	case st == 401 || st == 403 || st == 407 || st == 419 || st == 429:
		return OutcomeRefused
	case st >= 300 && st < 400 && trace.SoftAuthFailure(e):
		return OutcomeRefused
	case st >= 400:
		return OutcomeError
	}
	return OutcomeOK
}

// noiseEntry reports requests that are never part of a flow: the
// favicon, analytics beacons.
func noiseEntry(e *har.Entry) bool {
	u := strings.ToLower(e.Request.URL)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.HasSuffix(u, "/favicon.ico") || analyticsURL(u)
}

var analyticsHosts = []string{"google-analytics.com", "googletagmanager.com", "doubleclick.net", "segment.io", "hotjar.com", "sentry.io", "newrelic.com", "nr-data.net", "clarity.ms", "mixpanel.com", "amplitude.com"}

func analyticsURL(u string) bool {
	for _, h := range analyticsHosts {
		if strings.Contains(u, h) {
			return true
		}
	}
	return strings.HasSuffix(u, "/collect") || strings.Contains(u, "/beacon")
}
