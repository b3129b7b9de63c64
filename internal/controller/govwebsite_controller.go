package controller

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/conditions"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/statuspatch"
)

const (
	// SiteFinalizer holds a site until its children are removed and its
	// closure followed procedure (T7).
	SiteFinalizer = "sitegroup.io/finalizer"
)

// GovWebsiteReconciler turns a GovWebsite into a running, isolated,
// domestic site (S1, S2, S3, S6, S7).
type GovWebsiteReconciler struct {
	client.Client
	Recorder      events.EventRecorder
	Clock         clock.Clock
	OperatorImage string
	// OperatorUser is the operator's own user: only its runs count (S5, T8).
	OperatorUser string
	// HaveGatewayAPI and HaveCertManager: the cluster serves those APIs.
	HaveGatewayAPI, HaveCertManager bool
}

// +kubebuilder:rbac:groups=sitegroup.io,resources=govwebsites,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=govwebsites/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=govwebsites/finalizers,verbs=update
// +kubebuilder:rbac:groups=sitegroup.io,resources=takedownrequests,verbs=get;list;watch;create
// +kubebuilder:rbac:groups=sitegroup.io,resources=inspectionruns,verbs=get;list;watch
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups="",resources=services;persistentvolumeclaims;configmaps,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups="",resources=pods,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=nodes;namespaces,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=patch
// +kubebuilder:rbac:groups=networking.k8s.io,resources=networkpolicies;ingresses,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=policy,resources=poddisruptionbudgets,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=gateway.networking.k8s.io,resources=httproutes,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=cert-manager.io,resources=certificates,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile gets the site, holds it with a finalizer, and runs the steps in
// order; one deferred patch writes the status, and only if it changed.
func (r *GovWebsiteReconciler) Reconcile(ctx context.Context, req ctrl.Request) (_ ctrl.Result, retErr error) {
	site := &sgv1.GovWebsite{}
	if err := r.Get(ctx, req.NamespacedName, site); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !site.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, r.finalize(ctx, site)
	}
	if !controllerutil.ContainsFinalizer(site, SiteFinalizer) {
		patch := client.MergeFrom(site.DeepCopy())
		controllerutil.AddFinalizer(site, SiteFinalizer)
		if err := r.Patch(ctx, site, patch); err != nil {
			return ctrl.Result{}, err
		}
	}
	patcher := statuspatch.New(site)
	defer func() { retErr = kerrors.NewAggregate([]error{retErr, patcher.Patch(ctx, r.Client, site)}) }()

	// S6, S7: the namespace is labelled for the admission policies first,
	// suspended or not.
	if err := r.labelNamespace(ctx, site.Namespace); err != nil {
		return ctrl.Result{}, err
	}
	if site.Spec.Suspend {
		site.Status.State = sgv1.StateSuspended
		site.Status.ObservedGeneration = site.Generation
		return ctrl.Result{}, nil
	}
	p, err := policy.Get(ctx, r.Client)
	if errors.Is(err, policy.ErrMissing) {
		conditions.MarkStalled(&site.Status.Conditions, site.Generation, sgv1.ReasonPolicyMissing, err.Error())
		site.Status.ObservedGeneration = site.Generation
		return ctrl.Result{}, nil
	} else if err != nil {
		return ctrl.Result{}, err
	}
	return r.reconcileSite(ctx, site, p)
}

// reconcileSite runs the ordered steps of a live site.
func (r *GovWebsiteReconciler) reconcileSite(ctx context.Context, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) (ctrl.Result, error) {
	approval := r.observeIdentity(site, p)
	now := r.Clock.Now()
	notice, noticeEnds := domainNotice(site, now)
	importContent, err := r.observeContent(ctx, site)
	if err != nil {
		return ctrl.Result{}, err
	}
	takedowns, err := r.observeTakedowns(ctx, site, p)
	if err != nil {
		return ctrl.Result{}, err
	}
	site.Status.CurrentTakedown, site.Status.TakedownQuota = takedowns.current, takedowns.quota
	site.Status.ComplianceHistory = mergeHistory(site.Status.ComplianceHistory, takedowns.history, int(p.History.ComplianceEntries))
	board, err := r.takedownBoard(ctx, site)
	if err != nil {
		return ctrl.Result{}, err
	}
	launch, err := r.observeInspections(ctx, site, p)
	if err != nil {
		return ctrl.Result{}, err
	}
	plan, err := builders.Desired(builders.Inputs{
		Site: identity.InForce(site), Policy: p, Approved: approval.ok(), Launched: launch.ok(), ImportContent: importContent, Takedown: takedowns.inForce, Board: board,
		DomainNotice: notice, OperatorImage: r.OperatorImage, HaveGatewayAPI: r.HaveGatewayAPI, HaveCertManager: r.HaveCertManager,
	})
	if err != nil {
		conditions.MarkStalled(&site.Status.Conditions, site.Generation, sgv1.ReasonInvalidSpec, err.Error())
		site.Status.ObservedGeneration = site.Generation
		return ctrl.Result{}, nil
	}
	if err := r.applyPlan(ctx, plan); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.observe(ctx, site, p, approval, launch, takedowns.inForce); err != nil {
		return ctrl.Result{}, err
	}
	if notice != nil { // S8: the old domains' notice goes when its period ends
		return ctrl.Result{RequeueAfter: min(noticeEnds.Sub(now), 24*time.Hour)}, nil
	}
	return ctrl.Result{}, nil
}

// labelNamespace enforces Pod Security "restricted" on the site's namespace
// and marks it for the S6 admission policy; no write when already labelled.
func (r *GovWebsiteReconciler) labelNamespace(ctx context.Context, name string) error {
	desired := builders.SiteNamespace(name)
	live := &metav1.PartialObjectMetadata{}
	live.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Namespace"))
	if err := r.Get(ctx, client.ObjectKey{Name: name}, live); err != nil {
		return err
	}
	for k, v := range desired.Labels {
		if live.Labels[k] != v {
			return r.Patch(ctx, desired, client.Apply, apply.FieldOwner, client.ForceOwnership) //nolint:staticcheck
		}
	}
	return nil
}

// observeContent reads the content volume and the import Job, records the
// import's result, and says whether the import Job is (still) wanted.
func (r *GovWebsiteReconciler) observeContent(ctx context.Context, site *sgv1.GovWebsite) (bool, error) {
	st := site.Status.Content
	if st == nil {
		st = &sgv1.ContentStatus{}
		site.Status.Content = st
	}
	st.ClaimName = builders.ContentClaimName(site)
	if site.Spec.Content.ImportFrom == nil {
		st.ImportPhase, st.ImportMessage = "", ""
		return false, nil
	}
	pvc := &corev1.PersistentVolumeClaim{}
	err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: st.ClaimName}, pvc)
	if err != nil && client.IgnoreNotFound(err) != nil {
		return false, err
	}
	if at, done := pvc.Annotations[builders.AnnotationContentImported]; done {
		st.ImportPhase, st.ImportMessage = "Succeeded", "content imported at "+at
		return false, nil
	}
	job := &batchv1.Job{}
	err = r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: builders.ImportJobName(site)}, job)
	if client.IgnoreNotFound(err) != nil {
		return false, err
	}
	if err != nil { // no Job yet
		st.ImportPhase, st.ImportMessage = "Pending", "import Job being created"
		return true, nil
	}
	switch phase, msg := jobOutcome(job); phase {
	case "Succeeded":
		now := metav1.Now()
		st.ImportPhase, st.ImportMessage, st.ImportedAt = phase, msg, &now
		return false, r.markImported(ctx, pvc, now)
	default:
		st.ImportPhase, st.ImportMessage = phase, msg
		return true, nil
	}
}

// markImported records the import on the volume itself, which outlives the site.
func (r *GovWebsiteReconciler) markImported(ctx context.Context, pvc *corev1.PersistentVolumeClaim, at metav1.Time) error {
	if pvc.Name == "" {
		return nil
	}
	patch := client.MergeFrom(pvc.DeepCopy())
	if pvc.Annotations == nil {
		pvc.Annotations = map[string]string{}
	}
	pvc.Annotations[builders.AnnotationContentImported] = at.UTC().Format("2006-01-02T15:04:05Z")
	return r.Patch(ctx, pvc, patch)
}

// jobOutcome reads a Job's terminal conditions.
func jobOutcome(job *batchv1.Job) (phase, message string) {
	for _, c := range job.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return "Succeeded", "import Job completed"
		case batchv1.JobFailed:
			return "Failed", fmt.Sprintf("import Job failed: %s: %s", c.Reason, c.Message)
		}
	}
	if job.Status.Active > 0 {
		return "Running", "import Job running"
	}
	return "Pending", "import Job waiting for its pod"
}

// applyPlan applies the desired objects and removes the unwanted ones.
func (r *GovWebsiteReconciler) applyPlan(ctx context.Context, plan builders.Plan) error {
	for _, obj := range plan.Apply {
		if _, err := apply.Ensure(ctx, r.Client, obj); err != nil {
			return err
		}
	}
	for _, obj := range plan.Absent {
		if _, err := apply.Delete(ctx, r.Client, obj); err != nil {
			return err
		}
	}
	return nil
}

// observe reads what runs and computes the status.
func (r *GovWebsiteReconciler) observe(ctx context.Context, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, approval, launch verdict, down *builders.Takedown) error {
	pods, err := r.observePods(ctx, site, p.Placement.NodeLabelKey)
	if err != nil {
		return err
	}
	report := placementReport(pods, p.Placement.AllowedRegions, p.Placement.HostSeparation)
	site.Status.Placement = report
	frontend, err := r.deployment(ctx, site.Namespace, builders.FrontendName(site))
	if err != nil {
		return err
	}
	admin, err := r.deployment(ctx, site.Namespace, builders.AdminName(site))
	if err != nil {
		return err
	}
	policies := builders.NetworkPolicies(site, p)
	notInForce, err := r.networkPoliciesNotInForce(ctx, policies)
	if err != nil {
		return err
	}
	routing := builders.RoutingFor(site, p)
	routedBy := ""
	switch {
	case routing.UsesIngress():
		routedBy = "Ingress " + builders.RouteName(site) + " (class " + *routing.IngressClass + ")"
	case routing.UsesGateway() && r.HaveGatewayAPI:
		routedBy = fmt.Sprintf("HTTPRoute %s on Gateway %s/%s", builders.RouteName(site), routing.Gateway.Namespace, routing.Gateway.Name)
	}
	outcome := siteOutcome{
		approval: approval,
		launch:   launch,
		placed:   placedVerdict(pods, report, p.Placement.AllowedRegions),
		isolated: isolatedVerdict(report, p.Placement.HostSeparation, len(policies)-len(notInForce), notInForce),
		serving:  servingVerdict(approval.ok(), launch.ok(), frontend, routedBy),
		admin:    adminVerdict(admin),
		content:  contentVerdict(site.Status.Content),
	}
	if down != nil {
		notice, err := r.deployment(ctx, site.Namespace, builders.NoticeName(site))
		if err != nil {
			return err
		}
		v := takenDownVerdict(down.Name, notice)
		outcome.takenDown = &v
	}
	r.warnOnPlacementLoss(site, outcome.placed)
	outcome.apply(&site.Status, site.Generation)
	tls, err := r.certificateReady(ctx, site, approval.ok() && routing.Issuer != nil)
	if err != nil {
		return err
	}
	site.Status.Endpoints = endpoints(identity.InForce(site), approval.ok(), tls)
	return nil
}

// networkPoliciesNotInForce reads the site's NetworkPolicies as they exist
// (S7): the names of those missing or not as the operator wrote them.
func (r *GovWebsiteReconciler) networkPoliciesNotInForce(ctx context.Context, desired []*networkingv1.NetworkPolicy) ([]string, error) {
	var out []string
	for _, want := range desired {
		live := &networkingv1.NetworkPolicy{}
		err := r.Get(ctx, client.ObjectKeyFromObject(want), live)
		if client.IgnoreNotFound(err) != nil {
			return nil, err
		}
		if err != nil || !equality.Semantic.DeepEqual(live.Spec, want.Spec) {
			out = append(out, want.Name)
		}
	}
	return out, nil
}

// deployment reads a Deployment from the cache; nil when it does not exist.
func (r *GovWebsiteReconciler) deployment(ctx context.Context, ns, name string) (*appsv1.Deployment, error) {
	d := &appsv1.Deployment{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, d); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return d, nil
}

// warnOnPlacementLoss emits one Warning event when Placed turns False.
func (r *GovWebsiteReconciler) warnOnPlacementLoss(site *sgv1.GovWebsite, placed verdict) {
	prev := meta.FindStatusCondition(site.Status.Conditions, sgv1.ConditionPlaced)
	if placed.status == metav1.ConditionFalse && (prev == nil || prev.Status != metav1.ConditionFalse || prev.Reason != placed.reason) {
		r.Recorder.Eventf(site, nil, corev1.EventTypeWarning, placed.reason, "Placement", placed.message)
	}
}

// observePods lists the site's pods with their nodes' regions.
func (r *GovWebsiteReconciler) observePods(ctx context.Context, site *sgv1.GovWebsite, regionLabel string) ([]observedPod, error) {
	list := &corev1.PodList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace), client.MatchingLabels{builders.LabelSite: site.Name, builders.LabelManagedBy: builders.ManagerName}); err != nil {
		return nil, err
	}
	var out []observedPod
	for i := range list.Items {
		pod := &list.Items[i]
		if pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
			continue
		}
		o := observedPod{Name: pod.Name, Component: pod.Labels[builders.LabelComponent], Node: pod.Spec.NodeName}
		for _, c := range pod.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
				o.Unschedulable = c.Message
			}
		}
		if o.Node != "" {
			node := &metav1.PartialObjectMetadata{}
			node.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Node"))
			if err := r.Get(ctx, client.ObjectKey{Name: o.Node}, node); client.IgnoreNotFound(err) != nil {
				return nil, err
			}
			o.Region = node.Labels[regionLabel]
		}
		out = append(out, o)
	}
	return out, nil
}

// certificateReady reports whether the site's certificate is issued.
func (r *GovWebsiteReconciler) certificateReady(ctx context.Context, site *sgv1.GovWebsite, wanted bool) (bool, error) {
	if !wanted || !r.HaveCertManager {
		return false, nil
	}
	cert := &certmanagerv1.Certificate{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: builders.CertificateName(site)}, cert); err != nil {
		return false, client.IgnoreNotFound(err)
	}
	ready := false
	for _, c := range cert.Status.Conditions {
		if c.Type == certmanagerv1.CertificateConditionReady && c.Status == "True" {
			ready = true
		}
	}
	status, reason, msg := metav1.ConditionFalse, sgv1.ReasonCertificateNotReady, "cert-manager has not issued "+cert.Name+" yet"
	if ready {
		status, reason, msg = metav1.ConditionTrue, sgv1.ReasonCertificateReady, "certificate "+cert.Name+" issued"
	}
	conditions.Set(&site.Status.Conditions, site.Generation, sgv1.ConditionCertificateReady, status, reason, msg)
	return ready, nil
}

// finalize removes a deleted site's children but never its content, and
// only once the site was closed by procedure (T7) or force is asked.
func (r *GovWebsiteReconciler) finalize(ctx context.Context, site *sgv1.GovWebsite) error {
	if !controllerutil.ContainsFinalizer(site, SiteFinalizer) {
		return nil
	}
	closed, err := r.closedByTakedown(ctx, site)
	if err != nil {
		return err
	}
	if !closed && site.Annotations[sgv1.AnnotationForceDelete] != "true" {
		patcher := statuspatch.New(site)
		msg := "T7: a site is closed by a permanent TakedownRequest that reached Closed (notice, archive, then deletion); " +
			"a platform engineer may delete it anyway by annotating it " + sgv1.AnnotationForceDelete + "=true. The content volume is kept either way."
		conditions.Set(&site.Status.Conditions, site.Generation, sgv1.ConditionDeletionBlocked, metav1.ConditionTrue, sgv1.ReasonNotClosedByProcedure, msg)
		conditions.MarkStalled(&site.Status.Conditions, site.Generation, sgv1.ReasonDeletionBlocked, msg)
		return patcher.Patch(ctx, r.Client, site)
	}
	if err := r.keepRecord(ctx, site); err != nil {
		return err
	}
	plan, err := builders.Desired(builders.Inputs{Site: site, Policy: policy.InForce(sgv1.SiteGroupPolicySpec{}), HaveGatewayAPI: r.HaveGatewayAPI, HaveCertManager: r.HaveCertManager, Approved: true, Launched: true, ImportContent: true})
	if err == nil {
		for _, obj := range append(plan.Apply, plan.Absent...) {
			if _, ok := obj.(*corev1.PersistentVolumeClaim); ok {
				continue // content is never deleted with its site (T7)
			}
			if _, err := apply.Delete(ctx, r.Client, obj); err != nil {
				return err
			}
		}
	}
	patch := client.MergeFrom(site.DeepCopy())
	controllerutil.RemoveFinalizer(site, SiteFinalizer)
	return r.Patch(ctx, site, patch)
}

// closedByTakedown: a permanent TakedownRequest of this site reached Closed.
func (r *GovWebsiteReconciler) closedByTakedown(ctx context.Context, site *sgv1.GovWebsite) (bool, error) {
	list := &sgv1.TakedownRequestList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace)); err != nil {
		return false, err
	}
	for _, t := range list.Items {
		if t.Spec.SiteRef.Name == site.Name && t.Spec.Type == sgv1.TakedownPermanent && t.Status.Phase == sgv1.TakedownClosed {
			return true, nil
		}
	}
	return false, nil
}

// SetupWithManager watches the site, what it owns (through the
// label-selected cache), its pods, the policy and node relabelling.
func (r *GovWebsiteReconciler) SetupWithManager(mgr ctrl.Manager) error {
	b := ctrl.NewControllerManagedBy(mgr).
		For(&sgv1.GovWebsite{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}, availabilityChanged()))).
		Named("govwebsite").
		Owns(&appsv1.Deployment{}).
		Owns(&corev1.Service{}).
		Owns(&networkingv1.NetworkPolicy{}).
		Owns(&networkingv1.Ingress{}).
		Owns(&policyv1.PodDisruptionBudget{}).
		Owns(&batchv1.Job{}).
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(siteOfLabelled)).
		Watches(&corev1.PersistentVolumeClaim{}, handler.EnqueueRequestsFromMapFunc(siteOfLabelled)).
		Watches(&sgv1.SiteGroupPolicy{}, handler.EnqueueRequestsFromMapFunc(r.allSites)).
		Watches(&sgv1.TakedownRequest{}, handler.EnqueueRequestsFromMapFunc(r.sitesOfTakedown)).
		Watches(&sgv1.InspectionRun{}, handler.EnqueueRequestsFromMapFunc(sitesOfRun)).
		WatchesMetadata(&corev1.Node{}, handler.EnqueueRequestsFromMapFunc(r.sitesOnNode), builder.WithPredicates(predicate.LabelChangedPredicate{}))
	if r.HaveGatewayAPI {
		b = b.Owns(&gatewayv1.HTTPRoute{})
	}
	if r.HaveCertManager {
		b = b.Owns(&certmanagerv1.Certificate{})
	}
	return b.Complete(r)
}

// availabilityChanged passes the prober's writes that change V1's verdict,
// which the Compliant condition reads.
func availabilityChanged() predicate.Funcs {
	return predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
		o, n := e.ObjectOld.(*sgv1.GovWebsite).Status.Availability, e.ObjectNew.(*sgv1.GovWebsite).Status.Availability
		if o == nil || n == nil {
			return (o == nil) != (n == nil)
		}
		return o.Verdict != n.Verdict || o.Warning != n.Warning
	}}
}

// siteOfLabelled maps a labelled object (pod, content volume) to its site.
func siteOfLabelled(_ context.Context, obj client.Object) []reconcile.Request {
	name := obj.GetLabels()[builders.LabelSite]
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: obj.GetNamespace(), Name: name}}}
}

// sitesOfTakedown maps a TakedownRequest to the site it takes down and to
// that site's portal, whose takedown board lists it.
func (r *GovWebsiteReconciler) sitesOfTakedown(ctx context.Context, obj client.Object) []reconcile.Request {
	t := obj.(*sgv1.TakedownRequest)
	siteKey := client.ObjectKey{Namespace: t.Namespace, Name: t.Spec.SiteRef.Name}
	out := []reconcile.Request{{NamespacedName: siteKey}}
	site := &sgv1.GovWebsite{}
	if err := r.Get(ctx, siteKey, site); err == nil {
		if key := parentPortalKey(site); key != "" {
			ns, name, _ := strings.Cut(key, "/")
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}})
		}
	}
	return out
}

func (r *GovWebsiteReconciler) allSites(ctx context.Context, _ client.Object) []reconcile.Request {
	list := &sgv1.GovWebsiteList{}
	if err := r.List(ctx, list); err != nil {
		return nil
	}
	out := make([]reconcile.Request, 0, len(list.Items))
	for _, s := range list.Items {
		out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&s)})
	}
	return out
}

// sitesOnNode maps a relabelled node to the sites with pods on it (S6:
// a node moved abroad after scheduling).
func (r *GovWebsiteReconciler) sitesOnNode(ctx context.Context, node client.Object) []reconcile.Request {
	pods := &corev1.PodList{}
	if err := r.List(ctx, pods, client.MatchingFields{podNodeNameField: node.GetName()}); err != nil {
		return nil
	}
	seen := map[client.ObjectKey]bool{}
	var out []reconcile.Request
	for i := range pods.Items {
		for _, req := range siteOfLabelled(ctx, &pods.Items[i]) {
			if !seen[req.NamespacedName] {
				seen[req.NamespacedName] = true
				out = append(out, req)
			}
		}
	}
	return out
}

// podNodeNameField indexes pods by node, for sitesOnNode.
const podNodeNameField = "spec.nodeName"
