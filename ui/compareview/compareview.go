// Package compareview is the compare tab: a one-line verdict, the aligned
// steps side by side (working trace left, failing trace right) and the
// ranked differences. It renders a viewmodel.Comparison (ui/compare_open.go
// makes it) and reaches the window only through Callbacks, so it is a
// package of its own.
package compareview

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis/compare"
	"authlens/har"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// Callbacks is what the compare tab asks of the window.
type Callbacks struct {
	// ConfirmHosts accepts the proposed host mapping of c ("Yes, that is
	// right"); ChangeHosts lets the person change it ("No, change…").
	ConfirmHosts, ChangeHosts func(c *viewmodel.Comparison)
	// Open shows exchange entry of one side, at where (a zero Location
	// for none).
	Open func(side compare.Side, entry int, where har.Location)
}

// View is the compare tab of one comparison.
type View struct {
	cb   Callbacks
	c    *viewmodel.Comparison
	root fyne.CanvasObject

	headline *widget.Label
	table    *Table
	concerns *widget.Label
	openBad  *widget.Button
	openGood *widget.Button
	diffs    *fyne.Container
	noise    *widget.Accordion

	selRow  int          // the selected step, -1 for none
	selSide compare.Side // the side of the selected cell
	// revealPending scrolls the table to the divergence once it is laid
	// out (a table not yet drawn cannot scroll).
	revealPending bool
}

// The columns of the side-by-side table.
const (
	colStep = iota
	colGood
	colBad
	numCompareCols
)

// New builds the tab for c.
func New(c *viewmodel.Comparison, cb Callbacks) *View {
	v := &View{cb: cb, c: c, selRow: -1, selSide: compare.SideBad}
	v.headline = widgets.Heading(c.Headline)

	var top []fyne.CanvasObject
	if s := c.HostSentence(); s != "" {
		yes := widget.NewButtonWithIcon("Yes, that is right", theme.ConfirmIcon(), func() { cb.ConfirmHosts(c) })
		yes.Importance = widget.HighImportance
		change := widget.NewButton("No, change…", func() { cb.ChangeHosts(c) })
		top = append(top, widgets.Banner(theme.QuestionIcon(), s, widget.WarningImportance, container.NewHBox(yes, change)))
	}
	for _, n := range c.Notes {
		top = append(top, widgets.Banner(theme.InfoIcon(), n, widget.MediumImportance, nil))
	}
	files := widgets.Para(fmt.Sprintf("Working trace: %s (%s)   ·   Failing trace: %s (%s)",
		c.GoodName, viewmodel.Plural(c.Result.Good.Entries, "request", "requests"), c.BadName, viewmodel.Plural(c.Result.Bad.Entries, "request", "requests")))
	files.TextStyle.Italic = true // low importance is hard to read on the dark theme
	top = append(top, container.NewPadded(container.NewVBox(v.headline, files)), widget.NewSeparator())

	v.table = newCompareTable(v)
	v.concerns = widgets.Para("Select a step to see which differences concern it.")
	v.openBad = widget.NewButtonWithIcon("Open in the failing trace", theme.SearchIcon(), func() { v.openSelected(compare.SideBad) })
	v.openGood = widget.NewButtonWithIcon("Open in the working trace", theme.SearchIcon(), func() { v.openSelected(compare.SideGood) })
	legend := widgets.Para("Red row: where the two traces part.  ✓ worked  ✗ refused or no answer  ⚠ other error  — not in this trace.  Double-click a request or press Enter to open it.")
	legend.TextStyle.Italic = true
	below := container.NewVBox(widget.NewSeparator(), v.concerns, container.NewHBox(v.openBad, v.openGood), legend)
	// The table uses the entries table's denser text: statuses fit beside
	// the step at 1024 px.
	table := container.NewThemeOverride(container.New(&compareColumnsLayout{v: v}, v.table), widgets.CompactTheme{})
	left := container.NewBorder(nil, below, nil, nil, table)

	v.diffs = container.NewVBox()
	v.noise = widget.NewAccordion()
	if noise := c.Noise(); len(noise) > 0 {
		box := container.NewVBox(widgets.Para("These differ in every pair of recordings and do not explain a failure."))
		for _, d := range noise {
			box.Add(widgets.Para("• " + d.Title + ": " + d.Explanation))
		}
		v.noise.Append(widget.NewAccordionItem(fmt.Sprintf("Noise (%d)", len(noise)), box))
	} else {
		v.noise.Hide()
	}
	right := container.NewVScroll(container.NewPadded(container.NewVBox(v.diffs, v.noise)))

	split := container.NewHSplit(left, right)
	split.Offset = 0.56
	v.root = container.NewBorder(container.NewVBox(top...), nil, nil, nil, split)
	v.renderDifferences()
	v.updateOpenButtons()
	return v
}

// Root is the content of the tab.
func (v *View) Root() fyne.CanvasObject { return v.root }

// Comparison is the comparison the tab shows.
func (v *View) Comparison() *viewmodel.Comparison { return v.c }

// Table is the side-by-side table (Enter and double-click open a cell).
func (v *View) Table() *Table { return v.table }

// RevealDivergence selects the failing side of the first divergence and
// scrolls it into view.
func (v *View) RevealDivergence() {
	if v.c.DivergentRow < 0 {
		return
	}
	v.revealPending = true
	v.table.Select(widget.TableCellID{Row: v.c.DivergentRow, Col: colBad})
}

// selectCell is called when a cell is selected (tap, Enter, evidence).
func (v *View) selectCell(id widget.TableCellID) {
	v.selRow = id.Row
	switch id.Col {
	case colGood:
		v.selSide = compare.SideGood
	case colBad:
		v.selSide = compare.SideBad
	}
	v.concerns.SetText(v.c.RowConcerns(id.Row))
	v.table.Refresh()
	v.updateOpenButtons()
	v.renderDifferences()
}

func (v *View) updateOpenButtons() {
	set := func(b *widget.Button, side compare.Side, cell viewmodel.CompareCell) {
		if v.selRow < 0 || cell.Entry < 0 {
			b.SetText(fmt.Sprintf("Open in %s", viewmodel.SideWords(side)))
			b.Disable()
			return
		}
		b.SetText(fmt.Sprintf("Open #%d of %s", cell.Entry, viewmodel.SideWords(side)))
		b.Enable()
	}
	var good, bad viewmodel.CompareCell
	good.Entry, bad.Entry = -1, -1
	if v.selRow >= 0 {
		good, bad = v.c.Rows[v.selRow].Good, v.c.Rows[v.selRow].Bad
	}
	set(v.openBad, compare.SideBad, bad)
	set(v.openGood, compare.SideGood, good)
}

// openSelected opens the selected step's exchange of one side.
func (v *View) openSelected(side compare.Side) {
	if v.selRow < 0 {
		return
	}
	row := v.c.Rows[v.selRow]
	entry := row.Bad.Entry
	if side == compare.SideGood {
		entry = row.Good.Entry
	}
	v.cb.Open(side, entry, har.Location{})
}

// openCell opens the exchange of the selected cell (double-click, Enter);
// the step column opens the failing side, or the working one when the
// failing trace lacks the step.
func (v *View) openCell() {
	if v.selRow < 0 {
		return
	}
	side := v.selSide
	row := v.c.Rows[v.selRow]
	if side == compare.SideBad && row.Bad.Entry < 0 {
		side = compare.SideGood
	}
	v.openSelected(side)
}

// renderDifferences lists the meaningful differences, the ones that
// concern the selected step tinted.
func (v *View) renderDifferences() {
	concerned := map[int]bool{}
	if v.selRow >= 0 {
		for _, i := range v.c.Rows[v.selRow].Differences {
			concerned[i] = true
		}
	}
	var objs []fyne.CanvasObject
	meaningful := v.c.Meaningful()
	switch {
	case len(meaningful) == 0:
		objs = append(objs, widgets.SectionLabel("No difference that matters"),
			widgets.Para("Apart from noise, the two traces send the same credentials, cookies and headers on the steps they share."))
	default:
		note := widgets.Para("Secret values are masked: the same mask means the same value.")
		note.TextStyle.Italic = true
		objs = append(objs, widgets.SectionLabel("What differs, most likely cause first"), note)
	}
	for i, d := range v.c.Differences {
		if d.Noise {
			continue
		}
		card := v.differenceCard(d)
		if concerned[i] {
			card = container.NewStack(widgets.CanvasRect(widgets.BannerColor(widget.HighImportance)), card)
		}
		objs = append(objs, widget.NewSeparator(), card)
	}
	v.diffs.Objects = objs
	v.diffs.Refresh()
}

func (v *View) differenceCard(d viewmodel.CompareDifference) fyne.CanvasObject {
	box := container.NewVBox(widgets.Heading(fmt.Sprintf("%d. %s", d.Rank, d.Title)))
	if d.CauseTitle != "" {
		cause := widgets.SectionLabel("Cause: " + d.CauseTitle)
		cause.Wrapping = fyne.TextWrapWord
		box.Add(cause)
	}
	if d.CauseTitle == "" {
		box.Add(widgets.SectionLabel("About: " + d.Kind))
	}
	box.Add(widgets.Para(d.Explanation))
	for _, ev := range d.Evidence {
		ev := ev
		label := fmt.Sprintf("#%d working", ev.Entry)
		if ev.Side == compare.SideBad {
			label = fmt.Sprintf("#%d failing", ev.Entry)
		}
		btn := widget.NewButtonWithIcon(label, theme.SearchIcon(), func() { v.showEvidence(ev) })
		btn.Importance = widget.LowImportance
		box.Add(container.NewBorder(nil, nil, container.NewVBox(btn), nil, widgets.Para(ev.What)))
	}
	return box
}

// showEvidence selects the step an evidence is on and opens its exchange
// at the field.
func (v *View) showEvidence(ev viewmodel.CompareEvidence) {
	if ev.Row >= 0 {
		col := colBad
		if ev.Side == compare.SideGood {
			col = colGood
		}
		v.table.Select(widget.TableCellID{Row: ev.Row, Col: col})
	}
	v.cb.Open(ev.Side, ev.Entry, ev.Where)
}

// Table is the side-by-side table of the tab; double-click or Enter opens
// the selected cell's exchange.
type Table struct {
	widget.Table
	v *View
}

func newCompareTable(v *View) *Table {
	t := &Table{v: v}
	t.Length = func() (int, int) { return len(v.c.Rows), numCompareCols }
	t.CreateCell = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return container.NewStack(canvas.NewRectangle(nil), l)
	}
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) { v.updateCell(id, o.(*fyne.Container)) }
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch id.Col {
		case colStep:
			l.SetText("Step")
		case colGood:
			l.SetText("Working trace")
		case colBad:
			l.SetText("Failing trace")
		}
	}
	t.OnSelected = v.selectCell
	t.ExtendBaseWidget(t)
	return t
}

// DoubleTapped selects the cell under the pointer and opens it.
func (t *Table) DoubleTapped(e *fyne.PointEvent) {
	t.Table.Tapped(e)
	t.v.openCell()
}

// TypedKey opens the focused cell on Enter; other keys move as in any table.
func (t *Table) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		t.Table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // selects the focused cell
		t.v.openCell()
		return
	}
	t.Table.TypedKey(ev)
}

func (v *View) updateCell(id widget.TableCellID, box *fyne.Container) {
	if id.Row < 0 || id.Row >= len(v.c.Rows) {
		return
	}
	row := v.c.Rows[id.Row]
	bg := box.Objects[0].(*canvas.Rectangle)
	l := box.Objects[1].(*widget.Label)
	text, imp, bold := "", widget.MediumImportance, row.Divergent
	switch id.Col {
	case colStep:
		text = row.Step
	case colGood, colBad:
		c := row.Good
		if id.Col == colBad {
			c = row.Bad
		}
		text = c.Text
		switch c.Tone {
		case viewmodel.ToneAbsent:
			imp = widget.LowImportance
		case viewmodel.ToneBad:
			imp = widget.DangerImportance
		case viewmodel.ToneError:
			imp = widget.WarningImportance
		case viewmodel.ToneOK:
			imp = widget.SuccessImportance
		}
	}
	fill := widgets.WithAlpha(theme.Color(theme.ColorNameBackground), 0)
	switch {
	case row.Divergent:
		fill = widgets.BannerColor(widget.DangerImportance)
	case id.Row == v.selRow:
		fill = widgets.BannerColor(widget.HighImportance)
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}
	if l.Text != text || l.Importance != imp || l.TextStyle.Bold != bold {
		l.Text, l.Importance, l.TextStyle.Bold = text, imp, bold
		l.Refresh()
	}
}

// compareColumnsLayout fills its one object (the table) and shares the
// width between the columns: the step a little more than each side.
type compareColumnsLayout struct {
	v     *View
	width float32
}

func (l *compareColumnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	t := l.v.table
	if size.Width != l.width {
		l.width = size.Width
		avail := size.Width - theme.ScrollBarSize() - 2*theme.Padding()
		step := max(avail*0.3, 130)
		side := max((avail-step)/2, 140)
		t.SetColumnWidth(colStep, step)
		t.SetColumnWidth(colGood, side)
		t.SetColumnWidth(colBad, side)
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if l.v.revealPending && l.v.c.DivergentRow >= 0 {
		l.v.revealPending = false
		t.ScrollTo(widget.TableCellID{Row: l.v.c.DivergentRow, Col: colBad})
	}
}

func (l *compareColumnsLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(360, 160)
}
