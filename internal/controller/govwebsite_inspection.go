package controller

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/compliance"
	"sitegroup.io/operator/internal/conditions"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
)

// observeInspections folds the site's finished runs into its record (last
// run, monthly results, tickets; T8, T9), sets the record's conditions,
// decides whether the site may launch (S5) and whether T8 calls for a
// rectification takedown.
func (r *GovWebsiteReconciler) observeInspections(ctx context.Context, s *siteScope) error {
	site, p := s.site, s.policy
	list := &sgv1.InspectionRunList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace), client.MatchingFields{IndexRunSite: site.Name}); err != nil {
		return err
	}
	var done []compliance.Run
	var prelaunch, squatter *sgv1.InspectionRun
	var externalFailures []*sgv1.InspectionRun
	for i := range list.Items {
		run := &list.Items[i]
		// The record counts the operator's own runs, and the results of
		// national and provincial checks, which only the offices and the
		// platform may record (the InspectionRun webhook, T8).
		if !requestedByOperator(run, r.OperatorUser) && run.Spec.Purpose != sgv1.PurposeExternal {
			if run.Name == builders.PrelaunchRunName(site) {
				squatter = run
			}
			continue // a department's ad hoc run is allowed and never counts (S5, T8)
		}
		if run.Spec.Purpose == sgv1.PurposePrelaunch && metav1.IsControlledBy(run, site) {
			prelaunch = run
		}
		if run.Status.Phase == sgv1.InspectionSucceeded && run.Status.CompletionTime != nil && run.Status.Verdict != "" {
			done = append(done, compliance.Run{Name: run.Name, Purpose: run.Spec.Purpose, Verdict: run.Status.Verdict,
				Score: run.Status.Score, Vetoes: run.Status.Vetoes, Checks: run.Spec.Checks, Completed: run.Status.CompletionTime.Time})
			if failedExternalCheck(run, s.now) {
				externalFailures = append(externalFailures, run)
			}
		}
	}
	// V1 is the prober's 7-day window's verdict, nowhere else (issue 16).
	if w := compliance.WindowRun(site.Status.Availability, clock.Shanghai); w != nil {
		done = append(done, *w)
	}
	before := site.Status.Tickets
	rec := compliance.Fold(compliance.FromStatus(site.Status), done, clock.Shanghai)
	// T9: a ticket closes once its result is filed and signed, and a run no longer finds it.
	rec.Tickets = compliance.CloseTickets(rec.Tickets, site.Spec.RectificationReports, policy.LevelNames(p, sgv1.ScopeRectification))
	st := &site.Status
	st.LastInspection, st.MonthlyResults, st.ConsecutiveFailingMonths, st.Tickets = rec.Last, rec.Monthly, rec.ConsecutiveFailingMonths, rec.Tickets
	if launched(site) {
		st.MissingMonths = compliance.MissingMonths(rec.Monthly, site.Status.Launch.LaunchedAt.Time, s.now, clock.Shanghai)
	}
	history := append(rec.History, compliance.TicketRecords(rec.Tickets)...)
	for _, r := range site.Spec.RectificationReports {
		history = append(history, compliance.ApprovalRecords("T9", r.Ticket, r.Approvals)...)
	}
	st.ComplianceHistory = mergeHistory(st.ComplianceHistory, history, int(p.History.ComplianceEntries))
	warnOnNewTickets(s, before, rec.Tickets)
	for _, v := range compliance.Verdicts(rec, st.Availability, s.now, clock.Shanghai) {
		if v.Type == sgv1.ConditionRectificationRequired && v.Status == metav1.ConditionTrue &&
			!meta.IsStatusConditionTrue(st.Conditions, v.Type) {
			s.event(corev1.EventTypeWarning, v.Reason, "Rectification", v.Message)
		}
		conditions.Set(&st.Conditions, site.Generation, v.Type, v.Status, v.Reason, v.Message)
	}
	s.t8Requests = t8Requests(site, rec, externalFailures, p, s.now)
	if prelaunch == nil && squatter != nil && !launched(site) {
		s.launch = prelaunchNotOperators(squatter)
		return nil
	}
	s.launch = launch(s, prelaunch)
	return nil
}

func launched(site *sgv1.GovWebsite) bool {
	return site.Status.Launch != nil && site.Status.Launch.LaunchedAt != nil
}

// launch records the moment the prelaunch run passed (S5); a launched
// site stays launched whatever later runs find (T8 handles those).
func launch(s *siteScope, prelaunch *sgv1.InspectionRun) verdict {
	site := s.site
	v := launchVerdict(site.Status.Launch, prelaunch)
	switch {
	case launched(site):
	case v.ok():
		at := metav1.NewTime(s.now)
		until := metav1.NewTime(s.now.Add(time.Duration(s.policy.Filing.OpeningNoticeDays) * 24 * time.Hour))
		site.Status.Launch = &sgv1.LaunchStatus{PrelaunchRun: prelaunch.Name, LaunchedAt: &at, AnnouncedUntil: &until}
		s.event(corev1.EventTypeNormal, sgv1.ReasonLaunched, "Launch", v.message)
		site.Status.ComplianceHistory = mergeHistory(site.Status.ComplianceHistory, []sgv1.ComplianceRecord{openingRecord(site, at, until)},
			int(s.policy.History.ComplianceEntries))
	default:
		site.Status.Launch = &sgv1.LaunchStatus{PrelaunchRun: builders.PrelaunchRunName(site)}
	}
	return v
}

// openingRecord is the site's record of its opening announcement (S5).
func openingRecord(site *sgv1.GovWebsite, at, until metav1.Time) sgv1.ComplianceRecord {
	where := "the platform's record"
	if key := parentPortalKey(site); key != "" {
		where = "the board of its portal " + key
	}
	return sgv1.ComplianceRecord{Time: at, Kind: sgv1.RecordAnnouncement, Ref: site.Name, Summary: fmt.Sprintf(
		"S5: opened after its prelaunch inspection passed; the opening announcement (开通公告) is posted on %s until %s",
		where, until.In(clock.Shanghai).Format("2006-01-02"))}
}

// warnOnNewTickets emits a Warning per ticket opened (T9).
func warnOnNewTickets(s *siteScope, before, after []sgv1.RectificationTicket) {
	known := map[string]bool{}
	for _, t := range before {
		known[t.ID] = true
	}
	for _, t := range after {
		if !known[t.ID] && t.ClosedAt == nil {
			s.event(corev1.EventTypeWarning, sgv1.ReasonTicketOpened, "Rectification",
				fmt.Sprintf("T9: %s; fix it by %s", t.Problem, t.DueBy.UTC().Format("2006-01-02 15:04 MST")))
		}
	}
}

// externalCheckRecent bounds how old a failed external check may be and
// still start a rectification takedown: it starts at once when the result
// is recorded, not a year later from an old record.
const externalCheckRecent = 31 * 24 * time.Hour

// failedExternalCheck: a national or provincial check failed the site
// recently (T8).
func failedExternalCheck(run *sgv1.InspectionRun, now time.Time) bool {
	ext := run.Spec.External
	return run.Spec.Purpose == sgv1.PurposeExternal && ext != nil && ext.Verdict == sgv1.VerdictFail &&
		now.Sub(ext.CheckedAt.Time) < externalCheckRecent
}

// t8Requests are the takedowns T8 calls for now: rectification after two
// failing months in a row, rectification at once after a failed national
// or provincial check, and permanent closure after more than three
// failing months of the calendar year, which supersedes a temporary
// rectification (one open takedown at a time). A portal cannot be taken
// down temporarily (T2): its RectificationRequired condition says so.
func t8Requests(site *sgv1.GovWebsite, rec compliance.Record, externalFailures []*sgv1.InspectionRun, p sgv1.SiteGroupPolicySpec, now time.Time) []*sgv1.TakedownRequest {
	year := now.In(clock.Shanghai).Year()
	if failing := compliance.FailingMonthList(rec.Monthly, year); len(failing) > compliance.ConsolidationAfterMonths {
		return []*sgv1.TakedownRequest{builders.ConsolidationRequest(site, year, failing, now)}
	}
	var out []*sgv1.TakedownRequest
	portal := identity.InForce(site).Spec.SiteKind == sgv1.SiteKindPortal
	if !portal && rec.ConsecutiveFailingMonths >= compliance.RectificationAfterMonths {
		out = append(out, builders.RectificationRequest(site, rec.Monthly[len(rec.Monthly)-1].Month, now, p.Takedown.MaxTemporaryDays))
	}
	for _, run := range externalFailures {
		if !portal {
			out = append(out, builders.ExternalRectificationRequest(site, run, now, p.Takedown.MaxTemporaryDays))
		}
	}
	return out
}

// requestT8Takedowns creates each takedown T8 calls for, once; each stays
// Pending until people approve it up the chain (T1).
func (r *GovWebsiteReconciler) requestT8Takedowns(ctx context.Context, s *siteScope) (stepResult, error) {
	for _, req := range s.t8Requests {
		err := r.Get(ctx, client.ObjectKeyFromObject(req), &sgv1.TakedownRequest{})
		if client.IgnoreNotFound(err) != nil {
			return stepResult{}, err
		}
		if err == nil {
			continue // requested before: people decide from here
		}
		if _, err := apply.Ensure(ctx, r.Client, req); err != nil {
			// The takedown webhook may refuse it (T3: one temporary takedown a
			// year; one open takedown at a time): people must decide.
			eventLog(ctx, r.Recorder, s.site, pendingEvent{corev1.EventTypeWarning, sgv1.ReasonRectificationNotRequested, "Rectification",
				fmt.Sprintf("T8: could not create TakedownRequest %s: %v", req.Name, err)})
			continue
		}
		reason := sgv1.ReasonRectificationRequested
		if req.Spec.Type == sgv1.TakedownPermanent {
			reason = sgv1.ReasonConsolidationRequested
		}
		// An action taken is told now, whatever becomes of this reconcile's
		// status write: the next reconcile finds the request and says nothing.
		eventLog(ctx, r.Recorder, s.site, pendingEvent{corev1.EventTypeWarning, reason, "Rectification",
			fmt.Sprintf("T8: created %s TakedownRequest %s (Pending; it needs approval up the chain): %s", req.Spec.Type, req.Name, req.Spec.Reason)})
	}
	return stepResult{}, nil
}

// requestedByOperator says the operator itself created obj: the webhook
// stamps the creating user at admission, so a department cannot make its
// own run or request count as the operator's evidence.
func requestedByOperator(obj metav1.Object, operator string) bool {
	return operator != "" && obj.GetAnnotations()[sgv1.AnnotationRequestedBy] == operator
}

// sitesOfRun maps an InspectionRun to the site it inspected.
func sitesOfRun(_ context.Context, obj client.Object) []reconcile.Request {
	ref := obj.(*sgv1.InspectionRun).Spec.SiteRef
	if ref == nil {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: obj.GetNamespace(), Name: ref.Name}}}
}
