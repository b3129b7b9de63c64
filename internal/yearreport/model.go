// Package yearreport builds the platform's site-management annual report
// (监管年度报表, published by 31 January: RULES.md §4, 004 §五) from what
// the cluster keeps: the GovWebsites' status (monthly results, tickets,
// compliance history), the TakedownRequests and the InspectionRuns still
// kept. Build is pure; Markdown and CSV render its model; List reads the
// objects through a controller-runtime client.
//
// Every date is read in the platform's calendar (Asia/Shanghai): a run
// completing at 2026-12-31T17:00Z belongs to January 2027.
package yearreport

import (
	"fmt"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
)

// Input is what the report is built from: every object in scope, of any
// year; Build keeps the ones relevant to the report's year.
type Input struct {
	Sites     []sgv1.GovWebsite
	Takedowns []sgv1.TakedownRequest
	Runs      []sgv1.InspectionRun
}

// Options of one report.
type Options struct {
	// Year reported, in the platform's calendar.
	Year int
	// Generated is the report's generation time: printed in the title and
	// the "now" that decides whether an open ticket is overdue.
	Generated time.Time
	// Scope says what was read, e.g. "all namespaces" or "namespace x".
	Scope string
	// Location is the calendar; clock.Shanghai when nil.
	Location *time.Location
}

// Report is the model both renderers print.
type Report struct {
	Year      int
	Generated time.Time
	Scope     string
	Location  *time.Location
	Summary   Totals
	Sites     []Site
}

// Totals count one site's year, or every site's.
type Totals struct {
	// Sites counted (1 for a site's own totals).
	Sites int
	// MonthsPassed and MonthsFailed are months with a result; MonthsMissing
	// are months without one.
	MonthsPassed, MonthsFailed, MonthsMissing int
	// Takedowns listed for the year.
	Takedowns int
	// TicketsOpened and TicketsClosed in the year; TicketsOverdue were past
	// their due time and still open at some point of the year (T9).
	TicketsOpened, TicketsClosed, TicketsOverdue int
	// Runs are the InspectionRuns still kept for the year.
	Runs int
}

// Site is one site's year.
type Site struct {
	Namespace, Name string
	// Found is false for a site whose GovWebsite no longer exists but whose
	// takedowns or runs are still kept.
	Found        bool
	Kind         sgv1.SiteKind
	Organization string
	SiteCode     string
	Domains      []string
	// State, Last and ConsecutiveFailingMonths are the site's status at the
	// time of reading, not of the year.
	State                    sgv1.SiteState
	Last                     *sgv1.InspectionSummary
	ConsecutiveFailingMonths int32
	// Quota is the T3 count of temporary takedowns when status holds the
	// reported year's.
	Quota *sgv1.TakedownQuota
	// Months are January to December.
	Months    [12]Month
	Takedowns []Takedown
	Tickets   []Ticket
	Runs      []Run
	// History are the year's status.complianceHistory entries about objects
	// the report does not list otherwise (deleted runs and takedowns).
	History []HistoryEntry
	Totals  Totals
}

// Month source values.
const (
	SourceStatus = "status" // status.monthlyResults
	SourceRun    = "run"    // a kept run status.monthlyResults does not hold (yet)
)

// Month is a calendar month's result (T8): the last full inspection
// (monthly or patrol) completed in it.
type Month struct {
	// Month is YYYY-MM.
	Month string
	// Verdict is empty for a month with no result.
	Verdict   sgv1.Verdict
	Score     *int32
	Run       string
	Completed *time.Time
	// Source is SourceStatus or SourceRun; empty with no result.
	Source string
}

// Takedown is one TakedownRequest of the year.
type Takedown struct {
	Name      string
	Type      sgv1.TakedownType
	Phase     sgv1.TakedownPhase
	Reason    string
	Start     time.Time
	End       *time.Time
	Activated *time.Time
	Restored  *time.Time
	// Timeline entries of the year, oldest first.
	Timeline []sgv1.TimelineEntry
}

// Ticket status values.
const (
	TicketOpen        = "open"
	TicketOpenOverdue = "open-overdue"
	TicketClosed      = "closed"
	TicketClosedLate  = "closed-late"
)

// Ticket is one rectification ticket (T9: 政府网站问题整改督办单).
type Ticket struct {
	ID, Problem        string
	Opened, Due        time.Time
	OpenedBy, ClosedBy string
	Closed             *time.Time
	// Status at generation time: open, open-overdue, closed, closed-late.
	Status string
	// OverdueInYear: past due and still open at some point of the year.
	OverdueInYear bool
}

// Run is one InspectionRun still kept.
type Run struct {
	Name    string
	Purpose sgv1.InspectionPurpose
	Phase   sgv1.InspectionPhase
	// Time is the completion time, else the start, else the creation.
	Time    time.Time
	Verdict sgv1.Verdict
	Score   *int32
	Vetoes  []string
	// FailureReason of a run that failed as infrastructure (not a verdict).
	FailureReason string
}

// HistoryEntry is one status.complianceHistory entry.
type HistoryEntry struct {
	Time    time.Time
	Kind    sgv1.ComplianceRecordKind
	Ref     string
	Verdict sgv1.Verdict
	Score   *int32
	Summary string
}

// year is the reported calendar year as a half-open interval.
type year struct {
	n          int
	start, end time.Time
	loc        *time.Location
}

func (y year) has(t time.Time) bool { return !t.Before(y.start) && t.Before(y.end) }

// overlaps says whether [from, to) meets the year; a nil to is open-ended.
func (y year) overlaps(from time.Time, to *time.Time) bool {
	return from.Before(y.end) && (to == nil || !to.Before(y.start))
}

func (y year) month(i int) string { return fmt.Sprintf("%04d-%02d", y.n, i+1) }

// monthIndex is t's month in the year, or -1 outside it.
func (y year) monthIndex(t time.Time) int {
	if !y.has(t) {
		return -1
	}
	return int(t.In(y.loc).Month()) - 1
}

type siteKey struct{ ns, name string }

// Build makes the report of opts.Year from the objects in in. It does not
// change in.
func Build(in Input, opts Options) Report {
	loc := opts.Location
	if loc == nil {
		loc = clock.Shanghai
	}
	y := year{n: opts.Year, loc: loc,
		start: time.Date(opts.Year, time.January, 1, 0, 0, 0, 0, loc),
		end:   time.Date(opts.Year+1, time.January, 1, 0, 0, 0, 0, loc)}

	sites := map[siteKey]*Site{}
	active := map[siteKey]bool{} // something of the year is about the site
	get := func(k siteKey) *Site {
		s, ok := sites[k]
		if !ok {
			s = &Site{Namespace: k.ns, Name: k.name}
			for i := range s.Months {
				s.Months[i].Month = y.month(i)
			}
			sites[k] = s
		}
		return s
	}

	for i := range in.Sites {
		gw := &in.Sites[i]
		k := siteKey{gw.Namespace, gw.Name}
		s := get(k)
		fillSite(s, gw, y)
		// A site existing before the year's end is reported even when it has
		// nothing in the year; a younger one only when something is about it.
		if gw.CreationTimestamp.IsZero() || gw.CreationTimestamp.Time.Before(y.end) {
			active[k] = true
		}
		if s.hasYear() {
			active[k] = true
		}
	}

	for i := range in.Takedowns {
		t := &in.Takedowns[i]
		if td, ok := takedownOf(t, y); ok {
			k := siteKey{t.Namespace, t.Spec.SiteRef.Name}
			s := get(k)
			s.Takedowns = append(s.Takedowns, td)
			active[k] = true
		}
	}

	fromRuns := map[siteKey]*[12]Month{}
	for i := range in.Runs {
		r := &in.Runs[i]
		if r.Spec.SiteRef == nil {
			continue // an ad-hoc run of a URL is about no hosted site
		}
		run := runOf(r)
		if !y.has(run.Time) {
			continue
		}
		k := siteKey{r.Namespace, r.Spec.SiteRef.Name}
		s := get(k)
		s.Runs = append(s.Runs, run)
		active[k] = true
		if countsForMonth(r) {
			m := fromRuns[k]
			if m == nil {
				m = &[12]Month{}
				fromRuns[k] = m
			}
			idx := y.monthIndex(run.Time)
			cur := m[idx]
			if cur.Completed == nil || before(*cur.Completed, cur.Run, run.Time, run.Name) {
				at := run.Time
				m[idx] = Month{Month: y.month(idx), Verdict: run.Verdict, Score: run.Score, Run: run.Name,
					Completed: &at, Source: SourceRun}
			}
		}
	}

	rep := Report{Year: opts.Year, Generated: opts.Generated, Scope: opts.Scope, Location: loc}
	for k, s := range sites {
		if !active[k] {
			continue
		}
		if m := fromRuns[k]; m != nil {
			for i := range s.Months {
				if s.Months[i].Verdict == "" && m[i].Verdict != "" {
					s.Months[i] = m[i]
				}
			}
		}
		finishSite(s, y, opts.Generated)
		rep.Sites = append(rep.Sites, *s)
	}
	sort.Slice(rep.Sites, func(i, j int) bool {
		a, b := rep.Sites[i], rep.Sites[j]
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})
	for _, s := range rep.Sites {
		rep.Summary.add(s.Totals)
	}
	return rep
}

// fillSite copies what the report needs of a GovWebsite.
func fillSite(s *Site, gw *sgv1.GovWebsite, y year) {
	s.Found = true
	s.Kind = gw.Spec.SiteKind
	s.Organization = gw.Spec.Organization.Name
	s.SiteCode = gw.Spec.SiteCode
	s.Domains = nil
	for _, d := range gw.Spec.Domains {
		s.Domains = append(s.Domains, string(d))
	}
	st := gw.Status
	s.State = st.State
	s.Last = st.LastInspection.DeepCopy()
	s.ConsecutiveFailingMonths = st.ConsecutiveFailingMonths
	if q := st.TakedownQuota; q != nil && int(q.Year) == y.n {
		s.Quota = q.DeepCopy()
	}
	for _, m := range st.MonthlyResults {
		t, err := time.ParseInLocation("2006-01", m.Month, y.loc)
		if err != nil || !y.has(t) {
			continue
		}
		idx := int(t.Month()) - 1
		cur := s.Months[idx]
		completed := m.Time.Time
		// status holds one entry per month; should it hold two, the later run wins.
		if cur.Completed == nil || before(*cur.Completed, cur.Run, completed, m.Run) {
			s.Months[idx] = Month{Month: m.Month, Verdict: m.Verdict, Score: copyInt(m.Score), Run: m.Run,
				Completed: &completed, Source: SourceStatus}
		}
	}
	for _, t := range st.Tickets {
		if !y.overlaps(t.OpenedAt.Time, timeOf(t.ClosedAt)) {
			continue
		}
		s.Tickets = append(s.Tickets, Ticket{ID: t.ID, Problem: t.Problem, Opened: t.OpenedAt.Time, Due: t.DueBy.Time,
			OpenedBy: t.OpenedBy, ClosedBy: t.ClosedBy, Closed: timeOf(t.ClosedAt)})
	}
	for _, h := range st.ComplianceHistory {
		if y.has(h.Time.Time) {
			s.History = append(s.History, HistoryEntry{Time: h.Time.Time, Kind: h.Kind, Ref: h.Ref,
				Verdict: h.Verdict, Score: copyInt(h.Score), Summary: h.Summary})
		}
	}
}

// hasYear says whether the site's status holds anything of the year.
func (s *Site) hasYear() bool {
	for _, m := range s.Months {
		if m.Verdict != "" {
			return true
		}
	}
	return len(s.Tickets) > 0 || len(s.History) > 0
}

// takedownOf is the takedown's entry when it belongs to the year: it was
// asked to start, went down, came back or moved in the year, or was in
// force during it.
func takedownOf(t *sgv1.TakedownRequest, y year) (Takedown, bool) {
	td := Takedown{Name: t.Name, Type: t.Spec.Type, Phase: t.Status.Phase, Reason: t.Spec.Reason,
		Start: t.Spec.Start.Time, End: timeOf(t.Spec.End), Activated: timeOf(t.Status.ActivatedAt),
		Restored: timeOf(t.Status.RestoredAt)}
	for _, e := range t.Status.Timeline {
		if y.has(e.Time.Time) {
			td.Timeline = append(td.Timeline, *e.DeepCopy())
		}
	}
	sort.SliceStable(td.Timeline, func(i, j int) bool { return td.Timeline[i].Time.Before(&td.Timeline[j].Time) })
	in := y.has(td.Start) || len(td.Timeline) > 0 ||
		(td.Activated != nil && y.overlaps(*td.Activated, td.Restored)) ||
		(td.Restored != nil && y.has(*td.Restored))
	return td, in
}

// runOf reads the report's view of a run.
func runOf(r *sgv1.InspectionRun) Run {
	out := Run{Name: r.Name, Purpose: r.Spec.Purpose, Phase: r.Status.Phase, Verdict: r.Status.Verdict,
		Score: copyInt(r.Status.Score), FailureReason: r.Status.FailureReason}
	switch {
	case r.Status.CompletionTime != nil:
		out.Time = r.Status.CompletionTime.Time
	case r.Status.StartTime != nil:
		out.Time = r.Status.StartTime.Time
	default:
		out.Time = r.CreationTimestamp.Time
	}
	for _, v := range r.Status.Vetoes {
		out.Vetoes = append(out.Vetoes, v.ID)
	}
	sort.Strings(out.Vetoes)
	return out
}

// countsForMonth: like the compliance record (T8), a month's verdict comes
// from a completed full inspection, the monthly run or the patrol.
func countsForMonth(r *sgv1.InspectionRun) bool {
	return (r.Spec.Purpose == sgv1.PurposeMonthly || r.Spec.Purpose == sgv1.PurposePatrol) &&
		r.Status.Phase == sgv1.InspectionSucceeded && r.Status.CompletionTime != nil && r.Status.Verdict != ""
}

// finishSite sorts the site's lists, drops the history entries about
// objects listed anyway and counts its totals.
func finishSite(s *Site, y year, now time.Time) {
	sort.Slice(s.Takedowns, func(i, j int) bool {
		a, b := s.Takedowns[i], s.Takedowns[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.Name < b.Name
	})
	sort.Slice(s.Tickets, func(i, j int) bool {
		a, b := s.Tickets[i], s.Tickets[j]
		if !a.Opened.Equal(b.Opened) {
			return a.Opened.Before(b.Opened)
		}
		return a.ID < b.ID
	})
	sort.Slice(s.Runs, func(i, j int) bool { return before(s.Runs[i].Time, s.Runs[i].Name, s.Runs[j].Time, s.Runs[j].Name) })

	listed := map[string]bool{}
	for _, r := range s.Runs {
		listed[r.Name] = true
	}
	for _, t := range s.Takedowns {
		listed[t.Name] = true
	}
	history := s.History[:0:0]
	for _, h := range s.History {
		if h.Ref == "" || !listed[h.Ref] {
			history = append(history, h)
		}
	}
	sort.SliceStable(history, func(i, j int) bool { return history[i].Time.Before(history[j].Time) })
	s.History = history

	t := Totals{Sites: 1, Takedowns: len(s.Takedowns), Runs: len(s.Runs)}
	for _, m := range s.Months {
		switch m.Verdict {
		case sgv1.VerdictPass:
			t.MonthsPassed++
		case sgv1.VerdictFail:
			t.MonthsFailed++
		default:
			t.MonthsMissing++
		}
	}
	for i := range s.Tickets {
		tk := &s.Tickets[i]
		switch {
		case tk.Closed == nil && now.After(tk.Due):
			tk.Status = TicketOpenOverdue
		case tk.Closed == nil:
			tk.Status = TicketOpen
		case tk.Closed.After(tk.Due):
			tk.Status = TicketClosedLate
		default:
			tk.Status = TicketClosed
		}
		// Past due and unfixed from Due until it closed (or until now).
		until := now
		if tk.Closed != nil {
			until = *tk.Closed
		}
		tk.OverdueInYear = until.After(tk.Due) && tk.Due.Before(y.end) && until.After(y.start)
		if y.has(tk.Opened) {
			t.TicketsOpened++
		}
		if tk.Closed != nil && y.has(*tk.Closed) {
			t.TicketsClosed++
		}
		if tk.OverdueInYear {
			t.TicketsOverdue++
		}
	}
	s.Totals = t
}

func (t *Totals) add(o Totals) {
	t.Sites += o.Sites
	t.MonthsPassed += o.MonthsPassed
	t.MonthsFailed += o.MonthsFailed
	t.MonthsMissing += o.MonthsMissing
	t.Takedowns += o.Takedowns
	t.TicketsOpened += o.TicketsOpened
	t.TicketsClosed += o.TicketsClosed
	t.TicketsOverdue += o.TicketsOverdue
	t.Runs += o.Runs
}

// before orders by time at status precision (seconds), then name, as the
// compliance record does.
func before(t1 time.Time, n1 string, t2 time.Time, n2 string) bool {
	if s1, s2 := t1.Unix(), t2.Unix(); s1 != s2 {
		return s1 < s2
	}
	return n1 < n2
}

func copyInt(p *int32) *int32 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func timeOf(t *metav1.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.Time
	return &v
}
