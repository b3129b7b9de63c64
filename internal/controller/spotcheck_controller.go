package controller

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/spotcheck"
	"sitegroup.io/operator/internal/takedown"
)

// SpotCheckReconciler runs the city office's quarterly spot check (003
// §五): at the start of each quarter it samples the policy's number of
// launched sites and inspects each once; it publishes the quarter's report
// (the sites sampled, their results and their rectification) as the
// ConfigMap sitegroup-spot-check-<quarter> in RecordsNamespace, and marks
// it final when the quarter ends. One concern: it reconciles the policy.
type SpotCheckReconciler struct {
	client.Client
	Clock clock.Clock
	// RecordsNamespace holds the published reports (the operator's own).
	RecordsNamespace string
}

// LabelSpotCheck names the quarter a spot-check run belongs to (2026-Q4).
const LabelSpotCheck = "sitegroup.io/spot-check"

// SpotCheckReportName is the published report of a quarter.
func SpotCheckReportName(q spotcheck.Quarter) string { return "sitegroup-spot-check-" + q.Slug() }

// refreshReport is the request a spot-check run's or a site's change
// enqueues: it refreshes the quarter's report and samples nothing. Only
// the policy and the turn of a quarter start a sample.
const refreshReport = "report"

// Reconcile samples the quarter (once), finalizes the previous quarter's
// report and refreshes this quarter's.
func (r *SpotCheckReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	if req.Name != sgv1.PolicyName && req.Name != refreshReport {
		return ctrl.Result{}, nil
	}
	p, err := policy.Get(ctx, r.Client)
	if errors.Is(err, policy.ErrMissing) {
		return ctrl.Result{}, nil // no policy: no platform to check yet
	} else if err != nil {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	q := spotcheck.QuarterOf(now, clock.Shanghai)
	runs, err := r.runsOf(ctx, q)
	if err != nil {
		return ctrl.Result{}, err
	}
	if len(runs) == 0 && req.Name == sgv1.PolicyName {
		if runs, err = r.sample(ctx, q, int(p.Inspection.SpotCheckSites), now); err != nil {
			return ctrl.Result{}, err
		}
	}
	if err := r.publishFinal(ctx, q.Previous(), now); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.publish(ctx, q, runs, false, now); err != nil {
		return ctrl.Result{}, err
	}
	ctrl.LoggerFrom(ctx).V(1).Info("spot check", "quarter", q.String(), "sites", len(runs))
	if req.Name != sgv1.PolicyName {
		return ctrl.Result{}, nil
	}
	return ctrl.Result{RequeueAfter: min(q.End.Sub(now), 24*time.Hour)}, nil
}

// runsOf lists a quarter's spot-check runs, in every namespace.
func (r *SpotCheckReconciler) runsOf(ctx context.Context, q spotcheck.Quarter) ([]sgv1.InspectionRun, error) {
	list := &sgv1.InspectionRunList{}
	if err := r.List(ctx, list, client.MatchingLabels{LabelSpotCheck: q.String()}); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// sample picks the quarter's sites among the launched ones that serve
// (not suspended, not taken down) and starts one run for each.
func (r *SpotCheckReconciler) sample(ctx context.Context, q spotcheck.Quarter, n int, now time.Time) ([]sgv1.InspectionRun, error) {
	sites := &sgv1.GovWebsiteList{}
	if err := r.List(ctx, sites); err != nil {
		return nil, err
	}
	byKey := map[string]*sgv1.GovWebsite{}
	var candidates []string
	for i := range sites.Items {
		s := &sites.Items[i]
		if launched(s) && !s.Spec.Suspend && !takedown.SiteDown(s.Status.CurrentTakedown) && s.DeletionTimestamp.IsZero() {
			key := s.Namespace + "/" + s.Name
			byKey[key] = s
			candidates = append(candidates, key)
		}
	}
	var out []sgv1.InspectionRun
	for _, key := range spotcheck.Sample(candidates, q, n) {
		site := byKey[key]
		run := builders.ScheduledRun(site, site.Name+"-spotcheck-"+q.Slug(), sgv1.PurposeSpotcheck, now)
		run.Labels[LabelSpotCheck] = q.String()
		if _, err := apply.Ensure(ctx, r.Client, run); err != nil {
			return nil, fmt.Errorf("starting the spot check of %s: %w", key, err)
		}
		out = append(out, *run)
	}
	return out, nil
}

// publishFinal marks the previous quarter's report final, once.
func (r *SpotCheckReconciler) publishFinal(ctx context.Context, q spotcheck.Quarter, now time.Time) error {
	cm := &corev1.ConfigMap{}
	err := r.Get(ctx, client.ObjectKey{Namespace: r.RecordsNamespace, Name: SpotCheckReportName(q)}, cm)
	if err != nil || cm.Annotations[annotationFinal] == "true" {
		return client.IgnoreNotFound(err) // no spot check that quarter, or final already
	}
	runs, err := r.runsOf(ctx, q)
	if err != nil {
		return err
	}
	return r.publish(ctx, q, runs, true, now)
}

// annotationFinal marks a quarter's report as the one sent at its end.
const annotationFinal = "sitegroup.io/final"

// publish writes the quarter's report from its runs and their sites.
func (r *SpotCheckReconciler) publish(ctx context.Context, q spotcheck.Quarter, runs []sgv1.InspectionRun, final bool, now time.Time) error {
	rep := spotcheck.Report{Quarter: q.String(), Final: final, AsOf: now.In(clock.Shanghai).Format("2006-01-02 15:04")}
	if final {
		rep.AsOf = q.End.Add(-time.Minute).Format("2006-01-02 15:04") // the report speaks for the quarter's end
	}
	for _, run := range runs {
		e := spotcheck.Entry{Site: run.Namespace + "/" + run.Spec.SiteRef.Name, Run: run.Name, Phase: string(run.Status.Phase),
			Verdict: string(run.Status.Verdict), Score: run.Status.Score}
		if e.Phase == "" {
			e.Phase = string(sgv1.InspectionPending)
		}
		for _, v := range run.Status.Vetoes {
			e.Vetoes = append(e.Vetoes, v.ID)
		}
		site := &sgv1.GovWebsite{}
		if err := r.Get(ctx, client.ObjectKey{Namespace: run.Namespace, Name: run.Spec.SiteRef.Name}, site); client.IgnoreNotFound(err) != nil {
			return err
		}
		e.Organization = site.Spec.Organization.Name
		for _, t := range site.Status.Tickets {
			if t.OpenedBy != run.Name {
				continue
			}
			if t.ClosedAt == nil {
				e.OpenTickets++
			} else {
				e.ClosedTickets++
			}
		}
		rep.Sites = append(rep.Sites, e)
	}
	j, md := spotcheck.Render(rep)
	cm := &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: SpotCheckReportName(q), Namespace: r.RecordsNamespace,
			Labels: map[string]string{builders.LabelManagedBy: builders.ManagerName, builders.LabelComponent: "spot-check-report",
				LabelSpotCheck: q.String()},
			Annotations: map[string]string{annotationFinal: fmt.Sprint(final)}},
		Data: map[string]string{"report.json": j, "report.md": md},
	}
	_, err := apply.Ensure(ctx, r.Client, cm)
	return err
}

// SetupWithManager reconciles the policy, and refreshes the report whenever a spot-check
// run changes (its result goes into the quarter's report) or a site's
// tickets do (its rectification does).
func (r *SpotCheckReconciler) SetupWithManager(mgr ctrl.Manager) error {
	hasSpotCheck, err := predicate.LabelSelectorPredicate(metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
		{Key: LabelSpotCheck, Operator: metav1.LabelSelectorOpExists}}})
	if err != nil {
		return err
	}
	refresh := handler.EnqueueRequestsFromMapFunc(func(context.Context, client.Object) []reconcile.Request {
		return []reconcile.Request{{NamespacedName: client.ObjectKey{Name: refreshReport}}}
	})
	return ctrl.NewControllerManagedBy(mgr).
		For(&sgv1.SiteGroupPolicy{}).
		Named("spotcheck").
		Watches(&sgv1.InspectionRun{}, refresh, builder.WithPredicates(hasSpotCheck)).
		Watches(&sgv1.GovWebsite{}, refresh, builder.WithPredicates(ticketsChanged())).
		Complete(r)
}

// ticketsChanged passes a site's update that opens, fixes or closes a ticket.
func ticketsChanged() predicate.Funcs {
	return predicate.Funcs{
		CreateFunc: func(event.CreateEvent) bool { return false },
		DeleteFunc: func(event.DeleteEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			return !equality.Semantic.DeepEqual(e.ObjectOld.(*sgv1.GovWebsite).Status.Tickets, e.ObjectNew.(*sgv1.GovWebsite).Status.Tickets)
		},
	}
}
