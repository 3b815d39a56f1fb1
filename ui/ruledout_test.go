package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/viewmodel"
)

// The Causes tab lists, folded, the causes the trace's evidence excludes,
// with that evidence once opened.
func TestCausesTabShowsRuledOut(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, "../testdata/traces/expired-token/demo/trace.har")
	i := firstFailure(w)
	w.selectEntry(i)
	w.detail.openTab(viewmodel.TabCauses, "")
	root := w.win.Content()
	if !containsText(root, "Checked and ruled out by the trace") {
		t.Fatalf("no ruled-out section: %q", texts(root))
	}
	var folded *widget.Accordion
	for _, o := range test.LaidOutObjects(root) {
		if a, ok := o.(*widget.Accordion); ok && a.Visible() {
			folded = a
		}
	}
	if folded == nil || folded.Items[0].Open {
		t.Fatal("the ruled-out causes are not folded away")
	}
	folded.Open(0)
	if !containsText(root, "Not missing: the request carried") {
		t.Errorf("opened section lacks the evidence: %q", texts(root))
	}
}
