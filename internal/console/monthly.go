package console

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"sitegroup.io/operator/internal/clock"
)

// The monthly results (status.monthlyResults, T8) of every site the user
// may read, as a download: CSV one line a site and month, Markdown one row
// a site and one column a month.

// MonthlyCSV writes one line per site and month, newest month first.
func MonthlyCSV(w io.Writer, months []string, rows []monthlyRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"namespace", "site", "organization", "month", "verdict", "score", "run", "time"}); err != nil {
		return err
	}
	for _, row := range rows {
		for _, m := range months {
			res, ok := row.Results[m]
			if !ok {
				continue
			}
			score := ""
			if res.Score != nil {
				score = fmt.Sprint(*res.Score)
			}
			if err := cw.Write([]string{row.Namespace, row.Name, row.Organization, m, string(res.Verdict), score, res.Run,
				res.Time.UTC().Format(time.RFC3339)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// MonthlyMarkdown writes a table: a row per site, a column per month
// (newest first), each cell the verdict and score; note says what could
// not be read.
func MonthlyMarkdown(w io.Writer, months []string, rows []monthlyRow, note error) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# 月度检查结果 (monthly results)\n\n")
	if note != nil {
		fmt.Fprintf(&b, "> not read: %s\n\n", mdCell(apiMessage(note)))
	}
	if len(rows) == 0 {
		b.WriteString("No sites.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("| site | organization |")
	for _, m := range months {
		b.WriteString(" " + m + " |")
	}
	b.WriteString("\n|---|---|")
	for range months {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s/%s | %s |", mdCell(row.Namespace), mdCell(row.Name), mdCell(row.Organization))
		for _, m := range months {
			res, ok := row.Results[m]
			switch {
			case !ok:
				b.WriteString(" — |")
			case res.Score != nil:
				fmt.Fprintf(&b, " %s %d |", res.Verdict, *res.Score)
			default:
				fmt.Fprintf(&b, " %s |", res.Verdict)
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nMonths in the platform's calendar (%s).\n", clock.Shanghai)
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell keeps a value inside its Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}
