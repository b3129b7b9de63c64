package inspector

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/width"

	"sitegroup.io/operator/internal/findings"
)

// WriteText prints a report for a person: a summary line, then tables.
func WriteText(w io.Writer, r findings.Report) error {
	ew := &errWriter{w: w}
	ew.printf("%s  score %d  %s  (profile %s, today %s)\n", strings.ToUpper(r.Verdict), r.Score, r.URL,
		r.Profile, r.Now.Format(time.DateOnly))
	ew.printf("%s\n", statsLine(r))
	if r.Unreachable != "" {
		ew.printf("the homepage did not open (%s): nothing could be judged; V1 is judged on the site's 7-day window of spaced probes, not on one run\n", r.Unreachable)
	}
	if f := r.Forwarded; f != nil {
		if f.Followed {
			ew.printf("the homepage %s forwards (%s) to %s: that page is judged\n", f.From, f.By, f.To)
		} else {
			ew.printf("the homepage %s forwards (%s) off the site, to %s: not followed, the homepage is judged as it is\n", f.From, f.By, f.To)
		}
	}
	table(ew, "VETOES", []string{"ID", "REASON"}, len(r.Vetoes), func(i int) []string {
		return []string{r.Vetoes[i].ID, r.Vetoes[i].Reason}
	})
	table(ew, "DEDUCTIONS", []string{"ID", "GROUP", "POINTS", "REASON"}, len(r.Deductions), func(i int) []string {
		d := r.Deductions[i]
		return []string{d.ID, d.Group, fmt.Sprintf("-%d", d.Points), d.Reason}
	})
	table(ew, "WARNINGS", []string{"ID", "REASON"}, len(r.Warnings), func(i int) []string {
		return []string{r.Warnings[i].ID, r.Warnings[i].Reason}
	})
	table(ew, "COLUMNS", []string{"NAME", "KIND", "ITEMS", "LATEST", "STATE", "URL"}, len(r.Columns), func(i int) []string {
		c := r.Columns[i]
		latest := "-"
		if c.Latest != nil {
			latest = c.Latest.Format(time.DateOnly)
		}
		return []string{c.Name, c.Kind, fmt.Sprint(c.Items), latest, columnState(c), c.URL}
	})
	table(ew, "DEAD LINKS", []string{"STATUS", "URL", "FOUND ON"}, len(r.DeadLinks), func(i int) []string {
		d := r.DeadLinks[i]
		status := fmt.Sprint(d.Status)
		if d.Status == 0 {
			status = "no answer"
		}
		on := d.FoundOn
		if d.Homepage {
			on += " (homepage)"
		}
		return []string{status, d.URL, on}
	})
	id := r.Identity
	table(ew, "IDENTITY (S4)", []string{"FIELD", "VALUE"}, 5, func(i int) []string {
		return [][]string{{"主办单位", id.Organizer}, {"承办单位/版权所有", id.Host}, {"网站标识码", id.SiteCode},
			{"ICP备案", id.ICP}, {"公网安备", id.PublicSecurity}}[i]
	})
	return ew.err
}

func statsLine(r findings.Report) string {
	home := 0
	for _, d := range r.DeadLinks {
		if d.Homepage {
			home++
		}
	}
	s := r.Stats
	line := fmt.Sprintf("pages %d, links %d (checked %d), dead links %d (homepage %d), %d requests, %.1fs",
		s.Pages, s.Links, s.LinksChecked, len(r.DeadLinks)+s.DeadLinksOmitted, home, s.Requests, s.DurationSeconds)
	if s.Probes > 0 {
		line += fmt.Sprintf(", probes %d failed %d", s.Probes, s.ProbesFailed)
	}
	if s.LinksRefused > 0 {
		line += fmt.Sprintf(", %d links to private addresses refused", s.LinksRefused)
	}
	if s.ExternalLinks == "skipped" {
		line += ", external links not checked"
	}
	if s.BudgetExhausted != "" {
		line += "; BUDGET EXHAUSTED: " + s.BudgetExhausted + " (the crawl stopped before the site's end)"
	}
	return line
}

func columnState(c findings.Column) string {
	switch {
	case c.NotReached:
		return "not reached"
	case c.Blank:
		return "BLANK"
	case c.Stale:
		return "STALE"
	case c.SubColumns > 0:
		return fmt.Sprintf("%d sub-columns", c.SubColumns)
	case c.Content != "":
		return c.Content
	}
	return "ok"
}

func table(ew *errWriter, title string, header []string, n int, row func(int) []string) {
	ew.printf("\n%s\n", title)
	if n == 0 {
		ew.printf("  (none)\n")
		return
	}
	rows := [][]string{header}
	for i := 0; i < n; i++ {
		rows = append(rows, row(i))
	}
	widths := make([]int, len(header))
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], displayWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for c, cell := range r {
			b.WriteString(cell)
			if c < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[c]-displayWidth(cell)+2))
			}
		}
		ew.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
}

// displayWidth counts Chinese characters as two columns, as terminals
// show them (text/tabwriter counts them as one and misaligns the tables).
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// errWriter keeps the first write error so the tables read straight.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
