// Package v1alpha1 holds the sitegroup.io/v1alpha1 API: GovWebsite,
// TakedownRequest, InspectionRun and the cluster's SiteGroupPolicy.
//
// Validation that one object can decide is written as CEL rules on the types
// (x-kubernetes-validations); every message starts with the rule id from
// RULES.md (S3, T4, …) so an engineer knows which rule refused the object.
// Rules that need other objects are enforced by the operator's webhook.
//
// +kubebuilder:object:generate=true
// +groupName=sitegroup.io
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of every kind in this package.
	GroupVersion = schema.GroupVersion{Group: "sitegroup.io", Version: "v1alpha1"}

	// SchemeBuilder registers the kinds with a runtime.Scheme. It is
	// apimachinery's, not controller-runtime's: an API package keeps its
	// imports to the standard library and apimachinery, so clients can import it.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the kinds to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme

	// knownTypes are the kinds each *_types.go file registers.
	knownTypes []runtime.Object
)

// register adds kinds to the scheme this package builds.
func register(objects ...runtime.Object) { knownTypes = append(knownTypes, objects...) }

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, knownTypes...)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
