package compliance

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// wantTicket is a ticket's id and the run that found it fixed ("" while
// the problem is still found).
type wantTicket struct{ id, fixedBy string }

// checkTickets compares what the fold found: which problems later runs no
// longer find. The fold alone never closes a ticket (T9: CloseTickets).
func checkTickets(t *testing.T, got []sgv1.RectificationTicket, want []wantTicket) {
	t.Helper()
	ids := make([]wantTicket, 0, len(got))
	for _, tk := range got {
		ids = append(ids, wantTicket{tk.ID, tk.FixedBy})
		if !tk.DueBy.Time.Equal(tk.OpenedAt.Add(TicketDue)) {
			t.Errorf("T9 ticket %s due %v, want a day after %v", tk.ID, tk.DueBy, tk.OpenedAt)
		}
		if (tk.FixedAt == nil) != (tk.FixedBy == "") {
			t.Errorf("ticket %s: fixedAt %v and fixedBy %q disagree", tk.ID, tk.FixedAt, tk.FixedBy)
		}
		if tk.ClosedAt != nil {
			t.Errorf("ticket %s closed by the fold alone, without a signed result", tk.ID)
		}
	}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("tickets %v, want %v", ids, want)
	}
}

func TestFoldTickets(t *testing.T) {
	const t0, t1, t2 = "2026-11-20T22:10:00Z", "2026-11-21T22:10:00Z", "2026-11-22T22:10:00Z"
	daily := sgv1.PurposeDaily
	cases := []struct {
		name string
		rec  Record
		// folds: the runs present at each fold, in turn.
		folds [][]Run
		want  []wantTicket
	}{
		{"T9 a passing run opens nothing", Record{}, [][]Run{{run("r1", daily, t0)}}, []wantTicket{}},
		{"T9 a veto opens one ticket due a day later", Record{}, [][]Run{{run("r1", daily, t0, "V2")}},
			[]wantTicket{{"V2/r1", ""}}},
		{"T9 two vetoes open two tickets", Record{}, [][]Run{{run("r1", daily, t0, "V2", "V3")}},
			[]wantTicket{{"V2/r1", ""}, {"V3/r1", ""}}},
		{"T9 the same veto found again keeps one ticket", Record{}, [][]Run{{run("r1", daily, t0, "V2"), run("r2", daily, t1, "V2")}},
			[]wantTicket{{"V2/r1", ""}}},
		{"T9 the same veto found again in a later fold keeps one ticket", Record{},
			[][]Run{{run("r1", daily, t0, "V2")}, {run("r1", daily, t0, "V2"), run("r2", daily, t1, "V2")}},
			[]wantTicket{{"V2/r1", ""}}},
		{"T9 a run that no longer finds it closes it", Record{}, [][]Run{{run("r1", daily, t0, "V2"), run("r2", daily, t1)}},
			[]wantTicket{{"V2/r1", "r2"}}},
		{"T9 only the veto no longer found is closed", Record{}, [][]Run{{run("r1", daily, t0, "V2", "V3"), run("r2", daily, t1, "V3")}},
			[]wantTicket{{"V2/r1", "r2"}, {"V3/r1", ""}}},
		{"T9 a run restricted to other families does not close it", Record{},
			[][]Run{{run("r1", daily, t0, "V2"), withChecks(run("r2", daily, t1), "availability", "columns", "interaction", "security")}},
			[]wantTicket{{"V2/r1", ""}}},
		{"T9 a run restricted to the veto's family closes it", Record{},
			[][]Run{{run("r1", daily, t0, "V2"), withChecks(run("r2", daily, t1), "homepage")}},
			[]wantTicket{{"V2/r1", "r2"}}},
		{"T9 the veto found again after its fix opens a new ticket", Record{},
			[][]Run{{run("r1", daily, t0, "V2"), run("r2", daily, t1), run("r3", daily, t2, "V2")}},
			[]wantTicket{{"V2/r1", "r2"}, {"V2/r3", ""}}},
		{"T9 replays do not reopen a closed ticket", Record{},
			[][]Run{{run("r1", daily, t0, "V2"), run("r2", daily, t1)}, {run("r1", daily, t0, "V2"), run("r2", daily, t1)}, {run("r1", daily, t0, "V2"), run("r2", daily, t1)}},
			[]wantTicket{{"V2/r1", "r2"}}},
		{"T9 a closed ticket stays closed when its opening run is pruned", Record{},
			[][]Run{{run("r1", daily, t0, "V2"), run("r2", daily, t1)}, {run("r2", daily, t1)}},
			[]wantTicket{{"V2/r1", "r2"}}},
		{"T9 a run older than the ticket, arriving late, does not close it", Record{},
			[][]Run{{run("r2", daily, t1, "V2")}, {run("r1", daily, t0), run("r2", daily, t1, "V2")}},
			[]wantTicket{{"V2/r2", ""}}},
		{"T9 same second: a run earlier by name does not close the ticket", Record{},
			[][]Run{{run("r-b", daily, t0, "V2"), run("r-a", daily, t0)}},
			[]wantTicket{{"V2/r-b", ""}}},
		{"T9 same second: a run later by name closes the ticket", Record{},
			[][]Run{{run("r-a", daily, t0, "V2"), run("r-b", daily, t0)}},
			[]wantTicket{{"V2/r-a", "r-b"}}},
		{"T9 a ticket read from status is closed by a run that no longer finds it", statusRecord(),
			[][]Run{{run("r1", daily, t0)}},
			[]wantTicket{{"V4/monthly-2026-09", "r1"}}},
		{"T9 a ticket read from status is kept by a run that finds it again", statusRecord(),
			[][]Run{{run("r1", daily, t0, "V4")}},
			[]wantTicket{{"V4/monthly-2026-09", ""}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.rec
			for _, runs := range tt.folds {
				rec = Fold(rec, runs, shanghai)
			}
			checkTickets(t, rec.Tickets, tt.want)
		})
	}
}

func TestFoldTicketContent(t *testing.T) {
	r := run("daily-1", sgv1.PurposeDaily, "2026-11-21T22:10:00Z", "V2")
	r.Vetoes[0].Reason = strings.Repeat("首页", 400)
	rec := Fold(Record{}, []Run{r}, shanghai)
	if len(rec.Tickets) != 1 {
		t.Fatalf("tickets %+v", rec.Tickets)
	}
	tk := rec.Tickets[0]
	if !tk.OpenedAt.Time.Equal(r.Completed) || tk.OpenedBy != "daily-1" || !tk.DueBy.Time.Equal(utc("2026-11-22T22:10:00Z")) {
		t.Errorf("T9 ticket opened %v by %s, due %v: want opened when the run completed, due 24h later", tk.OpenedAt, tk.OpenedBy, tk.DueBy)
	}
	if !strings.HasPrefix(tk.Problem, "V2: 首页") || utf8.RuneCountInString(tk.Problem) > 512 {
		t.Errorf("problem %q (%d runes): want the rule id first, at most 512 runes", tk.Problem[:20], utf8.RuneCountInString(tk.Problem))
	}
	if len(tk.ID) > 300 {
		t.Errorf("ticket id too long: %d", len(tk.ID))
	}
}

// TestTicketFamilies: each veto is closed only by a run whose checks
// include its family (V1 availability … V5 security).
func TestTicketFamilies(t *testing.T) {
	// V1 is the prober's window's alone (issue 16): no inspection run fixes it.
	families := []sgv1.InspectionCheck{checkAvailabilityWindow, "homepage", "columns", "interaction", "security"}
	for i, family := range families {
		veto := fmt.Sprintf("V%d", i+1)
		var others []sgv1.InspectionCheck
		for _, f := range families {
			if f != family {
				others = append(others, f)
			}
		}
		opening := run("r1", sgv1.PurposeDaily, "2026-11-20T22:10:00Z", veto)
		t.Run(veto+" closed by a "+string(family)+" run", func(t *testing.T) {
			rec := Fold(Record{}, []Run{opening, withChecks(run("r2", sgv1.PurposeDaily, "2026-11-21T22:10:00Z"), family)}, shanghai)
			checkTickets(t, rec.Tickets, []wantTicket{{veto + "/r1", "r2"}}) // found fixed
		})
		t.Run(veto+" left open by a run of every other family", func(t *testing.T) {
			rec := Fold(Record{}, []Run{opening, withChecks(run("r2", sgv1.PurposeDaily, "2026-11-21T22:10:00Z"), others...)}, shanghai)
			checkTickets(t, rec.Tickets, []wantTicket{{veto + "/r1", ""}})
		})
	}
}

// testLevels is the rectification chain of the tests: the unit head, then the city office.
var testLevels = []string{"unit", "city"}

// signedReports are results for every ticket, signed by both levels at at.
func signedReports(tickets []sgv1.RectificationTicket, at time.Time) []sgv1.RectificationReport {
	signed := metav1.NewTime(at)
	var out []sgv1.RectificationReport
	for _, tk := range tickets {
		out = append(out, sgv1.RectificationReport{Ticket: tk.ID, Result: "fixed " + tk.ID, Approvals: []sgv1.Approval{
			{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionApproved, Time: &signed},
			{Level: "city", Approver: "zhang.wei", Decision: sgv1.DecisionApproved, Time: &signed}}})
	}
	return out
}

func TestCloseTickets(t *testing.T) {
	opened := utc("2026-11-20T22:10:00Z")
	fixedAt, signedAt := opened.Add(10*time.Hour), opened.Add(20*time.Hour)
	open := sgv1.RectificationTicket{ID: "V2/r1", Problem: "V2: stale", OpenedAt: metav1.NewTime(opened),
		DueBy: metav1.NewTime(opened.Add(TicketDue)), OpenedBy: "r1"}
	fixed := open
	fixed.FixedAt, fixed.FixedBy = ptrTime(fixedAt), "r2"
	at := func(d time.Time) *metav1.Time { return ptrTime(d) }
	sign := func(level, who string, decision sgv1.ApprovalDecision, when time.Time) sgv1.Approval {
		return sgv1.Approval{Level: level, Approver: who, Decision: decision, Time: at(when)}
	}
	report := func(approvals ...sgv1.Approval) []sgv1.RectificationReport {
		return []sgv1.RectificationReport{{Ticket: "V2/r1", Result: "更新了首页", Approvals: approvals}}
	}
	unit := sign("unit", "chen.jing", sgv1.DecisionApproved, signedAt.Add(-time.Hour))
	city := sign("city", "zhang.wei", sgv1.DecisionApproved, signedAt)
	cases := []struct {
		name       string
		ticket     sgv1.RectificationTicket
		reports    []sgv1.RectificationReport
		wantResult bool
		wantClosed *time.Time
	}{
		{"T9 fixed, no result filed: open", fixed, nil, false, nil},
		{"T9 fixed, result signed by the unit only: open", fixed, report(unit), false, nil},
		{"T9 fixed, result signed by both levels: closed when the last signed", fixed, report(unit, city), true, &signedAt},
		{"T9 result signed before the fix: closed when the run found it fixed",
			func() sgv1.RectificationTicket { f := fixed; f.FixedAt = at(signedAt.Add(time.Hour)); return f }(), report(unit, city), true, ptrT(signedAt.Add(time.Hour))},
		{"T9 signed result, problem still found: open", open, report(unit, city), true, nil},
		{"T9 a rejected result files nothing", fixed, report(unit, sign("city", "zhang.wei", sgv1.DecisionRejected, signedAt)), false, nil},
		{"T9 after a rejection, a new round signed by both closes it", fixed,
			report(unit, sign("city", "zhang.wei", sgv1.DecisionRejected, signedAt), unit, city), true, &signedAt},
		{"T9 a report for another ticket does not count", fixed,
			[]sgv1.RectificationReport{{Ticket: "V3/r1", Result: "x", Approvals: []sgv1.Approval{unit, city}}}, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := CloseTickets([]sgv1.RectificationTicket{tc.ticket}, tc.reports, testLevels)[0]
			if (got.ResultSignedAt != nil) != tc.wantResult || (tc.wantResult && (got.Result != "更新了首页" || len(got.ResultSigners) != 2)) {
				t.Errorf("result %q signed at %v by %v, want filed: %v", got.Result, got.ResultSignedAt, got.ResultSigners, tc.wantResult)
			}
			switch {
			case tc.wantClosed == nil && got.ClosedAt != nil:
				t.Errorf("closed at %v, want open", got.ClosedAt)
			case tc.wantClosed != nil && (got.ClosedAt == nil || !got.ClosedAt.Time.Equal(*tc.wantClosed) || got.ClosedBy != got.FixedBy):
				t.Errorf("closed at %v by %q, want at %v by the fixing run", got.ClosedAt, got.ClosedBy, tc.wantClosed)
			}
		})
	}
}

func ptrT(t time.Time) *time.Time { return &t }

func TestFoldBoundsTickets(t *testing.T) {
	openSince := func(id string) sgv1.RectificationTicket {
		at := utc("2025-12-01T00:00:00Z")
		return sgv1.RectificationTicket{ID: id + "/old", Problem: id + ": old", OpenedBy: "old",
			OpenedAt: metav1.NewTime(at), DueBy: metav1.NewTime(at.Add(TicketDue))}
	}
	withOpen := Record{Tickets: []sgv1.RectificationTicket{openSince("V1"), openSince("V4"), openSince("V5")}}
	cases := []struct {
		name           string
		rec            Record
		episodes       int
		total, open    int
		oldestClosedBy string // the oldest closed ticket kept
	}{
		{"T9 7 closed tickets are all kept", Record{}, 7, 7, 0, "daily-001"},
		{"T9 8 closed tickets are all kept", Record{}, 8, 8, 0, "daily-001"},
		{"T9 9 closed tickets: the oldest closed goes", Record{}, 9, 8, 0, "daily-003"},
		{"T9 40 closed tickets: the newest 8 stay", Record{}, 40, 8, 0, "daily-065"},
		{"T9 3 open and 29 closed: every open one, the newest 8 closed", withOpen, 29, 11, 3, "daily-043"},
		{"T9 3 open and 40 closed: every open one stays, the newest closed fill up", withOpen, 40, 11, 3, "daily-065"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			// Each episode is fixed and its result signed promptly, so
			// each ticket closes before the next opens; each reconcile
			// sees the episode's two runs (older ones are pruned).
			rec, runs := tt.rec, ticketEpisodes(tt.episodes)
			for i := 2; i <= len(runs); i += 2 {
				rec = Fold(rec, runs[i-2:i], shanghai)
				rec.Tickets = CloseTickets(rec.Tickets, signedReports(rec.Tickets, runs[i-1].Completed), testLevels)
			}
			open, oldestClosed := 0, ""
			for i, tk := range rec.Tickets {
				if tk.ClosedAt == nil {
					open++
				} else if oldestClosed == "" {
					oldestClosed = tk.ClosedBy
				}
				if i > 0 && tk.OpenedAt.Before(&rec.Tickets[i-1].OpenedAt) {
					t.Errorf("tickets not oldest first at %d", i)
				}
			}
			if len(rec.Tickets) != tt.total || open != tt.open || oldestClosed != tt.oldestClosedBy {
				t.Errorf("%d tickets, %d open, oldest closed by %s; want %d, %d, %s", len(rec.Tickets), open, oldestClosed, tt.total, tt.open, tt.oldestClosedBy)
			}
		})
	}
}

func TestOverdue(t *testing.T) {
	opened := utc("2026-11-21T22:10:00Z")
	open := sgv1.RectificationTicket{ID: "V2/r1", OpenedAt: metav1.NewTime(opened), DueBy: metav1.NewTime(opened.Add(TicketDue)), OpenedBy: "r1"}
	fixedLate := open
	fixedLate.ID, fixedLate.ClosedAt, fixedLate.ClosedBy = "V3/r1", ptrTime(opened.Add(30*time.Hour)), "r9"
	fixedInTime := open
	fixedInTime.ID, fixedInTime.ClosedAt, fixedInTime.ClosedBy = "V5/r1", ptrTime(opened.Add(2*time.Hour)), "r2"
	cases := []struct {
		name    string
		tickets []sgv1.RectificationTicket
		after   time.Duration
		want    []string
	}{
		{"T9 no tickets", nil, 48 * time.Hour, nil},
		{"T9 open 23h59m is not overdue", []sgv1.RectificationTicket{open}, 23*time.Hour + 59*time.Minute, nil},
		{"T9 open exactly 24h is not overdue yet", []sgv1.RectificationTicket{open}, 24 * time.Hour, nil},
		{"T9 open 24h01m is overdue", []sgv1.RectificationTicket{open}, 24*time.Hour + time.Minute, []string{"V2/r1"}},
		{"T9 a ticket closed late is no longer overdue", []sgv1.RectificationTicket{fixedLate}, 48 * time.Hour, nil},
		{"T9 only the open ticket is overdue", []sgv1.RectificationTicket{fixedInTime, open, fixedLate}, 48 * time.Hour, []string{"V2/r1"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range Overdue(tt.tickets, opened.Add(tt.after)) {
				got = append(got, tk.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("overdue %v, want %v", got, tt.want)
			}
		})
	}
	if n := OpenTickets([]sgv1.RectificationTicket{fixedInTime, open, fixedLate}); n != 1 {
		t.Errorf("%d open tickets, want 1", n)
	}
}

// TestWindowRun: V1, its month and its ticket come from the prober's
// 7-day window, nowhere else (issue 16).
func TestWindowRun(t *testing.T) {
	at := metav1.NewTime(utc("2026-11-20T02:00:00Z"))
	window := func(v sgv1.Verdict, sufficient bool) *sgv1.AvailabilityStatus {
		return &sgv1.AvailabilityStatus{Verdict: v, Sufficient: sufficient, LastProbeTime: &at, Probes: 168, Failed: 9, FailureRate: "5.4"}
	}
	if WindowRun(nil, shanghai) != nil || WindowRun(window(sgv1.VerdictFail, false), shanghai) != nil {
		t.Error("a window without enough probes judges nothing")
	}
	failing := *WindowRun(window(sgv1.VerdictFail, true), shanghai)
	if failing.Name != "availability-2026-11-20" || len(failing.Vetoes) != 1 || failing.Vetoes[0].ID != "V1" {
		t.Fatalf("failing window: %+v", failing)
	}
	monthly := run("monthly-2026-11", sgv1.PurposeMonthly, "2026-11-01T02:00:00Z")
	rec := Fold(Record{}, []Run{monthly, failing}, shanghai)
	if len(rec.Monthly) != 1 || rec.Monthly[0].Verdict != sgv1.VerdictFail || rec.Monthly[0].Run != failing.Name {
		t.Errorf("V1's month: %+v, want 2026-11 failed by the window", rec.Monthly)
	}
	if rec.Last == nil || rec.Last.Run != "monthly-2026-11" {
		t.Errorf("the last inspection is a run, never the window: %+v", rec.Last)
	}
	checkTickets(t, rec.Tickets, []wantTicket{{"V1/availability-2026-11-20", ""}})

	By := func(runs ...Run) Record { return Fold(rec, runs, shanghai) }
	later := run("monthly-late", sgv1.PurposeMonthly, "2026-11-25T02:00:00Z")
	daily := run("daily-1", sgv1.PurposeDaily, "2026-11-21T22:00:00Z")
	next := By(later, daily)
	if next.Monthly[0].Verdict != sgv1.VerdictFail {
		t.Errorf("a later passing run of the month does not undo V1's failure: %+v", next.Monthly)
	}
	checkTickets(t, next.Tickets, []wantTicket{{"V1/availability-2026-11-20", ""}}) // no run but the window fixes V1
	passAt := metav1.NewTime(utc("2026-11-28T02:00:00Z"))
	passing := window(sgv1.VerdictPass, true)
	passing.LastProbeTime = &passAt
	fixed := By(later, daily, *WindowRun(passing, shanghai))
	checkTickets(t, fixed.Tickets, []wantTicket{{"V1/availability-2026-11-20", "availability-2026-11-28"}})
	for _, h := range fixed.History {
		if h.Ref == "availability-2026-11-28" {
			t.Errorf("a passing window is not history: %+v", h)
		}
	}
}
