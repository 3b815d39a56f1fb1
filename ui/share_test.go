package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
	"authlens/sanitize"
	"authlens/ui/viewmodel"
)

// menuItem returns the File menu item labelled label.
func menuItem(t *testing.T, w *Window, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

// saveToTemp makes the window save into dir instead of a file dialog,
// and returns the paths written.
func saveToTemp(t *testing.T, w *Window) *[]string {
	t.Helper()
	dir := t.TempDir()
	var written []string
	w.saveAs = func(name, ext string, write func(io.Writer) error, done func()) {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Errorf("writing %s: %v", name, err)
		}
		f.Close()
		written = append(written, p)
		if done != nil {
			done()
		}
	}
	return &written
}

// topOverlay returns the dialog on top of the window.
func topOverlay(t *testing.T, w *Window) fyne.CanvasObject {
	t.Helper()
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	return top
}

func causesOf(t *testing.T, path string) []string {
	t.Helper()
	h, err := har.Load(context.Background(), path, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rep, err := analysis.Analyze(context.Background(), trace.FromHAR(h), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range rep.Exchanges {
		var cs []string
		for _, d := range x.Diagnoses {
			cs = append(cs, d.Cause)
		}
		out = append(out, strings.Join(cs, ","))
	}
	return out
}

func TestExportSanitizedHARFromFileMenu(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	written := saveToTemp(t, w)
	menuItem(t, w, "Export sanitized HAR…").Action()
	dlg := topOverlay(t, w)
	if !containsText(dlg, "same placeholder") || w.exportForm == nil {
		t.Fatalf("the export dialog does not explain placeholders: %q", texts(dlg))
	}
	test.Type(w.exportForm.names, "x-request-id")
	export := findButton(dlg, "Export…")
	if export == nil {
		t.Fatalf("no Export… button: %q", texts(dlg))
	}
	test.Tap(export)
	if len(*written) != 1 || !strings.HasSuffix((*written)[0], "-sanitized.har") {
		t.Fatalf("written %v", *written)
	}
	out := (*written)[0]
	b, _ := os.ReadFile(out)
	// Every cookie value and credential of the original is gone.
	for _, e := range w.session.Entries() {
		for _, c := range append(e.Request.Cookies, e.Response.Cookies...) {
			if len(c.Value) >= 8 && strings.Contains(string(b), c.Value) {
				t.Errorf("entry %d: cookie %s survived the export", e.Index, c.Name)
			}
		}
		if v, ok := har.HeaderValue(e.Request.Headers, "Authorization"); ok {
			if _, cred, _ := strings.Cut(v, " "); len(cred) >= 8 && strings.Contains(string(b), cred) {
				t.Errorf("entry %d: the credential survived the export", e.Index)
			}
		}
	}
	if !strings.Contains(string(b), sanitize.CommentPrefix) || !strings.Contains(string(b), "x-request-id") {
		t.Error("log.comment does not record the sanitizing and its extra names")
	}
	if got, want := causesOf(t, out), causesOf(t, supportHAR); strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("the diagnosis changed:\n got %v\nwant %v", got, want)
	}
	defer func() {
		// Opened again, the sanitized file says what it is.
		openAndWait(t, w, out)
		if !containsText(w.banners, "sanitized by AuthLens") {
			t.Errorf("no banner on a sanitized file: %q", texts(w.banners))
		}
	}()
	if top := w.win.Canvas().Overlays().Top(); top == nil || !containsText(top, "replaced by placeholders") {
		t.Error("no confirmation of what was replaced")
	}
}

func TestExportOriginalNeedsExplicitChoice(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	written := saveToTemp(t, w)
	menuItem(t, w, "Export original HAR (with secrets)…").Action()
	dlg := topOverlay(t, w)
	if !containsText(dlg, "passwords, session cookies and sign-in tokens") {
		t.Fatalf("no warning: %q", texts(dlg))
	}
	test.Tap(findButton(dlg, "Cancel"))
	if len(*written) != 0 {
		t.Fatal("cancelling still exported the original")
	}
	menuItem(t, w, "Export original HAR (with secrets)…").Action()
	test.Tap(findButton(topOverlay(t, w), "Export with secrets"))
	if len(*written) != 1 {
		t.Fatalf("written %v", *written)
	}
	h, err := har.Load(context.Background(), (*written)[0], har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if len(h.Entries) != len(w.session.Entries()) || strings.Contains(h.Log.Comment, sanitize.CommentPrefix) {
		t.Errorf("the original export is not the original: %d entries, comment %q", len(h.Entries), h.Log.Comment)
	}
}

// finishWalk opens the guide of the first failing exchange and answers
// "did not help" to every cause.
func finishWalk(t *testing.T, w *Window) *walkthroughView {
	t.Helper()
	w.overview.selectFirstFailure()
	w.detail.openTab(viewmodel.TabGuide, "")
	v := w.walkView
	test.Type(v.notes, "Customer is on the VPN.")
	test.Tap(v.next)
	for v.wt.Stage != viewmodel.StageDone {
		if v.wt.Stage == viewmodel.StageCause {
			test.Tap(v.next)
		}
		if v.noHelp != nil {
			v.wt.SetChecked(0, true)
			test.Tap(v.noHelp)
		}
	}
	return v
}

func TestWalkthroughEndsWithReportAndTicketCopy(t *testing.T) {
	w := newTestWindow(t, Options{})
	openAndWait(t, w, supportHAR)
	written := saveToTemp(t, w)
	v := finishWalk(t, w)
	if v.saveBtn == nil || v.saveBtn.Text != "Save report…" || v.copyBtn == nil || v.copyBtn.Text != "Copy for ticket" {
		t.Fatalf("the last step lacks Save report… / Copy for ticket")
	}
	test.Tap(v.copyBtn)
	clip := w.app.Clipboard().Content()
	if !strings.Contains(clip, "AuthLens case report") || !strings.Contains(clip, "Customer is on the VPN.") || !strings.Contains(clip, "did not help") {
		t.Errorf("ticket text:\n%s", clip)
	}
	test.Tap(v.saveBtn)
	dlg := topOverlay(t, w)
	if w.reportForm == nil || !containsText(dlg, "Who is it for?") {
		t.Fatalf("report dialog: %q", texts(dlg))
	}
	w.reportForm.format.SetSelected(viewmodel.ReportFormats[1])
	w.reportForm.audience.SetSelected(viewmodel.AudienceChoices[1])
	test.Tap(findButton(dlg, "Save…"))
	if len(*written) != 1 || !strings.HasSuffix((*written)[0], "-customer.md") {
		t.Fatalf("written %v", *written)
	}
	b, _ := os.ReadFile((*written)[0])
	if strings.Contains(string(b), "Customer is on the VPN.") || strings.Contains(string(b), "confidence") {
		t.Errorf("the customer report holds internal notes or confidences:\n%s", b)
	}
	// HTML for engineering, from the File menu.
	menuItem(t, w, "Save report…").Action()
	test.Tap(findButton(topOverlay(t, w), "Save…"))
	if len(*written) != 2 || !strings.HasSuffix((*written)[1], "-engineering.html") {
		t.Fatalf("written %v", *written)
	}
	b, _ = os.ReadFile((*written)[1])
	if !strings.Contains(string(b), "<!DOCTYPE html>") || !strings.Contains(string(b), "Customer is on the VPN.") {
		t.Error("the engineering HTML lacks the page or the notes")
	}
}

func TestSanitizedTraceOffersCustomerMessage(t *testing.T) {
	doc := `{"log":{"version":"1.2","creator":{"name":"Some proxy","version":"1"},"entries":[{"startedDateTime":"2026-12-01T10:00:00.000Z","time":1,
"request":{"method":"GET","url":"https://app.example/api/me","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Bearer [REDACTED]"},{"name":"Cookie","value":"session=REDACTED"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1},
"response":{"status":401,"statusText":"Unauthorized","httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Bearer realm=\"api\""}],"cookies":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":-1},
"cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}`
	p := filepath.Join(t.TempDir(), "redacted.har")
	os.WriteFile(p, []byte(doc), 0o600)
	w := newTestWindow(t, Options{})
	openAndWait(t, w, p)
	if !w.session.Report.Source.Sanitized {
		t.Fatal("the trace is not recognised as sanitized")
	}
	// Each affected diagnosis says what it could not confirm.
	w.overview.selectFirstFailure()
	w.detail.openTab(viewmodel.TabCauses, "")
	if causes := w.detail.items[viewmodel.TabCauses].Content; !containsText(causes, "Not confirmed: the export removed") {
		t.Errorf("the causes tab does not say what could not be confirmed: %q", texts(causes))
	}
	b := findButton(w.overview.root, "Copy the message asking the customer")
	if b == nil {
		t.Fatalf("no button to copy the customer message: %q", texts(w.overview.root))
	}
	test.Tap(b)
	if w.app.Clipboard().Content() != report.ExportRequest {
		t.Error("the clipboard does not hold the export request")
	}
	if !strings.HasPrefix(b.Text, "Copied") {
		t.Errorf("button says %q after copying", b.Text)
	}
	// A normal trace has no such button.
	openAndWait(t, w, supportHAR)
	if findButton(w.overview.root, "Copy the message asking the customer") != nil {
		t.Error("the customer-message button shows for a trace with its secrets")
	}
}
