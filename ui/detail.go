package ui

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // image headers the preview checks before decoding
	_ "image/jpeg"
	_ "image/png"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/har"
	"authlens/report"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// detailView is the right pane: the tabs about the selected exchange.
type detailView struct {
	w     *Window
	root  *fyne.Container
	tabs  *container.AppTabs
	items map[string]*container.TabItem
	empty *widget.Label

	s         *viewmodel.Session
	entry     int
	revealed  bool            // secrets of this entry shown on purpose
	highlight string          // field an evidence row pointed at ("" for none)
	built     map[string]bool // tabs drawn for the current entry
}

var detailTabOrder = []string{viewmodel.TabSummary, viewmodel.TabGuide, viewmodel.TabCauses, viewmodel.TabRequest, viewmodel.TabResponse, viewmodel.TabCookies, viewmodel.TabTiming}

func newDetailView(w *Window) *detailView {
	d := &detailView{w: w, entry: -1, items: map[string]*container.TabItem{}, built: map[string]bool{}}
	var items []*container.TabItem
	for _, name := range detailTabOrder {
		it := container.NewTabItem(name, widget.NewLabel(""))
		d.items[name] = it
		items = append(items, it)
	}
	d.tabs = container.NewAppTabs(items...)
	d.tabs.OnSelected = func(it *container.TabItem) { d.ensure(it.Text) }
	d.empty = widgets.Para("")
	d.empty.Alignment = fyne.TextAlignCenter
	d.root = container.NewStack()
	return d
}

func (d *detailView) clear() {
	d.s, d.entry = nil, -1
	d.empty.SetText("Select a request in the list to see what happened.")
	d.root.Objects = []fyne.CanvasObject{container.NewCenter(d.empty)}
	d.root.Refresh()
}

// noFailure fills the pane when the trace has no failing exchange.
func (d *detailView) noFailure(s *viewmodel.Session) {
	d.s, d.entry = s, -1
	msg := "No sign-in (401) or permission (403) failure in this trace.\n\n" +
		"If the customer still sees an error, the recording may have started too late or the failure is elsewhere: " +
		"ask them to start recording, reproduce the problem, then export. Select any request in the list to look at it."
	if s != nil && s.Report.Source.Sanitized {
		msg += "\n\nThis HAR was exported without cookies and sign-in headers, which hides many causes."
	}
	d.empty.SetText(msg)
	d.root.Objects = []fyne.CanvasObject{container.NewPadded(container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 220), d.empty)))}
	d.root.Refresh()
}

// show fills the tabs for entry i and opens the Summary tab.
func (d *detailView) show(s *viewmodel.Session, i int) {
	if d.entry != i || d.s != s {
		d.revealed = false
		d.highlight = ""
	}
	d.s, d.entry = s, i
	d.built = map[string]bool{}
	d.root.Objects = []fyne.CanvasObject{d.tabs}
	d.root.Refresh()
	d.tabs.Select(d.items[viewmodel.TabSummary])
	d.ensure(viewmodel.TabSummary)
}

// rebuild forgets every tab's content and draws the selected one; the
// others are drawn when opened (a big body or many headers cost time).
func (d *detailView) rebuild() {
	d.built = map[string]bool{}
	if it := d.tabs.Selected(); it != nil {
		d.ensure(it.Text)
	}
}

// ensure draws tab name for the current entry if it is not drawn yet.
func (d *detailView) ensure(name string) {
	if d.s == nil || d.entry < 0 || d.built[name] {
		return
	}
	d.built[name] = true
	x := d.s.Exchange(d.entry)
	var o fyne.CanvasObject
	switch name {
	case viewmodel.TabSummary:
		o = d.summaryTab(x)
	case viewmodel.TabGuide:
		if x != nil && x.Problem {
			o = newWalkthroughView(d.w, d.w.walkthrough(d.entry)).root
		} else {
			o = container.NewPadded(widgets.Para("The guided fix is for requests that failed with a sign-in or permission problem. This one did not: choose a request marked in red in the list."))
		}
	case viewmodel.TabCauses:
		if x != nil {
			o = newDiagnosisPanel(d.w, x)
		} else {
			o = container.NewPadded(widgets.Para("AuthLens lists causes only for failing requests. This one did not fail with a sign-in or permission problem."))
		}
	case viewmodel.TabRequest:
		o = container.NewVScroll(d.requestTab())
	case viewmodel.TabResponse:
		o = container.NewVScroll(d.responseTab())
	case viewmodel.TabCookies:
		o = container.NewVScroll(d.cookiesTab())
	case viewmodel.TabTiming:
		o = container.NewVScroll(d.timingTab())
	default:
		return
	}
	d.items[name].Content = o
	d.tabs.Refresh()
}

// openTab switches to a tab, highlighting field there (evidence jumps).
func (d *detailView) openTab(name, field string) {
	if d.s == nil || d.entry < 0 {
		return
	}
	if d.highlight != field {
		d.highlight = field
		d.built = map[string]bool{}
	}
	d.tabs.Select(d.items[name])
	d.ensure(name)
}

// current returns the selected tab's name.
func (d *detailView) current() string {
	if it := d.tabs.Selected(); it != nil {
		return it.Text
	}
	return ""
}

func (d *detailView) entryAt() *har.Entry { return d.s.Trace.Entries[d.entry] }

func (d *detailView) summaryTab(x *analysis.Exchange) fyne.CanvasObject {
	e := d.entryAt()
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	title := widgets.Heading(viewmodel.StatusTitle(e.Response.Status, e.Response.StatusText))
	if x != nil && x.Problem {
		title.Importance = widget.DangerImportance
	}
	url := widgets.Para(fmt.Sprintf("#%d  %s %s", e.Index, e.Request.Method, e.Request.URL))
	url.Wrapping = fyne.TextWrapBreak
	url.Selectable = true
	add(title, url)
	if when := startedLine(e); when != "" {
		add(widgets.Para(when))
	}

	explanation := entry.StatusReading(e)
	if x != nil {
		explanation = x.Explanation
	}
	add(widgets.SectionLabel("What happened"), widgets.Para(explanation))
	if x != nil {
		if quote, meaning := viewmodel.ServerSaidText(x.ServerSaid); quote != "" {
			said := widgets.Para(quote)
			said.Selectable = true
			add(widgets.SectionLabel("The server said"), said)
			if meaning != "" {
				add(widgets.Para(meaning))
			}
		}
	}

	switch {
	case x == nil || !x.Problem:
		if x != nil && !x.Problem {
			add(widgets.Para("This is not a problem by itself: it is a normal step of signing in that then succeeded."))
		} else {
			add(widgets.Para("This request did not fail with a sign-in or permission problem."))
		}
	case len(x.Diagnoses) == 0:
		add(widgets.SectionLabel("Why it most likely failed"),
			widgets.Para("AuthLens recognised no known cause for this failure."+sanitizedHint(d.s)),
			widgets.SectionLabel("What to do next"),
			widgets.Para("Check that the customer used the right address and account, then escalate with the HAR file and the summary from the Guided fix tab."))
	default:
		top := x.Diagnoses[0]
		add(widgets.SectionLabel("Why it most likely failed"))
		add(causeHeader(top))
		add(widgets.Para(top.Explanation))
		if len(top.Remedy) > 0 {
			add(widgets.SectionLabel("What to do next"))
			add(widgets.Para(fmt.Sprintf("%s: %s", report.WhoWords(top.Remedy[0].Who), top.Remedy[0].Step)))
		}
		if n := len(x.Diagnoses) - 1; n > 0 {
			more := widget.NewButtonWithIcon(fmt.Sprintf("See %s", viewmodel.Plural(n, "other possible cause", "other possible causes")), theme.NavigateNextIcon(), func() { d.openTab(viewmodel.TabCauses, "") })
			more.Importance = widget.LowImportance
			add(container.NewHBox(more))
		}
	}
	scroll := container.NewVScroll(container.NewPadded(box))
	if x == nil || !x.Problem {
		return scroll
	}
	// The next step stays in view below the text, however small the window.
	start := widget.NewButtonWithIcon("Start the guided fix", theme.NavigateNextIcon(), func() { d.openTab(viewmodel.TabGuide, "") })
	start.Importance = widget.HighImportance
	var copyBtn *widget.Button
	copyBtn = widget.NewButtonWithIcon("Copy summary", theme.ContentCopyIcon(), func() {
		d.w.CopySummary()
		copyBtn.SetText("Copied ✓")
	})
	bar := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewHBox(start, copyBtn)))
	return container.NewBorder(nil, bar, nil, nil, scroll)
}

func sanitizedHint(s *viewmodel.Session) string {
	if s != nil && s.Report.Source.Sanitized {
		return " This HAR was exported without cookies and sign-in headers, so causes that depend on them cannot be seen: ask the customer to export again “with sensitive data”."
	}
	return ""
}

func (d *detailView) requestTab() fyne.CanvasObject {
	e := d.entryAt()
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	line := widgets.Para(fmt.Sprintf("%s %s  (%s)", e.Request.Method, e.Request.URL, e.Request.HTTPVersion))
	line.Wrapping = fyne.TextWrapBreak
	line.Selectable = true
	add(line)

	auth := d.s.Trace.Auth(d.entry)
	if lines := viewmodel.AuthLines(auth.Credentials, e.StartedDateTime); len(lines) > 0 {
		add(d.fieldBox("Sign-in sent (Authorization header, decoded)", lines, "authorization"))
	}
	if lines := viewmodel.AuthLines(auth.ProxyCredentials, e.StartedDateTime); len(lines) > 0 {
		add(d.fieldBox("Proxy sign-in sent (Proxy-Authorization, decoded)", lines, "proxy-authorization"))
	}
	if auth.URLUserinfo {
		add(d.fieldBox("Credentials in the address", []string{"The address carries user:password@ — browsers answer a sign-in prompt with it, but block it on scripts and images."}, "url"))
	}
	if auth.Credentials == nil && len(e.Request.Cookies) == 0 {
		if _, ok := har.HeaderValue(e.Request.Headers, "Cookie"); !ok {
			add(widgets.Para("This request carried no sign-in header and no cookie."))
		}
	}
	add(d.headersBlock("Request headers", e.Request.Headers))
	if len(e.Request.QueryString) > 0 {
		var qs []string
		for _, q := range e.Request.QueryString {
			qs = append(qs, q.Name+" = "+q.Value)
		}
		add(widgets.SectionLabel("Query parameters"), monoBlock(strings.Join(qs, "\n")))
	}
	if pd := e.Request.PostData; pd != nil {
		body, err := d.s.RequestBody(d.entry)
		switch {
		case err != nil:
			add(widgets.SectionLabel("Request body"), widgets.Para("The body could not be read: "+err.Error()))
		case body == "" && len(pd.Params) == 0:
		case d.revealed:
			add(widgets.SectionLabel("Request body (" + pd.MimeType + ")"))
			_, text := viewmodel.BodyPreview(pd.MimeType, []byte(body))
			add(monoBlock(text))
		default:
			hidden := maskedLabel(fmt.Sprintf("Hidden (%s): it may hold a password.", viewmodel.FormatBytes(int64(len(body)))))
			add(container.NewBorder(nil, nil, widgets.SectionLabel("Request body ("+pd.MimeType+")"), d.revealButton()), hidden)
		}
	}
	return container.NewPadded(box)
}

func (d *detailView) responseTab() fyne.CanvasObject {
	e := d.entryAt()
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	status := widgets.Heading(viewmodel.StatusTitle(e.Response.Status, e.Response.StatusText))
	add(status)
	if r := e.FailureReason(); r != "" {
		add(widgets.Para("The browser reported: " + r))
	}
	auth := d.s.Trace.Auth(d.entry)
	if lines := viewmodel.ChallengeLines(auth.Challenges); len(lines) > 0 {
		if auth.ChallengeError != nil {
			lines = append(lines, "Problem in the header: "+auth.ChallengeError.Error())
		}
		add(d.fieldBox("How the site wants you to sign in (WWW-Authenticate)", lines, "www-authenticate"))
	}
	if lines := viewmodel.ChallengeLines(auth.ProxyChallenges); len(lines) > 0 {
		add(d.fieldBox("How the proxy wants you to sign in (Proxy-Authenticate)", lines, "proxy-authenticate"))
	}
	add(d.headersBlock("Response headers", e.Response.Headers))

	body, err := d.s.ResponseBody(d.entry)
	bodyTitle := widgets.SectionLabel("Body")
	if d.highlight == "body" {
		bodyTitle.Importance = widget.HighImportance
		bodyTitle.SetText("Body  ◀ evidence")
	}
	add(bodyTitle)
	if err != nil {
		add(widgets.Para("The body could not be read: " + err.Error()))
		return container.NewPadded(box)
	}
	kind, text := viewmodel.BodyPreview(e.Response.Content.MimeType, body)
	switch kind {
	case viewmodel.BodyNone:
		add(widgets.Para("(empty — or the HAR was saved without bodies)"))
	case viewmodel.BodyImage:
		if why := imageTooLarge(body); why != "" {
			add(widgets.Para(text + " — " + why))
			break
		}
		img := canvas.NewImageFromReader(bytes.NewReader(body), "body")
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(240, 160))
		add(widgets.Para(text), img)
	case viewmodel.BodyBinary:
		add(widgets.Para(text))
	case viewmodel.BodyHTML:
		add(widgets.Para("The page as text (HTML):"), monoBlock(text))
	default:
		add(monoBlock(text))
	}
	return container.NewPadded(box)
}

// maxPreviewPixels bounds the images the detail view decodes: a few
// hundred bytes of PNG can declare a 60,000 × 60,000 picture whose pixels
// alone would take gigabytes.
const maxPreviewPixels = 40 << 20

// imageTooLarge reads only an image's header and says why it must not be
// decoded for a preview ("" when it may be).
func imageTooLarge(body []byte) string {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return "not previewed: the image header cannot be read (" + err.Error() + ")"
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPreviewPixels {
		return fmt.Sprintf("not previewed: the image declares %d × %d pixels, more than a preview decodes", cfg.Width, cfg.Height)
	}
	return ""
}

// monoBlock shows preformatted text (headers, JSON) in a monospace label.
func monoBlock(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.TextStyle.Monospace = true
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	return l
}

// fieldBox shows decoded lines, tinted when the evidence points at it.
func (d *detailView) fieldBox(title string, lines []string, field string) fyne.CanvasObject {
	t := widgets.SectionLabel(title)
	body := widgets.Para(strings.Join(lines, "\n"))
	body.Selectable = true
	box := container.NewVBox(t, body)
	if d.highlight != "" && strings.EqualFold(d.highlight, field) {
		t.SetText(title + "  ◀ evidence")
		return container.NewStack(widgets.CanvasRect(widgets.BannerColor(widget.WarningImportance)), box)
	}
	return box
}

// headersBlock lists headers; secrets stay masked until Reveal.
func (d *detailView) headersBlock(title string, hs []har.Header) fyne.CanvasObject {
	rows := viewmodel.HeaderRows(hs)
	hasSecret := false
	grid := container.New(&headerGridLayout{})
	for _, r := range rows {
		name := widget.NewLabelWithStyle(r.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		val := r.Masked
		if d.revealed {
			val = r.Value
		}
		value := widget.NewLabel(val)
		value.Wrapping = fyne.TextWrapWord
		value.Selectable = true
		var valueObj fyne.CanvasObject = value
		if r.Secret {
			hasSecret = true
			if !d.revealed {
				valueObj = maskedStyle(value)
			}
		}
		var nameObj fyne.CanvasObject = name
		if d.highlight != "" && strings.EqualFold(r.Name, d.highlight) {
			name.Importance = widget.HighImportance
			nameObj = container.NewStack(widgets.CanvasRect(widgets.BannerColor(widget.WarningImportance)), name)
			valueObj = container.NewStack(widgets.CanvasRect(widgets.BannerColor(widget.WarningImportance)), valueObj)
		}
		grid.Add(nameObj)
		grid.Add(valueObj)
	}
	if len(rows) == 0 {
		return container.NewVBox(widgets.SectionLabel(title), widgets.Para("(none recorded)"))
	}
	head := fyne.CanvasObject(widgets.SectionLabel(title))
	if hasSecret {
		// The note wraps rather than widen the pane (and push the split).
		note := widgets.Para("")
		if !d.revealed {
			note.SetText("passwords, tokens and cookies are masked")
		}
		head = container.NewBorder(nil, nil, container.NewHBox(widgets.SectionLabel(title), d.revealButton()), nil, maskedStyle(note))
	}
	return container.NewVBox(head, grid)
}

// revealButton shows or hides the secrets of the current entry: one per
// place a masked value is shown, so the hint and the button are together.
func (d *detailView) revealButton() *widget.Button {
	label := "Reveal secrets"
	if d.revealed {
		label = "Hide secrets"
	}
	btn := widget.NewButtonWithIcon(label, theme.VisibilityIcon(), func() {
		d.revealed = !d.revealed
		d.rebuild()
	})
	btn.Importance = widget.LowImportance
	return btn
}

// headerGridLayout lays out name/value pairs: names in a column of fixed
// width, values wrapping in the rest.
type headerGridLayout struct{}

const headerNameWidth = 190

func (l *headerGridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	vw := max(size.Width-headerNameWidth, 80)
	for k := 0; k+1 < len(objs); k += 2 {
		objs[k+1].Resize(fyne.NewSize(vw, objs[k+1].MinSize().Height))
		h := max(objs[k].MinSize().Height, heightFor(objs[k+1], vw))
		objs[k].Move(fyne.NewPos(0, y))
		objs[k].Resize(fyne.NewSize(headerNameWidth, h))
		objs[k+1].Move(fyne.NewPos(headerNameWidth, y))
		objs[k+1].Resize(fyne.NewSize(vw, h))
		y += h
	}
}

func (l *headerGridLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for k := 0; k+1 < len(objs); k += 2 {
		h += max(objs[k].MinSize().Height, objs[k+1].MinSize().Height)
	}
	return fyne.NewSize(headerNameWidth+120, h)
}

// heightFor is the height a wrapping object needs at width w: its MinSize
// after being resized to w.
func heightFor(o fyne.CanvasObject, w float32) float32 {
	return o.MinSize().Height
}

func (d *detailView) cookiesTab() fyne.CanvasObject {
	e := d.entryAt()
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	tl := viewmodel.CookieTimeline(d.s.Trace, d.entry)
	if !d.s.Trace.Cookies().Recorded() {
		note := widgets.Para("This HAR was exported without the cookies the browser sent (a “sanitized” export), so cookie problems cannot be confirmed. Ask the customer to export again “with sensitive data”.")
		note.Importance = widget.WarningImportance
		add(note)
	}
	refused := viewmodel.RefusedCookies(d.s.Trace, d.entry)
	if len(tl) == 0 {
		add(widgets.Para("This request sent no cookie and the response set none."))
		if len(refused) == 0 {
			return container.NewPadded(box)
		}
	} else {
		add(widgets.Para("Every cookie of this request, everywhere it appears in the trace. Values are masked (equal masks mean equal values); the Request tab's “Reveal secrets” shows the Cookie header as sent. Press a row's button to open that request."))
	}
	if len(refused) > 0 {
		t := widgets.SectionLabel("Cookies the browser refused earlier")
		t.Importance = widget.DangerImportance
		add(t, widgets.Para("The browser would not store these, so it could not send them with this request — often the reason it arrived without a session:"))
		for _, ev := range refused {
			add(d.cookieEventRow(e, ev))
		}
	}
	if len(tl) == 0 {
		return container.NewPadded(box)
	}
	for _, name := range sortedKeys(tl) {
		t := widgets.SectionLabel("Cookie “" + name + "”")
		if d.highlight != "" && strings.EqualFold(d.highlight, name) {
			t.Importance = widget.HighImportance
			t.SetText(t.Text + "  ◀ evidence")
		}
		add(t)
		for _, ev := range tl[name] {
			add(d.cookieEventRow(e, ev))
		}
	}
	return container.NewPadded(box)
}

// cookieEventRow is one step of a cookie's life, with a button that opens
// the request where it happened.
func (d *detailView) cookieEventRow(e *har.Entry, ev viewmodel.CookieEvent) fyne.CanvasObject {
	when := ""
	if !ev.When.IsZero() && !e.StartedDateTime.IsZero() {
		when = ", " + relTime(ev.When, e.StartedDateTime)
	}
	label := fmt.Sprintf("#%d", ev.Entry)
	if ev.Entry == d.entry {
		label += " (this)"
	}
	btn := widget.NewButton(label, func() { d.w.selectEntry(ev.Entry); d.openTab(viewmodel.TabCookies, ev.Name) })
	btn.Importance = widget.LowImportance
	line := ev.What + when + " — " + ev.Detail
	if ev.Reason != "" {
		line += "\n" + ev.Reason
	}
	text := widgets.Para(line)
	if ev.Problem {
		text.Importance = widget.DangerImportance
	}
	return container.NewBorder(nil, nil, container.NewVBox(btn), nil, text)
}

// startedLine is the full date, duration and kind of e under the URL; the
// table shows only the clock time.
func startedLine(e *har.Entry) string {
	var parts []string
	if !e.StartedDateTime.IsZero() {
		parts = append(parts, "Sent "+e.StartedDateTime.Local().Format("Mon 2006-01-02 15:04:05.000 MST"))
	}
	if d := viewmodel.FormatMillis(e.Time); d != "—" {
		parts = append(parts, "took "+d)
	}
	parts = append(parts, viewmodel.KindWords(e))
	return strings.Join(parts, " · ")
}

// relTime says when t happened relative to ref ("2 min before this request").
func relTime(t, ref time.Time) string {
	d := t.Sub(ref)
	switch {
	case d == 0:
		return "at this request"
	case d < 0:
		return viewmodel.HumanSpan(-d) + " before this request"
	}
	return viewmodel.HumanSpan(d) + " after this request"
}

func (d *detailView) timingTab() fyne.CanvasObject {
	e := d.entryAt()
	box := container.NewVBox()
	add := func(o ...fyne.CanvasObject) { box.Objects = append(box.Objects, o...) }
	start := "unknown"
	if !e.StartedDateTime.IsZero() {
		start = e.StartedDateTime.Local().Format("2006-01-02 15:04:05.000 MST")
	} else if e.StartedRaw != "" {
		start = "unreadable (" + e.StartedRaw + ")"
	}
	add(widgets.Para("Started: "+start), widgets.Para("Total: "+viewmodel.FormatMillis(e.Time)))
	if e.FromCache != "" {
		add(widgets.Para("Answered from the browser's " + e.FromCache + " cache: the server was not asked."))
	}
	total := e.Time
	for _, r := range viewmodel.TimingRows(e.Timings) {
		val := "not recorded"
		if r.Millis >= 0 {
			val = viewmodel.FormatMillis(r.Millis)
		}
		bar := widget.NewProgressBar()
		bar.TextFormatter = func() string { return val }
		if total > 0 && r.Millis > 0 {
			bar.SetValue(min(r.Millis/total, 1))
		}
		name := widget.NewLabelWithStyle(r.Phase, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		mean := widgets.Para(r.Meaning)
		mean.Importance = widget.LowImportance
		add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(90, name.MinSize().Height), name), nil,
			container.NewGridWithColumns(2, bar, mean)))
	}
	if e.ServerIPAddress != "" {
		add(widgets.Para("Server address: " + e.ServerIPAddress))
	}
	return container.NewPadded(box)
}
