package controller

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/schedule"
	"sitegroup.io/operator/internal/takedown"
)

// InspectionScheduleReconciler starts a site's inspections: the prelaunch
// run a new site must pass (S5), then the recurring runs of RULES.md §3 on
// cron schedules in the policy's time zone; and it deletes old runs beyond
// the policy's history limits. It writes no status: the runs are its record.
type InspectionScheduleReconciler struct {
	client.Client
	Recorder events.EventRecorder
	Clock    clock.Clock

	// missedReported remembers, per site, the next scheduled time at which
	// skipped runs were last reported, so each skip is told once, not on
	// every reconcile.
	missedMu       sync.Mutex
	missedReported map[client.ObjectKey]time.Time
}

// maxRequeue bounds the wait for the next scheduled time, so a changed
// clock or policy is noticed.
const maxRequeue = time.Hour

// Reconcile decides, for one site, which runs are due now.
func (r *InspectionScheduleReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	site := &sgv1.GovWebsite{}
	if err := r.Get(ctx, req.NamespacedName, site); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !site.DeletionTimestamp.IsZero() || site.Spec.Suspend {
		return ctrl.Result{}, nil
	}
	p, err := policy.Get(ctx, r.Client)
	if errors.Is(err, policy.ErrMissing) {
		return ctrl.Result{}, nil
	} else if err != nil {
		return ctrl.Result{}, err
	}
	runs, err := r.runsOf(ctx, site)
	if err != nil {
		return ctrl.Result{}, err
	}
	if err := r.pruneHistory(ctx, site, runs, p.History); err != nil {
		return ctrl.Result{}, err
	}
	if !meta.IsStatusConditionTrue(site.Status.Conditions, sgv1.ConditionApproved) {
		return ctrl.Result{}, nil // nothing is inspected before approval (S1)
	}
	launched := site.Status.Launch != nil && site.Status.Launch.LaunchedAt != nil
	if !launched {
		// S5: inspect the site once its front end serves behind its Service,
		// before any route points at it.
		if c := meta.FindStatusCondition(site.Status.Conditions, sgv1.ConditionServing); c == nil || c.Reason != sgv1.ReasonNotLaunched {
			return ctrl.Result{}, nil
		}
		_, err := apply.Ensure(ctx, r.Client, builders.ScheduledRun(site, builders.PrelaunchRunName(site), sgv1.PurposePrelaunch, time.Time{}))
		return ctrl.Result{}, err
	}
	if takedown.SiteDown(site.Status.CurrentTakedown) {
		return ctrl.Result{}, nil // a site showing its notice page is not inspected; its return is (T6)
	}
	return r.startDue(ctx, site, runs, p.Inspection, site.Status.Launch.LaunchedAt.Time)
}

// startDue creates the runs whose scheduled time has come.
func (r *InspectionScheduleReconciler) startDue(ctx context.Context, site *sgv1.GovWebsite, runs []sgv1.InspectionRun, p sgv1.InspectionPolicy, since time.Time) (ctrl.Result, error) {
	now := r.Clock.Now()
	plan, err := schedule.PlanFor(schedule.EntriesFor(site, p), lastScheduled(runs), since, now,
		p.TimeZone, time.Duration(p.StartingDeadlineSeconds)*time.Second)
	if err != nil {
		eventLog(ctx, r.Recorder, site, pendingEvent{corev1.EventTypeWarning, sgv1.ReasonInvalidSchedule, "Schedule", err.Error()})
		return ctrl.Result{}, nil
	}
	loc, _ := time.LoadLocation(p.TimeZone)
	for _, due := range plan.Due {
		name := builders.ScheduledRunName(site, due.Purpose, due.ScheduledAt, loc)
		if _, err := apply.Ensure(ctx, r.Client, builders.ScheduledRun(site, name, due.Purpose, due.ScheduledAt)); err != nil {
			return ctrl.Result{}, err
		}
	}
	if len(plan.Missed) > 0 && r.firstReport(client.ObjectKeyFromObject(site), plan.NextAt) {
		for purpose, n := range plan.Missed {
			eventLog(ctx, r.Recorder, site, pendingEvent{corev1.EventTypeWarning, sgv1.ReasonMissedSchedule, "Schedule",
				fmt.Sprintf("%d %s run(s) skipped: not started within the starting deadline", n, purpose)})
		}
	}
	if plan.NextAt.IsZero() {
		return ctrl.Result{RequeueAfter: maxRequeue}, nil
	}
	return ctrl.Result{RequeueAfter: min(max(plan.NextAt.Sub(now), time.Second), maxRequeue)}, nil
}

// firstReport says whether the skips before next are new to report.
func (r *InspectionScheduleReconciler) firstReport(site client.ObjectKey, next time.Time) bool {
	r.missedMu.Lock()
	defer r.missedMu.Unlock()
	if r.missedReported == nil {
		r.missedReported = map[client.ObjectKey]time.Time{}
	}
	if r.missedReported[site].Equal(next) {
		return false
	}
	r.missedReported[site] = next
	return true
}

func (r *InspectionScheduleReconciler) runsOf(ctx context.Context, site *sgv1.GovWebsite) ([]sgv1.InspectionRun, error) {
	list := &sgv1.InspectionRunList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace), client.MatchingFields{IndexRunSite: site.Name}); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// lastScheduled is each purpose's newest scheduled time, read from the runs
// themselves: history limits always keep the newest run.
func lastScheduled(runs []sgv1.InspectionRun) map[sgv1.InspectionPurpose]time.Time {
	last := map[sgv1.InspectionPurpose]time.Time{}
	for _, run := range runs {
		at, ok := scheduledAt(&run)
		if !ok {
			continue
		}
		if at.After(last[run.Spec.Purpose]) {
			last[run.Spec.Purpose] = at
		}
	}
	return last
}

// pruneHistory deletes the oldest finished scheduled runs beyond the
// limits, successful and failed counted apart per purpose — but only runs
// the site's record has already counted, so no result is lost.
func (r *InspectionScheduleReconciler) pruneHistory(ctx context.Context, site *sgv1.GovWebsite, runs []sgv1.InspectionRun, h sgv1.HistoryPolicy) error {
	var counted time.Time
	if last := site.Status.LastInspection; last != nil && last.Time != nil {
		counted = last.Time.Time
	}
	for _, run := range runsToPrune(runs, int(*h.SuccessfulRuns), int(*h.FailedRuns), counted) {
		if _, err := apply.Delete(ctx, r.Client, &run); err != nil {
			return err
		}
	}
	return nil
}

// runsToPrune picks, per purpose, the finished scheduled runs older than
// the newest keepSucceeded (phase Succeeded) and keepFailed (phase Failed),
// completed no later than counted.
func runsToPrune(runs []sgv1.InspectionRun, keepSucceeded, keepFailed int, counted time.Time) []sgv1.InspectionRun {
	type group struct {
		purpose sgv1.InspectionPurpose
		phase   sgv1.InspectionPhase
	}
	groups := map[group][]sgv1.InspectionRun{}
	for _, run := range runs {
		if run.Annotations[sgv1.AnnotationScheduledAt] == "" || !finished(&run) || run.Status.CompletionTime == nil {
			continue
		}
		g := group{run.Spec.Purpose, run.Status.Phase}
		groups[g] = append(groups[g], run)
	}
	var out []sgv1.InspectionRun
	for g, list := range groups {
		keep := keepSucceeded
		if g.phase == sgv1.InspectionFailed {
			keep = keepFailed
		}
		sort.Slice(list, func(i, j int) bool { // newest first; names settle ties
			ti, tj := list[i].Status.CompletionTime, list[j].Status.CompletionTime
			if !ti.Equal(tj) {
				return tj.Before(ti)
			}
			return list[i].Name > list[j].Name
		})
		for i, run := range list {
			if i >= keep && !run.Status.CompletionTime.After(counted) {
				out = append(out, run)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SetupWithManager watches sites (their status says approved, launched,
// taken down), the runs they own and the policy.
func (r *InspectionScheduleReconciler) SetupWithManager(mgr ctrl.Manager, allSites handler.MapFunc) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&sgv1.GovWebsite{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}, launchOrTakedownChanged()))).
		Named("inspectionschedule").
		Owns(&sgv1.InspectionRun{}).
		Watches(&sgv1.SiteGroupPolicy{}, handler.EnqueueRequestsFromMapFunc(allSites)).
		Complete(r)
}

// launchOrTakedownChanged passes site updates that change what the
// scheduler does: approval, launch, a takedown, the last counted run.
func launchOrTakedownChanged() predicate.Funcs {
	return predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
		o, n := e.ObjectOld.(*sgv1.GovWebsite), e.ObjectNew.(*sgv1.GovWebsite)
		return meta.IsStatusConditionTrue(o.Status.Conditions, sgv1.ConditionApproved) != meta.IsStatusConditionTrue(n.Status.Conditions, sgv1.ConditionApproved) ||
			servingReason(o) != servingReason(n) ||
			(o.Status.Launch == nil) != (n.Status.Launch == nil) ||
			(o.Status.Launch != nil && n.Status.Launch != nil && (o.Status.Launch.LaunchedAt == nil) != (n.Status.Launch.LaunchedAt == nil)) ||
			takedown.SiteDown(o.Status.CurrentTakedown) != takedown.SiteDown(n.Status.CurrentTakedown) ||
			!equalSummary(o.Status.LastInspection, n.Status.LastInspection)
	}}
}

func servingReason(site *sgv1.GovWebsite) string {
	if c := meta.FindStatusCondition(site.Status.Conditions, sgv1.ConditionServing); c != nil {
		return c.Reason
	}
	return ""
}

func equalSummary(a, b *sgv1.InspectionSummary) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Run == b.Run
}
