package ui

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/viewmodel"
)

// pairPaths returns the working and failing trace of the pair called name
// in testdata/pairs/pairs.txt.
func pairPaths(t *testing.T, name string) (good, bad string) {
	t.Helper()
	root := filepath.Join("..", "testdata")
	f, err := os.Open(filepath.Join(root, "pairs", "pairs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Fields(sc.Text()); len(fs) == 5 && fs[0] == name {
			return filepath.Join(root, fs[1]), filepath.Join(root, fs[2])
		}
	}
	t.Fatalf("no pair %q in pairs.txt", name)
	return "", ""
}

// compareFromMenu opens bad, then compares it with good the way a person
// does: File ▸ Compare with working trace…, the role, the file.
func compareFromMenu(t *testing.T, w *Window, good string, openIsGood bool) {
	t.Helper()
	w.cmp.openAs = func(_ string, pick func(string)) { pick(good) }
	menuItem(t, w, "Compare with working trace…").Action()
	dlg := topOverlay(t, w)
	if w.cmp.form == nil || !containsText(dlg, "same steps") {
		t.Fatalf("compare dialog: %q", texts(dlg))
	}
	if openIsGood {
		w.cmp.form.role.SetSelected(compareRoles[1])
	}
	test.Tap(findButton(dlg, "Choose the file…"))
	w.WaitCompared()
	if w.cmp.view == nil {
		t.Fatal("no compare view after comparing")
	}
}

func TestCompareViewOpensTheSelectedSide(t *testing.T) {
	good, bad := pairPaths(t, "cookie-rejected")
	w := newTestWindow(t, Options{})
	w.win.Resize(fyne.NewSize(1366, 768))
	openAndWait(t, w, bad)
	compareFromMenu(t, w, good, false)
	v := w.cmp.view
	if w.tabs.Selected() != w.cmp.tab {
		t.Error("the compare tab is not shown")
	}
	div := v.Comparison().DivergentRow
	if div < 0 {
		t.Fatal("no divergence")
	}
	// Enter on the failing cell (the divergence is selected) opens the
	// existing detail view.
	v.Table().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	badEntry := v.Comparison().Rows[div].Bad.Entry
	if w.tabs.SelectedIndex() != 0 || w.selected != badEntry || w.detail.current() != viewmodel.TabRequest {
		t.Errorf("Enter opened tab %d, entry %d, %q; want the analysis tab on #%d", w.tabs.SelectedIndex(), w.selected, w.detail.current(), badEntry)
	}
	// The working side opens read-only, in a dialog.
	w.tabs.Select(w.cmp.tab)
	v.Table().Select(widget.TableCellID{Row: div, Col: 1}) // the working side
	v.Table().DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(-1, -1)})
	if top := topOverlay(t, w); !containsText(top, "From the working trace") {
		t.Errorf("the working entry's dialog: %q", texts(top))
	}
}

func TestCompareEvidenceInWalkthroughAndReport(t *testing.T) {
	good, bad := pairPaths(t, "cookie-rejected")
	w := newTestWindow(t, Options{})
	openAndWait(t, w, bad)
	written := saveToTemp(t, w)
	compareFromMenu(t, w, good, false)
	// The guided fix shows what the working trace did differently.
	w.tabs.SelectIndex(0)
	w.overview.reveal(w.cmp.view.Comparison().Rows[w.cmp.view.Comparison().DivergentRow].Bad.Entry)
	w.detail.openTab(viewmodel.TabGuide, "")
	wv := w.walkView
	test.Tap(wv.next)
	if wv.wt.Current().Cause != "cookie-rejected" {
		t.Fatalf("first cause %s", wv.wt.Current().Cause)
	}
	if !containsText(wv.root, "Compared with the working trace: The browser refused cookie session") || !containsText(wv.root, "In the working trace, #") {
		t.Errorf("the walkthrough lacks the comparison's evidence: %q", texts(wv.root))
	}
	// Save report… (HTML, engineering) and Copy for ticket carry it.
	menuItem(t, w, "Save report…").Action()
	test.Tap(findButton(topOverlay(t, w), "Save…"))
	if len(*written) != 1 {
		t.Fatalf("written %v", *written)
	}
	b, _ := os.ReadFile((*written)[0])
	if !strings.Contains(string(b), "Compared with a working trace") || !strings.Contains(string(b), "GET /app/") {
		t.Errorf("the saved report lacks the comparison")
	}
	menuItem(t, w, "Copy report for ticket").Action()
	if clip := w.app.Clipboard().Content(); !strings.Contains(clip, "Compared with a working trace") {
		t.Errorf("the ticket text lacks the comparison:\n%s", clip)
	}
	// Opening another trace drops the comparison.
	openAndWait(t, w, supportHAR)
	if w.cmp.tab != nil || w.cmp.view != nil || w.cmp.good != nil || w.session.Comparison != nil {
		t.Error("the comparison outlives its trace")
	}
	for _, it := range w.tabs.Items {
		if it.Text == "Compare with working trace" {
			t.Error("the compare tab stays after another trace opened")
		}
	}
}

func TestCompareConfirmsOrChangesHostMapping(t *testing.T) {
	good, bad := pairPaths(t, "bearer-expired-token")
	w := newTestWindow(t, Options{})
	openAndWait(t, w, bad)
	compareFromMenu(t, w, good, false)
	c := w.cmp.view.Comparison()
	if len(c.Unconfirmed) != 1 || !containsText(w.cmp.view.Root(), "stands for") {
		t.Fatalf("the proposed host mapping is not asked about: %q", texts(w.cmp.view.Root()))
	}
	// Change… shows good host → bad host, prefilled with the proposal.
	test.Tap(findButton(w.cmp.view.Root(), "No, change…"))
	f := w.cmp.hostForm
	if f == nil || len(f.bad) != 1 || f.bad[0].Text != c.Unconfirmed[0].Bad {
		t.Fatalf("host form %+v", f)
	}
	test.Tap(findButton(topOverlay(t, w), "Compare again"))
	w.WaitCompared()
	if c2 := w.cmp.view.Comparison(); len(c2.Unconfirmed) != 0 || containsText(w.cmp.view.Root(), "stands for") || c2.DivergentRow < 0 {
		t.Errorf("after confirming: unconfirmed %+v", c2.Unconfirmed)
	}
}

func TestCompareWhenTheOpenTraceIsTheWorkingOne(t *testing.T) {
	good, bad := pairPaths(t, "cookie-rejected")
	w := newTestWindow(t, Options{})
	openAndWait(t, w, good)
	compareFromMenu(t, w, bad, true)
	if w.session.Comparison == nil || !strings.Contains(w.session.Source.Path, "cookie-rejected") {
		t.Fatalf("the failing trace did not become the open one: %s", w.session.Source.Path)
	}
	if w.cmp.good == nil || !strings.Contains(w.cmp.good.Source.Path, "healthy") {
		t.Fatal("the working trace is not kept for the comparison")
	}
	// The working trace stayed open: its exchanges still read.
	if _, err := w.cmp.good.ResponseBody(0); err != nil {
		t.Errorf("the working trace was closed: %v", err)
	}
	if !strings.Contains(w.cmp.view.Comparison().Headline, "GET /app/") {
		t.Errorf("headline %q", w.cmp.view.Comparison().Headline)
	}
}

func TestCompareCancel(t *testing.T) {
	good, bad := pairPaths(t, "cookie-rejected")
	w := newTestWindow(t, Options{})
	openAndWait(t, w, bad)
	w.cmp.openAs = func(_ string, pick func(string)) { pick(good) }
	w.CompareWith(good, false)
	w.stopCompare()
	w.WaitCompared()
	if w.cmp.view != nil || w.session.Comparison != nil {
		t.Error("a cancelled comparison was shown")
	}
	if w.win.Canvas().Overlays().Top() != nil {
		t.Errorf("a dialog stays after Cancel: %q", texts(w.win.Canvas().Overlays().Top()))
	}
}

func TestCompareWithUnreadableFileShowsError(t *testing.T) {
	_, bad := pairPaths(t, "cookie-rejected")
	w := newTestWindow(t, Options{})
	openAndWait(t, w, bad)
	w.CompareWith(filepath.Join(t.TempDir(), "missing.har"), false)
	w.WaitCompared()
	if w.cmp.view != nil || w.session.Comparison != nil || w.session.Source.Path != bad {
		t.Error("a comparison with an unreadable file changed the open trace or showed a comparison")
	}
	if top := topOverlay(t, w); !containsText(top, "missing.har") {
		t.Errorf("error dialog: %q", texts(top))
	}
}
