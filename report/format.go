package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"authlens/analysis"
)

// WriteJSON writes the report as the JSON contract of
// `authlens analyze --format json`.
func WriteJSON(w io.Writer, r *analysis.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Masked(r)); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}

// WriteText writes the report as plain text for a terminal.
func WriteText(w io.Writer, r *analysis.Report) error {
	r = Masked(r)
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %d entries", Visible(r.Source.Path, true), r.Source.Entries)
	if r.Source.Creator != "" {
		fmt.Fprintf(&b, ", recorded by %s", Visible(r.Source.Creator, true))
	}
	b.WriteString("\n")
	problems := 0
	for _, x := range r.Exchanges {
		if x.Problem {
			problems++
		}
	}
	fmt.Fprintf(&b, "%d failing exchange(s), %d listed\n", problems, len(r.Exchanges))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", Visible(n.Text, true))
	}
	for _, x := range r.Exchanges {
		b.WriteString("\n")
		mark := "FAIL"
		if !x.Problem {
			mark = "ok  "
		}
		fmt.Fprintf(&b, "[%s] #%d %s %s → %s\n", mark, x.Index, Visible(x.Method, true), Visible(x.URL, true), StatusWords(x.Status))
		fmt.Fprintf(&b, "  %s\n", Visible(x.Explanation, true))
		if ss := x.ServerSaid; ss != nil {
			fmt.Fprintf(&b, "  The server said (%s): %s\n", Visible(ss.Format, true), Visible(ss.Words, true))
			if ss.Vendor != "" {
				fmt.Fprintf(&b, "    %s: %s\n", Visible(ss.Vendor, true), Visible(ss.Meaning, true))
			}
		}
		for k, d := range x.Diagnoses {
			fmt.Fprintf(&b, "  %d. %s (%s, %.0f%%)\n", k+1, Visible(d.Title, true), d.Cause, d.Confidence*100)
			fmt.Fprintf(&b, "     %s\n", Visible(d.Explanation, true))
			for _, ev := range d.Evidence {
				fmt.Fprintf(&b, "     evidence: entry #%d %s: %s\n", ev.Entry, Visible(ev.Where.String(), true), Visible(ev.Detail, true))
			}
			for n, s := range d.Remedy {
				fmt.Fprintf(&b, "     step %d (%s): %s\n", n+1, s.Who, Visible(s.Step, true))
			}
		}
		if len(x.RuledOut) > 0 {
			b.WriteString("  Ruled out:\n")
			for _, ro := range x.RuledOut {
				fmt.Fprintf(&b, "   - %s (%s): %s\n", Visible(ro.Title, true), ro.Cause, Visible(ro.Evidence, true))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report as Markdown, ready to paste into a ticket.
func WriteMarkdown(w io.Writer, r *analysis.Report) error {
	r = Masked(r)
	var b strings.Builder
	fmt.Fprintf(&b, "# AuthLens report: %s\n\n", Markdown(r.Source.Path))
	fmt.Fprintf(&b, "- Entries: %d\n", r.Source.Entries)
	if r.Source.Creator != "" {
		fmt.Fprintf(&b, "- Recorded by: %s\n", Markdown(r.Source.Creator))
	}
	if r.Source.Sanitized {
		b.WriteString("- The trace was exported **without cookies or credentials**: some causes cannot be confirmed.\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- Note: %s\n", Markdown(n.Text))
	}
	if len(r.Exchanges) == 0 {
		b.WriteString("\nNo 401 or 403 exchange, and nothing else flagged.\n")
	}
	for _, x := range r.Exchanges {
		state := "failure"
		if !x.Problem {
			state = "not a problem"
		}
		fmt.Fprintf(&b, "\n## #%d %s %s → %s (%s)\n\n", x.Index, Markdown(x.Method), Markdown(x.URL), StatusWords(x.Status), state)
		fmt.Fprintf(&b, "%s\n", Markdown(x.Explanation))
		if ss := x.ServerSaid; ss != nil {
			fmt.Fprintf(&b, "\n**The server said** (%s): %s\n", Markdown(ss.Format), Markdown(ss.Words))
			if ss.Vendor != "" {
				fmt.Fprintf(&b, "— %s: %s\n", Markdown(ss.Vendor), Markdown(ss.Meaning))
			}
		}
		for k, d := range x.Diagnoses {
			fmt.Fprintf(&b, "\n### %d. %s — %s (confidence %.0f%%)\n\n%s\n", k+1, Markdown(d.Title), Code(d.Cause), d.Confidence*100, Markdown(d.Explanation))
			if len(d.Evidence) > 0 {
				b.WriteString("\nEvidence:\n\n")
				for _, ev := range d.Evidence {
					fmt.Fprintf(&b, "- entry #%d %s: %s\n", ev.Entry, Code(ev.Where.String()), Markdown(ev.Detail))
				}
			}
			if len(d.Remedy) > 0 {
				b.WriteString("\nWhat to do:\n\n")
				for n, s := range d.Remedy {
					fmt.Fprintf(&b, "%d. **%s**: %s\n", n+1, s.Who, Markdown(s.Step))
				}
			}
		}
		if len(x.RuledOut) > 0 {
			b.WriteString("\n### Ruled out\n\n")
			for _, ro := range x.RuledOut {
				fmt.Fprintf(&b, "- %s %s: %s\n", Markdown(ro.Title), Code(ro.Cause), Markdown(ro.Evidence))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// StatusWords is a status as reports print it: the number, or "no
// response" for an exchange that failed before one arrived.
func StatusWords(st int) string {
	if st <= 0 {
		return "no response"
	}
	return fmt.Sprint(st)
}
