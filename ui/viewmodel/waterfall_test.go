package viewmodel

import (
	"testing"
	"time"

	"authlens/har"
)

func TestWaterfallBarsPhasesAndRedirects(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	es := []*har.Entry{
		testEntry(0, "GET", "https://app.example.com/login", 302),
		testEntry(1, "GET", "https://id.example.com/authorize", 200),
		testEntry(2, "GET", "https://api.example.com/me", 401),
	}
	es[0].Response.Headers = []har.Header{{Name: "Location", Value: "https://id.example.com/authorize"}}
	for i, e := range es {
		e.StartedDateTime = t0.Add(time.Duration(i*100) * time.Millisecond)
		e.Time = 80
		e.Timings = har.Timings{Blocked: 5, DNS: 5, Connect: 30, SSL: 20, Send: 1, Wait: 35, Receive: 4}
	}
	es[2].StartedDateTime = time.Time{} // placed after the one before
	w := NewWaterfall(es, func(i int) bool { return i == 2 })
	if b := w.Bars[1]; b.RedirectFrom != 0 || !w.Bars[0].Redirects || b.Start != 100 {
		t.Errorf("bar 1: %+v", b)
	}
	if b := w.Bars[2]; b.Start != 180 || !b.Failure || b.RedirectFrom != -1 {
		t.Errorf("bar 2: %+v", b)
	}
	if w.Bars[0].Phases[PhaseConnect] != 10 || w.Bars[0].Phases[PhaseSSL] != 20 {
		t.Errorf("ssl not split out of connect: %+v", w.Bars[0].Phases)
	}
	segs := w.Bars[1].Segments(Window{100, 180}, 0.01)
	if len(segs) != 7 || segs[0].X0 != 0 || segs[6].X1 != 1 || segs[0].Phase != PhaseBlocked {
		t.Errorf("segments %+v", segs)
	}
	if got := w.Bars[0].Segments(Window{1000, 2000}, 0.01); len(got) != 0 {
		t.Errorf("a bar outside the window drew %+v", got)
	}
	if win := w.WindowAround(1, 2); win.From >= 100 || win.To <= 260 {
		t.Errorf("window around 1..2: %+v", win)
	}
	if !Neighbours(1, 2, 1) || Neighbours(2, 2, 1) || Neighbours(0, 2, 1) {
		t.Error("neighbours")
	}
}
