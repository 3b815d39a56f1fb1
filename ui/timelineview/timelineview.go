// Package timelineview is the Timeline tab beside the entries table: a
// DevTools-like waterfall of the exchanges, one bar per exchange split
// into its phases, redirects and the selected failure's neighbours
// marked. Only the rows in view are drawn (a widget.List); a tap on a row
// opens the exchange. It reaches the entries table only through Deps, so
// it is a package of its own.
package timelineview

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// neighbourSpan is how many exchanges either side of the selected one
// the timeline marks, and shows in "around" mode.
const neighbourSpan = 5

// The choices of the timeline's range.
const (
	rangeAround = "Around the selected exchange (±5)"
	rangeWhole  = "Whole trace"
)

// barLabelWidth is the width of the text column left of the bars.
const barLabelWidth = 210

// Deps is what the timeline asks of the entries table.
type Deps struct {
	// Rows are the table's rows in file order; Selected is the selected
	// one (-1 for none).
	Rows     func() []viewmodel.Row
	Selected func() int
	// Open opens exchange row (file order), as a tap on the table does.
	Open func(row int)
	// Shown reports whether the Timeline tab is the one showing.
	Shown func() bool
}

// View is the Timeline tab.
type View struct {
	deps Deps
	root fyne.CanvasObject

	mode    *widget.Select
	caption *widget.Label
	from    *widget.Label
	to      *widget.Label
	list    *widget.List

	wf    *viewmodel.Waterfall
	rows  []int // positions of the rows listed, in file order
	win   viewmodel.Window
	quiet bool
}

// New builds the tab.
func New(deps Deps) *View {
	v := &View{deps: deps}
	v.mode = widget.NewSelect([]string{rangeAround, rangeWhole}, func(string) { v.Refresh() })
	v.mode.SetSelected(rangeAround)
	v.caption = widget.NewLabel("")
	v.caption.Wrapping = fyne.TextWrapWord
	v.from = widget.NewLabel("")
	v.to = widget.NewLabel("")
	v.to.Alignment = fyne.TextAlignTrailing
	v.list = widget.NewList(
		func() int { return len(v.rows) },
		func() fyne.CanvasObject { return newBarRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(v.rows) {
				return
			}
			o.(*barRow).set(v, v.rows[id])
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		if v.quiet || id < 0 || id >= len(v.rows) {
			return
		}
		v.deps.Open(v.rows[id])
		v.list.Refresh()
	}
	ruler := container.NewBorder(nil, nil, spacer(barLabelWidth), nil,
		container.NewBorder(nil, nil, v.from, v.to))
	top := container.NewVBox(v.mode, v.caption, legend(), ruler)
	v.root = container.NewBorder(top, nil, nil, nil, container.NewThemeOverride(v.list, widgets.CompactTheme{}))
	return v
}

// Root is the content of the tab.
func (v *View) Root() fyne.CanvasObject { return v.root }

// Listed are the rows the timeline lists, in file order.
func (v *View) Listed() []int { return v.rows }

// Caption says what the listed rows are.
func (v *View) Caption() string { return v.caption.Text }

// Span is the time the bars are scaled to.
func (v *View) Span() viewmodel.Window { return v.win }

// Waterfall is what the bars are drawn from.
func (v *View) Waterfall() *viewmodel.Waterfall { return v.wf }

// ShowWhole shows the whole trace instead of the selection's neighbours.
func (v *View) ShowWhole() { v.mode.SetSelected(rangeWhole) }

// Tap taps listed row k, as a click on its bar does.
func (v *View) Tap(k int) { v.list.Select(k) }

// SetSession draws the bars of s.
func (v *View) SetSession(s *viewmodel.Session) {
	v.wf = viewmodel.NewWaterfall(s.Entries(), s.Failing)
	v.rows = nil
}

// SelectionChanged follows the table's selection when the tab shows.
func (v *View) SelectionChanged() {
	if v.deps.Shown() {
		v.Refresh()
	}
}

// Refresh lists the rows of the chosen range and scales the bars to it.
func (v *View) Refresh() {
	if v.wf == nil {
		return
	}
	sel := v.deps.Selected()
	rows := v.deps.Rows()
	v.rows = v.rows[:0]
	if v.mode.Selected == rangeAround && sel >= 0 {
		lo, hi := max(sel-neighbourSpan, 0), min(sel+neighbourSpan, len(v.wf.Bars)-1)
		for i := lo; i <= hi; i++ {
			v.rows = append(v.rows, i)
		}
		v.win = v.wf.WindowAround(lo, hi)
		v.caption.SetText(fmt.Sprintf("#%d and the %d exchanges before and after it. Bars show when each request started (seconds after the first one) and what it waited for; red outlines are failures. A tap opens the exchange.",
			rows[sel].Index, neighbourSpan))
	} else {
		for i := range v.wf.Bars {
			v.rows = append(v.rows, i)
		}
		v.win = v.wf.Whole()
		v.caption.SetText(fmt.Sprintf("All %s exchanges on one time line, in seconds after the first one; red outlines are failures. A tap opens the exchange.", viewmodel.FormatCount(len(v.rows))))
	}
	v.from.SetText(viewmodel.FormatMillis(v.win.From))
	v.to.SetText(viewmodel.FormatMillis(v.win.To))
	v.quiet = true
	v.list.UnselectAll()
	for k, r := range v.rows {
		if r == sel {
			v.list.Select(k)
			v.list.ScrollTo(max(k-2, 0))
		}
	}
	v.quiet = false
	v.list.Refresh()
}

// phaseColor is the colour of a phase, close to the browsers' own.
func phaseColor(p viewmodel.Phase) color.Color {
	switch p {
	case viewmodel.PhaseBlocked:
		return color.NRGBA{0x9e, 0x9e, 0x9e, 0xff}
	case viewmodel.PhaseDNS:
		return color.NRGBA{0x00, 0x96, 0x88, 0xff}
	case viewmodel.PhaseConnect:
		return color.NRGBA{0xff, 0x98, 0x00, 0xff}
	case viewmodel.PhaseSSL:
		return color.NRGBA{0x9c, 0x27, 0xb0, 0xff}
	case viewmodel.PhaseSend:
		return color.NRGBA{0x42, 0x85, 0xf4, 0xff}
	case viewmodel.PhaseWait:
		return color.NRGBA{0x0f, 0x9d, 0x58, 0xff}
	case viewmodel.PhaseReceive:
		return color.NRGBA{0x1e, 0x88, 0xe5, 0xff}
	}
	return color.NRGBA{0x78, 0x90, 0x9c, 0xff} // no timings recorded
}

// legend names the colours.
func legend() fyne.CanvasObject {
	box := container.NewHBox()
	for p := viewmodel.PhaseBlocked; p < viewmodel.NumPhases; p++ {
		if p == viewmodel.PhaseSend {
			continue // too short to see; named in the detail's Timing tab
		}
		sw := canvas.NewRectangle(phaseColor(p))
		sw.SetMinSize(fyne.NewSize(10, 10))
		l := widget.NewLabel(viewmodel.PhaseName(p))
		l.SizeName = theme.SizeNameCaptionText
		box.Add(container.NewHBox(container.NewCenter(sw), l))
	}
	return container.NewHScroll(box)
}

func spacer(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 1))
	return r
}

// barRow is one row of the timeline: the label and the bar.
type barRow struct {
	widget.BaseWidget
	label *widget.Label
	mark  *canvas.Rectangle // tint: the selected exchange or a neighbour
	bar   *barCanvas
}

func newBarRow() *barRow {
	r := &barRow{label: widget.NewLabel(""), mark: canvas.NewRectangle(color.Transparent), bar: newBarCanvas()}
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *barRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.mark,
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(barLabelWidth, r.label.MinSize().Height), r.label), nil, r.bar)))
}

func (r *barRow) set(v *View, row int) {
	b := &v.wf.Bars[row]
	rows := v.deps.Rows()
	text := viewmodel.BarLabel(&rows[row])
	// The redirect source goes first, where the narrow column keeps it;
	// words, not arrows: arrow glyphs fall back to emoji on some systems.
	// A redirect itself shows as its 3xx status.
	if b.RedirectFrom >= 0 {
		r := &rows[row]
		text = fmt.Sprintf("#%d (from #%d) %s %s %s", r.Index, rows[b.RedirectFrom].Index, r.Status, r.Method, r.Path)
	}
	imp := widgets.StatusImportance(rows[row].StatusCode, b.Failure)
	if r.label.Text != text || r.label.Importance != imp {
		r.label.Text, r.label.Importance = text, imp
		r.label.TextStyle.Bold = b.Failure
		r.label.Refresh()
	}
	var tint color.Color = color.Transparent
	switch sel := v.deps.Selected(); {
	case row == sel:
		tint = widgets.WithAlpha(theme.Color(theme.ColorNamePrimary), 0x50)
	case viewmodel.Neighbours(row, sel, neighbourSpan):
		tint = widgets.WithAlpha(theme.Color(theme.ColorNamePrimary), 0x1c)
	}
	r.mark.FillColor = tint
	r.mark.Refresh()
	r.bar.set(b.Segments(v.win, 0.004), b.Failure, b.Redirects || b.RedirectFrom >= 0)
}

// barCanvas draws a bar's segments; a failure gets a red outline, a
// redirect a dashed-looking grey one.
type barCanvas struct {
	widget.BaseWidget
	segs     []viewmodel.Segment
	failure  bool
	redirect bool
	rects    []*canvas.Rectangle
	outline  *canvas.Rectangle
	objects  []fyne.CanvasObject
}

func newBarCanvas() *barCanvas {
	b := &barCanvas{outline: canvas.NewRectangle(color.Transparent)}
	b.outline.StrokeWidth = 1.5
	for range int(viewmodel.NumPhases) + 1 {
		b.rects = append(b.rects, canvas.NewRectangle(color.Transparent))
	}
	for _, r := range b.rects {
		b.objects = append(b.objects, r)
	}
	b.objects = append(b.objects, b.outline)
	b.ExtendBaseWidget(b)
	return b
}

func (b *barCanvas) set(segs []viewmodel.Segment, failure, redirect bool) {
	b.segs, b.failure, b.redirect = segs, failure, redirect
	b.Refresh()
}

func (b *barCanvas) CreateRenderer() fyne.WidgetRenderer { return &barRenderer{b: b} }

type barRenderer struct{ b *barCanvas }

func (r *barRenderer) Layout(size fyne.Size) {
	b := r.b
	h := size.Height * 0.5
	y := (size.Height - h) / 2
	for k, rect := range b.rects {
		if k >= len(b.segs) {
			rect.Hide()
			continue
		}
		s := b.segs[k]
		rect.FillColor = phaseColor(s.Phase)
		rect.Move(fyne.NewPos(float32(s.X0)*size.Width, y))
		rect.Resize(fyne.NewSize(max(float32(s.X1-s.X0)*size.Width, 2), h))
		rect.Show()
	}
	if len(b.segs) == 0 || !b.failure && !b.redirect {
		b.outline.Hide()
		return
	}
	x0, x1 := float32(b.segs[0].X0)*size.Width, float32(b.segs[len(b.segs)-1].X1)*size.Width
	b.outline.StrokeColor = theme.Color(theme.ColorNameError)
	if !b.failure {
		b.outline.StrokeColor = theme.Color(theme.ColorNameForeground)
	}
	b.outline.Move(fyne.NewPos(x0-2, y-2))
	b.outline.Resize(fyne.NewSize(max(x1-x0, 2)+4, h+4))
	b.outline.Show()
}

func (r *barRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 10) }

func (r *barRenderer) Refresh() {
	r.Layout(r.b.Size())
	for _, o := range r.b.objects {
		o.Refresh()
	}
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.b.objects }
func (r *barRenderer) Destroy()                     {}
