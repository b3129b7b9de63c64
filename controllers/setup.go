// Package controllers holds the operator's reconcilers, one concern each:
// the policy, the sites, takedowns and inspection runs.
package controllers

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"sitegroup.io/operator/internal/builders"
)

// Options select optional parts of the operator.
type Options struct {
	// EnableWebhooks serves the admission webhooks (off in some tests).
	EnableWebhooks bool
}

// FieldOwner is the one field manager every server-side apply uses.
const FieldOwner = client.FieldOwner("sitegroup-operator")

// CacheOptions keep the informer caches small on big clusters: the kinds the
// operator creates are cached only when they carry its managed-by label.
func CacheOptions() cache.Options {
	managed := labels.SelectorFromSet(labels.Set{builders.LabelManagedBy: builders.ManagerName})
	byLabel := cache.ByObject{Label: managed}
	return cache.Options{
		ByObject: map[client.Object]cache.ByObject{
			&appsv1.Deployment{}:            byLabel,
			&corev1.Service{}:               byLabel,
			&corev1.PersistentVolumeClaim{}: byLabel,
			&networkingv1.NetworkPolicy{}:   byLabel,
			&networkingv1.Ingress{}:         byLabel,
			&policyv1.PodDisruptionBudget{}: byLabel,
			&batchv1.Job{}:                  byLabel,
			&corev1.Pod{}:                   byLabel,
			&corev1.ConfigMap{}:             byLabel,
		},
	}
}

// Setup registers every reconciler (and the webhooks) with the manager.
func Setup(mgr ctrl.Manager, opts Options) error {
	if err := (&SiteGroupPolicyReconciler{Client: mgr.GetClient()}).SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the SiteGroupPolicy controller: %w", err)
	}
	return nil
}
