package ui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"authlens/report"
	"authlens/ui/filedialog"
	"authlens/ui/viewmodel"
	"authlens/ui/widgets"
)

// Sharing: the sanitized (default) and original HAR exports, the case
// report and the ticket text. The dialogs ask; viewmodel (viewmodel_share.go) does.

// saveFunc asks where to save a file called name (with the extension's
// filter) and writes it with write. Tests replace it (Window.saveAs) to
// write to a temporary file instead of a file dialog.
type saveFunc func(name, ext string, write func(io.Writer) error, done func())

// saveWithDialog is the real saveFunc: it asks where (starting in the
// person's Documents folder, never the folder of the opened trace), then
// writes the whole file from memory, so a failure leaves no half file.
func (w *Window) saveWithDialog(name, ext string, write func(io.Writer) error, done func()) {
	req := filedialog.Request{Title: "Save " + name, Dir: filedialog.SaveFolder(), Name: name, Exts: []string{ext}}
	w.files.Save(req, func(path string) {
		if path == "" {
			return
		}
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		// 0600: exports and reports are about a customer's case.
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			dialog.ShowError(fmt.Errorf("writing %s: %w", path, err), w.win)
			return
		}
		if done != nil {
			done()
		}
	})
}

// save saves through w.saveAs (the file dialog unless a test set it).
func (w *Window) save(name, ext string, write func(io.Writer) error, done func()) {
	if w.saveAs != nil {
		w.saveAs(name, ext, write, done)
		return
	}
	w.saveWithDialog(name, ext, write, done)
}

// needSession tells the user to open a trace first; false when none is open.
func (w *Window) needSession(what string) bool {
	if w.session != nil {
		return true
	}
	dialog.ShowInformation(what, "Open a HAR file first (File ▸ Open HAR file…).", w.win)
	return false
}

// exportForm is the sanitized export dialog's form (kept for tests).
type exportForm struct {
	body       *widget.Select
	dropClaims *widget.Check
	keepUser   *widget.Check
	names      *widget.Entry
	dlg        dialog.Dialog
	submit     func()
}

// ShowExportSanitized asks how to sanitize, then where to save the
// sanitized HAR: File ▸ Export sanitized HAR…, the default export.
func (w *Window) ShowExportSanitized() {
	if !w.needSession("Export sanitized HAR") {
		return
	}
	f := &exportForm{}
	f.body = widget.NewSelect(viewmodel.BodyChoices, nil)
	f.body.SetSelected(viewmodel.BodyChoices[0])
	f.dropClaims = widget.NewCheck("Remove the claims of tokens too (only their header is kept)", nil)
	f.keepUser = widget.NewCheck("Keep user names of Basic and Windows (NTLM) sign-ins", nil)
	f.names = widget.NewEntry()
	f.names.SetPlaceHolder("e.g. x-tenant-key, customer_pin")
	intro := widgets.Para("Passwords, cookie values, tokens and secret parameters are replaced by placeholders. The same secret always gets the same placeholder, so AuthLens (and engineering) still see when a cookie was re-sent or a token changed, and the diagnosis stays the same.")
	form := container.NewVBox(intro,
		widgets.SectionLabel("Response bodies"), f.body,
		f.dropClaims, f.keepUser,
		widgets.SectionLabel("More secret names (comma-separated)"), f.names)
	f.submit = func() {
		choices := viewmodel.SanitizeChoices{Body: f.body.Selected, DropClaims: f.dropClaims.Checked, KeepUser: f.keepUser.Checked, Names: f.names.Text}
		s := w.session
		opts := choices.Options(s)
		name := strings.TrimSuffix(strings.TrimSuffix(baseName(s.Source.DisplayName()), ".gz"), ".har") + "-sanitized.har"
		var summary string
		w.save(name, ".har", func(out io.Writer) error {
			st, err := s.WriteSanitized(w.ctx, out, opts)
			summary = viewmodel.SanitizedSummary(st)
			return err
		}, func() {
			dialog.ShowInformation("Sanitized HAR saved", summary, w.win)
		})
	}
	f.dlg = dialog.NewCustomConfirm("Export sanitized HAR", "Export…", "Cancel", container.NewGridWrap(fyne.NewSize(560, form.MinSize().Height+40), form), func(ok bool) {
		if ok {
			f.submit()
		}
	}, w.win)
	w.exportForm = f
	f.dlg.Show()
}

// originalWarning says why exporting the original is risky.
const originalWarning = "The original HAR holds the customer's passwords, session cookies and sign-in tokens. Anyone who gets the file can act as the customer until those expire, and support systems holding HAR files have been breached.\n\nExport the sanitized HAR instead unless engineering really needs the secrets; then send the original only through a secure channel and delete it when the case is closed."

// ShowExportOriginal warns, then saves the original HAR with its secrets:
// File ▸ Export original HAR (with secrets)…
func (w *Window) ShowExportOriginal() {
	if !w.needSession("Export original HAR") {
		return
	}
	msg := widgets.Para(originalWarning)
	d := dialog.NewCustomConfirm("Export the original, with secrets?", "Export with secrets", "Cancel",
		container.NewGridWrap(fyne.NewSize(520, 190), msg), func(ok bool) {
			if !ok {
				return
			}
			s := w.session
			w.save(baseName(strings.TrimSuffix(s.Source.DisplayName(), ".gz")), ".har", s.WriteOriginal, nil)
		}, w.win)
	w.originalDlg = d
	d.Show()
}

// reportForm is the report dialog's form (kept for tests).
type reportForm struct {
	format   *widget.RadioGroup
	audience *widget.RadioGroup
	dlg      dialog.Dialog
	submit   func()
}

// ShowSaveReport asks for the format and audience, then saves the case
// report; wt (optional) is the walkthrough it ends.
func (w *Window) ShowSaveReport(wt *viewmodel.Walkthrough) {
	if !w.needSession("Save report") {
		return
	}
	f := &reportForm{}
	f.format = widget.NewRadioGroup(viewmodel.ReportFormats, nil)
	f.format.SetSelected(viewmodel.ReportFormats[0])
	f.audience = widget.NewRadioGroup(viewmodel.AudienceChoices, nil)
	f.audience.SetSelected(viewmodel.AudienceChoices[0])
	form := container.NewVBox(widgets.SectionLabel("Format"), f.format, widgets.SectionLabel("Who is it for?"), f.audience,
		widgets.Para("Secrets are masked in both. The customer version holds only what the customer must do."))
	f.submit = func() {
		write, ext, aud := viewmodel.ReportChoice(f.format.Selected, f.audience.Selected)
		c := viewmodel.CaseOf(w.session, wt, aud, time.Now())
		name := "authlens-report-" + string(aud) + ext
		if wt != nil {
			name = fmt.Sprintf("authlens-report-entry-%d-%s%s", wt.Exchange.Index, aud, ext)
		}
		w.save(name, ext, func(out io.Writer) error { return write(out, c) }, nil)
	}
	f.dlg = dialog.NewCustomConfirm("Save report", "Save…", "Cancel", form, func(ok bool) {
		if ok {
			f.submit()
		}
	}, w.win)
	w.reportForm = f
	f.dlg.Show()
}

// CopyForTicket puts the engineering case report (Markdown) of the trace,
// or of walkthrough wt, on the clipboard.
func (w *Window) CopyForTicket(wt *viewmodel.Walkthrough) {
	if !w.needSession("Copy for ticket") {
		return
	}
	w.app.Clipboard().SetContent(viewmodel.TicketMarkdown(w.session, wt, time.Now()))
}

// CopyExportRequest puts the message asking the customer for a new
// export (with sensitive data) on the clipboard.
func (w *Window) CopyExportRequest() {
	w.app.Clipboard().SetContent(report.ExportRequest)
}

// currentWalk is the walkthrough of the selected failing exchange, if
// the person started one.
func (w *Window) currentWalk() *viewmodel.Walkthrough {
	if w.selected < 0 {
		return nil
	}
	return w.walks[w.selected]
}

// CopySummary puts the summary of the selected request on the clipboard
// (Ctrl+Shift+C): for a failing request its diagnosis with evidence and
// confidence, the notes and what was tried so far; otherwise the trace's.
func (w *Window) CopySummary() {
	var wt *viewmodel.Walkthrough
	if w.session != nil && w.selected >= 0 && w.session.Failing(w.selected) {
		wt = w.walkthrough(w.selected)
	}
	w.CopyForTicket(wt)
}
