package controller

import (
	"context"

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
)

// observeInspections folds the site's finished runs into its record (last
// run, monthly results, tickets; T8, T9), sets the record's conditions and
// decides whether the site may launch (S5).
func (r *GovWebsiteReconciler) observeInspections(ctx context.Context, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) (verdict, error) {
	list := &sgv1.InspectionRunList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace), client.MatchingFields{IndexRunSite: site.Name}); err != nil {
		return verdict{}, err
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
	st := &site.Status
	st.LastInspection, st.MonthlyResults, st.ConsecutiveFailingMonths, st.Tickets = rec.Last, rec.Monthly, rec.ConsecutiveFailingMonths, rec.Tickets
	st.ComplianceHistory = mergeHistory(st.ComplianceHistory, rec.History, int(p.History.ComplianceEntries))
	r.warnOnNewTickets(site, before, rec.Tickets)
	now := r.Clock.Now()
	for _, v := range compliance.Verdicts(rec, st.Availability, now, clock.Shanghai) {
		if v.Type == sgv1.ConditionRectificationRequired && v.Status == metav1.ConditionTrue &&
			!meta.IsStatusConditionTrue(st.Conditions, v.Type) {
			r.Recorder.Eventf(site, nil, corev1.EventTypeWarning, v.Reason, "Rectification", v.Message)
		}
		conditions.Set(&st.Conditions, site.Generation, v.Type, v.Status, v.Reason, v.Message)
	}
	if rec.ConsecutiveFailingMonths >= compliance.RectificationAfterMonths {
		if err := r.requestRectification(ctx, site, rec, p); err != nil {
			return verdict{}, err
		}
	}
	if prelaunch == nil && squatter != nil && !launched(site) {
		return prelaunchNotOperators(squatter), nil
	}
	return r.launch(site, prelaunch), nil
}

func launched(site *sgv1.GovWebsite) bool {
	return site.Status.Launch != nil && site.Status.Launch.LaunchedAt != nil
}

// launch records the moment the prelaunch run passed (S5); a launched
// site stays launched whatever later runs find (T8 handles those).
func (r *GovWebsiteReconciler) launch(site *sgv1.GovWebsite, prelaunch *sgv1.InspectionRun) verdict {
	v := launchVerdict(site.Status.Launch, prelaunch)
	switch {
	case launched(site):
	case v.ok():
		at := metav1.NewTime(r.Clock.Now())
		site.Status.Launch = &sgv1.LaunchStatus{PrelaunchRun: prelaunch.Name, LaunchedAt: &at}
		r.Recorder.Eventf(site, nil, corev1.EventTypeNormal, sgv1.ReasonLaunched, "Launch", v.message)
	default:
		site.Status.Launch = &sgv1.LaunchStatus{PrelaunchRun: builders.PrelaunchRunName(site)}
	}
	return v
}

// warnOnNewTickets emits a Warning per ticket opened (T9).
func (r *GovWebsiteReconciler) warnOnNewTickets(site *sgv1.GovWebsite, before, after []sgv1.RectificationTicket) {
	known := map[string]bool{}
	for _, t := range before {
		known[t.ID] = true
	}
	for _, t := range after {
		if !known[t.ID] && t.ClosedAt == nil {
			r.Recorder.Eventf(site, nil, corev1.EventTypeWarning, sgv1.ReasonTicketOpened, "Rectification",
				"T9: %s; fix it by %s", t.Problem, t.DueBy.UTC().Format("2006-01-02 15:04 MST"))
		}
	}
}

// requestRectification creates T8's rectification takedown for the
// failing streak, once; it stays Pending until people approve it. A
// portal cannot be taken down temporarily (T2): it is told in an event.
func (r *GovWebsiteReconciler) requestRectification(ctx context.Context, site *sgv1.GovWebsite, rec compliance.Record, p sgv1.SiteGroupPolicySpec) error {
	month := rec.Monthly[len(rec.Monthly)-1].Month
	name := builders.RectificationRequestName(site, month)
	if identity.InForce(site).Spec.SiteKind == sgv1.SiteKindPortal {
		return nil // the RectificationRequired condition says it; T2 forbids the temporary takedown
	}
	existing := &sgv1.TakedownRequest{}
	err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: name}, existing)
	if err == nil || client.IgnoreNotFound(err) != nil {
		return client.IgnoreNotFound(err)
	}
	req := builders.RectificationRequest(site, month, r.Clock.Now(), p.Takedown.MaxTemporaryDays)
	if _, err := apply.Ensure(ctx, r.Client, req); err != nil {
		// The takedown webhook may refuse it (T3: one temporary takedown a
		// year; one open takedown at a time): people must decide.
		r.Recorder.Eventf(site, nil, corev1.EventTypeWarning, sgv1.ReasonRectificationNotRequested, "Rectification",
			"T8: could not create TakedownRequest %s: %v", name, err)
		return nil
	}
	r.Recorder.Eventf(site, nil, corev1.EventTypeWarning, sgv1.ReasonRectificationRequested, "Rectification",
		"T8: created TakedownRequest %s (Pending; it needs approval up the chain)", name)
	return nil
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
