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
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every kind in this package.
	GroupVersion = schema.GroupVersion{Group: "sitegroup.io", Version: "v1alpha1"}

	// SchemeBuilder registers the kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the kinds to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
