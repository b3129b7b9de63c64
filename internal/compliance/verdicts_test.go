package compliance

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

type wantVerdict struct {
	status metav1.ConditionStatus
	reason string
	parts  []string // each must appear in the message
}

func verdictOf(t *testing.T, vs []Verdict, typ string) Verdict {
	t.Helper()
	for _, v := range vs {
		if v.Type == typ {
			return v
		}
	}
	t.Fatalf("no %s verdict in %+v", typ, vs)
	return Verdict{}
}

func checkVerdict(t *testing.T, got Verdict, want wantVerdict) {
	t.Helper()
	if got.Status != want.status || got.Reason != want.reason {
		t.Errorf("%s %s/%s, want %s/%s (message %q)", got.Type, got.Status, got.Reason, want.status, want.reason, got.Message)
	}
	for _, p := range want.parts {
		if !strings.Contains(got.Message, p) {
			t.Errorf("%s message %q lacks %q", got.Type, got.Message, p)
		}
	}
}

// now is late in November 2026 in Shanghai.
var verdictNow = utc("2026-11-25T02:00:00Z")

func TestVerdictsAreAllSet(t *testing.T) {
	vs := Verdicts(Record{}, nil, verdictNow, shanghai)
	types := []string{}
	for _, v := range vs {
		types = append(types, v.Type)
		if v.Status == "" || v.Reason == "" || v.Message == "" {
			t.Errorf("incomplete verdict %+v", v)
		}
	}
	want := []string{sgv1.ConditionCompliant, sgv1.ConditionRectificationRequired, sgv1.ConditionConsolidationRecommended, sgv1.ConditionTicketsOverdue}
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Errorf("verdicts %v, want %v", types, want)
	}
}

func TestCompliantVerdict(t *testing.T) {
	availPass := &sgv1.AvailabilityStatus{Probes: 168, Failed: 2, FailureRate: "1.2", Verdict: sgv1.VerdictPass}
	availFail := &sgv1.AvailabilityStatus{Probes: 168, Failed: 9, FailureRate: "5.4", Verdict: sgv1.VerdictFail}
	passingMonth := Fold(Record{}, monthRuns("2026-10:fail", "2026-11:pass"), shanghai)
	failingMonth := Fold(Record{}, monthRuns("2026-10:pass", "2026-11:fail"), shanghai)
	openTicket := Fold(Record{}, []Run{run("daily-1", sgv1.PurposeDaily, "2026-11-21T22:10:00Z", "V2")}, shanghai)
	closedTicket := Fold(Record{}, []Run{run("daily-1", sgv1.PurposeDaily, "2026-11-21T22:10:00Z", "V2"),
		run("daily-2", sgv1.PurposeDaily, "2026-11-22T22:10:00Z")}, shanghai)
	fixedUnsigned := closedTicket
	closedTicket.Tickets = CloseTickets(closedTicket.Tickets, signedReports(closedTicket.Tickets, utc("2026-11-22T23:00:00Z")), testLevels)
	onlyDaily := Fold(Record{}, []Run{run("daily-1", sgv1.PurposeDaily, "2026-11-21T22:10:00Z")}, shanghai)
	cases := []struct {
		name  string
		rec   Record
		avail *sgv1.AvailabilityStatus
		want  wantVerdict
	}{
		{"nothing inspected yet: unknown", Record{}, nil, wantVerdict{metav1.ConditionUnknown, "NotInspected", []string{"no inspection"}}},
		{"nothing inspected, V1 window passing: still unknown", Record{}, availPass, wantVerdict{metav1.ConditionUnknown, "NotInspected", nil}},
		{"V1 nothing inspected but the window fails: not compliant", Record{}, availFail,
			wantVerdict{metav1.ConditionFalse, "NotCompliant", []string{"V1: 5.4% of 168 probes failed"}}},
		{"the last month passed", passingMonth, availPass, wantVerdict{metav1.ConditionTrue, "Compliant", []string{"monthly-2026-11", "pass"}}},
		{"only daily monitoring so far, passing", onlyDaily, nil, wantVerdict{metav1.ConditionTrue, "Compliant", []string{"daily-1"}}},
		{"T8 the last month failed", failingMonth, nil,
			wantVerdict{metav1.ConditionFalse, "NotCompliant", []string{"month 2026-11 failed (run monthly-2026-11)"}}},
		{"T9 a ticket is open", openTicket, nil, wantVerdict{metav1.ConditionFalse, "NotCompliant", []string{"1 rectification ticket(s) open (T9)"}}},
		{"T9 the ticket was closed", closedTicket, nil, wantVerdict{metav1.ConditionTrue, "Compliant", []string{"daily-2"}}},
		{"T9 fixed but its result unsigned: still open", fixedUnsigned, nil, wantVerdict{metav1.ConditionFalse, "NotCompliant", []string{"1 rectification ticket(s) open (T9)"}}},
		{"V1 the window fails", passingMonth, availFail, wantVerdict{metav1.ConditionFalse, "NotCompliant", []string{"V1: 5.4% of 168 probes"}}},
		{"T8 T9 V1 every problem is named", Fold(failingMonth, openTicketRuns(), shanghai), availFail,
			wantVerdict{metav1.ConditionFalse, "NotCompliant", []string{"month 2026-11 failed", "ticket(s) open", "V1:"}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			checkVerdict(t, verdictOf(t, Verdicts(tt.rec, tt.avail, verdictNow, shanghai), sgv1.ConditionCompliant), tt.want)
		})
	}
}

func openTicketRuns() []Run {
	return []Run{run("daily-9", sgv1.PurposeDaily, "2026-11-23T22:10:00Z", "V5")}
}

func TestRectificationRequiredVerdict(t *testing.T) {
	cases := []struct {
		name   string
		months []string
		want   wantVerdict
	}{
		{"T8 no months", nil, wantVerdict{metav1.ConditionFalse, "FewerThanTwoFailingMonths", []string{"0 consecutive"}}},
		{"T8 one failing month does not start rectification", []string{"2026-10:pass", "2026-11:fail"},
			wantVerdict{metav1.ConditionFalse, "FewerThanTwoFailingMonths", []string{"1 consecutive failing month"}}},
		{"T8 two failing months in a row start rectification", []string{"2026-10:fail", "2026-11:fail"},
			wantVerdict{metav1.ConditionTrue, "ConsecutiveFailingMonths", []string{"T8: 2 consecutive failing months (up to 2026-11)"}}},
		{"T8 three failing months in a row", []string{"2026-09:fail", "2026-10:fail", "2026-11:fail"},
			wantVerdict{metav1.ConditionTrue, "ConsecutiveFailingMonths", []string{"T8: 3 consecutive"}}},
		{"T8 two failing months with a gap do not", []string{"2026-09:fail", "2026-11:fail"},
			wantVerdict{metav1.ConditionFalse, "FewerThanTwoFailingMonths", []string{"1 consecutive"}}},
		{"T8 a passing month ends it", []string{"2026-09:fail", "2026-10:fail", "2026-11:pass"},
			wantVerdict{metav1.ConditionFalse, "FewerThanTwoFailingMonths", []string{"0 consecutive"}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Record{}, monthRuns(tt.months...), shanghai)
			checkVerdict(t, verdictOf(t, Verdicts(rec, nil, verdictNow, shanghai), sgv1.ConditionRectificationRequired), tt.want)
		})
	}
}

func TestConsolidationRecommendedVerdict(t *testing.T) {
	cases := []struct {
		name   string
		months []string
		now    time.Time
		want   wantVerdict
	}{
		{"T8 three failing months in the year are not more than three",
			[]string{"2026-01:fail", "2026-03:fail", "2026-05:fail", "2026-06:pass"}, verdictNow,
			wantVerdict{metav1.ConditionFalse, "FewFailingMonths", []string{"3 failing month(s) in 2026"}}},
		{"T8 four failing months in the year recommend consolidation",
			[]string{"2026-01:fail", "2026-03:fail", "2026-05:fail", "2026-07:fail", "2026-08:pass"}, verdictNow,
			wantVerdict{metav1.ConditionTrue, "ManyFailingMonths", []string{"T8: 4 failing months in 2026 (more than 3)"}}},
		{"T8 months of the year before are not counted",
			[]string{"2025-11:fail", "2025-12:fail", "2026-01:fail", "2026-02:fail", "2026-03:fail"}, verdictNow,
			wantVerdict{metav1.ConditionFalse, "FewFailingMonths", []string{"3 failing month(s) in 2026"}}},
		{"T8 a new year in Shanghai starts from zero (16:00Z on Dec 31)",
			[]string{"2026-01:fail", "2026-03:fail", "2026-05:fail", "2026-07:fail"}, utc("2026-12-31T16:00:00Z"),
			wantVerdict{metav1.ConditionFalse, "FewFailingMonths", []string{"0 failing month(s) in 2027"}}},
		{"T8 still the old year in Shanghai at 15:59Z on Dec 31",
			[]string{"2026-01:fail", "2026-03:fail", "2026-05:fail", "2026-07:fail"}, utc("2026-12-31T15:59:00Z"),
			wantVerdict{metav1.ConditionTrue, "ManyFailingMonths", []string{"in 2026"}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			rec := Fold(Record{}, monthRuns(tt.months...), shanghai)
			checkVerdict(t, verdictOf(t, Verdicts(rec, nil, tt.now, shanghai), sgv1.ConditionConsolidationRecommended), tt.want)
		})
	}
}

func TestTicketsOverdueVerdict(t *testing.T) {
	opening := []Run{run("daily-1", sgv1.PurposeDaily, "2026-11-21T22:10:00Z", "V2", "V3")}
	rec := Fold(Record{}, opening, shanghai)
	fixed := Fold(rec, append(opening, run("daily-2", sgv1.PurposeDaily, "2026-11-22T23:00:00Z")), shanghai)
	fixed.Tickets = CloseTickets(fixed.Tickets, signedReports(fixed.Tickets, utc("2026-11-22T23:30:00Z")), testLevels)
	cases := []struct {
		name string
		rec  Record
		now  time.Time
		want wantVerdict
	}{
		{"T9 no tickets", Record{}, verdictNow, wantVerdict{metav1.ConditionFalse, "NoneOverdue", nil}},
		{"T9 open for 23h59m", rec, utc("2026-11-22T22:09:00Z"), wantVerdict{metav1.ConditionFalse, "NoneOverdue", nil}},
		{"T9 open for 24h01m", rec, utc("2026-11-22T22:11:00Z"),
			wantVerdict{metav1.ConditionTrue, "Overdue", []string{"T9: 2 ticket(s)", "V2/daily-1, V3/daily-1"}}},
		{"T9 fixed late: no longer overdue", fixed, utc("2026-11-23T22:11:00Z"), wantVerdict{metav1.ConditionFalse, "NoneOverdue", nil}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			checkVerdict(t, verdictOf(t, Verdicts(tt.rec, nil, tt.now, shanghai), sgv1.ConditionTicketsOverdue), tt.want)
		})
	}
}
