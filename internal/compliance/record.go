// Package compliance folds completed inspection runs into a site's record,
// the part of its status an auditor reads: the last run, the monthly
// results and failing-month counts (T8), and the rectification tickets (T9).
// It is pure: the GovWebsite controller feeds it the runs it lists and the
// status it read, with the time from its injected clock.
package compliance

import (
	"fmt"
	"slices"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Rules of T8 and T9 (RULES.md §2).
const (
	// RectificationAfterMonths failing in a row start the rectification
	// procedure (T8: 连续2个月不合格).
	RectificationAfterMonths = 2
	// ConsolidationAfterMonths: more than three failing months in a calendar
	// year recommend closing or merging the site (T8).
	ConsolidationAfterMonths = 3
	// TicketDue is the time a severe problem may stay unfixed (T9: 不超过1天).
	TicketDue = 24 * time.Hour
)

// Run is what the record needs of one completed InspectionRun.
type Run struct {
	Name      string
	Purpose   sgv1.InspectionPurpose
	Verdict   sgv1.Verdict
	Score     *int32
	Vetoes    []sgv1.Veto
	Checks    []sgv1.InspectionCheck // empty: all families ran
	Completed time.Time
}

// Record is the inspection part of a site's status.
type Record struct {
	Last                     *sgv1.InspectionSummary
	Monthly                  []sgv1.MonthlyResult
	ConsecutiveFailingMonths int32
	Tickets                  []sgv1.RectificationTicket
	// History are the entries the fold adds to status.complianceHistory.
	History []sgv1.ComplianceRecord
}

// FromStatus reads the record a site's status already holds.
func FromStatus(st sgv1.GovWebsiteStatus) Record {
	return Record{Last: st.LastInspection, Monthly: st.MonthlyResults,
		ConsecutiveFailingMonths: st.ConsecutiveFailingMonths, Tickets: st.Tickets}
}

// Fold replays the site's present runs, oldest first, onto the record.
// Every step is guarded so that replaying a run already counted changes
// nothing: the fold is idempotent, whatever order runs reach the cache in
// and even when they complete in the same second.
func Fold(rec Record, runs []Run, loc *time.Location) Record {
	out := Record{Last: rec.Last, Monthly: append([]sgv1.MonthlyResult(nil), rec.Monthly...),
		Tickets: append([]sgv1.RectificationTicket(nil), rec.Tickets...)}
	for _, run := range sorted(runs) {
		if !isWindowRun(run) && (out.Last == nil || out.Last.Time == nil || before(out.Last.Time.Time, out.Last.Run, run.Completed, run.Name)) {
			at := metav1.NewTime(run.Completed)
			out.Last = &sgv1.InspectionSummary{Run: run.Name, Purpose: run.Purpose, Verdict: run.Verdict, Score: run.Score, Time: &at}
		}
		if countsForMonth(run) {
			out.Monthly = setMonth(out.Monthly, sgv1.MonthlyResult{Month: run.Completed.In(loc).Format("2006-01"),
				Verdict: run.Verdict, Score: run.Score, Run: run.Name, Time: metav1.NewTime(run.Completed)})
		}
		out.Tickets = foldTickets(out.Tickets, run)
		if entry, ok := historyEntry(run); ok {
			out.History = append(out.History, entry)
		}
	}
	out.Monthly = boundMonths(out.Monthly)
	out.Tickets = boundTickets(out.Tickets)
	out.ConsecutiveFailingMonths = consecutiveFailing(out.Monthly)
	return out
}

// sorted orders runs by completion (then name).
func sorted(runs []Run) []Run {
	out := append([]Run(nil), runs...)
	sort.Slice(out, func(i, j int) bool { return before(out[i].Completed, out[i].Name, out[j].Completed, out[j].Name) })
	return out
}

// before orders runs by completion time at status precision (seconds), then name.
func before(t1 time.Time, n1 string, t2 time.Time, n2 string) bool {
	s1, s2 := t1.Unix(), t2.Unix()
	if s1 != s2 {
		return s1 < s2
	}
	return n1 < n2
}

// countsForMonth: the month's verdict comes from a full inspection — the
// monthly run or the quarterly patrol — not from daily monitoring.
func countsForMonth(run Run) bool {
	if isWindowRun(run) {
		return run.Verdict == sgv1.VerdictFail // V1 failed that month (the window's own pass decides no month)
	}
	// T8: a national or provincial check's result is the month's result too.
	p := run.Purpose
	return p == sgv1.PurposeMonthly || p == sgv1.PurposePatrol || p == sgv1.PurposeExternal || p == sgv1.PurposeSpotcheck
}

// setMonth records a month's result; only a later run of the same month
// replaces it.
func setMonth(months []sgv1.MonthlyResult, m sgv1.MonthlyResult) []sgv1.MonthlyResult {
	for i := range months {
		if months[i].Month == m.Month {
			if fromWindow(months[i]) && months[i].Run != m.Run {
				return months // V1 failed that month: a later run does not undo it
			}
			if months[i].Run == m.Run || before(months[i].Time.Time, months[i].Run, m.Time.Time, m.Run) {
				months[i] = m
			}
			return months
		}
	}
	months = append(months, m)
	sort.Slice(months, func(i, j int) bool { return months[i].Month < months[j].Month })
	return months
}

func boundMonths(months []sgv1.MonthlyResult) []sgv1.MonthlyResult {
	if n := len(months); n > sgv1.MaxMonthlyResults {
		return months[n-sgv1.MaxMonthlyResults:]
	}
	return months
}

// consecutiveFailing counts the newest months that failed, in a row of
// calendar months: a month with no result breaks the row.
func consecutiveFailing(months []sgv1.MonthlyResult) int32 {
	var n int32
	next := ""
	for i := len(months) - 1; i >= 0; i-- {
		m := months[i]
		if m.Verdict != sgv1.VerdictFail || (next != "" && nextMonth(m.Month) != next) {
			break
		}
		n++
		next = m.Month
	}
	return n
}

func nextMonth(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 1, 0).Format("2006-01")
}

// FailingMonthsIn counts a calendar year's failing months (T8: more than
// three recommend consolidation).
func FailingMonthsIn(months []sgv1.MonthlyResult, year int) int {
	return len(FailingMonthList(months, year))
}

// FailingMonthList names a calendar year's failing months, oldest first.
func FailingMonthList(months []sgv1.MonthlyResult, year int) []string {
	var out []string
	prefix := fmt.Sprintf("%04d-", year)
	for _, m := range months {
		if len(m.Month) > 5 && m.Month[:5] == prefix && m.Verdict == sgv1.VerdictFail {
			out = append(out, m.Month)
		}
	}
	return out
}

// MissingMonths are the complete months since the site launched that have
// no result (T8: a month nobody inspected, a suspended site's month, is
// shown as missing, never counted as passing), oldest first, at most the
// MaxMonthlyResults months before now's month.
func MissingMonths(months []sgv1.MonthlyResult, launched, now time.Time, loc *time.Location) []string {
	if launched.IsZero() || !launched.Before(now) {
		return nil
	}
	have := map[string]bool{}
	for _, m := range months {
		have[m.Month] = true
	}
	current := now.In(loc).Format("2006-01")
	first := launched.In(loc).Format("2006-01")
	var out []string
	for m, n := current, 0; n < sgv1.MaxMonthlyResults; n++ {
		m = previousMonth(m)
		if m < first {
			break
		}
		if !have[m] {
			out = append(out, m)
		}
	}
	slices.Reverse(out)
	return out
}

func previousMonth(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	return t.AddDate(0, -1, 0).Format("2006-01")
}

// historyEntry: every run but passing daily monitoring goes into the
// auditor's history (daily passes would push everything else out of it).
func historyEntry(run Run) (sgv1.ComplianceRecord, bool) {
	if (run.Purpose == sgv1.PurposeDaily || isWindowRun(run)) && run.Verdict == sgv1.VerdictPass {
		return sgv1.ComplianceRecord{}, false
	}
	summary := fmt.Sprintf("%s inspection %s", run.Purpose, run.Verdict)
	if run.Score != nil {
		summary += fmt.Sprintf(", score %d", *run.Score)
	}
	for _, v := range run.Vetoes {
		summary += "; " + v.ID
	}
	return sgv1.ComplianceRecord{Time: metav1.NewTime(run.Completed), Kind: sgv1.RecordInspection, Ref: run.Name,
		Verdict: run.Verdict, Score: run.Score, Summary: cut(summary, 512)}, true
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
