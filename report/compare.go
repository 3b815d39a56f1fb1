package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"authlens/analysis/compare"
	"authlens/redact"
)

// MaskedComparison returns a copy of a comparison whose every text has
// passed through redact: paths, URLs, keys, titles, explanations and
// evidence details. Every comparison writer starts from it.
func MaskedComparison(r *compare.Result) *compare.Result {
	if r == nil {
		return nil
	}
	out := *r
	out.Good.Path, out.Bad.Path = redact.Text(r.Good.Path), redact.Text(r.Bad.Path)
	out.Hosts = append([]compare.HostMapping(nil), r.Hosts...)
	for i := range out.Hosts {
		out.Hosts[i].Good, out.Hosts[i].Bad = redact.URL(out.Hosts[i].Good), redact.URL(out.Hosts[i].Bad)
	}
	out.Pairs = append([]compare.Pair(nil), r.Pairs...)
	for i := range out.Pairs {
		out.Pairs[i].Key = redact.Text(out.Pairs[i].Key)
	}
	if r.Divergence != nil {
		d := *r.Divergence
		d.Key = redact.Text(d.Key)
		d.GoodPath, d.BadPath = maskPath(d.GoodPath), maskPath(d.BadPath)
		out.Divergence = &d
	}
	out.Differences = make([]compare.Difference, len(r.Differences))
	for i, d := range r.Differences {
		d.Title, d.Explanation = redact.Text(d.Title), redact.Text(d.Explanation)
		d.Evidence = append([]compare.Evidence(nil), d.Evidence...)
		for k := range d.Evidence {
			d.Evidence[k].Detail = redact.Text(d.Evidence[k].Detail)
		}
		out.Differences[i] = d
	}
	out.Notes = append([]string(nil), r.Notes...)
	for i := range out.Notes {
		out.Notes[i] = redact.Text(out.Notes[i])
	}
	return &out
}

func maskPath(ps []compare.PathStep) []compare.PathStep {
	out := append([]compare.PathStep(nil), ps...)
	for i := range out {
		out[i].Method, out[i].URL = redact.Text(out[i].Method), redact.URL(out[i].URL)
	}
	return out
}

// WriteCompareJSON writes a comparison as JSON (`authlens compare
// --format json`).
func WriteCompareJSON(w io.Writer, r *compare.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(MaskedComparison(r)); err != nil {
		return fmt.Errorf("writing JSON comparison: %w", err)
	}
	return nil
}

// mark is how a side-by-side row shows a step's outcome.
func mark(st int, o compare.Outcome, present bool) string {
	if !present {
		return "—"
	}
	s := StatusWords(st)
	if o.Bad() {
		s += " ✗"
	}
	return s
}

// WriteCompareText writes a comparison as plain text for a terminal.
func WriteCompareText(w io.Writer, r *compare.Result) error {
	r = MaskedComparison(r)
	var b strings.Builder
	v := func(s string) string { return Visible(s, true) }
	fmt.Fprintf(&b, "good: %s — %d entries, %d steps\n", v(r.Good.Path), r.Good.Entries, r.Good.Steps)
	fmt.Fprintf(&b, "bad:  %s — %d entries, %d steps\n", v(r.Bad.Path), r.Bad.Entries, r.Bad.Steps)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", v(n))
	}
	if hs := mappedHosts(r); len(hs) > 0 {
		b.WriteString("\nhosts (good = bad):\n")
		for _, h := range hs {
			fmt.Fprintf(&b, "  %s = %s  (%s; %d aligned steps)\n", v(h.Good), v(h.Bad), hostHow(h), h.Shared)
		}
	}
	b.WriteString("\n")
	if d := r.Divergence; d != nil {
		fmt.Fprintf(&b, "first divergence: %s\n", v(d.Key))
		fmt.Fprintf(&b, "  path in good: %s\n", v(pathWords(d.GoodPath)))
		fmt.Fprintf(&b, "  path in bad:  %s\n", v(pathWords(d.BadPath)))
	} else {
		b.WriteString("first divergence: none (every aligned step has the same outcome)\n")
	}
	meaningful := r.Meaningful()
	if len(meaningful) == 0 {
		b.WriteString("\nno meaningful difference\n")
	} else {
		b.WriteString("\ndifferences that matter (most likely cause first):\n")
	}
	for k, d := range meaningful {
		cause := ""
		if d.Cause != "" {
			cause = ", " + d.Cause
		}
		fmt.Fprintf(&b, "  %d. %s [%s%s]\n", k+1, v(d.Title), d.Kind, cause)
		fmt.Fprintf(&b, "     %s\n", v(d.Explanation))
		for _, ev := range d.Evidence {
			fmt.Fprintf(&b, "     %-4s #%d %s: %s\n", ev.Side, ev.Entry, v(ev.Where.String()), v(ev.Detail))
		}
	}
	if noise := len(r.Differences) - len(meaningful); noise > 0 {
		fmt.Fprintf(&b, "\nnoise (%d, folded): ", noise)
		var ts []string
		for _, d := range r.Differences {
			if d.Noise {
				ts = append(ts, v(d.Title))
			}
		}
		b.WriteString(strings.Join(ts, "; ") + "\n")
	}
	b.WriteString("\naligned steps:\n")
	fmt.Fprintf(&b, "  %-16s %-16s %s\n", "good", "bad", "step")
	for k, p := range r.Pairs {
		g := fmt.Sprintf("#%d %s", p.Good, mark(p.GoodStatus, p.GoodOutcome, p.Good >= 0))
		if p.Good < 0 {
			g = "—"
		}
		bb := fmt.Sprintf("#%d %s", p.Bad, mark(p.BadStatus, p.BadOutcome, p.Bad >= 0))
		if p.Bad < 0 {
			bb = "—"
		}
		flag := ""
		if r.Divergence != nil && r.Divergence.Pair == k {
			flag = "   ◀ first divergence"
		}
		fmt.Fprintf(&b, "  %-16s %-16s %s%s\n", g, bb, v(p.Key), flag)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCompareMarkdown writes a comparison as Markdown, for a ticket.
func WriteCompareMarkdown(w io.Writer, r *compare.Result) error {
	var b strings.Builder
	writeCompareMarkdown(&b, MaskedComparison(r), "#")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCompareMarkdown writes the comparison under a heading of the given
// level ("#" for a document, "##" for a section of a case report).
func writeCompareMarkdown(b *strings.Builder, r *compare.Result, h string) {
	fmt.Fprintf(b, "%s Comparison with a working trace\n\n", h)
	fmt.Fprintf(b, "- Working trace: %s (%d entries)\n", Markdown(r.Good.Path), r.Good.Entries)
	fmt.Fprintf(b, "- Failing trace: %s (%d entries)\n", Markdown(r.Bad.Path), r.Bad.Entries)
	for _, hm := range mappedHosts(r) {
		fmt.Fprintf(b, "- Host %s stands for %s (%s)\n", Code(hm.Good), Code(hm.Bad), hostHow(hm))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "- Note: %s\n", Markdown(n))
	}
	if d := r.Divergence; d != nil {
		fmt.Fprintf(b, "\n**First divergence:** %s\n\n", Code(d.Key))
		fmt.Fprintf(b, "- Path in the working trace: %s\n", Markdown(pathWords(d.GoodPath)))
		fmt.Fprintf(b, "- Path in the failing trace: %s\n", Markdown(pathWords(d.BadPath)))
	} else {
		b.WriteString("\n**First divergence:** none — every aligned step has the same outcome.\n")
	}
	meaningful := r.Meaningful()
	if len(meaningful) == 0 {
		b.WriteString("\nNo meaningful difference.\n")
	} else {
		fmt.Fprintf(b, "\n%s# Differences that matter\n\n", h)
	}
	for k, d := range meaningful {
		cause := ""
		if d.Cause != "" {
			cause = " — " + Code(d.Cause)
		}
		fmt.Fprintf(b, "%d. **%s** (%s%s): %s\n", k+1, Markdown(d.Title), d.Kind, cause, Markdown(d.Explanation))
		for _, ev := range d.Evidence {
			fmt.Fprintf(b, "   - %s entry #%d %s: %s\n", ev.Side, ev.Entry, Code(ev.Where.String()), Markdown(ev.Detail))
		}
	}
	var noise []string
	for _, d := range r.Differences {
		if d.Noise {
			noise = append(noise, Markdown(d.Title))
		}
	}
	if len(noise) > 0 {
		fmt.Fprintf(b, "\n<details><summary>Noise (%d)</summary>\n\n%s\n\n</details>\n", len(noise), "- "+strings.Join(noise, "\n- "))
	}
	fmt.Fprintf(b, "\n%s# Aligned steps\n\n| working | failing | step |\n| --- | --- | --- |\n", h)
	for k, p := range r.Pairs {
		g, bad := "—", "—"
		if p.Good >= 0 {
			g = fmt.Sprintf("#%d %s", p.Good, mark(p.GoodStatus, p.GoodOutcome, true))
		}
		if p.Bad >= 0 {
			bad = fmt.Sprintf("#%d %s", p.Bad, mark(p.BadStatus, p.BadOutcome, true))
		}
		key := Code(p.Key)
		if r.Divergence != nil && r.Divergence.Pair == k {
			key = "**" + key + " ◀ first divergence**"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", g, bad, strings.ReplaceAll(key, "|", `\|`))
	}
}

// mappedHosts are the host mappings worth showing: those that change the
// host, or that the user gave.
func mappedHosts(r *compare.Result) []compare.HostMapping {
	var out []compare.HostMapping
	for _, h := range r.Hosts {
		if h.Good != h.Bad || h.Confirmed {
			out = append(out, h)
		}
	}
	return out
}

func hostHow(h compare.HostMapping) string {
	if h.Confirmed {
		return "given with --map"
	}
	return "proposed; confirm or override with --map good=bad"
}

func pathWords(ps []compare.PathStep) string {
	if len(ps) == 0 {
		return "(none)"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("#%d %s %s %s", p.Entry, p.Method, p.URL, StatusWords(p.Status))
	}
	return strings.Join(parts, " → ")
}
