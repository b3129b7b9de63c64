package controller

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/compliance"
	"sitegroup.io/operator/internal/conditions"
)

// maxStatusBytes is the bound a GovWebsite's status keeps (issue 17): far
// below etcd's object limit, small for every watcher.
const maxStatusBytes = 64 << 10

// TestOneYearOfDailyRunsStaysBounded folds a hard year into a site's
// status, reconcile by reconcile as the controller does: a daily run every
// day, one veto a week with a long reason (a ticket, fixed the next day,
// its result filed and signed), a failing monthly run every third month,
// the V1 window each day, an S8 change every month, then measures the
// status as JSON.
func TestOneYearOfDailyRunsStaysBounded(t *testing.T) {
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, clock.Shanghai)
	longReason := strings.Repeat("首页栏目长期未更新，", 60) // well past the 512 characters a ticket keeps
	levels := []string{"unit", "city"}
	st := sgv1.GovWebsiteStatus{}
	var reports []sgv1.RectificationReport
	for day := 0; day < 365; day++ {
		at := start.AddDate(0, 0, day)
		run := compliance.Run{Name: fmt.Sprintf("edu-daily-%s", at.Format("200601021504")), Purpose: sgv1.PurposeDaily,
			Verdict: sgv1.VerdictPass, Checks: []sgv1.InspectionCheck{"availability", "homepage", "security", "identity"}, Completed: at}
		if day%7 == 0 {
			run.Verdict, run.Vetoes = sgv1.VerdictFail, []sgv1.Veto{{ID: "V2", Reason: longReason}}
		}
		runs := []compliance.Run{run}
		if at.Day() == 1 {
			score := int32(88)
			monthly := compliance.Run{Name: "edu-monthly-" + at.Format("200601"), Purpose: sgv1.PurposeMonthly, Verdict: sgv1.VerdictPass,
				Score: &score, Completed: at.Add(time.Hour)}
			if at.Month()%3 == 0 {
				monthly.Verdict, monthly.Vetoes = sgv1.VerdictFail, []sgv1.Veto{{ID: "V3", Reason: longReason}}
			}
			runs = append(runs, monthly)
		}
		lastProbe := metav1.NewTime(at)
		avail := &sgv1.AvailabilityStatus{Verdict: sgv1.VerdictPass, Sufficient: true, LastProbeTime: &lastProbe, Probes: 168, FailureRate: "0.0"}
		if w := compliance.WindowRun(avail, clock.Shanghai); w != nil {
			runs = append(runs, *w)
		}
		rec := compliance.Fold(compliance.FromStatus(st), runs, clock.Shanghai)
		// The department files and signs every open ticket's result the next day.
		signed := metav1.NewTime(at.Add(2 * time.Hour))
		for _, tk := range rec.Tickets {
			if tk.ClosedAt == nil && !hasReport(reports, tk.ID) {
				reports = append(reports, sgv1.RectificationReport{Ticket: tk.ID, Result: strings.Repeat("已整改，", 400),
					Approvals: []sgv1.Approval{{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionApproved, Time: &signed},
						{Level: "city", Approver: "zhang.wei", Decision: sgv1.DecisionApproved, Time: &signed}}})
			}
		}
		if len(reports) > sgv1.MaxTickets {
			reports = reports[len(reports)-sgv1.MaxTickets:] // the spec's list is bounded too
		}
		rec.Tickets = compliance.CloseTickets(rec.Tickets, reports, levels)
		st.LastInspection, st.MonthlyResults, st.ConsecutiveFailingMonths, st.Tickets = rec.Last, rec.Monthly, rec.ConsecutiveFailingMonths, rec.Tickets
		history := append(rec.History, compliance.TicketRecords(rec.Tickets)...)
		for _, r := range reports {
			history = append(history, compliance.ApprovalRecords("T9", r.Ticket, r.Approvals)...)
		}
		st.ComplianceHistory = mergeHistory(st.ComplianceHistory, history, sgv1.MaxComplianceHistory)
		st.Availability = avail
		if at.Day() == 15 && len(st.IdentityChanges) < sgv1.MaxIdentityChanges {
			st.IdentityChanges = append(st.IdentityChanges, sgv1.IdentityChange{ApprovedAt: metav1.NewTime(at), RequestedBy: "webmaster",
				Changes: []string{"domains: jyj.tjhp.gov.cn → jyj2.tjhp.gov.cn", "organization.name: 天津市和平区教育局 → 天津市和平区教育委员会"},
				Signers: []string{"unit chen.jing", "city zhang.wei", "province li.na"}})
		}
	}
	for _, typ := range []string{sgv1.ConditionApproved, sgv1.ConditionPlaced, sgv1.ConditionIsolated, sgv1.ConditionServing, sgv1.ConditionLaunched,
		sgv1.ConditionCertificateReady, sgv1.ConditionCompliant, sgv1.ConditionRectificationRequired, sgv1.ConditionConsolidationRecommended,
		sgv1.ConditionTicketsOverdue} {
		conditions.Set(&st.Conditions, 1, typ, metav1.ConditionTrue, "Reason", strings.Repeat("一条完整的说明，", 30))
	}
	conditions.MarkReady(&st.Conditions, 1, sgv1.ReasonServing, strings.Repeat("一条完整的说明，", 30))
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("status after a year: %d bytes; %d tickets, %d months, %d history entries", len(data), len(st.Tickets), len(st.MonthlyResults), len(st.ComplianceHistory))
	if len(data) >= maxStatusBytes {
		t.Errorf("a year of daily runs left a %d-byte status, want under %d", len(data), maxStatusBytes)
	}
	if len(st.Tickets) > sgv1.MaxTickets || len(st.MonthlyResults) > sgv1.MaxMonthlyResults || len(st.ComplianceHistory) > sgv1.MaxComplianceHistory {
		t.Errorf("a list past its bound: %d tickets, %d months, %d history", len(st.Tickets), len(st.MonthlyResults), len(st.ComplianceHistory))
	}
}

func hasReport(reports []sgv1.RectificationReport, ticket string) bool {
	for _, r := range reports {
		if r.Ticket == ticket {
			return true
		}
	}
	return false
}
