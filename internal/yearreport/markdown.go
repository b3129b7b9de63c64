package yearreport

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
)

// none stands for a missing value in the Markdown tables.
const none = "—"

// mdTime is the Markdown report's time format, in the report's calendar.
const mdTime = "2006-01-02 15:04"

// Markdown writes the report for people: a summary table, then one section
// per site with its months, takedowns, tickets and kept runs.
func Markdown(w io.Writer, r Report) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	loc := r.location()

	p("# 政府网站监管年度报表 %d · Site-management annual report %d\n\n", r.Year, r.Year)
	p("Generated %s for %s. Times are in the platform's calendar, %s (UTC%s); a month is a calendar month there.\n\n",
		r.Generated.In(loc).Format(mdTime), r.scope(), zoneName(loc), r.Generated.In(loc).Format("-07:00"))
	p("The months come from each site's status.monthlyResults (the last monthly or patrol inspection completed in the month); " +
		"a month marked † comes from a kept InspectionRun the status does not hold. " +
		"A ticket is overdue in the year when it was past its due time (T9: one day) and still open at some point of it.\n\n")

	p("## Summary · 汇总\n\n")
	p("| Site | Kind | Months passed | Months failed | No result | Takedowns | Tickets opened | Tickets closed | Tickets overdue | Runs kept |\n")
	p("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, s := range r.Sites {
		t := s.Totals
		p("| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d |\n", cell(s.key()), cell(s.kind()),
			t.MonthsPassed, t.MonthsFailed, t.MonthsMissing, t.Takedowns, t.TicketsOpened, t.TicketsClosed, t.TicketsOverdue, t.Runs)
	}
	t := r.Summary
	p("| **%d sites** | | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** |\n",
		t.Sites, t.MonthsPassed, t.MonthsFailed, t.MonthsMissing, t.Takedowns, t.TicketsOpened, t.TicketsClosed, t.TicketsOverdue, t.Runs)
	if len(r.Sites) == 0 {
		p("\nNo site has a record in %d.\n", r.Year)
	}

	for _, s := range r.Sites {
		p("\n## %s", cell(s.key()))
		if s.Organization != "" {
			p(" · %s", cell(s.Organization))
		}
		p("\n\n")
		if !s.Found {
			p("- The GovWebsite no longer exists; its kept takedowns and runs follow.\n")
		} else {
			p("- Kind: %s · Domains: %s · Site code (网站标识码): %s\n", cell(s.kind()), cell(strings.Join(s.Domains, ", ")), cell(orNone(s.SiteCode)))
			p("- Failing months in %d: %d%s\n", r.Year, s.Totals.MonthsFailed, consolidationNote(s.Totals.MonthsFailed))
			if s.Quota != nil {
				p("- Temporary takedowns gone live in %d (T3): %d of %d allowed\n", r.Year, s.Quota.Used, s.Quota.Allowed)
			}
			p("- At generation: state %s · last inspection %s · consecutive failing months %d\n",
				cell(orNone(string(s.State))), cell(lastInspection(s.Last, loc)), s.ConsecutiveFailingMonths)
		}

		p("\n### Monthly results · 月度检查结果\n\n")
		p("| Month | Verdict | Score | Run | Completed |\n|---|---|--:|---|---|\n")
		for _, m := range s.Months {
			if m.Verdict == "" {
				p("| %s | %s | %s | %s | %s |\n", m.Month, none, none, none, none)
				continue
			}
			mark := ""
			if m.Source == SourceRun {
				mark = " †"
			}
			p("| %s | %s%s | %s | %s | %s |\n", m.Month, m.Verdict, mark, score(m.Score), cell(m.Run), mdAt(m.Completed, loc))
		}

		p("\n### Takedowns · 关停\n\n")
		if len(s.Takedowns) == 0 {
			p("None in %d.\n", r.Year)
		} else {
			p("| Takedown | Type | Phase | Start | Planned end | Went down | Restored | Reason |\n|---|---|---|---|---|---|---|---|\n")
			for _, td := range s.Takedowns {
				p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", cell(td.Name), td.Type, cell(orNone(string(td.Phase))),
					td.Start.In(loc).Format(mdTime), mdAt(td.End, loc), mdAt(td.Activated, loc), mdAt(td.Restored, loc), cell(td.Reason))
			}
			for _, td := range s.Takedowns {
				if len(td.Timeline) == 0 {
					continue
				}
				p("\nTimeline of %s in %d:\n\n", cell(td.Name), r.Year)
				for _, e := range td.Timeline {
					p("- %s %s", e.Time.In(loc).Format(mdTime), cell(e.Phase))
					if e.Message != "" {
						p(": %s", cell(e.Message))
					}
					p("\n")
				}
			}
		}

		p("\n### Rectification tickets · 整改督办单\n\n")
		if len(s.Tickets) == 0 {
			p("None in %d.\n", r.Year)
		} else {
			p("| Ticket | Problem | Opened | Due | Closed | Status | Opened by | Closed by |\n|---|---|---|---|---|---|---|---|\n")
			for _, tk := range s.Tickets {
				p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", cell(tk.ID), cell(tk.Problem), tk.Opened.In(loc).Format(mdTime),
					tk.Due.In(loc).Format(mdTime), mdAt(tk.Closed, loc), tk.Status, cell(orNone(tk.OpenedBy)), cell(orNone(tk.ClosedBy)))
			}
		}

		p("\n### Inspection runs kept · 检查记录\n\n")
		if len(s.Runs) == 0 {
			p("None kept for %d.\n", r.Year)
		} else {
			p("| Run | Purpose | Phase | Time | Verdict | Score | Vetoes |\n|---|---|---|---|---|--:|---|\n")
			for _, run := range s.Runs {
				vetoes := strings.Join(run.Vetoes, " ")
				if run.FailureReason != "" {
					vetoes = strings.TrimSpace(vetoes + " run failed: " + run.FailureReason)
				}
				p("| %s | %s | %s | %s | %s | %s | %s |\n", cell(run.Name), run.Purpose, cell(orNone(string(run.Phase))),
					run.Time.In(loc).Format(mdTime), orNone(string(run.Verdict)), score(run.Score), cell(orNone(vetoes)))
			}
		}

		if len(s.History) > 0 {
			p("\n### Other record entries · 其他记录\n\n")
			p("Entries of status.complianceHistory in %d about objects no longer kept.\n\n", r.Year)
			p("| Time | Kind | Ref | Verdict | Score | Summary |\n|---|---|---|---|--:|---|\n")
			for _, h := range s.History {
				p("| %s | %s | %s | %s | %s | %s |\n", h.Time.In(loc).Format(mdTime), h.Kind, cell(orNone(h.Ref)),
					orNone(string(h.Verdict)), score(h.Score), cell(orNone(h.Summary)))
			}
		}
	}
	return b.Flush()
}

func (r Report) location() *time.Location {
	if r.Location == nil {
		return clock.Shanghai
	}
	return r.Location
}

func (r Report) scope() string {
	if r.Scope == "" {
		return "all namespaces"
	}
	return r.Scope
}

// zoneName names the calendar; clock.Shanghai is Asia/Shanghai even where
// it falls back to a fixed UTC+8 for want of a zoneinfo database.
func zoneName(loc *time.Location) string {
	if loc == clock.Shanghai {
		return "Asia/Shanghai"
	}
	return loc.String()
}

func (s Site) key() string { return s.Namespace + "/" + s.Name }

func (s Site) kind() string {
	switch {
	case !s.Found:
		return "(deleted)"
	case s.Kind == sgv1.SiteKindPortal:
		return "portal (门户网站)"
	case s.Kind == sgv1.SiteKindDepartment:
		return "department (部门网站)"
	}
	return orNone(string(s.Kind))
}

func consolidationNote(failed int) string {
	if failed > 3 {
		return " — more than three: consolidation recommended (T8)"
	}
	return ""
}

func lastInspection(l *sgv1.InspectionSummary, loc *time.Location) string {
	if l == nil {
		return none
	}
	out := l.Run
	if l.Verdict != "" {
		out += " " + string(l.Verdict)
	}
	if l.Score != nil {
		out += " " + strconv.Itoa(int(*l.Score))
	}
	if l.Time != nil {
		out += " at " + l.Time.In(loc).Format(mdTime)
	}
	return out
}

func mdAt(t *time.Time, loc *time.Location) string {
	if t == nil {
		return none
	}
	return t.In(loc).Format(mdTime)
}

func score(s *int32) string {
	if s == nil {
		return none
	}
	return strconv.Itoa(int(*s))
}

func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

// cell makes text safe inside a Markdown table cell: one line, pipes escaped.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
