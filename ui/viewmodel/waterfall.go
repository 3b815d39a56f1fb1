package viewmodel

import (
	"strings"

	"authlens/har"
)

// Phase is one part of an exchange's time, as DevTools draws it.
type Phase int

// The phases of har.Timings, in the order they happen.
const (
	PhaseBlocked Phase = iota
	PhaseDNS
	PhaseConnect
	PhaseSSL
	PhaseSend
	PhaseWait
	PhaseReceive
	NumPhases
)

// PhaseName names a phase for the legend.
func PhaseName(p Phase) string {
	return [NumPhases]string{"Queued", "DNS lookup", "Connecting", "TLS", "Sending", "Waiting for the server", "Downloading"}[p]
}

// Bar is one exchange in the waterfall. Times are milliseconds from the
// start of the first exchange.
type Bar struct {
	Row      int // position in Session.Rows.Rows
	Start    float64
	Duration float64
	// Phases are the durations of each phase; all zero when the trace
	// recorded none (the bar is then drawn as one piece).
	Phases [NumPhases]float64
	// RedirectFrom is the row whose redirect led here, -1 when none;
	// Redirects is true when this exchange answered with a redirect.
	RedirectFrom int
	Redirects    bool
	Failure      bool // the report calls it a problem
}

// Waterfall is the timeline of a trace.
type Waterfall struct {
	Bars []Bar
	End  float64 // when the last exchange ended
}

// NewWaterfall lays out every entry on one time axis. Entries without a
// start time are placed at the end of the one before them.
func NewWaterfall(entries []*har.Entry, failing func(int) bool) *Waterfall {
	w := &Waterfall{Bars: make([]Bar, len(entries))}
	var t0 int64
	for _, e := range entries {
		if !e.StartedDateTime.IsZero() && (t0 == 0 || e.StartedDateTime.UnixMicro() < t0) {
			t0 = e.StartedDateTime.UnixMicro()
		}
	}
	// A redirect's target is the next request for the Location it named.
	pending := map[string]int{}
	prevEnd := 0.0
	for i, e := range entries {
		b := Bar{Row: i, RedirectFrom: -1, Failure: failing != nil && failing(i)}
		if e.StartedDateTime.IsZero() {
			b.Start = prevEnd
		} else {
			b.Start = float64(e.StartedDateTime.UnixMicro()-t0) / 1000
		}
		b.Duration = max(e.Time, 0)
		t := e.Timings
		for p, v := range [NumPhases]float64{t.Blocked, t.DNS, t.Connect, t.SSL, t.Send, t.Wait, t.Receive} {
			b.Phases[p] = max(v, 0)
		}
		// HAR counts ssl inside connect; draw them side by side.
		b.Phases[PhaseConnect] = max(b.Phases[PhaseConnect]-b.Phases[PhaseSSL], 0)
		if b.Duration == 0 {
			for _, v := range b.Phases {
				b.Duration += v
			}
		}
		if from, ok := pending[e.Request.URL]; ok {
			b.RedirectFrom = from
			delete(pending, e.Request.URL)
		}
		if st := e.Response.Status; st >= 300 && st < 400 {
			if loc := redirectTarget(e); loc != "" {
				b.Redirects = true
				pending[loc] = i
			}
		}
		prevEnd = b.Start + b.Duration
		w.End = max(w.End, prevEnd)
		w.Bars[i] = b
	}
	return w
}

// redirectTarget is the absolute URL a redirect points to ("" if none).
func redirectTarget(e *har.Entry) string {
	loc := e.Response.RedirectURL
	if loc == "" {
		if vs := har.HeaderValues(e.Response.Headers, "Location"); len(vs) > 0 {
			loc = vs[0]
		}
	}
	if loc == "" {
		return ""
	}
	if strings.Contains(loc, "://") {
		return loc
	}
	// A relative Location: resolve against the request's origin.
	if strings.HasPrefix(loc, "/") {
		return har.OriginOf(e.Request.URL) + loc
	}
	return loc
}

// Window is the time span the bars are scaled to.
type Window struct{ From, To float64 }

// WindowAround is the span of the bars of rows [lo, hi] with a margin, so
// the neighbours of a failure fill the width instead of being specks on a
// minutes-long axis. An empty range gives the whole trace.
func (w *Waterfall) WindowAround(lo, hi int) Window {
	lo, hi = max(lo, 0), min(hi, len(w.Bars)-1)
	if lo > hi {
		return Window{0, max(w.End, 1)}
	}
	from, to := w.Bars[lo].Start, 0.0
	for _, b := range w.Bars[lo : hi+1] {
		from = min(from, b.Start)
		to = max(to, b.Start+b.Duration)
	}
	margin := max((to-from)*0.04, 1)
	return Window{max(from-margin, 0), to + margin}
}

// Whole is the span of the whole trace.
func (w *Waterfall) Whole() Window { return Window{0, max(w.End, 1)} }

// Segment is one coloured piece of a bar, in fractions of the width.
type Segment struct {
	Phase  Phase // NumPhases: the trace has no timings, one plain piece
	X0, X1 float64
}

// Segments places b's phases in win: x from 0 (win.From) to 1 (win.To),
// clipped. A bar shorter than minWidth is widened so it stays visible.
func (b *Bar) Segments(win Window, minWidth float64) []Segment {
	span := win.To - win.From
	if span <= 0 {
		return nil
	}
	x := func(ms float64) float64 { return (ms - win.From) / span }
	var out []Segment
	at := b.Start
	for p, d := range b.Phases {
		if d <= 0 {
			continue
		}
		out = append(out, Segment{Phase(p), x(at), x(at + d)})
		at += d
	}
	if len(out) == 0 {
		out = append(out, Segment{NumPhases, x(b.Start), x(b.Start + b.Duration)})
	}
	if last := &out[len(out)-1]; last.X1-out[0].X0 < minWidth {
		last.X1 = out[0].X0 + minWidth
	}
	clipped := out[:0]
	for _, s := range out {
		s.X0, s.X1 = max(s.X0, 0), min(s.X1, 1)
		if s.X1 > s.X0 {
			clipped = append(clipped, s)
		}
	}
	return clipped
}

// Neighbours reports whether row is within n rows of selected (and not
// selected itself): the exchanges around a failure worth a look.
func Neighbours(row, selected, n int) bool {
	return selected >= 0 && row != selected && row >= selected-n && row <= selected+n
}

// BarLabel is the text beside a bar: "#12 401 GET /api/me".
func BarLabel(r *Row) string {
	return "#" + r.Cell(ColIndex) + " " + r.Status + " " + r.Method + " " + r.Path
}
