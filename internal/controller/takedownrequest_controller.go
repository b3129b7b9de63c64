package controller

import (
	"context"
	"errors"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/conditions"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/statuspatch"
	"sitegroup.io/operator/internal/takedown"
)

// TakedownRequestReconciler walks a takedown through its phases (T1–T7);
// the GovWebsite controller switches the site to the notice page while the
// takedown is in force.
type TakedownRequestReconciler struct {
	client.Client
	Recorder      events.EventRecorder
	Clock         clock.Clock
	OperatorImage string
	// OperatorUser is the operator's own user: only its prereturn run counts (T6).
	OperatorUser string
	// Uncached reads the archive's volume (no informer of volumes).
	Uncached client.Reader
}

// +kubebuilder:rbac:groups=sitegroup.io,resources=takedownrequests,verbs=list;watch;patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=takedownrequests/status,verbs=patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=inspectionruns,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups="",resources=persistentvolumeclaims,verbs=list;watch;create;patch

// Reconcile decides the next phase with the injected clock and acts on it.
func (r *TakedownRequestReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	t := &sgv1.TakedownRequest{}
	if err := r.Get(ctx, req.NamespacedName, t); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	patcher := statuspatch.New(t)
	defer patcher.Finish(ctx, r.Client, t, &result, &retErr)

	p, err := policy.Get(ctx, r.Client)
	if errors.Is(err, policy.ErrMissing) {
		conditions.MarkStalled(&t.Status.Conditions, t.Generation, sgv1.ReasonPolicyMissing, err.Error())
		return ctrl.Result{}, nil
	} else if err != nil {
		return ctrl.Result{}, err
	}
	limits := takedown.LimitsFrom(p, func(s sgv1.ApprovalScope) []string { return policy.LevelNames(p, s) })
	now := r.Clock.Now()
	facts, err := r.observe(ctx, t, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	d := takedown.Next(t, limits, facts)
	ctrl.LoggerFrom(ctx).V(1).Info("decided", "phase", d.Phase, "reason", d.Reason, "requeueAt", d.RequeueAt,
		"startPrereturn", d.StartPrereturn, "startArchive", d.StartArchive)
	if err := r.act(ctx, t, d, p); err != nil {
		return ctrl.Result{}, err
	}
	r.record(ctx, t, d, limits, now)
	if !d.RequeueAt.IsZero() && d.RequeueAt.After(now) {
		return ctrl.Result{RequeueAfter: min(d.RequeueAt.Sub(now), 24*time.Hour)}, nil
	}
	return ctrl.Result{}, nil
}

// observe reads the prereturn run and the archive Job.
func (r *TakedownRequestReconciler) observe(ctx context.Context, t *sgv1.TakedownRequest, now time.Time) (takedown.Facts, error) {
	f := takedown.Facts{Now: now}
	if t.Spec.ReturnRequest != nil {
		run := &sgv1.InspectionRun{}
		err := r.Get(ctx, client.ObjectKey{Namespace: t.Namespace, Name: builders.PrereturnRunName(t)}, run)
		if client.IgnoreNotFound(err) != nil {
			return f, err
		}
		// T6: only the operator's own prereturn run, controlled by this
		// takedown, is the check; a run squatting on its name is not.
		if err == nil && metav1.IsControlledBy(run, t) && requestedByOperator(run, r.OperatorUser) {
			f.Prereturn = &takedown.RunOutcome{Name: run.Name, Phase: run.Status.Phase, Verdict: run.Status.Verdict}
		}
	}
	return f, r.observeArchive(ctx, t, now, &f)
}

// act creates what the decision asks for.
func (r *TakedownRequestReconciler) act(ctx context.Context, t *sgv1.TakedownRequest, d takedown.Decision, p sgv1.SiteGroupPolicySpec) error {
	if d.StartPrereturn {
		run := builders.PrereturnRun(t)
		if _, err := apply.Ensure(ctx, r.Client, run); err != nil {
			return err
		}
		t.Status.PrereturnRun = run.Name
	}
	if d.StartArchive {
		return r.startArchive(ctx, t, p)
	}
	return nil
}

// record writes the decision into the status: phase, times, conditions,
// the bounded timeline, and an event for every transition.
func (r *TakedownRequestReconciler) record(ctx context.Context, t *sgv1.TakedownRequest, d takedown.Decision, l takedown.Limits, now time.Time) {
	st := &t.Status
	prev := st.Phase
	at := metav1.NewTime(now)
	if takedown.InForce(d.Phase) && st.ActivatedAt == nil {
		st.ActivatedAt = &at
	}
	if d.Phase == sgv1.TakedownRestored && st.RestoredAt == nil {
		st.RestoredAt = &at
	}
	if t.Spec.Type == sgv1.TakedownPermanent && st.ActivatedAt != nil {
		until := metav1.NewTime(takedown.NoticeUntil(t, l))
		st.NoticeUntil = &until
	}
	if d.Phase == sgv1.TakedownClosed {
		dr := t.Spec.Deregistration
		st.Deregistration = &sgv1.DeregistrationStatus{
			DueBy:      metav1.NewTime(takedown.DeregistrationDue(t, l)),
			DomainDone: dr != nil && dr.DomainCancelledAt != nil,
			ICPDone:    dr != nil && dr.ICPCancelledAt != nil,
		}
	}
	prevReason := ""
	if c := meta.FindStatusCondition(st.Conditions, sgv1.ConditionReady); c != nil {
		prevReason = c.Reason
	}
	st.Phase = d.Phase
	st.ObservedGeneration = t.Generation
	switch d.Phase {
	case sgv1.TakedownRejected:
		conditions.MarkStalled(&st.Conditions, t.Generation, d.Reason, d.Message)
	case sgv1.TakedownActive, sgv1.TakedownRestored, sgv1.TakedownCancelled, sgv1.TakedownClosed, sgv1.TakedownOverdue:
		if d.Warning {
			conditions.MarkStalled(&st.Conditions, t.Generation, d.Reason, d.Message)
		} else {
			conditions.MarkReady(&st.Conditions, t.Generation, d.Reason, d.Message)
		}
	default:
		conditions.MarkReconciling(&st.Conditions, t.Generation, d.Reason, d.Message)
	}
	if prev != d.Phase {
		st.Timeline = appendTimeline(st.Timeline, sgv1.TimelineEntry{Time: at, Phase: string(d.Phase), Message: truncate(d.Message, 500)})
		eventLog(ctx, r.Recorder, t, pendingEvent{corev1.EventTypeNormal, string(d.Phase), "Transition", fmt.Sprintf("%s → %s: %s", phaseOrNew(prev), d.Phase, d.Message)})
	}
	if d.Warning && prevReason != d.Reason {
		eventLog(ctx, r.Recorder, t, pendingEvent{corev1.EventTypeWarning, d.Reason, "Deadline", d.Message})
	}
}

func phaseOrNew(p sgv1.TakedownPhase) string {
	if p == "" {
		return "New"
	}
	return string(p)
}

// appendTimeline keeps the newest MaxTimelineEntries steps.
func appendTimeline(tl []sgv1.TimelineEntry, e sgv1.TimelineEntry) []sgv1.TimelineEntry {
	tl = append(tl, e)
	if len(tl) > sgv1.MaxTimelineEntries {
		tl = tl[len(tl)-sgv1.MaxTimelineEntries:]
	}
	return tl
}

// SetupWithManager watches takedowns, their runs and archive Jobs.
func (r *TakedownRequestReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&sgv1.TakedownRequest{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Named("takedownrequest").
		Owns(&sgv1.InspectionRun{}).
		Owns(&batchv1.Job{}).
		// The archive pods' termination messages carry the digests; they may
		// reach the cache after the Jobs' completion does.
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(takedownOfLabelled)).
		// The archive claim has no owner (it outlives the takedown); its
		// binding is when its volume can be retained (T7).
		Watches(&corev1.PersistentVolumeClaim{}, handler.EnqueueRequestsFromMapFunc(takedownOfLabelled)).
		Complete(r)
}

// takedownOfLabelled maps an object working for a takedown (the archive's
// pods and claim) to it by its takedown label.
func takedownOfLabelled(_ context.Context, obj client.Object) []reconcile.Request {
	name := obj.GetLabels()[builders.LabelTakedown]
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: obj.GetNamespace(), Name: name}}}
}
