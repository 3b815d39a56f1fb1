package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"authlens/report"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// walkthroughView renders a Walkthrough: one step at a time, with the
// notes field always below.
type walkthroughView struct {
	w    *Window
	wt   *viewmodel.Walkthrough
	root fyne.CanvasObject
	step *fyne.Container
	// actions holds the current step's buttons, outside the scrolled part
	// so they stay in view on a small window.
	actions *fyne.Container
	// buttons of the current step (nil when the step has none); tests
	// press them.
	next, back, fixed, noHelp *widget.Button
	// copyBtn, saveBtn and clearBtn are on every step: the summary of
	// this request can go into a ticket at any point.
	copyBtn, saveBtn, clearBtn *widget.Button
	notes                      *widget.Entry
}

func newWalkthroughView(w *Window, wt *viewmodel.Walkthrough) *walkthroughView {
	v := &walkthroughView{w: w, wt: wt}
	v.step = container.NewVBox()
	v.actions = container.NewHBox()
	v.notes = widget.NewMultiLineEntry()
	v.notes.SetPlaceHolder("Your notes for the ticket: what the customer tried, what they saw…")
	v.notes.Wrapping = fyne.TextWrapWord
	v.notes.SetMinRowsVisible(3)
	v.notes.SetText(wt.Notes)
	v.notes.OnChanged = func(s string) {
		wt.Notes = s
		w.caseEdited(wt)
	}
	v.copyBtn = widget.NewButtonWithIcon("Copy summary", theme.ContentCopyIcon(), v.copySummary)
	v.saveBtn = widget.NewButtonWithIcon("Save report…", theme.DocumentSaveIcon(), func() { w.ShowSaveReport(wt) })
	v.clearBtn = widget.NewButtonWithIcon("Clear case", theme.DeleteIcon(), w.ClearCase)
	v.clearBtn.Importance = widget.LowImportance
	if w.cases.file == nil {
		v.clearBtn.Hide() // a live capture: nothing is saved
	}
	share := container.NewHBox(v.copyBtn, v.saveBtn, v.clearBtn)
	notesHead := container.NewBorder(nil, nil, widgets.SectionLabel("Notes"), share)
	notes := container.NewBorder(notesHead, nil, nil, nil, v.notes)
	bottom := container.NewVBox(widget.NewSeparator(), container.NewPadded(v.actions), container.NewPadded(notes))
	v.root = container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(container.NewPadded(v.step)))
	v.render()
	w.walkView = v
	return v
}

func (v *walkthroughView) render() {
	wt := v.wt
	v.next, v.back, v.fixed, v.noHelp = nil, nil, nil, nil
	v.copyBtn.Importance = widget.MediumImportance
	var objs, acts []fyne.CanvasObject
	add := func(o ...fyne.CanvasObject) { objs = append(objs, o...) }
	actions := func(o ...fyne.CanvasObject) { acts = append(acts, o...) }
	// Which failure this is about: normal contrast (low importance is
	// hard to read on the dark theme), italic to set it apart.
	progress := widgets.Para(v.progressText())
	progress.TextStyle.Italic = true
	add(progress)

	switch wt.Stage {
	case viewmodel.StageWhat:
		add(widgets.Heading("Step 1 — What happened"), widgets.Para(wt.WhatHappened()))
		if wt.Causes() > 0 {
			v.next = widget.NewButtonWithIcon("Next: the most likely cause", theme.NavigateNextIcon(), v.do(wt.Next))
		} else {
			add(widgets.Para("AuthLens recognised no known cause for this failure." + sanitizedHint(v.w.session)))
			v.next = widget.NewButtonWithIcon("Next: write the summary", theme.NavigateNextIcon(), v.do(wt.Next))
		}
		v.next.Importance = widget.HighImportance
		actions(v.next)

	case viewmodel.StageCause:
		d := wt.Current()
		label := "the most likely cause"
		if wt.Cause > 0 {
			label = fmt.Sprintf("the next likely cause (%d of %d)", wt.Cause+1, wt.Causes())
		}
		add(widgets.Heading(fmt.Sprintf("Step %d — Check %s", wt.StepNumber(), label)))
		add(causeHeader(*d), widgets.Para(d.Explanation))
		if len(d.Evidence) > 0 {
			add(widgets.SectionLabel("What in the trace points to it (press to see it)"))
			for _, ev := range d.Evidence {
				add(container.NewStack(widgets.CanvasRect(widgets.BannerColor(widget.WarningImportance)), evidenceRow(v.w, ev)))
			}
		} else {
			add(widgets.Para("No single header proves it: AuthLens infers it from what is missing or from how common it is."))
		}
		if s := v.w.session; s != nil && s.Comparison != nil {
			for _, cd := range wt.FromComparison(s.Comparison) {
				title := widgets.SectionLabel("Compared with the working trace: " + cd.Title)
				title.Wrapping = fyne.TextWrapWord
				add(title, widgets.Para(cd.Explanation))
				for _, ev := range cd.Evidence {
					add(widgets.Para(ev.Text))
				}
			}
		}
		if who := wt.WhoActsFirst(); who != "" {
			add(widgets.Para("Who acts first: " + who + "."))
		}
		v.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), v.do(wt.Back))
		v.next = widget.NewButtonWithIcon("Next: what to do", theme.NavigateNextIcon(), v.do(wt.Next))
		v.next.Importance = widget.HighImportance
		actions(v.back, v.next)

	case viewmodel.StageRemedy:
		d := wt.Current()
		add(widgets.Heading(fmt.Sprintf("Step %d — Fix it: %s", wt.StepNumber(), d.Title)))
		if len(d.Remedy) == 0 {
			add(widgets.Para("The catalogue has no steps for this cause yet: describe what you tried in the notes."))
		} else {
			add(widgets.Para("Work through these in order and tick what was done:"))
		}
		for k, s := range d.Remedy {
			k := k
			chk := widget.NewCheck("", nil)
			chk.SetChecked(wt.Checked(k))
			chk.OnChanged = func(on bool) {
				wt.SetChecked(k, on)
				v.w.caseEdited(wt)
			}
			text := widgets.Para(fmt.Sprintf("%d. %s: %s", k+1, report.WhoWords(s.Who), s.Step))
			add(container.NewBorder(nil, nil, container.NewVBox(chk), nil, text))
		}
		add(widget.NewSeparator(), widgets.Para("Did it work? Ask the customer to try again, then answer below."))
		v.fixed = widget.NewButtonWithIcon("This fixed it", theme.ConfirmIcon(), v.do(wt.ThisFixedIt))
		v.fixed.Importance = widget.HighImportance
		nextLabel := "Didn't help — next cause"
		if wt.Cause+1 >= wt.Causes() {
			nextLabel = "Didn't help (last cause)"
		}
		v.noHelp = widget.NewButtonWithIcon(nextLabel, theme.NavigateNextIcon(), v.do(wt.DidNotHelp))
		v.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), v.do(wt.Back))
		actions(v.back, v.fixed, v.noHelp)

	case viewmodel.StageDone:
		title := "Done — fixed"
		if !wt.Fixed {
			title = "Not fixed yet — escalate"
		}
		add(widgets.Heading(fmt.Sprintf("Step %d — %s", wt.StepNumber(), title)), widgets.Para(wt.Result()))
		add(widgets.Para("Add your notes below, then press “Copy summary” to paste it into the ticket, or “Save report…” (HTML or Markdown, for engineering or for the customer)."))
		v.copyBtn.Importance = widget.HighImportance
		v.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), v.do(wt.Back))
		actions(v.back)
		preview := monoBlock(viewmodel.TicketMarkdown(v.w.session, wt, time.Now())).(*widget.Label)
		preview.Wrapping = fyne.TextWrapWord // whole words: it is read, not parsed
		add(widgets.SectionLabel("What “Copy summary” copies"), preview)
	}
	v.step.Objects = objs
	v.step.Refresh()
	v.actions.Objects = acts
	v.actions.Refresh()
	v.copyBtn.Refresh()
}

func (v *walkthroughView) progressText() string {
	wt := v.wt
	x := wt.Exchange
	s := fmt.Sprintf("Guided fix for #%d %s → %s", x.Index, shortURL(x.URL), report.StatusLine(x.Status))
	if n := wt.Causes(); n > 0 {
		s += fmt.Sprintf(" · %s to try", viewmodel.Plural(n, "cause", "causes"))
	}
	return s
}

// do wraps a state change: apply it, save it, then redraw.
func (v *walkthroughView) do(f func()) func() {
	return func() {
		f()
		v.w.caseEdited(v.wt)
		v.render()
	}
}

func (v *walkthroughView) copySummary() {
	v.w.CopyForTicket(v.wt)
	v.copyBtn.SetText("Copied ✓")
}
