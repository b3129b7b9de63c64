package takedown

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var (
	start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	end   = start.Add(20 * Day)
)

func limits() Limits {
	return Limits{MaxTemporaryDays: 30, ReturnWindowDays: 7, PermanentNoticeDays: 30, DeregistrationDays: 90,
		TakedownLevels: []string{"unit", "city", "province"}, ReturnLevels: []string{"unit", "city"}}
}

func ok(level string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: level + "-signer", Decision: sgv1.DecisionApproved}
}

func no(level string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: level + "-signer", Decision: sgv1.DecisionRejected, Comment: "资料不全"}
}

// req builds a request; mutate shapes it per case.
func req(typ sgv1.TakedownType, phase sgv1.TakedownPhase, mutate ...func(*sgv1.TakedownRequest)) *sgv1.TakedownRequest {
	t := &sgv1.TakedownRequest{Spec: sgv1.TakedownRequestSpec{Type: typ, Start: metav1.NewTime(start)}}
	if typ == sgv1.TakedownTemporary {
		t.Spec.End = &metav1.Time{Time: end}
	}
	t.Status.Phase = phase
	if InForce(phase) {
		t.Status.ActivatedAt = &metav1.Time{Time: start}
	}
	for _, m := range mutate {
		m(t)
	}
	return t
}

func approvals(a ...sgv1.Approval) func(*sgv1.TakedownRequest) {
	return func(t *sgv1.TakedownRequest) { t.Spec.Approvals = a }
}

func returnFiled(at time.Time, a ...sgv1.Approval) func(*sgv1.TakedownRequest) {
	return func(t *sgv1.TakedownRequest) {
		t.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: metav1.NewTime(at), SelfCheck: "自查通过", Approvals: a}
	}
}

func cancel(t *sgv1.TakedownRequest) { t.Spec.Cancel = true }

func run(phase sgv1.InspectionPhase, v sgv1.Verdict) *RunOutcome {
	return &RunOutcome{Name: "edu-prereturn", Phase: phase, Verdict: v}
}

func TestNext(t *testing.T) {
	all := approvals(ok("unit"), ok("city"), ok("province"))
	inWindow := end.Add(-3 * Day)
	tests := []struct {
		name      string
		t         *sgv1.TakedownRequest
		limits    func(*Limits)
		facts     Facts
		want      sgv1.TakedownPhase
		reason    string
		requeueAt time.Time
		prereturn bool
		archive   bool
		warning   bool
	}{
		// T1: approval up the chain.
		{name: "T1 new request waits for every level", t: req(sgv1.TakedownTemporary, ""), facts: Facts{Now: start.Add(-5 * Day)},
			want: sgv1.TakedownPending, reason: "AwaitingApproval"},
		{name: "T1 the city and province are still missing", t: req(sgv1.TakedownTemporary, sgv1.TakedownPending, approvals(ok("unit"))), facts: Facts{Now: start.Add(-5 * Day)},
			want: sgv1.TakedownPending, reason: "AwaitingApproval"},
		{name: "T1 a rejection ends the request", t: req(sgv1.TakedownTemporary, sgv1.TakedownPending, approvals(ok("unit"), no("city"))), facts: Facts{Now: start},
			want: sgv1.TakedownRejected, reason: "Rejected"},
		{name: "T1 a later approval of the rejecting level does not override the rejection", t: req(sgv1.TakedownTemporary, sgv1.TakedownPending, approvals(ok("unit"), no("city"), ok("city"), ok("province"))), facts: Facts{Now: start.Add(-Day)},
			want: sgv1.TakedownPending, reason: "AwaitingApproval"},
		{name: "withdrawn while pending", t: req(sgv1.TakedownTemporary, sgv1.TakedownPending, cancel), facts: Facts{Now: start},
			want: sgv1.TakedownCancelled},
		{name: "approved waits for its start", t: req(sgv1.TakedownTemporary, sgv1.TakedownPending, all), facts: Facts{Now: start.Add(-time.Second)},
			want: sgv1.TakedownApproved, requeueAt: start},
		{name: "approved and withdrawn before start", t: req(sgv1.TakedownTemporary, sgv1.TakedownApproved, all, cancel), facts: Facts{Now: start.Add(-Day)},
			want: sgv1.TakedownCancelled},
		{name: "T5 goes live at its start", t: req(sgv1.TakedownTemporary, sgv1.TakedownApproved, all), facts: Facts{Now: start},
			want: sgv1.TakedownActive, reason: "NoticeShown", requeueAt: end},
		{name: "T5 approval after the start goes live at once", t: req(sgv1.TakedownTemporary, sgv1.TakedownPending, all), facts: Facts{Now: start.Add(Day)},
			want: sgv1.TakedownActive, requeueAt: end},

		// T6: the return of a temporary takedown.
		{name: "T5 down, no return filed yet", t: req(sgv1.TakedownTemporary, sgv1.TakedownActive, all), facts: Facts{Now: start.Add(Day)},
			want: sgv1.TakedownActive, reason: "NoticeShown", requeueAt: end},
		{name: "T6 a return filed 8 days before is too early", t: req(sgv1.TakedownTemporary, sgv1.TakedownActive, all, returnFiled(end.Add(-8*Day))), facts: Facts{Now: end.Add(-8 * Day)},
			want: sgv1.TakedownActive, reason: "ReturnTooEarly", requeueAt: end},
		{name: "T6 a return filed exactly 7 days before starts the check", t: req(sgv1.TakedownTemporary, sgv1.TakedownActive, all, returnFiled(end.Add(-7*Day))), facts: Facts{Now: end.Add(-7 * Day)},
			want: sgv1.TakedownReturning, reason: "PrereturnRunning", prereturn: true, requeueAt: end},
		{name: "T6 a policy window of 3 days makes 5 days too early", t: req(sgv1.TakedownTemporary, sgv1.TakedownActive, all, returnFiled(end.Add(-5*Day))),
			limits: func(l *Limits) { l.ReturnWindowDays = 3 }, facts: Facts{Now: end.Add(-5 * Day)}, want: sgv1.TakedownActive, reason: "ReturnTooEarly"},
		{name: "T6 the prereturn run is running", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow)), facts: Facts{Now: inWindow, Prereturn: run(sgv1.InspectionRunning, "")},
			want: sgv1.TakedownReturning, reason: "PrereturnRunning", requeueAt: end},
		{name: "T6 a failed inspection keeps the site down", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow, ok("unit"), ok("city"))), facts: Facts{Now: inWindow, Prereturn: run(sgv1.InspectionSucceeded, sgv1.VerdictFail)},
			want: sgv1.TakedownReturning, reason: "PrereturnFailed"},
		{name: "T6 an inspection that could not run is no verdict", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow)), facts: Facts{Now: inWindow, Prereturn: run(sgv1.InspectionFailed, "")},
			want: sgv1.TakedownReturning, reason: "PrereturnInfrastructureFailure"},
		{name: "T6 passed, the city office has not signed", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow, ok("unit"))), facts: Facts{Now: inWindow, Prereturn: run(sgv1.InspectionSucceeded, sgv1.VerdictPass)},
			want: sgv1.TakedownReturning, reason: "AwaitingReturnApproval"},
		{name: "T6 the return rejected", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow, ok("unit"), no("city"))), facts: Facts{Now: inWindow, Prereturn: run(sgv1.InspectionSucceeded, sgv1.VerdictPass)},
			want: sgv1.TakedownReturning, reason: "ReturnRejected"},
		{name: "T6 passed and approved: restored", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow, ok("unit"), ok("city"))), facts: Facts{Now: inWindow, Prereturn: run(sgv1.InspectionSucceeded, sgv1.VerdictPass)},
			want: sgv1.TakedownRestored, reason: "Restored"},
		{name: "T6 the end passes without a return: Overdue, still down", t: req(sgv1.TakedownTemporary, sgv1.TakedownActive, all), facts: Facts{Now: end},
			want: sgv1.TakedownOverdue, reason: "Overdue", warning: true},
		{name: "T6 the end passes while the return waits for approval: Overdue", t: req(sgv1.TakedownTemporary, sgv1.TakedownReturning, all, returnFiled(inWindow, ok("unit"))), facts: Facts{Now: end.Add(time.Hour), Prereturn: run(sgv1.InspectionSucceeded, sgv1.VerdictPass)},
			want: sgv1.TakedownOverdue, warning: true},
		{name: "T6 an overdue site returns once everything passes", t: req(sgv1.TakedownTemporary, sgv1.TakedownOverdue, all, returnFiled(end.Add(Day), ok("unit"), ok("city"))), facts: Facts{Now: end.Add(2 * Day), Prereturn: run(sgv1.InspectionSucceeded, sgv1.VerdictPass)},
			want: sgv1.TakedownRestored},

		// T7: permanent closure.
		{name: "T7 the closure notice shows for 30 days", t: req(sgv1.TakedownPermanent, sgv1.TakedownActive, all), facts: Facts{Now: start.Add(29 * Day)},
			want: sgv1.TakedownActive, reason: "NoticeShown", requeueAt: start.Add(30 * Day)},
		{name: "T7 after 30 days the content is archived", t: req(sgv1.TakedownPermanent, sgv1.TakedownActive, all), facts: Facts{Now: start.Add(30 * Day)},
			want: sgv1.TakedownArchiving, archive: true},
		{name: "T7 nothing closes before the archive is verified", t: req(sgv1.TakedownPermanent, sgv1.TakedownArchiving, all), facts: Facts{Now: start.Add(31 * Day)},
			want: sgv1.TakedownArchiving, archive: true},
		{name: "T7 a failed archive waits for its retry, a warning, nothing released", t: req(sgv1.TakedownPermanent, sgv1.TakedownArchiving, all),
			facts: Facts{Now: start.Add(31 * Day), ArchiveFailure: "the writer Job failed", ArchiveRetryAt: start.Add(31*Day + time.Second)},
			want:  sgv1.TakedownArchiving, reason: "ArchiveFailed", warning: true, requeueAt: start.Add(31*Day + time.Second)},
		{name: "T7 at its retry time a failed archive starts again", t: req(sgv1.TakedownPermanent, sgv1.TakedownArchiving, all),
			facts: Facts{Now: start.Add(31 * Day), ArchiveFailure: "the writer Job failed", ArchiveRetryAt: start.Add(31 * Day)},
			want:  sgv1.TakedownArchiving, reason: "Archiving", archive: true},
		{name: "T7 a verified archive closes the site", t: req(sgv1.TakedownPermanent, sgv1.TakedownArchiving, all), facts: Facts{Now: start.Add(31 * Day), ArchiveVerified: true},
			want: sgv1.TakedownClosed, reason: "AwaitingDeregistration", requeueAt: start.Add(90 * Day)},
		{name: "T7 closed, deregistration due in 90 days", t: req(sgv1.TakedownPermanent, sgv1.TakedownClosed, all), facts: Facts{Now: start.Add(40 * Day)},
			want: sgv1.TakedownClosed, reason: "AwaitingDeregistration", requeueAt: start.Add(90 * Day)},
		{name: "T7 deregistration overdue after 90 days", t: req(sgv1.TakedownPermanent, sgv1.TakedownClosed, all), facts: Facts{Now: start.Add(91 * Day)},
			want: sgv1.TakedownClosed, reason: "DeregistrationOverdue", warning: true},
		{name: "T7 deregistration recorded", t: req(sgv1.TakedownPermanent, sgv1.TakedownClosed, all, func(t *sgv1.TakedownRequest) {
			now := metav1.NewTime(start.Add(60 * Day))
			t.Spec.Deregistration = &sgv1.DeregistrationRecord{DomainCancelledAt: &now, ICPCancelledAt: &now}
		}), facts: Facts{Now: start.Add(91 * Day)}, want: sgv1.TakedownClosed, reason: "Deregistered"},

		// Final phases stay.
		{name: "restored is final", t: req(sgv1.TakedownTemporary, sgv1.TakedownRestored, all), facts: Facts{Now: end.Add(100 * Day)}, want: sgv1.TakedownRestored},
		{name: "rejected is final", t: req(sgv1.TakedownTemporary, sgv1.TakedownRejected, all), facts: Facts{Now: end}, want: sgv1.TakedownRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := limits()
			if tt.limits != nil {
				tt.limits(&l)
			}
			got := Next(tt.t, l, tt.facts)
			if got.Phase != tt.want {
				t.Fatalf("phase %s (%s: %s), want %s", got.Phase, got.Reason, got.Message, tt.want)
			}
			if tt.reason != "" && got.Reason != tt.reason {
				t.Errorf("reason %s (%s), want %s", got.Reason, got.Message, tt.reason)
			}
			if !tt.requeueAt.IsZero() && !got.RequeueAt.Equal(tt.requeueAt) {
				t.Errorf("requeue at %v, want %v", got.RequeueAt, tt.requeueAt)
			}
			if got.StartPrereturn != tt.prereturn || got.StartArchive != tt.archive || got.Warning != tt.warning {
				t.Errorf("prereturn=%v archive=%v warning=%v, want %v %v %v", got.StartPrereturn, got.StartArchive, got.Warning, tt.prereturn, tt.archive, tt.warning)
			}
			if got.Message == "" {
				t.Error("every decision explains itself")
			}
		})
	}
}

func TestInForceAndOpen(t *testing.T) {
	for _, p := range []sgv1.TakedownPhase{sgv1.TakedownActive, sgv1.TakedownReturning, sgv1.TakedownOverdue, sgv1.TakedownArchiving, sgv1.TakedownClosed} {
		if !InForce(p) {
			t.Errorf("%s: the notice must serve", p)
		}
	}
	for _, p := range []sgv1.TakedownPhase{"", sgv1.TakedownPending, sgv1.TakedownApproved, sgv1.TakedownRestored, sgv1.TakedownRejected, sgv1.TakedownCancelled} {
		if InForce(p) {
			t.Errorf("%s: the site must serve", p)
		}
	}
	if SiteDown(nil) || SiteDown(&sgv1.TakedownReference{Phase: sgv1.TakedownPending}) || !SiteDown(&sgv1.TakedownReference{Phase: sgv1.TakedownActive}) {
		t.Error("a site is down only while its takedown is in force")
	}
	if Open(sgv1.TakedownClosed) || Open(sgv1.TakedownRestored) || !Open(sgv1.TakedownOverdue) || !Open(sgv1.TakedownPending) {
		t.Error("open takedowns: every phase but the final ones")
	}
}
