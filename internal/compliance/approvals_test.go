package compliance

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func TestApprovalRecords(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	cases := []struct {
		name      string
		approvals []sgv1.Approval
		want      []string // summaries, in order
	}{
		{"no signatures, no records", nil, nil},
		{"an approval names the rule, signer, level, reference and comment",
			[]sgv1.Approval{{Level: "city", Approver: "zhang.wei", Decision: sgv1.DecisionApproved, Time: &at, Reference: "津政办〔2026〕12号", Comment: "同意"}},
			[]string{"S1: zhang.wei approved at level city (津政办〔2026〕12号): 同意"}},
		{"a rejection is recorded as one",
			[]sgv1.Approval{{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionRejected, Time: &at, Comment: "材料不全"}},
			[]string{"S1: chen.jing rejected at level unit: 材料不全"}},
		{"every round stays: a rejection, then a new round's approval",
			[]sgv1.Approval{{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionRejected, Time: &at},
				{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionApproved, Time: &at}},
			[]string{"S1: chen.jing rejected at level unit", "S1: chen.jing approved at level unit"}},
		{"an undated signature has no place in a dated record",
			[]sgv1.Approval{{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionApproved}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ApprovalRecords("S1", "edu", tc.approvals)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d records %v, want %d", len(got), got, len(tc.want))
			}
			for i, r := range got {
				if r.Summary != tc.want[i] || r.Kind != sgv1.RecordApproval || r.Ref != "edu" || !r.Time.Equal(&at) {
					t.Errorf("record %d = %+v, want summary %q of edu at %s", i, r, tc.want[i], at)
				}
			}
		})
	}
}

func TestTicketRecords(t *testing.T) {
	opened := metav1.NewTime(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	closed := metav1.NewTime(opened.Add(20 * time.Hour))
	open := sgv1.RectificationTicket{ID: "V2/run-1", Problem: "V2: homepage stale", OpenedAt: opened, DueBy: metav1.NewTime(opened.Add(24 * time.Hour)), OpenedBy: "run-1"}
	done := open
	done.ClosedAt, done.ClosedBy = &closed, "run-2"

	if got := TicketRecords([]sgv1.RectificationTicket{open}); len(got) != 1 || !strings.Contains(got[0].Summary, "T9: ticket opened by run run-1: V2: homepage stale; due by 2026-03-03 09:00 UTC") {
		t.Errorf("open ticket: %+v", got)
	}
	got := TicketRecords([]sgv1.RectificationTicket{done})
	if len(got) != 2 || got[1].Kind != sgv1.RecordRectification || !got[1].Time.Equal(&closed) || !strings.Contains(got[1].Summary, "run run-2 no longer finds the problem") {
		t.Errorf("closed ticket: %+v", got)
	}
}

func TestMissingMonths(t *testing.T) {
	month := func(m string, v sgv1.Verdict) sgv1.MonthlyResult { return sgv1.MonthlyResult{Month: m, Verdict: v} }
	launched := time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai) // launched mid-March
	now := time.Date(2026, 7, 1, 0, 30, 0, 0, shanghai)      // just into July: June is complete
	cases := []struct {
		name   string
		months []sgv1.MonthlyResult
		now    time.Time
		want   []string
	}{
		{"T8 every complete month has a result", []sgv1.MonthlyResult{month("2026-03", sgv1.VerdictPass), month("2026-04", sgv1.VerdictFail),
			month("2026-05", sgv1.VerdictPass), month("2026-06", sgv1.VerdictPass)}, now, nil},
		{"T8 a month nobody inspected is missing, not passing", []sgv1.MonthlyResult{month("2026-03", sgv1.VerdictPass),
			month("2026-05", sgv1.VerdictPass), month("2026-06", sgv1.VerdictPass)}, now, []string{"2026-04"}},
		{"T8 the launch month counts from launch", nil, now, []string{"2026-03", "2026-04", "2026-05", "2026-06"}},
		{"T8 the month under way is not missing yet", []sgv1.MonthlyResult{month("2026-03", sgv1.VerdictPass), month("2026-04", sgv1.VerdictPass),
			month("2026-05", sgv1.VerdictPass)}, time.Date(2026, 6, 30, 23, 59, 0, 0, shanghai), nil},
		{"T8 at most two years back", nil, time.Date(2029, 1, 1, 0, 0, 0, 0, shanghai), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := MissingMonths(tc.months, launched, tc.now, shanghai)
			if tc.name == "T8 at most two years back" {
				if len(got) != sgv1.MaxMonthlyResults || got[0] != "2027-01" || got[len(got)-1] != "2028-12" {
					t.Errorf("got %d months %v, want the 24 months 2027-01 … 2028-12", len(got), got)
				}
				return
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("missing %v, want %v", got, tc.want)
			}
		})
	}
	if got := MissingMonths(nil, time.Time{}, now, shanghai); got != nil {
		t.Errorf("a site never launched has no missing months, got %v", got)
	}
}

func TestFailingMonthList(t *testing.T) {
	months := []sgv1.MonthlyResult{{Month: "2025-12", Verdict: sgv1.VerdictFail}, {Month: "2026-01", Verdict: sgv1.VerdictFail},
		{Month: "2026-02", Verdict: sgv1.VerdictPass}, {Month: "2026-03", Verdict: sgv1.VerdictFail}, {Month: "2026-05", Verdict: sgv1.VerdictFail}}
	if got := FailingMonthList(months, 2026); strings.Join(got, ",") != "2026-01,2026-03,2026-05" || FailingMonthsIn(months, 2026) != 3 {
		t.Errorf("failing months of 2026: %v", got)
	}
}
