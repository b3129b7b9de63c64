package controller

// The GovWebsite reconcile is an ordered list of steps over one scope, the
// way Flux's source-controller runs its reconcile functions. To add a step,
// write it in this file and put it in siteSteps at its place.
//
// A read step only reads and fills the scope (status fields included); a
// write step only acts on what the reads decided. Events a read step
// decides on wait in the scope and are emitted after the status is written
// (a status not written is read again, and its events decided again); a
// write step tells of the action it took at once. The
// status is computed from the scope in the deferred patch
// (summarizeSite, govwebsite_status.go), whichever step ended the reconcile.

import (
	"context"
	"errors"
	"fmt"
	"time"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/compliance"
	"sitegroup.io/operator/internal/faults"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
)

// siteScope is what one reconcile of a site has read and decided so far.
type siteScope struct {
	site   *sgv1.GovWebsite
	policy sgv1.SiteGroupPolicySpec
	now    time.Time

	// approval decides S1 for the identity in force (S8); launch decides S5.
	approval, launch verdict
	// importContent: the content import Job is (still) wanted.
	importContent bool
	// importedClaim is the content volume whose import just succeeded, to be
	// marked so that the import never runs again.
	importedClaim *corev1.PersistentVolumeClaim
	takedowns     siteTakedowns
	board         *builders.Board
	// t8Requests are the takedowns T8 calls for (a failing streak, a
	// failed external check, a year's failing months), to be requested
	// once each; people approve them, never the operator.
	t8Requests []*sgv1.TakedownRequest
	plan       builders.Plan
	// children is what runs, read after the apply; nil until then.
	children *siteChildren
	// halt ends the reconcile on purpose: nothing more to do until something changes.
	halt *siteHalt
	// events wait for the status write.
	events []pendingEvent
}

// siteChildren is what the site's children say once applied.
type siteChildren struct {
	pods                    []observedPod
	frontend, admin, notice *appsv1.Deployment
	policiesInForce         int
	policiesNotInForce      []string
	routedBy                string
	// certificate is the site's Certificate when one is wanted and exists.
	certificate *certmanagerv1.Certificate
}

// siteHalt is a deliberate end: suspended, or Stalled on a reason a person
// must fix (a missing policy, a spec that cannot be built).
type siteHalt struct {
	suspended bool
	stalled   verdict
}

func (s *siteScope) event(eventType, reason, action, message string) {
	s.events = append(s.events, pendingEvent{eventType, reason, action, message})
}

// siteStep is one step of the reconcile.
type siteStep struct {
	name string
	// failure is the reason Ready carries when the step returns an error.
	failure string
	run     func(context.Context, *siteScope) (stepResult, error)
}

// stepResult is what a step asks of the reconcile besides its error.
type stepResult struct {
	// stop ends the reconcile after this step, without error.
	stop bool
	// requeueAfter asks to come back when time alone changes the outcome.
	requeueAfter time.Duration
}

// stepError is a step's failure, named after the step.
type stepError struct {
	step, reason string
	err          error
}

func (e *stepError) Error() string { return "step " + e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// siteSteps are the steps of a site's reconcile, in order.
func (r *GovWebsiteReconciler) siteSteps() []siteStep {
	return []siteStep{
		// S6, S7: the namespace is labelled for the admission policies first, suspended or not.
		{"label-namespace", sgv1.ReasonApplyFailed, r.labelNamespace},
		{"suspend", "", stopWhenSuspended},
		{"read-policy", sgv1.ReasonReadFailed, r.readPolicy},
		{"read-identity", "", r.readIdentity},
		{"read-content", sgv1.ReasonReadFailed, r.readContent},
		{"read-takedowns", sgv1.ReasonReadFailed, r.readTakedowns},
		{"read-inspections", sgv1.ReasonReadFailed, r.readInspections},
		{"request-t8-takedowns", sgv1.ReasonApplyFailed, r.requestT8Takedowns},
		{"keep-monthly-records", sgv1.ReasonApplyFailed, r.keepMonthlyRecords},
		{"mark-content-imported", sgv1.ReasonApplyFailed, r.markContentImported},
		{"retain-content-volume", sgv1.ReasonApplyFailed, r.retainContentVolume},
		{"plan", "", r.planChildren},
		{"apply", sgv1.ReasonApplyFailed, r.applyChildren},
		{"read-children", sgv1.ReasonReadFailed, r.readChildren},
	}
}

// runSteps runs the steps in order until one fails or stops, logging each
// outcome at V(1); the result asks for the earliest requeue any step asked.
func runSteps(ctx context.Context, s *siteScope, steps []siteStep) (ctrl.Result, error) {
	log := ctrl.LoggerFrom(ctx).V(1)
	var res ctrl.Result
	for _, step := range steps {
		out, err := step.run(ctx, s)
		if err != nil {
			log.Info("step failed", "step", step.name, "error", err.Error())
			return ctrl.Result{}, &stepError{step: step.name, reason: step.failure, err: err}
		}
		log.Info("step done", "step", step.name, "stop", out.stop, "requeueAfter", out.requeueAfter)
		if out.requeueAfter > 0 && (res.RequeueAfter == 0 || out.requeueAfter < res.RequeueAfter) {
			res.RequeueAfter = out.requeueAfter
		}
		if out.stop {
			break
		}
	}
	return res, nil
}

// labelNamespace enforces Pod Security "restricted" on the site's namespace
// and marks it for the S6 admission policy; no write when already labelled.
func (r *GovWebsiteReconciler) labelNamespace(ctx context.Context, s *siteScope) (stepResult, error) {
	desired := builders.SiteNamespace(s.site.Namespace)
	live := &metav1.PartialObjectMetadata{}
	live.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Namespace"))
	if err := r.Get(ctx, client.ObjectKey{Name: desired.Name}, live); err != nil {
		return stepResult{}, err
	}
	for k, v := range desired.Labels {
		if live.Labels[k] != v {
			return stepResult{}, r.Patch(ctx, desired, client.Apply, apply.FieldOwner, client.ForceOwnership) //nolint:staticcheck // typed apply of a plain Namespace, as internal/apply does
		}
	}
	return stepResult{}, nil
}

// stopWhenSuspended: a platform engineer suspended the site; nothing is
// changed until they resume it.
func stopWhenSuspended(_ context.Context, s *siteScope) (stepResult, error) {
	if !s.site.Spec.Suspend {
		return stepResult{}, nil
	}
	s.halt = &siteHalt{suspended: true}
	return stepResult{stop: true}, nil
}

// readPolicy reads the platform's policy, with the city's defaults.
func (r *GovWebsiteReconciler) readPolicy(ctx context.Context, s *siteScope) (stepResult, error) {
	p, err := policy.Get(ctx, r.Client)
	if errors.Is(err, policy.ErrMissing) {
		s.halt = &siteHalt{stalled: verdict{metav1.ConditionFalse, sgv1.ReasonPolicyMissing, err.Error()}}
		return stepResult{stop: true}, nil
	}
	s.policy = p
	return stepResult{}, err
}

// readIdentity decides S1 and S8 (govwebsite_identity.go); every
// signature of the site's chain enters its history.
func (r *GovWebsiteReconciler) readIdentity(_ context.Context, s *siteScope) (stepResult, error) {
	s.approval = observeIdentity(s, s.policy)
	st := &s.site.Status
	st.ComplianceHistory = mergeHistory(st.ComplianceHistory, compliance.ApprovalRecords("S1", s.site.Name, s.site.Spec.Approvals),
		int(s.policy.History.ComplianceEntries))
	return stepResult{}, nil
}

// readContent reads the content volume and the import Job, records the
// import's result, and says whether the import Job is (still) wanted.
func (r *GovWebsiteReconciler) readContent(ctx context.Context, s *siteScope) (stepResult, error) {
	site := s.site
	st := site.Status.Content
	if st == nil {
		st = &sgv1.ContentStatus{}
		site.Status.Content = st
	}
	st.ClaimName = builders.ContentClaimName(site)
	if site.Spec.Content.ImportFrom == nil {
		st.ImportPhase, st.ImportMessage = "", ""
		return stepResult{}, nil
	}
	pvc := &corev1.PersistentVolumeClaim{}
	err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: st.ClaimName}, pvc)
	if client.IgnoreNotFound(err) != nil {
		return stepResult{}, err
	}
	if at, done := pvc.Annotations[builders.AnnotationContentImported]; done {
		st.ImportPhase, st.ImportMessage = sgv1.ImportSucceeded, "content imported at "+at
		return stepResult{}, nil
	}
	job, err := r.job(ctx, site.Namespace, builders.ImportJobName(site))
	if err != nil {
		return stepResult{}, err
	}
	if job == nil {
		st.ImportPhase, st.ImportMessage = sgv1.ImportPending, "import Job being created"
		s.importContent = true
		return stepResult{}, nil
	}
	phase, msg := importOutcome(job)
	st.ImportPhase, st.ImportMessage = phase, msg
	if phase != sgv1.ImportSucceeded {
		s.importContent = true
		return stepResult{}, nil
	}
	now := metav1.NewTime(s.now)
	st.ImportedAt = &now
	if pvc.Name != "" {
		s.importedClaim = pvc
	}
	return stepResult{}, nil
}

// readTakedowns reads the site's takedowns (T3, T5) and, for a portal, the
// board of its sub-sites' takedowns and opening announcements (S5); the
// portal comes back when an announcement ends.
func (r *GovWebsiteReconciler) readTakedowns(ctx context.Context, s *siteScope) (stepResult, error) {
	takedowns, err := r.observeTakedowns(ctx, s.site, s.policy)
	if err != nil {
		return stepResult{}, err
	}
	st := &s.site.Status
	s.takedowns = takedowns
	st.CurrentTakedown, st.TakedownQuota = takedowns.current, takedowns.quota
	st.ComplianceHistory = mergeHistory(st.ComplianceHistory, takedowns.history, int(s.policy.History.ComplianceEntries))
	board, changes, err := r.portalBoard(ctx, s.site, s.now)
	if err != nil {
		return stepResult{}, err
	}
	s.board = board
	if changes.IsZero() {
		return stepResult{}, nil
	}
	return stepResult{requeueAfter: min(changes.Sub(s.now), 24*time.Hour)}, nil
}

// readInspections folds the site's runs into its record and decides S5
// (govwebsite_inspection.go).
func (r *GovWebsiteReconciler) readInspections(ctx context.Context, s *siteScope) (stepResult, error) {
	return stepResult{}, r.observeInspections(ctx, s)
}

// markContentImported records the import on the volume itself, which
// outlives the site: the import never runs twice.
func (r *GovWebsiteReconciler) markContentImported(ctx context.Context, s *siteScope) (stepResult, error) {
	pvc := s.importedClaim
	if pvc == nil {
		return stepResult{}, nil
	}
	patch := client.MergeFrom(pvc.DeepCopy())
	if pvc.Annotations == nil {
		pvc.Annotations = map[string]string{}
	}
	pvc.Annotations[builders.AnnotationContentImported] = s.site.Status.Content.ImportedAt.UTC().Format(time.RFC3339)
	return stepResult{}, r.Patch(ctx, pvc, patch)
}

// retainContentVolume sets the reclaim policy of the volume the content
// claim is bound to to Retain, and says so in status: the content survives
// the deletion of its claim or of the namespace (T7). The volume is read
// uncached, once a binding (no cluster-wide informer of volumes).
func (r *GovWebsiteReconciler) retainContentVolume(ctx context.Context, s *siteScope) (stepResult, error) {
	st := s.site.Status.Content
	pvc := &corev1.PersistentVolumeClaim{}
	err := r.Get(ctx, client.ObjectKey{Namespace: s.site.Namespace, Name: builders.ContentClaimName(s.site)}, pvc)
	if err != nil || pvc.Spec.VolumeName == "" || st == nil {
		return stepResult{}, client.IgnoreNotFound(err) // not bound yet
	}
	if st.Retained && st.VolumeName == pvc.Spec.VolumeName {
		return stepResult{}, nil
	}
	name, err := retainVolume(ctx, r.Client, r.Uncached, pvc.Spec.VolumeName)
	if err != nil {
		return stepResult{}, err
	}
	st.VolumeName, st.Retained = name, true
	return stepResult{}, nil
}

// retainVolume sets a volume's reclaim policy to Retain (a patch only when
// it is not already), reading it uncached: the operator keeps no
// cluster-wide informer of volumes.
func retainVolume(ctx context.Context, c client.Client, uncached client.Reader, name string) (string, error) {
	pv := &corev1.PersistentVolume{}
	if err := uncached.Get(ctx, client.ObjectKey{Name: name}, pv); err != nil {
		return "", err
	}
	if pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimRetain {
		patch := client.MergeFrom(pv.DeepCopy())
		pv.Spec.PersistentVolumeReclaimPolicy = corev1.PersistentVolumeReclaimRetain
		if err := c.Patch(ctx, pv, patch); err != nil {
			return "", err
		}
	}
	return pv.Name, nil
}

// planChildren computes every child the site should have, and those it
// should not; a spec that cannot be built stalls the site. While an old
// domain's notice lasts (S8), the site comes back when it ends.
func (r *GovWebsiteReconciler) planChildren(_ context.Context, s *siteScope) (stepResult, error) {
	notice, noticeEnds := domainNotice(s.site, s.now)
	plan, err := builders.Desired(builders.Inputs{
		Site: identity.InForce(s.site), Policy: s.policy, Approved: s.approval.ok(), Launched: s.launch.ok(),
		ImportContent: s.importContent, Takedown: s.takedowns.inForce, Board: s.board, DomainNotice: notice,
		OperatorImage: r.OperatorImage, HaveGatewayAPI: r.HaveGatewayAPI, HaveCertManager: r.HaveCertManager,
	})
	if err != nil {
		s.halt = &siteHalt{stalled: verdict{metav1.ConditionFalse, sgv1.ReasonInvalidSpec, err.Error()}}
		return stepResult{stop: true}, nil
	}
	s.plan = plan
	if notice != nil {
		return stepResult{requeueAfter: min(noticeEnds.Sub(s.now), 24*time.Hour)}, nil
	}
	return stepResult{}, nil
}

// applyChildren applies the planned objects and removes the unwanted ones.
func (r *GovWebsiteReconciler) applyChildren(ctx context.Context, s *siteScope) (stepResult, error) {
	importStarted := false
	for _, obj := range s.plan.Apply {
		res, err := apply.Ensure(ctx, r.Client, obj)
		if err != nil {
			return stepResult{}, fmt.Errorf("applying %T %s: %w", obj, obj.GetName(), err)
		}
		if _, isJob := obj.(*batchv1.Job); isJob && res == apply.Created && obj.GetName() == builders.ImportJobName(s.site) {
			importStarted = true
		}
	}
	for _, obj := range s.plan.Absent {
		if _, err := apply.Delete(ctx, r.Client, obj); err != nil {
			return stepResult{}, fmt.Errorf("removing %T %s: %w", obj, obj.GetName(), err)
		}
	}
	// The fault suite kills the manager here: the children are written,
	// the status that records them is not (issue 17).
	if importStarted {
		faults.Point(faults.ContentImportStarted)
	}
	if s.takedowns.inForce != nil {
		faults.Point(faults.TakedownServiceSwitched)
	}
	return stepResult{}, nil
}

// readChildren reads what runs: the pods and their nodes (S6, S7), the
// Deployments, the NetworkPolicies as they exist (S7), the route and the
// certificate.
func (r *GovWebsiteReconciler) readChildren(ctx context.Context, s *siteScope) (stepResult, error) {
	site, p := s.site, s.policy
	c := &siteChildren{}
	var err error
	if c.pods, err = r.observePods(ctx, site, p.Placement.NodeLabelKey); err != nil {
		return stepResult{}, err
	}
	if c.frontend, err = r.deployment(ctx, site.Namespace, builders.FrontendName(site)); err != nil {
		return stepResult{}, err
	}
	if c.admin, err = r.deployment(ctx, site.Namespace, builders.AdminName(site)); err != nil {
		return stepResult{}, err
	}
	if s.takedowns.inForce != nil {
		if c.notice, err = r.deployment(ctx, site.Namespace, builders.NoticeName(site)); err != nil {
			return stepResult{}, err
		}
	}
	policies := builders.NetworkPolicies(site, p)
	if c.policiesNotInForce, err = r.networkPoliciesNotInForce(ctx, policies); err != nil {
		return stepResult{}, err
	}
	c.policiesInForce = len(policies) - len(c.policiesNotInForce)
	routing := builders.RoutingFor(site, p)
	switch {
	case routing.UsesIngress():
		c.routedBy = "Ingress " + builders.RouteName(site) + " (class " + *routing.IngressClass + ")"
	case routing.UsesGateway() && r.HaveGatewayAPI:
		c.routedBy = fmt.Sprintf("HTTPRoute %s on Gateway %s/%s", builders.RouteName(site), routing.Gateway.Namespace, routing.Gateway.Name)
	}
	if s.approval.ok() && routing.Issuer != nil && r.HaveCertManager {
		if c.certificate, err = r.certificate(ctx, site); err != nil {
			return stepResult{}, err
		}
	}
	s.children = c
	return stepResult{}, nil
}
