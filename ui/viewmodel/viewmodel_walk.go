package viewmodel

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/report"
)

// WalkStage is where the guided walkthrough stands.
type WalkStage int

// The stages of the walkthrough, in order. Cause and Remedy repeat for
// every ranked cause the person tries.
const (
	StageWhat   WalkStage = iota // what happened, in plain words
	StageCause                   // the cause being tried, with its evidence
	StageRemedy                  // its remedy steps as a checklist
	StageDone                    // fixed, or every cause tried
)

// Outcome of a cause the person tried.
type Outcome string

// Outcomes recorded per tried cause.
const (
	OutcomeFixed   Outcome = "fixed it"
	OutcomeNoHelp  Outcome = "did not help"
	OutcomeSkipped Outcome = "not tried"
)

// Attempt records one cause the person worked through.
type Attempt struct {
	Cause   string // catalogue ID
	Title   string
	Outcome Outcome
	Done    []string // remedy steps ticked, as "Who: step"
}

// Walkthrough is the state of the guided walkthrough for one failing
// exchange. It holds no widgets: walkthrough.go renders it.
type Walkthrough struct {
	Source   string // the trace's name
	Exchange *analysis.Exchange
	Stage    WalkStage
	Cause    int // position in Exchange.Diagnoses of the cause being tried
	Notes    string
	Attempts []Attempt
	// Fixed is true when the person said a remedy fixed it.
	Fixed bool
	// checked[cause][step] is true for ticked remedy steps.
	checked map[int]map[int]bool
}

// NewWalkthrough starts a walkthrough of x.
func NewWalkthrough(source string, x *analysis.Exchange) *Walkthrough {
	return &Walkthrough{Source: source, Exchange: x, checked: map[int]map[int]bool{}}
}

// Causes is the number of ranked causes.
func (w *Walkthrough) Causes() int { return len(w.Exchange.Diagnoses) }

// Current returns the cause being tried, nil when there is none.
func (w *Walkthrough) Current() *analysis.Diagnosis {
	if w.Cause < 0 || w.Cause >= len(w.Exchange.Diagnoses) {
		return nil
	}
	return &w.Exchange.Diagnoses[w.Cause]
}

// StepNumber is the step's number for the "Step N" heading: 1 what
// happened, 2 the cause, 3 the remedy, then 2k, 2k+1 for the next causes.
func (w *Walkthrough) StepNumber() int {
	switch w.Stage {
	case StageWhat:
		return 1
	case StageCause:
		return 2 + 2*w.Cause
	case StageRemedy:
		return 3 + 2*w.Cause
	}
	return 2 + 2*max(w.Causes(), 1)
}

// Next moves from "what happened" to the cause, and from the cause to its
// remedy. With no cause at all it ends the walkthrough.
func (w *Walkthrough) Next() {
	switch w.Stage {
	case StageWhat:
		if w.Causes() == 0 {
			w.Stage = StageDone
			return
		}
		w.Stage = StageCause
	case StageCause:
		w.Stage = StageRemedy
	}
}

// Back goes one stage back (from a cause's remedy to the cause, from the
// first cause to "what happened"). It does not undo recorded outcomes.
func (w *Walkthrough) Back() {
	switch w.Stage {
	case StageCause:
		if w.Cause == 0 || len(w.Attempts) == 0 {
			w.Stage = StageWhat
			return
		}
		w.Stage = StageRemedy
		w.Cause--
		w.Attempts = w.Attempts[:len(w.Attempts)-1]
	case StageRemedy:
		w.Stage = StageCause
	case StageDone:
		if w.Causes() == 0 {
			w.Stage = StageWhat
			return
		}
		w.Stage = StageRemedy
		if len(w.Attempts) > 0 {
			w.Attempts = w.Attempts[:len(w.Attempts)-1]
		}
		w.Fixed = false
	}
}

// SetChecked ticks or clears remedy step k of the current cause.
func (w *Walkthrough) SetChecked(k int, on bool) {
	m := w.checked[w.Cause]
	if m == nil {
		m = map[int]bool{}
		w.checked[w.Cause] = m
	}
	m[k] = on
}

// Checked reports whether remedy step k of the current cause is ticked.
func (w *Walkthrough) Checked(k int) bool { return w.checked[w.Cause][k] }

func (w *Walkthrough) record(o Outcome) {
	d := w.Current()
	if d == nil {
		return
	}
	a := Attempt{Cause: d.Cause, Title: d.Title, Outcome: o}
	for k, s := range d.Remedy {
		if w.checked[w.Cause][k] {
			a.Done = append(a.Done, report.WhoWords(s.Who)+": "+s.Step)
		}
	}
	w.Attempts = append(w.Attempts, a)
}

// ThisFixedIt records that the current cause's remedy worked and ends the
// walkthrough.
func (w *Walkthrough) ThisFixedIt() {
	if w.Current() == nil || w.Stage == StageDone {
		return
	}
	w.record(OutcomeFixed)
	w.Fixed = true
	w.Stage = StageDone
}

// DidNotHelp records that the current cause's remedy did not help and
// moves to the next ranked cause, or ends the walkthrough after the last.
func (w *Walkthrough) DidNotHelp() {
	if w.Current() == nil || w.Stage == StageDone {
		return
	}
	w.record(OutcomeNoHelp)
	if w.Cause+1 < w.Causes() {
		w.Cause++
		w.Stage = StageCause
		return
	}
	w.Stage = StageDone
}

// WhatHappened is step 1 in plain words: the status, what it means and
// who usually has to act.
func (w *Walkthrough) WhatHappened() string {
	x := w.Exchange
	var b strings.Builder
	fmt.Fprintf(&b, "%s asked for %s %s and got %s.\n\n", entry.ClientSubject(x.Client), x.Method, x.URL, report.StatusLine(x.Status))
	b.WriteString(x.Explanation)
	if quote, meaning := ServerSaidText(x.ServerSaid); quote != "" {
		b.WriteString("\n\nThe server said: " + quote)
		if meaning != "" {
			b.WriteString("\n" + meaning)
		}
	}
	return b.String()
}

// WhoActsFirst names who has to act on the first step of the current
// cause's remedy ("" when the cause has no steps).
func (w *Walkthrough) WhoActsFirst() string {
	d := w.Current()
	if d == nil || len(d.Remedy) == 0 {
		return ""
	}
	return report.WhoWords(d.Remedy[0].Who)
}

// FromComparison returns what a comparison with a working trace says
// about the cause being tried (nil without a comparison, or before a
// cause is tried): extra evidence.
func (w *Walkthrough) FromComparison(c *Comparison) []CompareDifference {
	d := w.Current()
	if d == nil || w.Stage != StageCause && w.Stage != StageRemedy {
		return nil
	}
	return c.ForCause(d.Cause)
}

// Result is the one line that closes the summary.
func (w *Walkthrough) Result() string {
	switch {
	case w.Fixed && len(w.Attempts) > 0:
		return "Fixed: " + w.Attempts[len(w.Attempts)-1].Title + "."
	case w.Causes() == 0:
		return "Not resolved: AuthLens recognised no known cause. Escalate with this summary and the HAR file."
	case w.Stage == StageDone:
		return "Not resolved: every likely cause was tried. Escalate with this summary and the HAR file."
	}
	return "In progress."
}

// Tried is what the person worked through, as the case report lists it.
func (w *Walkthrough) Tried() []report.Tried {
	var out []report.Tried
	for _, a := range w.Attempts {
		out = append(out, report.Tried{Cause: a.Cause, Title: a.Title, Outcome: string(a.Outcome), Done: a.Done})
	}
	return out
}

// ServerSaidText is the server's own words as the summary quotes them
// (with the shape they were read from), and what the vendor documents
// them to mean; both "" when the server said nothing readable.
func ServerSaidText(ss *analysis.ServerSaid) (quote, meaning string) {
	if ss == nil || ss.Words == "" {
		return "", ""
	}
	quote = ss.Words
	if ss.Format != "" {
		quote += "  (" + ss.Format + ")"
	}
	if ss.Vendor != "" {
		meaning = ss.Vendor + " documents this as: " + ss.Meaning + "."
	}
	return quote, meaning
}

// RuledOutLines are the causes the trace's evidence excludes, one line
// each: the cause's title, then the evidence.
func RuledOutLines(ros []analysis.RuledOut) []string {
	lines := make([]string, 0, len(ros))
	for _, ro := range ros {
		lines = append(lines, ro.Title+" — "+ro.Evidence)
	}
	return lines
}
