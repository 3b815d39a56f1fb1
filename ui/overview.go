package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/timelineview"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// overviewView is the left pane: the summary strip, the filter bar and the
// entries list.
type overviewView struct {
	w    *Window
	root fyne.CanvasObject

	headline *widget.Label
	origin   *widget.Label // says a trace came from the live capture
	causes   *widget.Label
	notes    *widget.Label
	// askBtn copies the message asking the customer for an export with
	// sensitive data; shown for a sanitized export.
	askBtn *widget.Button
	kinds  []*widget.Button // the filter buttons, one per FilterKind
	search *searchEntry     // keys.go: Esc, Enter, Tab and arrows go back to the list
	hosts  *widget.Select
	count  *widget.Label
	empty  *widget.Label
	list   *entryList
	header *sortHeader       // the column titles; a tap sorts
	table  *container.Scroll // header and list, sideways when narrow
	tabs   *container.AppTabs
	// the trait toggles and the type choice
	hasAuth, hasCookies, crossSite *widget.Check
	types                          *widget.Select
	// searchInfo says how many exchanges match and where the selected one
	// matched (masked).
	searchInfo *widget.Label
	// Copy as cURL for the selected exchange: masked, or with secrets
	// after a warning (revealDlg, kept for tests).
	curlBtn, curlRevealBtn *widget.Button
	revealDlg              *dialog.ConfirmDialog
	timeline               *timelineview.View

	set      *viewmodel.RowSet
	rows     []viewmodel.Row // set.Rows
	filter   viewmodel.Filter
	visible  []int // positions in rows that pass the filter
	selected int   // entry index selected, -1 for none
	hostOpts map[string]string
	quiet    bool // true while the filter widgets are set from code
	geometry tableGeometry
	sort     viewmodel.Sort

	// The search runs off the UI goroutine; a new query cancels the last.
	result       *viewmodel.SearchResult // nil: no search
	searchCancel context.CancelFunc
	searchSeq    int
	searchDone   chan struct{} // closed once the last search's final result is shown
}

const (
	allHosts = "All hosts"
	anyType  = "Any type"
)

func newOverviewView(w *Window) *overviewView {
	v := &overviewView{w: w, selected: -1}
	v.headline = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.headline.Wrapping = fyne.TextWrapWord
	v.causes = widgets.Para("")
	v.origin = widgets.Para("")
	v.origin.TextStyle.Italic = true
	v.origin.Hide()
	v.notes = widgets.Para("")
	v.notes.Importance = widget.WarningImportance

	kindBox := container.NewHBox()
	for k, label := range viewmodel.FilterLabels() {
		b := widget.NewButton(label, func() { v.setKind(viewmodel.FilterKind(k)) })
		v.kinds = append(v.kinds, b)
		kindBox.Add(b)
	}
	v.search = newSearchEntry(w)
	v.search.SetPlaceHolder("Search addresses, headers, cookies, bodies (Ctrl+F)")
	v.search.OnChanged = func(s string) {
		if v.quiet {
			return
		}
		v.startSearch(s)
	}
	v.searchInfo = widget.NewLabel("")
	v.searchInfo.Wrapping = fyne.TextWrapWord
	v.searchInfo.Hide()
	toggle := func(label string, set func(bool)) *widget.Check {
		return widget.NewCheck(label, func(on bool) {
			if v.quiet {
				return
			}
			set(on)
			v.refilter()
		})
	}
	v.hasAuth = toggle("Has Authorization", func(on bool) { v.filter.HasAuthorization = on })
	v.hasCookies = toggle("Has cookies", func(on bool) { v.filter.HasCookies = on })
	v.crossSite = toggle("Cross-site", func(on bool) { v.filter.CrossSite = on })
	v.types = widget.NewSelect(nil, func(s string) {
		if v.quiet {
			return
		}
		v.filter.Type = ""
		if s != anyType {
			v.filter.Type = s
		}
		v.refilter()
	})
	v.hosts = widget.NewSelect(nil, func(s string) {
		if v.quiet {
			return
		}
		v.filter.Host = v.hostOpts[s]
		v.refilter()
	})
	v.count = widget.NewLabel("")
	v.count.Importance = widget.LowImportance
	// The empty state sits under the filters, as wide as the pane: in the
	// middle of the table it had no width and wrapped letter by letter.
	v.empty = widgets.Para("")
	v.empty.Importance = widget.WarningImportance
	v.empty.Hide()
	v.list = newEntryList(v)

	v.header = newSortHeader(&v.geometry, v.sortBy)
	v.showSort()
	v.curlBtn = widget.NewButtonWithIcon("Copy as cURL", theme.ContentCopyIcon(), func() { v.copyCurl(false) })
	v.curlRevealBtn = widget.NewButton("With secrets…", v.confirmCurlReveal)
	v.curlBtn.Disable()
	v.curlRevealBtn.Disable()
	v.askBtn = widget.NewButtonWithIcon("Copy the message asking the customer for a full export", theme.ContentCopyIcon(), func() {
		v.w.CopyExportRequest()
		v.askBtn.SetText("Copied ✓ — paste it into your reply")
	})
	v.askBtn.Hide()
	summary := container.NewVBox(v.origin, v.headline, v.causes, v.notes, container.NewHBox(v.askBtn))
	hosts := container.NewGridWrap(fyne.NewSize(180, v.hosts.MinSize().Height), v.hosts)
	types := container.NewGridWrap(fyne.NewSize(130, v.types.MinSize().Height), v.types)
	filters := container.NewVBox(
		container.NewBorder(nil, nil, kindBox, v.count),
		container.NewBorder(nil, nil, nil, container.NewHBox(types, hosts), v.search),
		container.NewHBox(v.hasAuth, v.hasCookies, v.crossSite),
		v.searchInfo,
		v.empty,
	)
	// The header scrolls sideways with the rows when the pane is narrower
	// than every column; the table uses a denser text than the rest.
	v.table = container.NewHScroll(container.NewBorder(v.header, nil, nil, nil, v.list))
	table := container.NewThemeOverride(v.table, widgets.CompactTheme{})
	curlBar := container.NewHBox(v.curlBtn, v.curlRevealBtn)
	requests := container.NewBorder(filters, curlBar, nil, nil, table)
	v.timeline = timelineview.New(timelineview.Deps{
		Rows:     func() []viewmodel.Row { return v.rows },
		Selected: func() int { return v.selected },
		Open: func(row int) {
			if p := v.position(row); p >= 0 {
				v.list.Select(p) // keeps the table in step; opens the exchange
			} else {
				v.open(row)
			}
		},
		Shown: func() bool {
			return v.tabs != nil && v.tabs.Selected() != nil && v.tabs.Selected().Content == v.timeline.Root()
		},
	})
	v.tabs = container.NewAppTabs(
		container.NewTabItem("Requests", requests),
		container.NewTabItem("Timeline", v.timeline.Root()),
	)
	v.tabs.OnSelected = func(t *container.TabItem) {
		if t.Content == v.timeline.Root() {
			v.timeline.Refresh()
		}
	}
	v.root = container.NewBorder(container.NewVBox(summary, widget.NewSeparator()), nil, nil, nil, v.tabs)
	return v
}

// sortBy sorts the table by col (header tap): ascending, descending, then
// file order again.
func (v *overviewView) sortBy(col int) {
	v.sort = v.sort.Next(col)
	v.showSort()
	v.refilter()
}

// showSort writes the column titles with an arrow on the sorted one.
func (v *overviewView) showSort() {
	for c := 0; c < viewmodel.NumColumns; c++ {
		title := viewmodel.ColumnTitle(c)
		if a := v.sort.Arrow(c); a != "" {
			title += " " + a
		}
		v.header.row.labels[c].SetText(title)
	}
}

// startSearch searches for text off the UI goroutine, cancelling the
// search before it; results arrive in steps (metadata, then bodies).
func (v *overviewView) startSearch(text string) {
	v.stopSearch()
	done := make(chan struct{})
	v.searchDone = done
	s := v.w.session
	if strings.TrimSpace(text) == "" || s == nil {
		v.result, v.filter.Match = nil, nil
		v.showSearchInfo()
		v.refilter()
		close(done)
		return
	}
	ctx, cancel := context.WithCancel(v.w.ctx)
	v.searchCancel = cancel
	seq := v.searchSeq
	go func() {
		defer close(done)
		viewmodel.Search(ctx, s, text, viewmodel.SearchOptions{Bodies: true, Progress: func(r viewmodel.SearchResult) {
			fyne.DoAndWait(func() {
				if seq == v.searchSeq && ctx.Err() == nil {
					v.applySearch(&r)
				}
			})
		}})
	}()
}

// stopSearch cancels a running search; its late results are dropped.
func (v *overviewView) stopSearch() {
	v.searchSeq++
	if v.searchCancel != nil {
		v.searchCancel()
		v.searchCancel = nil
	}
}

// waitSearch waits until the last search started has shown its final
// result (tests).
func (v *overviewView) waitSearch() {
	if v.searchDone != nil {
		<-v.searchDone
	}
}

func (v *overviewView) applySearch(r *viewmodel.SearchResult) {
	v.result = r
	v.filter.Match = r.Match
	v.refilter()
	v.showSearchInfo()
}

// showSearchInfo writes the hit count and where the selected exchange
// matched (the excerpt is masked by the view model).
func (v *overviewView) showSearchInfo() {
	r := v.result
	if r == nil || r.Matches() == 0 && r.Done {
		v.searchInfo.Hide() // the empty state says it
		return
	}
	text := r.Summary() + "."
	if h, ok := r.Hit(v.selected); ok {
		text += fmt.Sprintf("\n#%d matched in the %s: %s", v.rows[v.selected].Index, h.Where, h.Excerpt)
	}
	v.searchInfo.SetText(text)
	v.searchInfo.Show()
}

// copyCurl copies the selected request as a curl command: masked, or as
// recorded when reveal (after confirmCurlReveal's warning).
func (v *overviewView) copyCurl(reveal bool) {
	if v.w.session == nil || v.selected < 0 {
		return
	}
	req, err := viewmodel.CurlRequestOf(v.w.session, v.selected)
	if err != nil {
		dialog.ShowError(err, v.w.win)
		return
	}
	v.w.app.Clipboard().SetContent(viewmodel.Curl(req, reveal))
	if reveal {
		v.curlRevealBtn.SetText("Copied with secrets ✓")
	} else {
		v.curlBtn.SetText("Copied, secrets masked ✓")
	}
}

// confirmCurlReveal warns before a command with live credentials goes to
// the clipboard.
func (v *overviewView) confirmCurlReveal() {
	if v.selected < 0 {
		return
	}
	v.revealDlg = dialog.NewConfirm("Copy with the real secrets?",
		"The command will contain the customer's real sign-in token, cookies and any password in the request, as recorded.\n"+
			"Anyone who has it can act as the customer until they expire.\n\n"+
			"Use it only in a terminal on your own computer. Never paste it into a ticket, chat or e-mail:\n"+
			"for those, use “Copy as cURL”, which masks the secrets.",
		func(ok bool) {
			if ok {
				v.copyCurl(true)
			}
		}, v.w.win)
	v.revealDlg.SetConfirmText("Copy with secrets")
	v.revealDlg.SetDismissText("Cancel")
	v.revealDlg.Show()
}

// showCurlFor names the selected exchange on the cURL buttons.
func (v *overviewView) showCurlFor() {
	if v.selected < 0 {
		v.curlBtn.SetText("Copy as cURL")
		v.curlBtn.Disable()
		v.curlRevealBtn.Disable()
		return
	}
	v.curlBtn.SetText(fmt.Sprintf("Copy #%d as cURL", v.rows[v.selected].Index))
	v.curlRevealBtn.SetText("With secrets…")
	v.curlBtn.Enable()
	v.curlRevealBtn.Enable()
}

func (v *overviewView) setSession(s *viewmodel.Session) {
	v.stopSearch()
	v.result = nil
	v.setRows(s.Rows)
	v.selected = -1
	v.showCurlFor()
	v.timeline.SetSession(s)
	st := viewmodel.Summarize(s.Entries(), s.Report)
	if s.HAR == nil && !s.Source.Demo {
		// Built in memory: the live capture handed it over.
		v.origin.SetText(s.Source.DisplayName() + " — opened from the “Capture live traffic” tab, which keeps recording.")
		v.origin.Show()
	} else {
		v.origin.Hide()
	}
	v.headline.SetText(st.Headline())
	v.causes.SetText(st.CausesLine())
	if st.CausesLine() == "" {
		v.causes.Hide()
	} else {
		v.causes.Show()
	}
	// The analysis's own note says what the export removed (the browser's
	// sanitized export, or values masked by hand); it leads, marked.
	notes := ""
	for _, n := range st.Notes {
		mark := "• "
		if st.Sanitized && strings.HasPrefix(n, "This HAR") {
			mark = "⚠ "
			// The button below copies the request to the customer; the
			// note need not spell it out above the list.
			if cut := strings.Index(n, " Ask the customer"); cut > 0 {
				n = n[:cut]
			}
		}
		notes += mark + n + "\n"
	}
	v.notes.SetText(trimNL(notes))
	if st.Sanitized {
		v.askBtn.SetText("Copy the message asking the customer for a full export")
		v.askBtn.Show()
	} else {
		v.askBtn.Hide()
	}
	if notes == "" {
		v.notes.Hide()
	} else {
		v.notes.Show()
	}

	v.hostOpts = map[string]string{allHosts: ""}
	opts := []string{allHosts}
	for _, h := range viewmodel.Hosts(v.rows) {
		label := fmt.Sprintf("%s (%d)", h.Host, h.Count)
		v.hostOpts[label] = h.Host
		opts = append(opts, label)
	}
	v.quiet = true
	v.hosts.SetOptions(opts)
	v.hosts.SetSelected(allHosts)
	v.types.SetOptions(append([]string{anyType}, viewmodel.Types(v.rows)...))
	v.types.SetSelected(anyType)
	v.hasAuth.SetChecked(false)
	v.hasCookies.SetChecked(false)
	v.crossSite.SetChecked(false)
	v.search.SetText("")
	kind := viewmodel.FilterAll
	if st.Problems > 0 {
		kind = viewmodel.FilterAuthFailures
	}
	v.filter = viewmodel.Filter{Kind: kind}
	v.sort = viewmodel.Sort{}
	v.showSort()
	v.showKind()
	v.quiet = false
	v.showSearchInfo()
	v.refilter()
}

func (v *overviewView) setRows(rs *viewmodel.RowSet) {
	v.set, v.rows = rs, rs.Rows
	last := 0
	if n := len(rs.Rows); n > 0 {
		last = rs.Rows[n-1].Index
	}
	v.geometry.setLastIndex(last)
	if v.header != nil {
		v.header.relayout()
	}
}

// setKind switches the filter (buttons, View menu).
func (v *overviewView) setKind(k viewmodel.FilterKind) {
	v.filter.Kind = k
	v.showKind()
	v.refilter()
}

// showKind marks the button of the current filter.
func (v *overviewView) showKind() {
	for k, b := range v.kinds {
		imp := widget.LowImportance
		if viewmodel.FilterKind(k) == v.filter.Kind {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
}

// refilter applies the filter and keeps the selection if it still shows.
func (v *overviewView) refilter() {
	v.visible = v.set.Filter(v.filter, v.visible)
	if v.sort.On {
		v.set.SortRows(v.visible, v.sort)
	}
	v.count.SetText(fmt.Sprintf("%s of %s shown", viewmodel.FormatCount(len(v.visible)), viewmodel.FormatCount(len(v.rows))))
	if len(v.visible) == 0 {
		v.empty.SetText(v.emptyText())
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	v.list.UnselectAll()
	v.list.Refresh()
	if pos := v.position(v.selected); pos >= 0 {
		v.list.Select(pos)
	}
}

// emptyText says, in one line, why the table is empty and what to do.
func (v *overviewView) emptyText() string {
	narrowed := v.filter.Kind != viewmodel.FilterAll || v.filter.Host != "" || v.filter.Type != "" ||
		v.filter.HasAuthorization || v.filter.HasCookies || v.filter.CrossSite
	switch {
	case len(v.rows) == 0:
		return "This trace has no requests."
	case v.result != nil && v.result.Matches() > 0:
		return fmt.Sprintf("%s match “%s”, but the filters above hide them: choose “All” and clear the ticks.",
			viewmodel.Plural(v.result.Matches(), "exchange", "exchanges"), strings.TrimSpace(v.result.Query))
	case v.result != nil && !v.result.Done:
		return fmt.Sprintf("Nothing matches “%s” so far — still searching the bodies…", strings.TrimSpace(v.result.Query))
	case v.result != nil && narrowed:
		return fmt.Sprintf("Nothing matches “%s” among the requests the filters let through. Choose “All” or clear the search.", strings.TrimSpace(v.result.Query))
	case v.result != nil:
		return fmt.Sprintf("Nothing in this trace contains “%s” — not in addresses, headers, cookies or bodies. Check the spelling, or clear the search.", strings.TrimSpace(v.result.Query))
	}
	return "No request matches these filters. Choose “All” and clear the ticks."
}

// position returns where entry i is in the filtered list, -1 if hidden.
func (v *overviewView) position(i int) int {
	if i < 0 {
		return -1
	}
	for p, r := range v.visible {
		if r == i {
			return p
		}
	}
	return -1
}

// selectFirstFailure selects the first failing exchange, if any.
func (v *overviewView) selectFirstFailure() {
	for _, r := range v.rows {
		if r.AuthFailure {
			v.reveal(r.Index)
			return
		}
	}
	v.w.detail.noFailure(v.w.session)
}

// reveal selects entry i, widening the filter when it is hidden.
func (v *overviewView) reveal(i int) {
	if v.position(i) < 0 {
		v.stopSearch()
		v.result = nil
		v.quiet = true
		v.search.SetText("")
		v.hosts.SetSelected(allHosts)
		v.types.SetSelected(anyType)
		v.hasAuth.SetChecked(false)
		v.hasCookies.SetChecked(false)
		v.crossSite.SetChecked(false)
		v.quiet = false
		v.showSearchInfo()
		f := v.filter
		v.filter = viewmodel.Filter{Kind: f.Kind}
		if !v.rows[i].AuthFailure || v.filter.Kind != viewmodel.FilterAuthFailures {
			v.filter.Kind = viewmodel.FilterAll
			v.showKind()
		}
		v.refilter()
	}
	if p := v.position(i); p >= 0 {
		v.list.Select(p)
	}
}

// moveSelection moves the selection up or down the filtered list.
func (v *overviewView) moveSelection(delta int) {
	if len(v.visible) == 0 {
		return
	}
	p := v.position(v.selected)
	switch {
	case p < 0 && delta > 0:
		p = 0
	case p < 0:
		p = len(v.visible) - 1
	default:
		p += delta
	}
	if p < 0 || p >= len(v.visible) {
		return
	}
	v.list.Select(p)
}

func (v *overviewView) onSelected(p int) {
	if p < 0 || p >= len(v.visible) {
		return
	}
	i := v.rows[v.visible[p]].Index
	if i == v.selected && v.w.selected == i {
		return
	}
	v.open(i)
}

// open shows entry i in the detail pane (a row or a timeline bar).
func (v *overviewView) open(i int) {
	v.selected = i
	v.showCurlFor()
	v.showSearchInfo()
	v.timeline.SelectionChanged()
	v.w.showDetail(i)
}

// entryList is the virtualized list of entries; arrow keys move the
// selection itself (not just the keyboard focus).
type entryList struct {
	widget.List
	v *overviewView
}

func newEntryList(v *overviewView) *entryList {
	l := &entryList{v: v}
	l.Length = func() int { return len(v.visible) }
	l.CreateItem = func() fyne.CanvasObject { return newRowObject(false, &v.geometry) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < 0 || id >= len(v.visible) {
			return
		}
		o.(*rowObject).set(&v.rows[v.visible[id]])
	}
	l.OnSelected = v.onSelected
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey moves the selection with the arrow keys.
func (l *entryList) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyDown:
		l.v.moveSelection(1)
	case fyne.KeyUp:
		l.v.moveSelection(-1)
	case fyne.KeyReturn, fyne.KeyEnter:
		l.v.w.openGuide()
	default:
		l.List.TypedKey(ev)
	}
}

// sortHeader is the row of column titles: a tap on a title sorts by it.
type sortHeader struct {
	widget.BaseWidget
	row   *rowObject
	onTap func(col int)
}

func newSortHeader(g *tableGeometry, onTap func(int)) *sortHeader {
	h := &sortHeader{row: newRowObject(true, g), onTap: onTap}
	h.ExtendBaseWidget(h)
	return h
}

func (h *sortHeader) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.row) }

// Tapped sorts by the column under the pointer.
func (h *sortHeader) Tapped(ev *fyne.PointEvent) {
	for c, l := range h.row.labels {
		if ev.Position.X >= l.Position().X && ev.Position.X < l.Position().X+l.Size().Width {
			h.onTap(c)
			return
		}
	}
}

// Cursor shows a hand over the titles: they can be clicked.
func (h *sortHeader) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (h *sortHeader) relayout() { h.row.relayout() }

// rowObject is one line of the list (or the header): a label per column.
type rowObject struct {
	widget.BaseWidget
	labels     [viewmodel.NumColumns]*widget.Label
	box        *fyne.Container
	g          *tableGeometry
	indexWidth float32 // the # width the cells were last placed for
}

func newRowObject(header bool, g *tableGeometry) *rowObject {
	r := &rowObject{g: g}
	objs := make([]fyne.CanvasObject, viewmodel.NumColumns)
	for c := range r.labels {
		l := widget.NewLabel("")
		// Ellipsis truncation shapes the text again on every update, which
		// is what scrolling costs: only the long columns pay for it.
		l.Truncation = fyne.TextTruncateClip
		if c == viewmodel.ColHost || c == viewmodel.ColPath {
			l.Truncation = fyne.TextTruncateEllipsis
		}
		if header {
			l.TextStyle.Bold = true
		}
		r.labels[c] = l
		objs[c] = l
	}
	r.box = container.New(&columnsLayout{g: g}, objs...)
	r.ExtendBaseWidget(r)
	return r
}

func (r *rowObject) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.box)
}

// relayout places the cells again when the # column changed width (a
// trace with more digits opened).
func (r *rowObject) relayout() {
	if r.indexWidth != r.g.indexWidth {
		r.indexWidth = r.g.indexWidth
		r.box.Layout.Layout(r.box.Objects, r.box.Size())
	}
}

func (r *rowObject) set(row *viewmodel.Row) {
	r.relayout()
	for c, l := range r.labels {
		text := row.Cell(c)
		imp := widget.MediumImportance
		bold := false
		switch c {
		case viewmodel.ColStatus:
			imp = widgets.StatusImportance(row.StatusCode, row.AuthFailure)
			bold = row.AuthFailure || row.StatusCode == 401 || row.StatusCode == 403
		case viewmodel.ColPath:
			bold = row.AuthFailure
		}
		// Refreshing a label re-shapes its text: skip unchanged ones.
		if l.Text == text && l.Importance == imp && l.TextStyle.Bold == bold {
			continue
		}
		l.Text, l.Importance, l.TextStyle.Bold = text, imp, bold
		l.Refresh()
	}
}

// columnsLayout places the columns of a row. Every column keeps its
// width; host and path share what is left, the path taking most. Below
// the minimum width the table scrolls sideways, and the first columns up
// to Status stay in view at 1024 px.
type columnsLayout struct{ g *tableGeometry }

// tableGeometry is what the rows of one table share: the # column is as
// wide as the largest index needs, so no index is ever cut short.
type tableGeometry struct{ indexWidth float32 }

// setLastIndex sizes the # column for indexes up to last.
func (g *tableGeometry) setLastIndex(last int) {
	digits := len(strconv.Itoa(max(last, 0)))
	g.indexWidth = max(columnWidths[viewmodel.ColIndex], float32(14+8*digits))
}

// width is the width of column c; 0 for host and path.
func (g *tableGeometry) width(c int) float32 {
	if c == viewmodel.ColIndex && g != nil && g.indexWidth > 0 {
		return g.indexWidth
	}
	return columnWidths[c]
}

// columnWidths in theme-independent units at the compact text size; 0 =
// flexible (host, path).
var columnWidths = [viewmodel.NumColumns]float32{46, 66, 64, 0, 0, 54, 82, 60, 70}

// Host and path widths: the least they get, and the most the host takes.
const (
	minHostWidth = 80
	maxHostWidth = 180
	minPathWidth = 110
)

// minWidth is the width below which the table scrolls sideways.
func (l *columnsLayout) minWidth() float32 {
	w := float32(minHostWidth + minPathWidth)
	for c := range columnWidths {
		w += l.g.width(c)
	}
	return w
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	extra := max(size.Width-l.minWidth(), 0)
	// The host gets half of the extra space up to its maximum, the path
	// the rest.
	host := minHostWidth + min(extra/2, maxHostWidth-minHostWidth)
	path := minPathWidth + extra - (host - minHostWidth)
	x := float32(0)
	for c, o := range objs {
		w := l.g.width(c)
		switch c {
		case viewmodel.ColHost:
			w = host
		case viewmodel.ColPath:
			w = path
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.minWidth(), h)
}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}
