// Package controllers holds the operator's reconcilers, one concern each:
// the policy, the sites, takedowns and inspection runs.
package controller

import (
	"context"
	"fmt"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/authz"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/metrics"
	"sitegroup.io/operator/internal/webhook"
)

// Options select optional parts of the operator.
type Options struct {
	// EnableWebhooks serves the admission webhooks (off in some tests).
	EnableWebhooks bool
	// OperatorImage runs the operator's own Jobs (content import, inspection).
	OperatorImage string
	// Clock tells the time-based rules the time; the wall clock when nil.
	Clock clock.Clock
	// Reports reads inspection reports from pod logs; the API server's
	// pods/log when nil (envtest has no kubelet and sets its own).
	Reports ReportSource
	// AvailabilityProbes runs the V1 prober (off where site addresses are
	// not reachable, such as envtest and simulated nodes).
	AvailabilityProbes bool
	// OperatorUser is the operator's own user name, which tells its runs
	// and requests (the record's evidence) from everyone else's; asked of
	// the API server (a SelfSubjectReview) when empty.
	OperatorUser string
	// RecordsNamespace holds the reports the operator publishes for the
	// city office and auditors (the quarterly spot check); the operator's
	// own namespace, sitegroup-system when empty.
	RecordsNamespace string
	// SiteWorkers is how many GovWebsites, and how many InspectionRuns,
	// are reconciled at once; one when zero. The work queue never hands one
	// site to two workers, nor are two runs of one site reconciled at once.
	SiteWorkers int
}

// setupInspections registers the InspectionRun controller and the scheduler.
func setupInspections(mgr ctrl.Manager, opts Options, allSites handler.MapFunc) error {
	reports := opts.Reports
	if reports == nil {
		logs, err := NewPodLogs(mgr.GetConfig())
		if err != nil {
			return err
		}
		reports = logs
	}
	runs := &InspectionRunReconciler{
		Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder(builders.ManagerName), Clock: opts.Clock,
		OperatorImage: opts.OperatorImage, Reports: reports, Uncached: mgr.GetAPIReader(), Workers: opts.SiteWorkers,
	}
	if err := runs.SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the InspectionRun controller: %w", err)
	}
	scheduler := &InspectionScheduleReconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder(builders.ManagerName), Clock: opts.Clock}
	if err := scheduler.SetupWithManager(mgr, allSites); err != nil {
		return fmt.Errorf("setting up the inspection scheduler: %w", err)
	}
	if opts.RecordsNamespace == "" {
		opts.RecordsNamespace = "sitegroup-system"
	}
	spotChecks := &SpotCheckReconciler{Client: mgr.GetClient(), Clock: opts.Clock, RecordsNamespace: opts.RecordsNamespace}
	if err := spotChecks.SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the spot check: %w", err)
	}
	if opts.AvailabilityProbes {
		return mgr.Add(NewAvailabilityProber(mgr.GetClient(), mgr.GetEventRecorder(builders.ManagerName), opts.Clock))
	}
	return nil
}

// CacheOptions keep the informer caches small on big clusters (issue 17's
// goal: the manager under 300 MiB at 2,000 sites): the kinds the operator
// creates are cached only when they carry its managed-by label, no cached
// object keeps its managedFields (apply.UpToDate compares fields, never
// their owners), and a pod keeps only what the operator reads of it.
func CacheOptions() cache.Options {
	managed := labels.SelectorFromSet(labels.Set{builders.LabelManagedBy: builders.ManagerName})
	byLabel := cache.ByObject{Label: managed}
	return cache.Options{
		DefaultTransform: cache.TransformStripManagedFields(),
		ByObject: map[client.Object]cache.ByObject{
			&appsv1.Deployment{}:            byLabel,
			&corev1.Service{}:               byLabel,
			&corev1.PersistentVolumeClaim{}: byLabel,
			&networkingv1.NetworkPolicy{}:   byLabel,
			&networkingv1.Ingress{}:         byLabel,
			&policyv1.PodDisruptionBudget{}: byLabel,
			&batchv1.Job{}:                  byLabel,
			&corev1.Pod{}:                   {Label: managed, Transform: slimPod},
			&corev1.ConfigMap{}:             byLabel,
			&gatewayv1.ReferenceGrant{}:     byLabel,
		},
	}
}

// slimPod is what the cache keeps of a pod: its metadata (without
// managedFields), the node it runs on (S6's placement) and its status
// (phase, conditions, container states: a Job's outcome, a front end's
// readiness). The spec's containers, volumes and affinity are most of a
// pod and nothing the operator reads; the operator writes no pod, so no
// write is ever computed from the cached copy.
func slimPod(in any) (any, error) {
	pod, ok := in.(*corev1.Pod)
	if !ok {
		return in, nil // a tombstone
	}
	pod.ManagedFields = nil
	pod.Spec = corev1.PodSpec{NodeName: pod.Spec.NodeName}
	return pod, nil
}

// Setup registers every reconciler (and the webhooks) with the manager.
func Setup(mgr ctrl.Manager, opts Options) error {
	if err := (&SiteGroupPolicyReconciler{Client: mgr.GetClient()}).SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the SiteGroupPolicy controller: %w", err)
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &corev1.Pod{}, podNodeNameField, func(o client.Object) []string {
		return []string{o.(*corev1.Pod).Spec.NodeName}
	}); err != nil {
		return err
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &sgv1.GovWebsite{}, IndexParentPortal, func(o client.Object) []string {
		if key := parentPortalKey(o.(*sgv1.GovWebsite)); key != "" {
			return []string{key}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &sgv1.InspectionRun{}, IndexRunSite, runSite); err != nil {
		return err
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.OperatorUser == "" {
		direct, err := client.New(mgr.GetConfig(), client.Options{Scheme: mgr.GetScheme()})
		if err != nil {
			return err
		}
		if opts.OperatorUser, err = authz.Whoami(context.Background(), direct); err != nil {
			return err
		}
	}
	metrics.Register(mgr.GetCache())
	sites := &GovWebsiteReconciler{
		Client:          mgr.GetClient(),
		Clock:           opts.Clock,
		Recorder:        mgr.GetEventRecorder(builders.ManagerName),
		OperatorImage:   opts.OperatorImage,
		OperatorUser:    opts.OperatorUser,
		HaveGatewayAPI:  serves(mgr, schema.GroupVersionKind{Group: gatewayv1.GroupName, Version: "v1", Kind: "HTTPRoute"}),
		HaveCertManager: serves(mgr, certmanagerv1.SchemeGroupVersion.WithKind("Certificate")),
		Uncached:        mgr.GetAPIReader(),
		Workers:         opts.SiteWorkers,
	}
	if err := sites.SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the GovWebsite controller: %w", err)
	}
	if sites.HaveGatewayAPI {
		gateways := &GatewayCertificatesReconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder(builders.ManagerName)}
		if err := gateways.SetupWithManager(mgr); err != nil {
			return fmt.Errorf("setting up the Gateway certificates controller: %w", err)
		}
	}
	takedowns := &TakedownRequestReconciler{
		Client:        mgr.GetClient(),
		Recorder:      mgr.GetEventRecorder(builders.ManagerName),
		Clock:         opts.Clock,
		OperatorImage: opts.OperatorImage,
		OperatorUser:  opts.OperatorUser,
		Uncached:      mgr.GetAPIReader(),
	}
	if err := takedowns.SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the TakedownRequest controller: %w", err)
	}
	if err := setupInspections(mgr, opts, sites.allSites); err != nil {
		return err
	}
	if !opts.EnableWebhooks {
		return nil
	}
	if err := webhook.SetupIndexes(context.Background(), mgr); err != nil {
		return err
	}
	access := webhook.Access{Reviewer: authz.Reviewer{Client: mgr.GetClient()}, Operator: opts.OperatorUser, Policy: mgr.GetAPIReader()}
	if err := webhook.SetupGovWebsiteWebhook(mgr, opts.Clock, access); err != nil {
		return fmt.Errorf("setting up the GovWebsite webhook: %w", err)
	}
	if err := webhook.SetupTakedownWebhook(mgr, opts.Clock, access); err != nil {
		return fmt.Errorf("setting up the TakedownRequest webhook: %w", err)
	}
	if err := webhook.SetupInspectionRunWebhook(mgr, access); err != nil {
		return fmt.Errorf("setting up the InspectionRun webhook: %w", err)
	}
	return nil
}

// serves says whether the cluster serves an optional kind (Gateway API,
// cert-manager): without its CRD the operator routes or issues nothing.
func serves(mgr ctrl.Manager, gvk schema.GroupVersionKind) bool {
	_, err := mgr.GetRESTMapper().RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		ctrl.Log.WithName("setup").Info("optional API not served; its objects are skipped", "kind", gvk.String())
	}
	return err == nil
}
