package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// The case file of the open trace: every edit in the guided fix (notes,
// ticks, the step reached) is saved shortly after it is made, and comes
// back when the same trace is opened again. viewmodel/casefile.go does the
// reading and writing; this file decides when.

// caseSaveDelay groups the keystrokes of a note into one write.
const caseSaveDelay = 600 * time.Millisecond

// caseKeeper is the case of the open trace.
type caseKeeper struct {
	store viewmodel.CaseStore
	file  *viewmodel.CaseFile // nil when the trace has no key (a live capture) or none is open
	// restored is true when file came from disk: the window says so.
	restored bool
	dirty    bool // edits not written yet
	edits    int  // counts edits, so a slow write does not clear newer ones
	timer    *time.Timer
	lastErr  error
}

func newCaseKeeper() *caseKeeper {
	return &caseKeeper{store: viewmodel.DefaultCaseStore()}
}

// loadedCase is what the loading goroutine prepares beside the trace.
type loadedCase struct {
	key  string
	file *viewmodel.CaseFile
}

// prepareCase hashes src and reads its saved case, off the UI goroutine.
// A failure only means no case file: the trace still opens.
func prepareCase(ctx context.Context, store viewmodel.CaseStore, src viewmodel.Source) loadedCase {
	if store.Dir == "" {
		return loadedCase{}
	}
	key, err := viewmodel.CaseKey(ctx, src)
	if err != nil {
		return loadedCase{}
	}
	c, err := store.Load(key)
	if err != nil {
		c = nil // unreadable: start afresh, the next save replaces it
	}
	return loadedCase{key: key, file: c}
}

// startCase makes lc the case of the trace just opened.
func (w *Window) startCase(lc loadedCase, name string) {
	k := w.cases
	k.stopTimer()
	k.file, k.restored, k.dirty, k.lastErr = nil, false, false, nil
	if lc.key == "" {
		return
	}
	if lc.file != nil && !lc.file.Empty() {
		k.file, k.restored = lc.file, true
	} else {
		k.file = &viewmodel.CaseFile{Key: lc.key, Selected: -1}
	}
	k.file.Name = baseName(name)
	if k.file.Walks == nil {
		k.file.Walks = map[int]viewmodel.WalkState{}
	}
}

// endCase forgets the case (the trace was closed; it is saved already).
func (w *Window) endCase() {
	w.cases.stopTimer()
	w.cases.file, w.cases.restored, w.cases.dirty = nil, false, false
}

// restoreWalk gives a new walkthrough the progress saved for it.
func (w *Window) restoreWalk(wt *viewmodel.Walkthrough) {
	if f := w.cases.file; f != nil {
		if st, ok := f.Walks[wt.Exchange.Index]; ok {
			wt.Restore(st)
		}
	}
}

// restoredSelection is the entry the person was on when the case was
// last saved, -1 for none.
func (w *Window) restoredSelection() int {
	if f := w.cases.file; f != nil && w.cases.restored {
		return f.Selected
	}
	return -1
}

// caseEdited records an edit of walkthrough wt and schedules a save.
func (w *Window) caseEdited(wt *viewmodel.Walkthrough) {
	k := w.cases
	if k.file == nil {
		return
	}
	k.file.Walks[wt.Exchange.Index] = wt.State()
	k.file.Selected = wt.Exchange.Index
	k.dirty = true
	k.edits++
	k.stopTimer()
	k.timer = time.AfterFunc(caseSaveDelay, func() { fyne.Do(w.saveCaseLater) })
}

func (k *caseKeeper) stopTimer() {
	if k.timer != nil {
		k.timer.Stop()
		k.timer = nil
	}
}

// saveCaseLater writes the case in the background (the debounced save).
func (w *Window) saveCaseLater() {
	k := w.cases
	if k.file == nil || !k.dirty {
		return
	}
	snapshot := *k.file
	snapshot.Walks = make(map[int]viewmodel.WalkState, len(k.file.Walks))
	for i, s := range k.file.Walks {
		snapshot.Walks[i] = s
	}
	snapshot.Saved = time.Now()
	edits, file := k.edits, k.file
	go func() {
		err := k.store.Save(&snapshot)
		fyne.Do(func() {
			if k.file != file {
				return // another trace is open by now
			}
			k.lastErr = err
			if err == nil && k.edits == edits {
				k.dirty = false
			}
		})
	}()
}

// SaveCaseNow writes pending edits at once (before closing or opening
// another trace); the error says why they could not be kept.
func (w *Window) SaveCaseNow() error {
	k := w.cases
	k.stopTimer()
	if k.file == nil || !k.dirty {
		return nil
	}
	k.file.Saved = time.Now()
	if err := k.store.Save(k.file); err != nil {
		k.lastErr = err
		return err
	}
	k.dirty, k.lastErr = false, nil
	return nil
}

// leaveCase saves pending edits and then runs next; when they cannot be
// saved it asks first, so notes are never lost by accident.
func (w *Window) leaveCase(what string, next func()) {
	err := w.SaveCaseNow()
	if err == nil {
		next()
		return
	}
	msg := widgets.Para(fmt.Sprintf("Your notes and ticked steps for this trace could not be saved:\n%v\n\n%s anyway and lose them?", err, what))
	d := dialog.NewCustomConfirm("Notes not saved", what+" without saving", "Stay", sized(msg, 480), func(ok bool) {
		if ok {
			w.cases.dirty = false
			next()
		}
	}, w.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// ClearCase forgets the notes, ticks and progress saved for the open
// trace, after asking.
func (w *Window) ClearCase() {
	k := w.cases
	if k.file == nil {
		return
	}
	msg := widgets.Para("Delete your notes, ticked steps and guided-fix progress for every request of this trace? The trace itself is not changed.")
	d := dialog.NewCustomConfirm("Clear case", "Clear case", "Cancel", sized(msg, 440), func(ok bool) {
		if ok {
			w.clearCaseNow()
		}
	}, w.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

func (w *Window) clearCaseNow() {
	k := w.cases
	if k.file == nil {
		return
	}
	k.stopTimer()
	if err := k.store.Clear(k.file.Key); err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	k.file.Walks = map[int]viewmodel.WalkState{}
	k.file.Selected = -1
	k.restored, k.dirty = false, false
	w.walks = map[int]*viewmodel.Walkthrough{}
	w.setBanners()
	if w.selected >= 0 {
		w.detail.rebuild()
	}
}

// sized lays a wrapped label out at width so a dialog knows its height
// (a wrapping label only knows its height once it knows its width).
func sized(l *widget.Label, width float32) fyne.CanvasObject {
	l.Resize(fyne.NewSize(width, 2000))
	return container.NewGridWrap(fyne.NewSize(width, l.MinSize().Height), l)
}

// restoredCaseText is the banner that says a case came back ("" when
// none did).
func (w *Window) restoredCaseText() string {
	k := w.cases
	if k.file == nil || !k.restored {
		return ""
	}
	when := ""
	if !k.file.Saved.IsZero() {
		when = " (saved " + k.file.Saved.Local().Format("Mon 2 Jan 15:04") + ")"
	}
	return fmt.Sprintf("You worked on this trace before%s: your notes and guided-fix progress are back, for %s.",
		when, viewmodel.Plural(len(k.file.Walks), "request", "requests"))
}
