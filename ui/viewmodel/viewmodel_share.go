package viewmodel

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"authlens/har"
	"authlens/report"
	"authlens/sanitize"
)

// The choices of the export and report dialogs, in the order shown.
var (
	// BodyChoices label the sanitized export's body policies.
	BodyChoices = []string{
		"Keep the text of error responses (recommended)",
		"Keep every text body",
		"Keep every body (images too)",
		"Drop every response body",
	}
	bodyPolicies = []sanitize.BodyPolicy{sanitize.BodiesErrors, sanitize.BodiesText, sanitize.BodiesKeep, sanitize.BodiesDrop}

	// ReportFormats label the case report's formats.
	ReportFormats = []string{"HTML (to send or print)", "Markdown (for a ticket)"}
	// AudienceChoices label the case report's audiences.
	AudienceChoices = []string{"For engineering (evidence, headers, cause IDs)", "For the customer (only their steps, plain words)"}
)

// SanitizeChoices are what the export dialog asks.
type SanitizeChoices struct {
	Body       string // one of BodyChoices
	DropClaims bool
	KeepUser   bool
	Names      string // more secret names, comma-separated
}

// Options turns the dialog's choices into sanitize options; the bodies
// the report points at are kept under the default policy.
func (c SanitizeChoices) Options(s *Session) sanitize.Options {
	o := sanitize.Options{DropJWTClaims: c.DropClaims, KeepBasicUser: c.KeepUser, Bodies: sanitize.BodiesErrors}
	for i, label := range BodyChoices {
		if label == c.Body {
			o.Bodies = bodyPolicies[i]
		}
	}
	for _, n := range strings.Split(c.Names, ",") {
		if n = strings.TrimSpace(n); n != "" {
			o.ExtraNames = append(o.ExtraNames, n)
		}
	}
	if s != nil {
		o.KeepBodies = report.Entries(s.Report)
	}
	return o
}

// harOf returns the har.Trace to export: the loaded file, or for a live
// capture (no file) the entries held in memory.
func (s *Session) harOf() *har.Trace {
	if s.HAR != nil {
		return s.HAR
	}
	return &har.Trace{Path: s.Source.DisplayName(), Log: s.Trace.Log, Entries: s.Trace.Entries}
}

// WriteSanitized writes the sanitized HAR of the session to w.
func (s *Session) WriteSanitized(ctx context.Context, w io.Writer, opts sanitize.Options) (sanitize.Stats, error) {
	st, err := sanitize.Write(ctx, w, s.harOf(), opts)
	if err != nil {
		return st, fmt.Errorf("exporting the sanitized HAR: %w", err)
	}
	return st, nil
}

// WriteOriginal writes the session's entries as they are — secrets
// included — to w.
func (s *Session) WriteOriginal(w io.Writer) error {
	h := s.harOf()
	hw, err := har.NewWriter(w, h.Log)
	if err != nil {
		return fmt.Errorf("exporting the original HAR: %w", err)
	}
	hw.SetBodySource(h.Body)
	for _, e := range h.Entries {
		if err := hw.WriteEntry(e); err != nil {
			return fmt.Errorf("exporting the original HAR: %w", err)
		}
	}
	if err := hw.Close(); err != nil {
		return fmt.Errorf("exporting the original HAR: %w", err)
	}
	return nil
}

// SanitizedSummary says in one sentence what an export replaced.
func SanitizedSummary(st sanitize.Stats) string {
	return fmt.Sprintf("%d requests exported: %s, %s, %s and %s replaced by placeholders; %s dropped.",
		st.Entries, Plural(st.Credentials, "login credential", "login credentials"), Plural(st.Cookies, "cookie value", "cookie values"),
		Plural(st.Params+st.Headers, "secret parameter", "secret parameters"), Plural(st.JWTs, "token signature", "token signatures"),
		Plural(st.BodiesDropped, "response body", "response bodies"))
}

// CaseOf is the case report of the session, with its comparison with a
// working trace when there is one; a walkthrough (optional) adds the
// exchange it is about, what was tried and the notes.
func CaseOf(s *Session, wt *Walkthrough, aud report.Audience, now time.Time) report.Case {
	hidden := s.Trace.Sanitized()
	c := report.Case{Report: s.Report, Audience: aud, Entries: s.Entries(), Hidden: &hidden, Focus: -1, Generated: now}
	if s.Comparison != nil {
		c.Comparison = s.Comparison.raw
	}
	if wt != nil {
		c.Focus = wt.Exchange.Index
		c.Notes = wt.Notes
		c.Tried = wt.Tried()
		if wt.Stage == StageDone {
			c.Result = wt.Result()
		}
	}
	return c
}

// ReportChoice maps the report dialog's labels to a writer, a file
// extension and an audience.
func ReportChoice(format, audience string) (write func(io.Writer, report.Case) error, ext string, aud report.Audience) {
	write, ext = report.WriteCaseHTML, ".html"
	if format == ReportFormats[1] {
		write, ext = report.WriteCaseMarkdown, ".md"
	}
	aud = report.Engineering
	if audience == AudienceChoices[1] {
		aud = report.Customer
	}
	return write, ext, aud
}

// TicketMarkdown is what "Copy for ticket" puts on the clipboard: the
// engineering case report in Markdown.
func TicketMarkdown(s *Session, wt *Walkthrough, now time.Time) string {
	var b strings.Builder
	_ = report.WriteCaseMarkdown(&b, CaseOf(s, wt, report.Engineering, now)) // a strings.Builder does not fail
	return b.String()
}
