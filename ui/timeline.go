package ui

// Opening live capture rows in the analysis views, and the screenshot
// states of the search, the timeline and an opened capture row.

import (
	"os"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/ui/viewmodel"
)

// EnvScreenshotSearch types a query into the search box once the trace
// has loaded (with AUTHLENS_SCREENSHOT_VIEW=search).
const EnvScreenshotSearch = "AUTHLENS_SCREENSHOT_SEARCH"

// openCapturedExchange shows exchange i of a judged live capture with its
// detail and diagnosis, like a row of the analysis table. Rows of the
// same analysis share one session.
func (w *Window) openCapturedExchange(name string, tr *trace.Trace, rep *analysis.Report, i int) {
	if w.session == nil || w.session.Trace != tr {
		w.showAnalysis(name, tr, rep)
	}
	w.tabs.SelectIndex(0)
	w.selectEntry(i)
}

// applyTimelineScreenshotView opens the views of AUTHLENS_SCREENSHOT_VIEW
// this file adds: search (the query of AUTHLENS_SCREENSHOT_SEARCH, on
// every request), waterfall (the Timeline tab around the selected
// exchange), capture-row (the trace replayed through the live capture,
// then the selected exchange's live row opened).
func (w *Window) applyTimelineScreenshotView(view string) {
	switch view {
	case "search":
		w.overview.setKind(viewmodel.FilterAll)
		w.overview.search.SetText(os.Getenv(EnvScreenshotSearch))
	case "waterfall":
		w.overview.tabs.SelectIndex(1)
	case "capture-row":
		entry := w.selected
		entries := w.session.Entries()
		w.screenshotView = "" // the replayed capture opens as a new session
		w.tabs.SelectIndex(1)
		w.capture.Replay(entries, func() {
			w.capture.OpenRow(entry)
		})
	}
}
