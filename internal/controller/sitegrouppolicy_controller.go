package controller

import (
	"context"
	"fmt"
	"strings"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/conditions"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/statuspatch"
)

// SiteGroupPolicyReconciler publishes the policy's values in force in its
// status, so engineers and auditors read what the operator applies.
type SiteGroupPolicyReconciler struct {
	client.Client
}

// +kubebuilder:rbac:groups=sitegroup.io,resources=sitegrouppolicies,verbs=get;list;watch
// +kubebuilder:rbac:groups=sitegroup.io,resources=sitegrouppolicies/status,verbs=patch

// Reconcile fills status.inForce and Ready.
func (r *SiteGroupPolicyReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := &sgv1.SiteGroupPolicy{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	patcher := statuspatch.New(obj)
	defer patcher.Finish(ctx, r.Client, obj, &result, &retErr)

	inForce := policy.InForce(obj.Spec)
	obj.Status.InForce = &inForce
	obj.Status.ObservedGeneration = obj.Generation
	conditions.MarkReady(&obj.Status.Conditions, obj.Generation, sgv1.ReasonInForce, summary(inForce))
	return ctrl.Result{}, nil
}

// summary is the one line an engineer reads in the Ready condition.
func summary(p sgv1.SiteGroupPolicySpec) string {
	return fmt.Sprintf("regions %s; temporary takedowns: %d a year, at most %d days; return window %d days; closure notice %d days, deregistration %d days",
		strings.Join(p.Placement.AllowedRegions, ","), *p.Takedown.TemporaryPerYear, p.Takedown.MaxTemporaryDays,
		p.Takedown.ReturnWindowDays, p.Takedown.PermanentNoticeDays, p.Takedown.DeregistrationDays)
}

// SetupWithManager watches the policy; status-only changes do not requeue.
func (r *SiteGroupPolicyReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&sgv1.SiteGroupPolicy{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("sitegrouppolicy").
		Complete(r)
}
