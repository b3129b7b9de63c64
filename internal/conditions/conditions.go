// Package conditions keeps the kstatus triad (Ready, Reconciling, Stalled)
// consistent on any object's metav1.Conditions, so Flux, Argo CD and kstatus
// read an object's health the same way: Reconciling=True is in progress,
// Stalled=True is failed, neither with Ready=True is current.
package conditions

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Set sets one condition, stamped with the generation it describes.
// LastTransitionTime moves only when the status changes.
func Set(conds *[]metav1.Condition, generation int64, typ string, status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(conds, metav1.Condition{
		Type:               typ,
		Status:             status,
		ObservedGeneration: generation,
		Reason:             reason,
		Message:            message,
	})
}

// MarkReady says the desired state is achieved.
func MarkReady(conds *[]metav1.Condition, generation int64, reason, message string) {
	Set(conds, generation, sgv1.ConditionReady, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(conds, sgv1.ConditionReconciling)
	meta.RemoveStatusCondition(conds, sgv1.ConditionStalled)
}

// MarkReconciling says the operator is still working towards the desired state.
func MarkReconciling(conds *[]metav1.Condition, generation int64, reason, message string) {
	Set(conds, generation, sgv1.ConditionReady, metav1.ConditionFalse, reason, message)
	Set(conds, generation, sgv1.ConditionReconciling, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(conds, sgv1.ConditionStalled)
}

// MarkStalled says progress needs a person: the reason names what to fix.
func MarkStalled(conds *[]metav1.Condition, generation int64, reason, message string) {
	Set(conds, generation, sgv1.ConditionReady, metav1.ConditionFalse, reason, message)
	Set(conds, generation, sgv1.ConditionStalled, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(conds, sgv1.ConditionReconciling)
}

// IsTrue reports whether a condition is present and True.
func IsTrue(conds []metav1.Condition, typ string) bool {
	return meta.IsStatusConditionTrue(conds, typ)
}
