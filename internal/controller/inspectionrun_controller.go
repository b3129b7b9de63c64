package controller

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/conditions"
	"sitegroup.io/operator/internal/faults"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/metrics"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/reportstore"
	"sitegroup.io/operator/internal/statuspatch"
	"sitegroup.io/operator/internal/takedown"
)

// ReportSource reads the full report an inspection pod printed. The
// inspector pod has no API token (it reads untrusted pages); the manager
// reads its log and keeps the report in a ConfigMap owned by the run.
type ReportSource interface {
	Log(ctx context.Context, pod client.ObjectKey, container string) ([]byte, error)
}

// InspectionRunReconciler runs one inspection as a Job and records its
// outcome on the run (RULES.md §3). The GovWebsite controller folds
// finished runs into the site's record.
type InspectionRunReconciler struct {
	client.Client
	Recorder      events.EventRecorder
	Clock         clock.Clock
	OperatorImage string
	Reports       ReportSource
	// Uncached reads the shared scoring profile: ConfigMaps are cached by
	// the operator's label only, and the profile is read once per run.
	Uncached client.Reader
	// Workers is how many runs are reconciled at once; one when zero.
	// Runs of one site never are (sites).
	Workers int
	sites   siteLocks
}

// +kubebuilder:rbac:groups=sitegroup.io,resources=inspectionruns,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups=sitegroup.io,resources=inspectionruns/status,verbs=patch
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=list;watch;create;patch
// +kubebuilder:rbac:groups="",resources=pods,verbs=list;watch
// +kubebuilder:rbac:groups="",resources=pods/log,verbs=get
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=networking.k8s.io,resources=networkpolicies,verbs=list;watch;create;patch;delete

// waitForOtherRun is how often a run waiting for its site's other run looks again.
const waitForOtherRun = 30 * time.Second

// Reconcile starts the run's Job and, once it ends, records the outcome.
// A finished run is a record and is never changed again.
func (r *InspectionRunReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	run := &sgv1.InspectionRun{}
	if err := r.Get(ctx, req.NamespacedName, run); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if finished(run) || !run.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}
	// One run of a site at a time across the workers: whether this run may
	// start is read from the site's other runs. Released after the status
	// patch (defers run last in, first out).
	defer r.sites.lock(runSiteKey(run))()
	patcher := statuspatch.New(run)
	defer patcher.Finish(ctx, r.Client, run, &result, &retErr)
	run.Status.ObservedGeneration = run.Generation
	if run.Spec.Purpose == sgv1.PurposeExternal {
		r.recordExternal(ctx, run)
		return ctrl.Result{}, nil
	}

	p, err := policy.Get(ctx, r.Client)
	if errors.Is(err, policy.ErrMissing) {
		conditions.MarkStalled(&run.Status.Conditions, run.Generation, sgv1.ReasonPolicyMissing, err.Error())
		return ctrl.Result{}, nil
	} else if err != nil {
		return ctrl.Result{}, err
	}
	site, err := r.site(ctx, run)
	if err != nil {
		return ctrl.Result{}, err
	}
	if run.Spec.SiteRef != nil && site == nil {
		r.fail(ctx, run, sgv1.ReasonSiteNotFound, fmt.Sprintf("GovWebsite %s/%s does not exist", run.Namespace, run.Spec.SiteRef.Name))
		return ctrl.Result{}, nil
	}
	job, err := r.job(ctx, run)
	if err != nil {
		return ctrl.Result{}, err
	}
	if job == nil && site != nil && takedown.SiteDown(site.Status.CurrentTakedown) && run.Spec.Purpose != sgv1.PurposePrereturn {
		// T5: the public site is the notice page; crawling it would record
		// vetoes (and T9 tickets) against a site that is lawfully down.
		r.fail(ctx, run, sgv1.ReasonSiteTakenDown, fmt.Sprintf("site %s is taken down (takedown %s): only a prereturn run inspects it, behind the notice (T6)",
			site.Name, site.Status.CurrentTakedown.Name))
		return ctrl.Result{}, nil
	}
	if job == nil {
		siteRuns, err := r.siteRuns(ctx, run)
		if err != nil {
			return ctrl.Result{}, err // retried with backoff; a RequeueAfter beside it would be dropped
		}
		if other := otherActiveRun(run, siteRuns); other != "" {
			if newer := supersededBy(run, siteRuns); newer != "" {
				r.fail(ctx, run, sgv1.ReasonSuperseded, fmt.Sprintf("run %s of the same purpose, scheduled later, replaces this one, which never started: run %s of the site was still going", newer, other))
				return ctrl.Result{}, nil
			}
			msg := "waiting for run " + other + " of the same site to finish: no two runs of a site at once"
			run.Status.Phase = sgv1.InspectionPending
			conditions.MarkReconciling(&run.Status.Conditions, run.Generation, sgv1.ReasonWaitingForOtherRun, msg)
			return ctrl.Result{RequeueAfter: waitForOtherRun}, nil
		}
		if err := r.copyScoringProfile(ctx, run, p); err != nil {
			var missing profileMissingError
			if errors.As(err, &missing) {
				r.fail(ctx, run, sgv1.ReasonScoringProfileNotFound, err.Error())
				return ctrl.Result{}, nil
			}
			return ctrl.Result{}, err
		}
		if job, err = r.startJob(ctx, run, site, p); err != nil {
			return ctrl.Result{}, err
		}
	}
	pods, err := jobPods(ctx, r.Client, job)
	if err != nil {
		return ctrl.Result{}, err
	}
	js := readJob(job, pods, r.Clock.Now())
	ctrl.LoggerFrom(ctx).V(1).Info("read the Job", "job", job.Name, "phase", js.Phase, "detail", js.Detail)
	if err := r.record(ctx, run, js); err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{RequeueAfter: js.RecheckAfter}, nil
}

// finished: the run reached a terminal phase.
func finished(run *sgv1.InspectionRun) bool {
	return run.Status.Phase == sgv1.InspectionSucceeded || run.Status.Phase == sgv1.InspectionFailed
}

func (r *InspectionRunReconciler) site(ctx context.Context, run *sgv1.InspectionRun) (*sgv1.GovWebsite, error) {
	if run.Spec.SiteRef == nil {
		return nil, nil
	}
	site := &sgv1.GovWebsite{}
	err := r.Get(ctx, client.ObjectKey{Namespace: run.Namespace, Name: run.Spec.SiteRef.Name}, site)
	if err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return identity.InForce(site), nil // inspected under the identity in force (S8)
}

func (r *InspectionRunReconciler) job(ctx context.Context, run *sgv1.InspectionRun) (*batchv1.Job, error) {
	job := &batchv1.Job{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: run.Namespace, Name: builders.InspectionJobName(run)}, job); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return job, nil
}

// runSiteKey names the site a run inspects (the run itself when it names
// no site: an external link check).
func runSiteKey(run *sgv1.InspectionRun) string {
	if run.Spec.SiteRef == nil {
		return run.Namespace + "/run/" + run.Name
	}
	return run.Namespace + "/" + run.Spec.SiteRef.Name
}

// siteRuns are the runs of run's site, run included; none for a run of no
// site.
func (r *InspectionRunReconciler) siteRuns(ctx context.Context, run *sgv1.InspectionRun) ([]sgv1.InspectionRun, error) {
	if run.Spec.SiteRef == nil {
		return nil, nil
	}
	runs := &sgv1.InspectionRunList{}
	if err := r.List(ctx, runs, client.InNamespace(run.Namespace), client.MatchingFields{IndexRunSite: run.Spec.SiteRef.Name}); err != nil {
		return nil, err
	}
	return runs.Items, nil
}

// otherActiveRun names a run of the same site whose Job is going: no two
// runs of a site crawl it at once.
func otherActiveRun(run *sgv1.InspectionRun, siteRuns []sgv1.InspectionRun) string {
	for _, other := range siteRuns {
		if other.Name != run.Name && !finished(&other) && other.Status.JobName != "" {
			return other.Name
		}
	}
	return ""
}

// supersededBy names the latest unfinished scheduled run of run's purpose
// scheduled after run, when run is a scheduled run that never started:
// while one run of a site hangs, the daily schedule would otherwise queue a
// run a day behind it, each waiting for the one before (issue 17: waiting
// runs are pruned). Runs asked for by hand are never superseded.
func supersededBy(run *sgv1.InspectionRun, siteRuns []sgv1.InspectionRun) string {
	at, ok := scheduledAt(run)
	if !ok || run.Status.JobName != "" {
		return ""
	}
	newest, newestAt := "", at
	for _, other := range siteRuns {
		otherAt, ok := scheduledAt(&other)
		if !ok || other.Name == run.Name || other.Spec.Purpose != run.Spec.Purpose || finished(&other) || !otherAt.After(newestAt) {
			continue
		}
		newest, newestAt = other.Name, otherAt
	}
	return newest
}

func scheduledAt(run *sgv1.InspectionRun) (time.Time, bool) {
	at, err := time.Parse(time.RFC3339, run.Annotations[sgv1.AnnotationScheduledAt])
	return at, err == nil
}

// profileMissingError: the scoring profile a run names cannot be read.
type profileMissingError struct{ msg string }

func (e profileMissingError) Error() string { return e.msg }

// copyScoringProfile gives the run its own copy of the scoring profile its
// spec or the policy names (the run's overrides the policy's) and records
// its source and digest; nothing when the embedded profile applies.
func (r *InspectionRunReconciler) copyScoringProfile(ctx context.Context, run *sgv1.InspectionRun, p sgv1.SiteGroupPolicySpec) error {
	ref := run.Spec.ScoringProfileRef
	if ref == nil {
		ref = p.ScoringProfileRef
	}
	if ref == nil || run.Status.ScoringProfile != nil {
		return nil
	}
	ns, keyName := ref.Namespace, ref.Key
	if ns == "" {
		ns = run.Namespace
	}
	if keyName == "" {
		keyName = builders.ScoringProfileKey
	}
	source := fmt.Sprintf("%s/%s:%s", ns, ref.Name, keyName)
	shared := &corev1.ConfigMap{}
	if err := r.Uncached.Get(ctx, client.ObjectKey{Namespace: ns, Name: ref.Name}, shared); apierrors.IsNotFound(err) {
		return profileMissingError{"scoring profile " + source + ": ConfigMap not found"}
	} else if err != nil {
		return err
	}
	profile, ok := shared.Data[keyName]
	if !ok || strings.TrimSpace(profile) == "" {
		return profileMissingError{"scoring profile " + source + ": no such key, or it is empty"}
	}
	cm := builders.ScoringProfileConfigMap(run, profile)
	if _, err := apply.Ensure(ctx, r.Client, cm); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(profile))
	run.Status.ScoringProfile = &sgv1.ScoringProfileRecord{Source: source, Digest: "sha256:" + hex.EncodeToString(sum[:]), ConfigMap: cm.Name}
	return nil
}

// startJob applies the site's inspection egress policy and the Job.
func (r *InspectionRunReconciler) startJob(ctx context.Context, run *sgv1.InspectionRun, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) (*batchv1.Job, error) {
	if site != nil {
		if _, err := apply.Ensure(ctx, r.Client, builders.InspectionEgress(run, site)); err != nil {
			return nil, err
		}
	}
	job := builders.InspectionJob(run, site, p, r.OperatorImage)
	if _, err := apply.Ensure(ctx, r.Client, job); err != nil {
		return nil, err
	}
	if run.Spec.Purpose == sgv1.PurposePrelaunch {
		faults.Point(faults.PrelaunchJobCreated) // the Job exists, the run's status does not name it (issue 17)
	}
	now := metav1.NewTime(r.Clock.Now())
	run.Status.StartTime, run.Status.JobName = &now, job.Name
	return job, nil
}

// record writes the Job's state into the run; a finished run gets its
// report, a Ready or Stalled condition, an event and a metric.
func (r *InspectionRunReconciler) record(ctx context.Context, run *sgv1.InspectionRun, js jobState) error {
	switch js.Phase {
	case sgv1.InspectionSucceeded:
		if js.Summary.Verdict == findings.Unjudged {
			r.recordUnjudged(ctx, run, js)
			return nil
		}
		applySummary(&run.Status, *js.Summary)
		run.Status.ReportRef = nil
		if err := r.keepReport(ctx, run, js.Pod); err != nil {
			// The verdict stands on the summary; the full report is a convenience.
			run.Status.FailureReason = "full report unavailable: " + err.Error()
		}
		r.finish(run, sgv1.InspectionSucceeded)
		conditions.MarkReady(&run.Status.Conditions, run.Generation, sgv1.ReasonInspected, verdictMessage(run.Status))
		eventLog(ctx, r.Recorder, run, pendingEvent{corev1.EventTypeNormal, sgv1.ReasonInspected, "Inspection", verdictMessage(run.Status)})
		metrics.RecordRun(string(run.Spec.Purpose), string(run.Status.Verdict))
	case sgv1.InspectionFailed:
		r.fail(ctx, run, sgv1.ReasonJobFailed, js.Detail)
	default:
		run.Status.Phase = js.Phase
		conditions.MarkReconciling(&run.Status.Conditions, run.Generation, string(js.Phase), js.Detail)
	}
	return nil
}

// recordUnjudged: the inspector ran, but the homepage did not open, so it
// judged nothing. The run ends without a verdict, so the site's record
// takes no month and opens no ticket from it: V1 is judged on the 7-day
// window of the prober's spaced probes, never on one run's (issue 16). The
// report is kept: its probes are evidence for that window.
func (r *InspectionRunReconciler) recordUnjudged(ctx context.Context, run *sgv1.InspectionRun, js jobState) {
	run.Status.ReportRef = nil
	detail := fmt.Sprintf("the site's homepage did not open (%s), so nothing was judged; not a V1 veto: V1 is judged on the site's 7-day availability window (status.availability)", js.Summary.Unreachable)
	if err := r.keepReport(ctx, run, js.Pod); err != nil {
		detail += "; full report unavailable: " + err.Error()
	}
	r.endWithoutVerdict(ctx, run, sgv1.ReasonHomepageUnreachable, detail)
	metrics.RecordRun(string(run.Spec.Purpose), findings.Unjudged)
}

// recordExternal records a national or provincial check's result as its
// notice states it (T8): no Job runs; the problems that name a veto (V1–V5)
// become the run's vetoes, so the site's record opens tickets for them.
func (r *InspectionRunReconciler) recordExternal(ctx context.Context, run *sgv1.InspectionRun) {
	ext := run.Spec.External
	st := &run.Status
	st.Verdict, st.Score, st.Vetoes = ext.Verdict, ext.Score, externalVetoes(ext.Problems)
	st.StartTime, st.CompletionTime = ext.CheckedAt.DeepCopy(), ext.CheckedAt.DeepCopy()
	st.Phase = sgv1.InspectionSucceeded
	msg := fmt.Sprintf("T8: %s check by %s (%s) on %s: %s", ext.Level, ext.Inspector, ext.DocumentNumber,
		ext.CheckedAt.UTC().Format("2006-01-02"), ext.Verdict)
	conditions.MarkReady(&st.Conditions, run.Generation, sgv1.ReasonExternalResult, msg)
	eventLog(ctx, r.Recorder, run, pendingEvent{corev1.EventTypeNormal, sgv1.ReasonExternalResult, "Inspection", msg})
	metrics.RecordRun(string(run.Spec.Purpose), string(ext.Verdict))
}

// externalVetoes reads the vetoes an external check's problems name: one
// per rule (V1–V5), its first problem as the reason.
func externalVetoes(problems []string) []sgv1.Veto {
	var out []sgv1.Veto
	for _, p := range problems {
		id, _, _ := strings.Cut(p, ":")
		id = strings.TrimSpace(id)
		if len(id) == 2 && id[0] == 'V' && id[1] >= '1' && id[1] <= '5' && !slices.ContainsFunc(out, func(v sgv1.Veto) bool { return v.ID == id }) {
			out = append(out, sgv1.Veto{ID: id, Reason: truncate(p, 512)})
		}
	}
	return out
}

// fail ends the run as an infrastructure failure: not a site verdict.
func (r *InspectionRunReconciler) fail(ctx context.Context, run *sgv1.InspectionRun, reason, detail string) {
	r.endWithoutVerdict(ctx, run, reason, detail)
	metrics.RecordRun(string(run.Spec.Purpose), "error")
}

// endWithoutVerdict ends a run Failed: no verdict on the site.
func (r *InspectionRunReconciler) endWithoutVerdict(ctx context.Context, run *sgv1.InspectionRun, reason, detail string) {
	run.Status.FailureReason = truncate(detail, 1000)
	r.finish(run, sgv1.InspectionFailed)
	conditions.MarkStalled(&run.Status.Conditions, run.Generation, reason, "no verdict on the site: "+detail)
	eventLog(ctx, r.Recorder, run, pendingEvent{corev1.EventTypeWarning, reason, "Inspection", detail})
}

func (r *InspectionRunReconciler) finish(run *sgv1.InspectionRun, phase sgv1.InspectionPhase) {
	now := metav1.NewTime(r.Clock.Now())
	run.Status.Phase, run.Status.CompletionTime = phase, &now
}

// keepReport reads the pod's log and keeps the report in a ConfigMap owned
// by the run (capped; truncation is said in it and in the reference).
func (r *InspectionRunReconciler) keepReport(ctx context.Context, run *sgv1.InspectionRun, pod string) error {
	if r.Reports == nil {
		return errors.New("no report source configured")
	}
	log, err := r.Reports.Log(ctx, client.ObjectKey{Namespace: run.Namespace, Name: pod}, "inspect")
	if err != nil {
		return err
	}
	report, err := reportstore.FromLog(log)
	if err != nil {
		return err
	}
	cm, truncated := reportstore.ConfigMap(run.Namespace, run.Name+"-report", builders.RunOwner(run), run.Name, report)
	if _, err := apply.Ensure(ctx, r.Client, cm); err != nil {
		return err
	}
	run.Status.ReportRef = &sgv1.ReportReference{ConfigMap: cm.Name, Key: reportstore.Key, Truncated: truncated}
	return nil
}

// IndexRunSite indexes InspectionRuns by the site they inspect.
const IndexRunSite = "spec.siteRef.name"

func runSite(o client.Object) []string {
	if ref := o.(*sgv1.InspectionRun).Spec.SiteRef; ref != nil {
		return []string{ref.Name}
	}
	return nil
}

// SetupWithManager watches runs, their Jobs and the Jobs' pods (whose
// termination message carries the summary).
func (r *InspectionRunReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&sgv1.InspectionRun{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("inspectionrun").
		WithOptions(controller.Options{MaxConcurrentReconciles: max(r.Workers, 1)}).
		Owns(&batchv1.Job{}).
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(runOfPod)).
		// A run that finishes lets its site's waiting run start; a new
		// scheduled run may supersede one.
		Watches(&sgv1.InspectionRun{}, handler.EnqueueRequestsFromMapFunc(r.waitingRuns), builder.WithPredicates(runFinishedOrScheduled())).
		Complete(r)
}

// waitingRuns maps a run to the unstarted runs of the same site.
func (r *InspectionRunReconciler) waitingRuns(ctx context.Context, obj client.Object) []reconcile.Request {
	run := obj.(*sgv1.InspectionRun)
	if run.Spec.SiteRef == nil {
		return nil
	}
	runs := &sgv1.InspectionRunList{}
	if err := r.List(ctx, runs, client.InNamespace(run.Namespace), client.MatchingFields{IndexRunSite: run.Spec.SiteRef.Name}); err != nil {
		return nil
	}
	var out []reconcile.Request
	for _, other := range runs.Items {
		if other.Name != run.Name && !finished(&other) && other.Status.JobName == "" {
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&other)})
		}
	}
	return out
}

// runFinishedOrScheduled passes the update that makes a run finished and
// the creation of a scheduled run.
func runFinishedOrScheduled() predicate.Funcs {
	return predicate.Funcs{
		CreateFunc: func(e event.CreateEvent) bool {
			_, ok := scheduledAt(e.Object.(*sgv1.InspectionRun))
			return ok
		},
		DeleteFunc: func(event.DeleteEvent) bool { return true },
		UpdateFunc: func(e event.UpdateEvent) bool {
			return !finished(e.ObjectOld.(*sgv1.InspectionRun)) && finished(e.ObjectNew.(*sgv1.InspectionRun))
		},
	}
}

// runOfPod maps an inspection pod to its run.
func runOfPod(_ context.Context, obj client.Object) []reconcile.Request {
	name := obj.GetLabels()[builders.LabelInspectionRun]
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: obj.GetNamespace(), Name: name}}}
}
