package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis"
	"authlens/report"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// newDiagnosisPanel lists the ranked causes of an exchange, each with a
// confidence bar, its evidence (every row jumps to the entry and field it
// cites) and its remedy steps.
func newDiagnosisPanel(w *Window, x *analysis.Exchange) fyne.CanvasObject {
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	if len(x.Diagnoses) == 0 {
		add(widgets.Para("AuthLens recognised no known cause for this request." + sanitizedHint(w.session)))
		addRuledOut(add, x)
		return container.NewVScroll(container.NewPadded(box))
	}
	intro := "1 possible cause. Press an evidence row to see it in the request or response."
	if n := len(x.Diagnoses); n > 1 {
		intro = fmt.Sprintf("%d possible causes, most likely first. Press an evidence row to see it in the request or response.", n)
	}
	add(widgets.Para(intro))
	for k, dg := range x.Diagnoses {
		add(widget.NewSeparator())
		add(causeCard(w, k+1, dg))
	}
	addRuledOut(add, x)
	return container.NewVScroll(container.NewPadded(box))
}

// addRuledOut lists, folded, the causes the trace's evidence excludes:
// what was checked, so the top answer can be trusted.
func addRuledOut(add func(...fyne.CanvasObject), x *analysis.Exchange) {
	lines := viewmodel.RuledOutLines(x.RuledOut)
	if len(lines) == 0 {
		return
	}
	list := container.NewVBox()
	for _, l := range lines {
		list.Add(widgets.Para(l))
	}
	add(widget.NewSeparator(), widget.NewAccordion(widget.NewAccordionItem(
		fmt.Sprintf("Checked and ruled out by the trace (%d)", len(lines)), list)))
}

// causeHeader is a cause's title with its confidence bar.
func causeHeader(dg analysis.Diagnosis) fyne.CanvasObject {
	title := widgets.SectionLabel(dg.Title)
	title.Wrapping = fyne.TextWrapWord
	return container.NewVBox(title, confidenceBar(dg.Confidence))
}

func confidenceBar(c float64) fyne.CanvasObject {
	bar := widget.NewProgressBar()
	bar.SetValue(c)
	words := viewmodel.ConfidenceWords(c)
	bar.TextFormatter = func() string { return words }
	return container.NewGridWithColumns(2, bar, widget.NewLabel(""))
}

func causeCard(w *Window, rank int, dg analysis.Diagnosis) fyne.CanvasObject {
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	title := widgets.Heading(fmt.Sprintf("%d. %s", rank, dg.Title))
	add(title, confidenceBar(dg.Confidence), widgets.Para(dg.Explanation))
	if u := unconfirmed(w.session, dg.Cause); u != "" {
		warn := widgets.Para("⚠ " + u)
		warn.Importance = widget.WarningImportance
		add(warn)
	}
	if len(dg.Evidence) > 0 {
		add(widgets.SectionLabel("Evidence in the trace"))
		for _, ev := range dg.Evidence {
			add(evidenceRow(w, ev))
		}
	}
	if len(dg.Remedy) > 0 {
		add(widgets.SectionLabel("What to do"))
		for n, s := range dg.Remedy {
			add(widgets.Para(fmt.Sprintf("%d. %s: %s", n+1, report.WhoWords(s.Who), s.Step)))
		}
	}
	id := widget.NewLabel("Cause ID: " + dg.Cause)
	id.Importance = widget.LowImportance
	add(id)
	return box
}

// unconfirmed says what a diagnosis of cause could not confirm because
// the export hid credentials or cookies ("" for a trace with its secrets).
func unconfirmed(s *viewmodel.Session, cause string) string {
	if s == nil || !s.Report.Source.Sanitized {
		return ""
	}
	return report.Unconfirmed(cause, s.Trace.Sanitized())
}

// evidenceRow is a button that opens the entry and field an evidence cites.
func evidenceRow(w *Window, ev analysis.Evidence) fyne.CanvasObject {
	tab, _ := viewmodel.EvidenceTarget(ev.Where)
	btn := widget.NewButtonWithIcon(fmt.Sprintf("#%d %s", ev.Entry, tab), theme.SearchIcon(), func() { w.jumpToEvidence(ev) })
	btn.Importance = widget.LowImportance
	text := widgets.Para(viewmodel.WhereWords(ev.Where) + ": " + ev.Detail)
	return container.NewBorder(nil, nil, btn, nil, text)
}

// jumpToEvidence selects the entry an evidence cites and opens the tab
// showing its field, highlighted.
func (w *Window) jumpToEvidence(ev analysis.Evidence) {
	if w.session == nil || ev.Entry < 0 || ev.Entry >= len(w.rows) {
		return
	}
	tab, field := viewmodel.EvidenceTarget(ev.Where)
	w.selectEntry(ev.Entry)
	if w.selected != ev.Entry {
		w.showDetail(ev.Entry)
	}
	w.detail.openTab(tab, field)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
