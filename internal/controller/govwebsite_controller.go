package controller

import (
	"context"
	"strings"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
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
	// Uncached reads what the operator caches no informer of (the content
	// volumes, cluster-scoped).
	Uncached client.Reader
	// Workers bounds the sites reconciled at once; one when zero.
	Workers int
}

// The role grants only the verbs the code calls (issue 17): the cached
// client reads through informers (list, watch), children are applied
// server-side (patch, and create when the apply creates them), status is
// merge-patched. internal/controller/rbac_test.go fails on a verb no spec
// used. govwebsites/finalizers update is for clusters running the
// OwnerReferencesPermissionEnforcement admission plugin, which checks it
// when a child's ownerReference blocks the site's deletion.
// +kubebuilder:rbac:groups=sitegroup.io,resources=govwebsites,verbs=list;watch;patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=govwebsites/status,verbs=patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=govwebsites/finalizers,verbs=update
// +kubebuilder:rbac:groups=sitegroup.io,resources=takedownrequests,verbs=list;watch;create;patch
// +kubebuilder:rbac:groups=sitegroup.io,resources=inspectionruns,verbs=list;watch
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups="",resources=services,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups="",resources=persistentvolumeclaims,verbs=list;watch;create;patch
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups="",resources=pods,verbs=list;watch
// +kubebuilder:rbac:groups="",resources=persistentvolumes,verbs=get;patch
// +kubebuilder:rbac:groups="",resources=nodes;namespaces,verbs=list;watch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=patch
// +kubebuilder:rbac:groups=networking.k8s.io,resources=networkpolicies;ingresses,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups=policy,resources=poddisruptionbudgets,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=list;watch;create;patch
// +kubebuilder:rbac:groups=gateway.networking.k8s.io,resources=httproutes;referencegrants,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups=cert-manager.io,resources=certificates,verbs=list;watch;create;patch;delete
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile gets the site, holds it with a finalizer, and runs the steps of
// siteSteps in order. One deferred patch writes the status, computed from
// what the steps found even when one failed, and only if it changed; the
// events the steps decided on follow it.
func (r *GovWebsiteReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
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
	s := &siteScope{site: site, now: r.Clock.Now()}
	patcher := statuspatch.New(site)
	defer func() {
		summarizeSite(s, retErr)
		if !patcher.Finish(ctx, r.Client, site, &result, &retErr) {
			return // the status was not written: its events wait for the next reconcile
		}
		for _, e := range s.events {
			eventLog(ctx, r.Recorder, site, e)
		}
	}()
	return runSteps(ctx, s, r.siteSteps())
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

// certificate reads the site's Certificate; nil when it does not exist.
func (r *GovWebsiteReconciler) certificate(ctx context.Context, site *sgv1.GovWebsite) (*certmanagerv1.Certificate, error) {
	cert := &certmanagerv1.Certificate{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: builders.CertificateName(site)}, cert); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return cert, nil
}

// job reads one of the site's Jobs; nil when it does not exist.
func (r *GovWebsiteReconciler) job(ctx context.Context, ns, name string) (*batchv1.Job, error) {
	return getJob(ctx, r.Client, client.ObjectKey{Namespace: ns, Name: name})
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
	// The record is kept in the site's namespace; when that namespace is
	// being deleted nothing new can be written there, and waiting for it
	// would hold the namespace's deletion forever.
	if err := r.keepRecord(ctx, site); err != nil && !apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
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
		WithOptions(controller.Options{MaxConcurrentReconciles: max(r.Workers, 1)}).
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
		// A sub-site that launches puts its opening announcement on its portal's board (S5).
		Watches(&sgv1.GovWebsite{}, handler.EnqueueRequestsFromMapFunc(parentPortalOf), builder.WithPredicates(launchChanged())).
		Watches(&sgv1.InspectionRun{}, handler.EnqueueRequestsFromMapFunc(sitesOfRun)).
		WatchesMetadata(&corev1.Node{}, handler.EnqueueRequestsFromMapFunc(r.sitesOnNode), builder.WithPredicates(predicate.LabelChangedPredicate{}))
	if r.HaveGatewayAPI {
		b = b.Owns(&gatewayv1.HTTPRoute{}).Owns(&gatewayv1.ReferenceGrant{})
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

// launchChanged passes a site's update that launches it (S5).
func launchChanged() predicate.Funcs {
	return predicate.Funcs{
		CreateFunc: func(event.CreateEvent) bool { return false },
		DeleteFunc: func(event.DeleteEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			return launched(e.ObjectNew.(*sgv1.GovWebsite)) != launched(e.ObjectOld.(*sgv1.GovWebsite))
		},
	}
}

// parentPortalOf maps a sub-site to its parent portal.
func parentPortalOf(_ context.Context, obj client.Object) []reconcile.Request {
	key := parentPortalKey(obj.(*sgv1.GovWebsite))
	if key == "" {
		return nil
	}
	ns, name, _ := strings.Cut(key, "/")
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}}}
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
