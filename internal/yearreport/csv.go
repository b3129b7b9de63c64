package yearreport

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// Record kinds of the CSV's record column.
const (
	RecordMonth    = "month"
	RecordTakedown = "takedown"
	RecordTicket   = "ticket"
)

// CSVHeader is the CSV report's fixed header. A row fills the columns of
// its record kind and leaves the others empty.
var CSVHeader = []string{
	"record", "namespace", "site", "site_kind",
	// month
	"month", "verdict", "score", "run", "completed", "source",
	// takedown
	"takedown", "type", "phase", "reason", "start", "planned_end", "activated", "restored",
	// ticket
	"ticket", "problem", "opened", "due", "closed", "opened_by", "closed_by", "ticket_status", "overdue_in_year",
}

var column = func() map[string]int {
	m := map[string]int{}
	for i, h := range CSVHeader {
		m[h] = i
	}
	return m
}()

// CSV writes the report for spreadsheets (RFC 4180): per site, one row for
// each month of the year, then a row per takedown and per ticket. Times
// are RFC 3339 in the report's calendar; text is UTF-8.
func CSV(w io.Writer, r Report) error {
	loc := r.location()
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format(time.RFC3339)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180 ends records with CRLF
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, s := range r.Sites {
		row := func(record string, fields map[string]string) error {
			out := make([]string, len(CSVHeader))
			out[column["record"]] = record
			out[column["namespace"]] = s.Namespace
			out[column["site"]] = s.Name
			if s.Found {
				out[column["site_kind"]] = string(s.Kind)
			}
			for k, v := range fields {
				out[column[k]] = v
			}
			return cw.Write(out)
		}
		for _, m := range s.Months {
			f := map[string]string{"month": m.Month}
			if m.Verdict != "" {
				f["verdict"], f["score"], f["run"], f["completed"], f["source"] =
					string(m.Verdict), csvScore(m.Score), m.Run, at(m.Completed), m.Source
			}
			if err := row(RecordMonth, f); err != nil {
				return err
			}
		}
		for _, td := range s.Takedowns {
			start := td.Start
			if err := row(RecordTakedown, map[string]string{"takedown": td.Name, "type": string(td.Type),
				"phase": string(td.Phase), "reason": td.Reason, "start": at(&start), "planned_end": at(td.End),
				"activated": at(td.Activated), "restored": at(td.Restored)}); err != nil {
				return err
			}
		}
		for _, tk := range s.Tickets {
			opened, due := tk.Opened, tk.Due
			if err := row(RecordTicket, map[string]string{"ticket": tk.ID, "problem": tk.Problem,
				"opened": at(&opened), "due": at(&due), "closed": at(tk.Closed), "opened_by": tk.OpenedBy,
				"closed_by": tk.ClosedBy, "ticket_status": tk.Status,
				"overdue_in_year": strconv.FormatBool(tk.OverdueInYear)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvScore(s *int32) string {
	if s == nil {
		return ""
	}
	return strconv.Itoa(int(*s))
}
