package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown case reports are pasted into tickets: they stay short. These
// bound what they list; the HTML report has everything.
const (
	mdMaxExchanges = 3
	mdMaxCauses    = 2
	mdMaxEvidence  = 2
	mdMaxTimeline  = 8
)

// WriteCaseMarkdown writes the case report as Markdown short enough for a
// ticket: for engineering the failing exchanges with their top causes,
// evidence and the first cause's steps, what was tried, the notes and a
// short timeline; for the customer only what to do. Every text from the
// trace or the person goes through Markdown or Code.
func WriteCaseMarkdown(w io.Writer, c Case) error {
	if c.Report == nil {
		return fmt.Errorf("writing the Markdown case report: no analysis report")
	}
	v := c.view()
	var b strings.Builder
	if v.Customer {
		writeCustomerMarkdown(&b, v)
	} else {
		writeEngineeringMarkdown(&b, v)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the Markdown case report: %w", err)
	}
	return nil
}

func writeCustomerMarkdown(b *strings.Builder, v caseView) {
	fmt.Fprintf(b, "**%s**\n\n%s\n", Markdown(v.Title), Markdown(v.Summary))
	if v.Sanitized != "" {
		b.WriteString("\n**What we need from you**\n\n")
		for _, line := range strings.Split(strings.TrimSpace(v.AskCustomer), "\n") {
			if line == "" {
				b.WriteString("\n")
				continue
			}
			fmt.Fprintf(b, "%s  \n", Markdown(line))
		}
		return
	}
	b.WriteString("\n**What to do**\n\n")
	if len(v.UserSteps) == 0 {
		b.WriteString("There is nothing you need to do: the fix is on the site's side, and our team is taking care of it.\n")
		return
	}
	for k, s := range v.UserSteps {
		fmt.Fprintf(b, "%d. %s\n", k+1, Markdown(s))
	}
}

func writeEngineeringMarkdown(b *strings.Builder, v caseView) {
	fmt.Fprintf(b, "### AuthLens case report: %s\n\n", Code(v.Source))
	fmt.Fprintf(b, "%s", Markdown(v.Summary))
	if v.Result != "" {
		fmt.Fprintf(b, " **%s**", Markdown(v.Result))
	}
	b.WriteString("\n")
	if v.Sanitized != "" {
		fmt.Fprintf(b, "\n> %s\n", Markdown(v.Sanitized))
	}
	said := map[string]bool{} // explanations already printed: said once
	for n, x := range v.Exchanges {
		if n == mdMaxExchanges {
			fmt.Fprintf(b, "\n_%d more failing exchange(s) in the HTML report._\n", len(v.Exchanges)-n)
			break
		}
		fmt.Fprintf(b, "\n**#%d %s → %s**  \n", x.Index, Code(x.Request), Markdown(x.Status))
		if !said[x.Explanation] {
			said[x.Explanation] = true
			fmt.Fprintf(b, "%s\n", Markdown(x.Explanation))
		}
		if x.ServerSaid != "" {
			fmt.Fprintf(b, "The server said: %s\n", Markdown(x.ServerSaid))
		}
		for k, d := range x.Causes {
			if k == mdMaxCauses {
				break
			}
			fmt.Fprintf(b, "%d. %s %s, %s", d.Rank, Markdown(d.Title), Code(d.ID), Markdown(d.Confidence))
			if d.Unconfirmed != "" {
				fmt.Fprintf(b, " — _%s_", Markdown(d.Unconfirmed))
			}
			b.WriteString("\n")
			for j, ev := range d.Evidence {
				if j == mdMaxEvidence {
					break
				}
				fmt.Fprintf(b, "   - #%d %s: %s\n", ev.Entry, Code(ev.Where.String()), Markdown(clipRunes(ev.Detail, 200)))
			}
			if k == 0 {
				for _, s := range d.Steps {
					box := "[ ]"
					if s.Done {
						box = "[x]"
					}
					fmt.Fprintf(b, "   - %s %s: %s\n", box, Markdown(s.Who), Markdown(s.Text))
				}
			}
		}
		if len(x.Others) > 0 {
			var names []string
			for _, o := range x.Others {
				names = append(names, Markdown(o.Title)+" "+Code(o.ID)+" "+Markdown(o.Confidence))
			}
			fmt.Fprintf(b, "\nLess likely: %s.\n", strings.Join(names, "; "))
		}
		if len(x.RuledOut) > 0 {
			var names []string
			for _, ro := range x.RuledOut {
				names = append(names, Code(ro.Cause))
			}
			fmt.Fprintf(b, "\nChecked and ruled out by the trace: %s (the HTML report gives the evidence).\n", strings.Join(names, ", "))
		}
	}
	if c := v.Comparison; c != nil {
		writeComparisonMarkdown(b, c)
	}
	if len(v.Tried) > 0 {
		b.WriteString("\n**Tried**\n\n")
		for _, t := range v.Tried {
			fmt.Fprintf(b, "- %s %s: %s\n", Markdown(t.Title), Code(t.Cause), Markdown(t.Outcome))
		}
	}
	if len(v.RuledOut) > 0 {
		b.WriteString("\n**Ruled out**\n\n")
		for _, r := range v.RuledOut {
			fmt.Fprintf(b, "- %s %s: %s\n", Markdown(r.Title), Code(r.Cause), Markdown(r.Why))
		}
	}
	if v.Support != "" {
		fmt.Fprintf(b, "\n**Notes**: %s\n", Markdown(v.Support))
	}
	if len(v.Timeline) > 0 {
		b.WriteString("\n**Timeline**\n\n")
		rows := v.Timeline
		if len(rows) > mdMaxTimeline {
			rows = rows[len(rows)-mdMaxTimeline:]
		}
		for _, r := range rows {
			fmt.Fprintf(b, "- #%d %s %s → %s (%s)\n", r.Index, Markdown(r.When), Code(r.Request), Markdown(r.Status), Markdown(r.Role))
		}
	}
}

// clipRunes shortens s to at most n runes, ending in "…".
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// mdMaxDifferences bounds the differences a Markdown case report lists.
const mdMaxDifferences = 3

func writeComparisonMarkdown(b *strings.Builder, c *comparisonView) {
	fmt.Fprintf(b, "\n**Compared with a working trace** (%s)  \n", Code(c.Good))
	if c.Divergence == "" {
		b.WriteString("No step that worked there failed here.\n")
	} else {
		fmt.Fprintf(b, "First divergence: %s  \nHere: %s\n", Code(c.Divergence), Markdown(c.BadPath))
	}
	for k, d := range c.Differences {
		if k == mdMaxDifferences {
			fmt.Fprintf(b, "\n_%d more difference(s) in the HTML report._\n", len(c.Differences)-k)
			break
		}
		id := ""
		if d.Cause != "" {
			id = " " + Code(d.Cause)
		}
		fmt.Fprintf(b, "%d. %s%s: %s\n", d.Rank, Markdown(d.Title), id, Markdown(clipRunes(d.Explanation, 300)))
	}
	if len(c.Differences) == 0 {
		b.WriteString("No meaningful difference.\n")
	}
}
