package compliance

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// utc reads an RFC 3339 time.
func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func score(n int32) *int32 { return &n }

func vetoes(ids ...string) []sgv1.Veto {
	out := make([]sgv1.Veto, 0, len(ids))
	for _, id := range ids {
		out = append(out, sgv1.Veto{ID: id, Reason: "found by the inspector: " + id})
	}
	return out
}

// run is a completed run; it fails when it found vetoes.
func run(name string, p sgv1.InspectionPurpose, completed string, ids ...string) Run {
	r := Run{Name: name, Purpose: p, Verdict: sgv1.VerdictPass, Score: score(90), Completed: utc(completed)}
	if len(ids) > 0 {
		r.Verdict, r.Score, r.Vetoes = sgv1.VerdictFail, score(0), vetoes(ids...)
	}
	return r
}

// withChecks restricts a run to some check families.
func withChecks(r Run, checks ...sgv1.InspectionCheck) Run {
	r.Checks = checks
	return r
}

// failing is a run that failed on points (score below 60), with no veto.
func failing(r Run) Run {
	r.Verdict, r.Score = sgv1.VerdictFail, score(55)
	return r
}

// monthRun is the monthly run of a month ("2026-11") in Shanghai, at 03:00
// on the 1st (the default schedule starts it at 02:00).
func monthRun(month string, v sgv1.Verdict) Run {
	t, err := time.ParseInLocation("2006-01", month, shanghai)
	if err != nil {
		panic(err)
	}
	r := Run{Name: "monthly-" + month, Purpose: sgv1.PurposeMonthly, Verdict: v, Score: score(85),
		Completed: t.Add(3 * time.Hour)}
	if v == sgv1.VerdictFail {
		r.Score = score(40)
	}
	return r
}

// monthRuns builds monthly runs from "2026-11:fail" / "2026-12:pass".
func monthRuns(specs ...string) []Run {
	var out []Run
	for _, s := range specs {
		month, verdict, _ := strings.Cut(s, ":")
		out = append(out, monthRun(month, sgv1.Verdict(verdict)))
	}
	return out
}

// consecutiveMonths lists n months from the first, all with verdict v.
func consecutiveMonths(first string, n int, v sgv1.Verdict) []Run {
	t, err := time.Parse("2006-01", first)
	if err != nil {
		panic(err)
	}
	var out []Run
	for i := range n {
		out = append(out, monthRun(t.AddDate(0, i, 0).Format("2006-01"), v))
	}
	return out
}

// ticketEpisodes: runs on consecutive days alternately finding and no longer
// finding V2, n of each, restricted to the homepage family.
func ticketEpisodes(n int) []Run {
	start := utc("2026-01-01T00:00:00Z")
	var out []Run
	for i := range 2 * n {
		at := start.Add(time.Duration(i) * 24 * time.Hour).Format(time.RFC3339)
		name := fmt.Sprintf("daily-%03d", i)
		if i%2 == 0 {
			out = append(out, withChecks(run(name, sgv1.PurposeDaily, at, "V2"), "homepage"))
		} else {
			out = append(out, withChecks(run(name, sgv1.PurposeDaily, at), "homepage"))
		}
	}
	return out
}

// mixedRuns exercise every part of the record: last run, months, tickets, history.
func mixedRuns() []Run {
	return []Run{
		run("prelaunch", sgv1.PurposePrelaunch, "2026-09-20T02:00:00Z"),
		run("monthly-2026-10", sgv1.PurposeMonthly, "2026-09-30T19:00:00Z", "V3"),
		run("daily-1", sgv1.PurposeDaily, "2026-10-01T22:10:00Z", "V3", "V2"),
		run("daily-2", sgv1.PurposeDaily, "2026-10-02T22:10:00Z", "V2"),
		failing(run("monthly-2026-11", sgv1.PurposeMonthly, "2026-10-31T19:00:00Z")),
		run("patrol-2026-11", sgv1.PurposePatrol, "2026-11-01T19:30:00Z"),
		withChecks(run("selfcheck", sgv1.PurposeSelfcheck, "2026-11-10T04:00:00Z"), "columns"),
		run("daily-3", sgv1.PurposeDaily, "2026-11-20T22:10:00Z", "V5"),
		run("daily-4", sgv1.PurposeDaily, "2026-11-21T22:10:00Z"),
		// Two runs in the same second: the name orders them.
		run("daily-5a", sgv1.PurposeDaily, "2026-11-22T22:10:00Z", "V1"),
		run("daily-5b", sgv1.PurposeDaily, "2026-11-22T22:10:00Z"),
	}
}

// statusRecord is a record as a site's status holds it before the runs.
func statusRecord() Record {
	return FromStatus(sgv1.GovWebsiteStatus{
		LastInspection: &sgv1.InspectionSummary{Run: "monthly-2026-09", Purpose: sgv1.PurposeMonthly, Verdict: sgv1.VerdictFail,
			Score: score(40), Time: ptrTime(utc("2026-08-31T19:00:00Z"))},
		MonthlyResults: []sgv1.MonthlyResult{
			{Month: "2026-08", Verdict: sgv1.VerdictFail, Run: "monthly-2026-08", Time: metav1.NewTime(utc("2026-07-31T19:00:00Z"))},
			{Month: "2026-09", Verdict: sgv1.VerdictFail, Run: "monthly-2026-09", Time: metav1.NewTime(utc("2026-08-31T19:00:00Z"))},
		},
		ConsecutiveFailingMonths: 2,
		Tickets: []sgv1.RectificationTicket{{ID: "V4/monthly-2026-09", Problem: "V4: no answer", OpenedBy: "monthly-2026-09",
			OpenedAt: metav1.NewTime(utc("2026-08-31T19:00:00Z")), DueBy: metav1.NewTime(utc("2026-09-01T19:00:00Z"))}},
	})
}

func ptrTime(t time.Time) *metav1.Time {
	m := metav1.NewTime(t)
	return &m
}

func TestFoldIsIdempotent(t *testing.T) {
	cases := []struct {
		name string
		rec  Record
		runs []Run
	}{
		{"no runs", Record{}, nil},
		{"only passing daily monitoring", Record{}, []Run{run("d1", sgv1.PurposeDaily, "2026-11-21T22:10:00Z"), run("d2", sgv1.PurposeDaily, "2026-11-22T22:10:00Z")}},
		{"T8/T9 every part of the record", Record{}, mixedRuns()},
		{"T8/T9 onto a record read from status", statusRecord(), mixedRuns()},
		{"T8 more months than the bound of 24", Record{}, consecutiveMonths("2024-01", 30, sgv1.VerdictFail)},
		{"T9 more closed tickets than the bound of 32", Record{}, ticketEpisodes(40)},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			once := Fold(tt.rec, tt.runs, shanghai)
			twice := Fold(once, tt.runs, shanghai)
			if !reflect.DeepEqual(once, twice) {
				t.Errorf("replaying the runs changed the record:\nonce  %+v\ntwice %+v", once, twice)
			}
		})
	}
}

// TestFoldRunsArrivingOneByOne: the controller folds the runs present each
// time; a new run joins the ones already counted (oldest first).
func TestFoldRunsArrivingOneByOne(t *testing.T) {
	for _, tt := range []struct {
		name string
		runs []Run
	}{
		{"T8/T9 every part of the record", mixedRuns()},
		{"T9 more closed tickets than the bound of 32", ticketEpisodes(40)},
		{"T8 more months than the bound of 24", consecutiveMonths("2024-01", 30, sgv1.VerdictFail)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			all := Fold(Record{}, tt.runs, shanghai)
			rec := Record{}
			for i := range tt.runs {
				rec = Fold(rec, tt.runs[:i+1], shanghai)
			}
			rec.History, all.History = nil, nil // history is per fold: the last fold adds every run present
			if !reflect.DeepEqual(rec, all) {
				t.Errorf("folding one run at a time differs from folding them all:\nstep by step %+v\nall at once   %+v", rec, all)
			}
		})
	}
}

func TestFoldIsOrderIndependent(t *testing.T) {
	runs := mixedRuns()
	want := Fold(Record{}, runs, shanghai)
	reversed := make([]Run, len(runs))
	for i, r := range runs {
		reversed[len(runs)-1-i] = r
	}
	orders := map[string][]Run{"reversed": reversed}
	rng := rand.New(rand.NewSource(1))
	for i := range 5 {
		shuffled := append([]Run(nil), runs...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		orders[fmt.Sprintf("shuffled %d", i)] = shuffled
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			if got := Fold(Record{}, order, shanghai); !reflect.DeepEqual(got, want) {
				t.Errorf("the order of the runs changed the record:\ngot  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestFoldDoesNotChangeItsInput(t *testing.T) {
	rec := statusRecord()
	snapshot := FromStatus(sgv1.GovWebsiteStatus{LastInspection: rec.Last, MonthlyResults: append([]sgv1.MonthlyResult(nil), rec.Monthly...),
		ConsecutiveFailingMonths: rec.ConsecutiveFailingMonths, Tickets: append([]sgv1.RectificationTicket(nil), rec.Tickets...)})
	Fold(rec, mixedRuns(), shanghai)
	if !reflect.DeepEqual(rec, snapshot) {
		t.Errorf("Fold changed the record it was given:\n%+v\nwas\n%+v", rec, snapshot)
	}
}

func TestFoldSameSecond(t *testing.T) {
	// Status keeps seconds: runs completing in the same second are ordered by name.
	a := monthRun("2026-12", sgv1.VerdictFail)
	a.Name, a.Completed = "monthly-a", utc("2026-11-30T19:00:00.900Z")
	b := monthRun("2026-12", sgv1.VerdictPass)
	b.Name, b.Completed = "monthly-b", utc("2026-11-30T19:00:00.100Z")
	for _, order := range [][]Run{{a, b}, {b, a}} {
		rec := Fold(Record{}, order, shanghai)
		if rec.Last.Run != "monthly-b" {
			t.Errorf("order %s,%s: last run %s, want monthly-b (same second, later name)", order[0].Name, order[1].Name, rec.Last.Run)
		}
		if len(rec.Monthly) != 1 || rec.Monthly[0].Run != "monthly-b" || rec.Monthly[0].Verdict != sgv1.VerdictPass {
			t.Errorf("order %s,%s: months %+v, want 2026-12 decided by monthly-b", order[0].Name, order[1].Name, rec.Monthly)
		}
		if again := Fold(rec, order, shanghai); !reflect.DeepEqual(again.Monthly, rec.Monthly) || again.Last.Run != rec.Last.Run {
			t.Errorf("replaying same-second runs changed the record: %+v", again)
		}
	}
}

func TestFoldMonthInShanghai(t *testing.T) {
	cases := []struct {
		name      string
		completed string
		month     string
	}{
		{"T8 15:59:59Z on Nov 30 is 23:59:59 in Shanghai: November", "2026-11-30T15:59:59Z", "2026-11"},
		{"T8 16:00Z on Nov 30 is midnight Dec 1 in Shanghai: December", "2026-11-30T16:00:00Z", "2026-12"},
		{"T8 16:30Z on Nov 30 belongs to December", "2026-11-30T16:30:00Z", "2026-12"},
		{"T8 16:00Z on Dec 31 is already next year in Shanghai", "2026-12-31T16:00:00Z", "2027-01"},
		{"T8 15:59Z on Dec 31 is still this year", "2026-12-31T15:59:00Z", "2026-12"},
		{"T8 the monthly run at 02:00 on the 1st, 18:00Z the day before", "2026-11-30T18:00:00Z", "2026-12"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Record{}, []Run{run("m", sgv1.PurposeMonthly, tt.completed)}, shanghai)
			if len(rec.Monthly) != 1 || rec.Monthly[0].Month != tt.month {
				t.Errorf("months %+v, want %s", rec.Monthly, tt.month)
			}
		})
	}
}

func TestFoldMonthlyResultsOnlyFromFullInspections(t *testing.T) {
	cases := []struct {
		purpose sgv1.InspectionPurpose
		counts  bool
	}{
		{sgv1.PurposeMonthly, true},
		{sgv1.PurposePatrol, true},
		{sgv1.PurposeDaily, false},
		{sgv1.PurposeSelfcheck, false},
		{sgv1.PurposePrelaunch, false},
		{sgv1.PurposePrereturn, false},
	}
	for _, tt := range cases {
		name := fmt.Sprintf("T8 a %s run does not decide the month", tt.purpose)
		if tt.counts {
			name = fmt.Sprintf("T8 a %s run decides the month", tt.purpose)
		}
		t.Run(name, func(t *testing.T) {
			rec := Fold(Record{}, []Run{run("r", tt.purpose, "2026-11-05T04:00:00Z", "V2")}, shanghai)
			if got := len(rec.Monthly) == 1; got != tt.counts {
				t.Errorf("months %+v, want a month: %v", rec.Monthly, tt.counts)
			}
			if rec.Last == nil || rec.Last.Run != "r" || rec.Last.Purpose != tt.purpose {
				t.Errorf("every run is the last run when newest: %+v", rec.Last)
			}
		})
	}
}

func TestFoldMonthReplacement(t *testing.T) {
	early := failing(run("monthly-2026-11", sgv1.PurposeMonthly, "2026-10-31T19:00:00Z"))
	late := run("patrol-2026-11", sgv1.PurposePatrol, "2026-11-01T19:30:00Z")
	lateSameSecond := run("patrol-2026-11-b", sgv1.PurposePatrol, "2026-11-01T19:30:00Z", "V5")
	otherMonth := run("monthly-2026-12", sgv1.PurposeMonthly, "2026-11-30T19:00:00Z")
	cases := []struct {
		name    string
		first   []Run // folded first (already in status)
		then    []Run // folded afterwards
		wantRun map[string]string
	}{
		{"T8 a later run of the month replaces an earlier one", []Run{early}, []Run{late}, map[string]string{"2026-11": "patrol-2026-11"}},
		{"T8 an earlier run of the month does not replace a later one", []Run{late}, []Run{early}, map[string]string{"2026-11": "patrol-2026-11"}},
		{"T8 same second: the later name replaces", []Run{late}, []Run{lateSameSecond}, map[string]string{"2026-11": "patrol-2026-11-b"}},
		{"T8 same second: the earlier name does not replace", []Run{lateSameSecond}, []Run{late}, map[string]string{"2026-11": "patrol-2026-11-b"}},
		{"T8 a replayed run keeps its month", []Run{early}, []Run{early}, map[string]string{"2026-11": "monthly-2026-11"}},
		{"T8 another month is added beside", []Run{early}, []Run{otherMonth}, map[string]string{"2026-11": "monthly-2026-11", "2026-12": "monthly-2026-12"}},
		{"T8 an older month arriving late is added in order", []Run{otherMonth}, []Run{early}, map[string]string{"2026-11": "monthly-2026-11", "2026-12": "monthly-2026-12"}},
		{"T8 daily monitoring later in the month replaces nothing", []Run{early}, []Run{run("daily", sgv1.PurposeDaily, "2026-11-20T22:00:00Z")}, map[string]string{"2026-11": "monthly-2026-11"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Fold(Record{}, tt.first, shanghai), tt.then, shanghai)
			got := map[string]string{}
			for i, m := range rec.Monthly {
				got[m.Month] = m.Run
				if i > 0 && rec.Monthly[i-1].Month >= m.Month {
					t.Errorf("months out of order: %+v", rec.Monthly)
				}
			}
			if !reflect.DeepEqual(got, tt.wantRun) {
				t.Errorf("months %v, want %v", got, tt.wantRun)
			}
		})
	}
}

func TestFoldLastRunIsTheNewest(t *testing.T) {
	older := run("older", sgv1.PurposeDaily, "2026-11-20T22:00:00Z")
	newer := run("newer", sgv1.PurposeSelfcheck, "2026-11-21T22:00:00Z", "V3")
	for _, tt := range []struct {
		name        string
		first, then []Run
		want        string
	}{
		{"a newer run becomes the last", []Run{older}, []Run{newer}, "newer"},
		{"an older run arriving late does not", []Run{newer}, []Run{older}, "newer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Fold(Record{}, tt.first, shanghai), tt.then, shanghai)
			if rec.Last == nil || rec.Last.Run != tt.want {
				t.Errorf("last %+v, want %s", rec.Last, tt.want)
			}
		})
	}
	rec := Fold(Record{}, []Run{newer}, shanghai)
	if rec.Last.Verdict != sgv1.VerdictFail || *rec.Last.Score != 0 || rec.Last.Purpose != sgv1.PurposeSelfcheck || !rec.Last.Time.Time.Equal(newer.Completed) {
		t.Errorf("the last run's summary is incomplete: %+v", rec.Last)
	}
}

func TestFoldBoundsMonths(t *testing.T) {
	cases := []struct {
		name         string
		months       int
		first, final string
	}{
		{"T8 23 months are all kept", 23, "2024-01", "2025-11"},
		{"T8 24 months are all kept", 24, "2024-01", "2025-12"},
		{"T8 25 months: the oldest goes", 25, "2024-02", "2026-01"},
		{"T8 30 months: the newest 24 stay", 30, "2024-07", "2026-06"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Record{}, consecutiveMonths("2024-01", tt.months, sgv1.VerdictPass), shanghai)
			n := len(rec.Monthly)
			if n != min(tt.months, sgv1.MaxMonthlyResults) || rec.Monthly[0].Month != tt.first || rec.Monthly[n-1].Month != tt.final {
				t.Errorf("%d months from %s to %s, want %d from %s to %s", n, rec.Monthly[0].Month, rec.Monthly[n-1].Month,
					min(tt.months, sgv1.MaxMonthlyResults), tt.first, tt.final)
			}
		})
	}
}

func TestConsecutiveFailingMonths(t *testing.T) {
	cases := []struct {
		name   string
		months []string
		want   int32
	}{
		{"T8 no months", nil, 0},
		{"T8 one passing month", []string{"2026-11:pass"}, 0},
		{"T8 one failing month", []string{"2026-11:fail"}, 1},
		{"T8 two failing months in a row", []string{"2026-10:fail", "2026-11:fail"}, 2},
		{"T8 three failing months in a row", []string{"2026-09:fail", "2026-10:fail", "2026-11:fail"}, 3},
		{"T8 a pass breaks the row", []string{"2026-09:fail", "2026-10:pass", "2026-11:fail"}, 1},
		{"T8 a newest pass counts zero", []string{"2026-10:fail", "2026-11:fail", "2026-12:pass"}, 0},
		{"T8 a month without result breaks the row", []string{"2026-09:fail", "2026-11:fail"}, 1},
		{"T8 the row runs across the new year", []string{"2026-12:fail", "2027-01:fail"}, 2},
		{"T8 the same month a year apart is no row", []string{"2026-01:fail", "2027-01:fail"}, 1},
		{"T8 December to January a year later is no row", []string{"2025-12:fail", "2027-01:fail"}, 1},
		{"T8 only the newest row counts", []string{"2026-01:fail", "2026-02:fail", "2026-03:fail", "2026-04:pass", "2026-05:fail", "2026-06:fail"}, 2},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Record{}, monthRuns(tt.months...), shanghai)
			if rec.ConsecutiveFailingMonths != tt.want {
				t.Errorf("%d consecutive failing months, want %d (%+v)", rec.ConsecutiveFailingMonths, tt.want, rec.Monthly)
			}
		})
	}
}

func TestFailingMonthsIn(t *testing.T) {
	months := Fold(Record{}, monthRuns("2025-11:fail", "2025-12:fail", "2026-01:fail", "2026-02:pass", "2026-03:fail",
		"2026-12:fail", "2027-01:fail"), shanghai).Monthly
	cases := []struct {
		name string
		year int
		want int
	}{
		{"T8 counts only the year's failing months", 2026, 3},
		{"T8 the year before", 2025, 2},
		{"T8 the year after", 2027, 1},
		{"T8 a year without months", 2024, 0},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := FailingMonthsIn(months, tt.year); got != tt.want {
				t.Errorf("%d failing months in %d, want %d", got, tt.year, tt.want)
			}
		})
	}
	if got := FailingMonthsIn([]sgv1.MonthlyResult{{Month: "2026", Verdict: sgv1.VerdictFail}}, 2026); got != 0 {
		t.Errorf("a malformed month counts: %d", got)
	}
}

func TestFoldHistory(t *testing.T) {
	cases := []struct {
		name  string
		run   Run
		added bool
		parts []string
	}{
		{"passing daily monitoring stays out of the history", run("d", sgv1.PurposeDaily, "2026-11-21T22:00:00Z"), false, nil},
		{"failing daily monitoring goes in with its vetoes", run("d", sgv1.PurposeDaily, "2026-11-21T22:00:00Z", "V1", "V3"), true,
			[]string{"daily inspection fail", "score 0", "V1", "V3"}},
		{"a passing monthly run goes in", run("m", sgv1.PurposeMonthly, "2026-11-21T22:00:00Z"), true, []string{"monthly inspection pass, score 90"}},
		{"a passing self-check goes in", run("s", sgv1.PurposeSelfcheck, "2026-11-21T22:00:00Z"), true, []string{"selfcheck inspection pass"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Record{}, []Run{tt.run}, shanghai)
			if (len(rec.History) == 1) != tt.added {
				t.Fatalf("history %+v, want an entry: %v", rec.History, tt.added)
			}
			if !tt.added {
				return
			}
			h := rec.History[0]
			if h.Kind != "Inspection" || h.Ref != tt.run.Name || h.Verdict != tt.run.Verdict || !h.Time.Time.Equal(tt.run.Completed) {
				t.Errorf("history entry %+v", h)
			}
			for _, p := range tt.parts {
				if !strings.Contains(h.Summary, p) {
					t.Errorf("summary %q lacks %q", h.Summary, p)
				}
			}
		})
	}
}
