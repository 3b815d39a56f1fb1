package ui

import (
	"fmt"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/viewmodel"
)

// overviewView is the left pane: the summary strip, the filter bar and the
// entries list.
type overviewView struct {
	w    *Window
	root fyne.CanvasObject

	headline *widget.Label
	causes   *widget.Label
	notes    *widget.Label
	// askBtn copies the message asking the customer for an export with
	// sensitive data; shown for a sanitized export.
	askBtn *widget.Button
	kinds  []*widget.Button // the filter buttons, one per FilterKind
	search *widget.Entry
	hosts  *widget.Select
	count  *widget.Label
	empty  *widget.Label
	list   *entryList
	header *rowObject        // the column titles
	table  *container.Scroll // header and list, sideways when narrow

	set      *viewmodel.RowSet
	rows     []viewmodel.Row // set.Rows
	filter   viewmodel.Filter
	visible  []int // positions in rows that pass the filter
	selected int   // entry index selected, -1 for none
	hostOpts map[string]string
	quiet    bool // true while the filter widgets are set from code
	geometry tableGeometry
}

const allHosts = "All hosts"

func newOverviewView(w *Window) *overviewView {
	v := &overviewView{w: w, selected: -1}
	v.headline = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.headline.Wrapping = fyne.TextWrapWord
	v.causes = para("")
	v.notes = para("")
	v.notes.Importance = widget.WarningImportance

	kindBox := container.NewHBox()
	for k, label := range viewmodel.FilterLabels() {
		b := widget.NewButton(label, func() { v.setKind(viewmodel.FilterKind(k)) })
		v.kinds = append(v.kinds, b)
		kindBox.Add(b)
	}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search (Ctrl+F)")
	v.search.OnChanged = func(s string) {
		if v.quiet {
			return
		}
		v.filter.Text = s
		v.refilter()
	}
	v.hosts = widget.NewSelect(nil, func(s string) {
		if v.quiet {
			return
		}
		v.filter.Host = v.hostOpts[s]
		v.refilter()
	})
	v.count = widget.NewLabel("")
	v.count.Importance = widget.LowImportance
	v.empty = para("")
	v.empty.Alignment = fyne.TextAlignCenter
	v.empty.Hide()
	v.list = newEntryList(v)

	header := newRowObject(true, &v.geometry)
	v.header = header
	for c := 0; c < viewmodel.NumColumns; c++ {
		header.labels[c].SetText(viewmodel.ColumnTitle(c))
	}
	v.askBtn = widget.NewButtonWithIcon("Copy the message asking the customer for a full export", theme.ContentCopyIcon(), func() {
		v.w.CopyExportRequest()
		v.askBtn.SetText("Copied ✓ — paste it into your reply")
	})
	v.askBtn.Hide()
	summary := container.NewVBox(v.headline, v.causes, v.notes, container.NewHBox(v.askBtn))
	hosts := container.NewGridWrap(fyne.NewSize(180, v.hosts.MinSize().Height), v.hosts)
	filters := container.NewVBox(
		container.NewBorder(nil, nil, kindBox, v.count),
		container.NewBorder(nil, nil, nil, hosts, v.search),
	)
	top := container.NewVBox(summary, widget.NewSeparator(), filters)
	// The header scrolls sideways with the rows when the pane is narrower
	// than every column; the table uses a denser text than the rest.
	v.table = container.NewHScroll(container.NewBorder(header, nil, nil, nil, v.list))
	table := container.NewThemeOverride(v.table, compactTheme{})
	v.root = container.NewBorder(top, nil, nil, nil, container.NewStack(table, container.NewCenter(v.empty)))
	return v
}

func (v *overviewView) setSession(s *viewmodel.Session) {
	v.setRows(s.Rows)
	v.selected = -1
	st := viewmodel.Summarize(s.Entries(), s.Report)
	v.headline.SetText(st.Headline())
	v.causes.SetText(st.CausesLine())
	if st.CausesLine() == "" {
		v.causes.Hide()
	} else {
		v.causes.Show()
	}
	notes := ""
	if st.Sanitized {
		notes = "⚠ This HAR was exported WITHOUT cookies and sign-in headers (the browser's default “sanitized” export), so some causes cannot be confirmed. Ask the customer to export again “with sensitive data”.\n"
	}
	for _, n := range st.Notes {
		notes += "• " + n + "\n"
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
	v.search.SetText("")
	kind := viewmodel.FilterAll
	if st.Problems > 0 {
		kind = viewmodel.FilterAuthFailures
	}
	v.filter = viewmodel.Filter{Kind: kind}
	v.showKind()
	v.quiet = false
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
	v.count.SetText(fmt.Sprintf("%s of %s shown", viewmodel.FormatCount(len(v.visible)), viewmodel.FormatCount(len(v.rows))))
	if len(v.visible) == 0 {
		if len(v.rows) == 0 {
			v.empty.SetText("This trace has no requests.")
		} else {
			v.empty.SetText("No request matches this filter. Choose “All” or clear the search.")
		}
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
		v.quiet = true
		v.search.SetText("")
		v.hosts.SetSelected(allHosts)
		v.quiet = false
		v.filter.Text, v.filter.Host = "", ""
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
	v.selected = i
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
	default:
		l.List.TypedKey(ev)
	}
}

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
			imp = statusImportance(row.StatusCode, row.AuthFailure)
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

// compactTheme is the app's theme with a smaller text and tighter cell
// padding, for the entries table: nine columns fit beside the detail pane
// at 1280 px, and more rows show at once.
type compactTheme struct{}

func (compactTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t compactTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base().Color(n, v)
}

func (t compactTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base().Font(s) }

func (t compactTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 13
	case theme.SizeNameInnerPadding:
		return 6
	}
	return t.base().Size(n)
}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}
