package controller

import (
	"context"
	"fmt"

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
	for i := range list.Items {
		run := &list.Items[i]
		if !requestedByOperator(run, r.OperatorUser) {
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
		}
	}
	before := site.Status.Tickets
	rec := compliance.Fold(compliance.FromStatus(site.Status), done, clock.Shanghai)
	// T9: a ticket closes once its result is filed and signed, and a run no longer finds it.
	rec.Tickets = compliance.CloseTickets(rec.Tickets, site.Spec.RectificationReports, policy.LevelNames(p, sgv1.ScopeRectification))
	st := &site.Status
	st.LastInspection, st.MonthlyResults, st.ConsecutiveFailingMonths, st.Tickets = rec.Last, rec.Monthly, rec.ConsecutiveFailingMonths, rec.Tickets
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
	if rec.ConsecutiveFailingMonths >= compliance.RectificationAfterMonths {
		s.rectification = &rec
	}
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
		site.Status.Launch = &sgv1.LaunchStatus{PrelaunchRun: prelaunch.Name, LaunchedAt: &at}
		s.event(corev1.EventTypeNormal, sgv1.ReasonLaunched, "Launch", v.message)
	default:
		site.Status.Launch = &sgv1.LaunchStatus{PrelaunchRun: builders.PrelaunchRunName(site)}
	}
	return v
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

// requestRectification creates T8's rectification takedown for the
// failing streak the record found, once; it stays Pending until people
// approve it. A portal cannot be taken down temporarily (T2): its
// RectificationRequired condition says so instead.
func (r *GovWebsiteReconciler) requestRectification(ctx context.Context, s *siteScope) (stepResult, error) {
	site, rec := s.site, s.rectification
	if rec == nil || identity.InForce(site).Spec.SiteKind == sgv1.SiteKindPortal {
		return stepResult{}, nil
	}
	month := rec.Monthly[len(rec.Monthly)-1].Month
	name := builders.RectificationRequestName(site, month)
	existing := &sgv1.TakedownRequest{}
	err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: name}, existing)
	if err == nil || client.IgnoreNotFound(err) != nil {
		return stepResult{}, client.IgnoreNotFound(err)
	}
	req := builders.RectificationRequest(site, month, s.now, s.policy.Takedown.MaxTemporaryDays)
	if _, err := apply.Ensure(ctx, r.Client, req); err != nil {
		// The takedown webhook may refuse it (T3: one temporary takedown a
		// year; one open takedown at a time): people must decide.
		s.event(corev1.EventTypeWarning, sgv1.ReasonRectificationNotRequested, "Rectification",
			fmt.Sprintf("T8: could not create TakedownRequest %s: %v", name, err))
		return stepResult{}, nil
	}
	s.event(corev1.EventTypeWarning, sgv1.ReasonRectificationRequested, "Rectification",
		fmt.Sprintf("T8: created TakedownRequest %s (Pending; it needs approval up the chain)", name))
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
