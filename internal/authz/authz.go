// Package authz asks the API server what an authenticated user may do, with
// a SubjectAccessReview: who signs an approval level (S1, T1, T6) and who
// writes the platform's fields is RBAC, never a name written in the YAML.
package authz

import (
	"context"
	"fmt"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// +kubebuilder:rbac:groups=authorization.k8s.io,resources=subjectaccessreviews,verbs=create

// Reviewer asks the API server's authorizers about a user.
type Reviewer struct {
	// Client creates SubjectAccessReviews.
	Client client.Client
}

// Allowed asks whether user may do what attrs describe.
func (r Reviewer) Allowed(ctx context.Context, user authenticationv1.UserInfo, attrs authorizationv1.ResourceAttributes) (bool, error) {
	extra := make(map[string]authorizationv1.ExtraValue, len(user.Extra))
	for k, v := range user.Extra {
		extra[k] = authorizationv1.ExtraValue(v)
	}
	sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User: user.Username, Groups: user.Groups, UID: user.UID, Extra: extra, ResourceAttributes: &attrs,
	}}
	if err := r.Client.Create(ctx, sar); err != nil {
		return false, fmt.Errorf("asking the API server whether %s may %s %s: %w", user.Username, attrs.Verb, describe(attrs), err)
	}
	return sar.Status.Allowed && !sar.Status.Denied, nil
}

// SignAttributes are what signing at level in namespace asks of RBAC.
func SignAttributes(namespace, level string) authorizationv1.ResourceAttributes {
	return authorizationv1.ResourceAttributes{Namespace: namespace, Verb: sgv1.VerbApprove,
		Group: sgv1.GroupVersion.Group, Resource: sgv1.SignersResource, Name: level}
}

// PlatformAttributes are what writing resource's platform fields asks of RBAC.
func PlatformAttributes(namespace, resource string) authorizationv1.ResourceAttributes {
	return authorizationv1.ResourceAttributes{Namespace: namespace, Verb: sgv1.VerbUpdate,
		Group: sgv1.GroupVersion.Group, Resource: resource, Subresource: sgv1.PlatformSubresource}
}

// ExternalResultAttributes are what recording an external check's result
// asks of RBAC (T8).
func ExternalResultAttributes(namespace string) authorizationv1.ResourceAttributes {
	return authorizationv1.ResourceAttributes{Namespace: namespace, Verb: sgv1.VerbCreate,
		Group: sgv1.GroupVersion.Group, Resource: "inspectionruns", Subresource: sgv1.ExternalSubresource}
}

// Describe names the permission attrs ask for, for a refusal's message:
// "approve signers.sitegroup.io/city in namespace tjhp-edu".
func Describe(attrs authorizationv1.ResourceAttributes) string {
	return attrs.Verb + " " + describe(attrs)
}

func describe(attrs authorizationv1.ResourceAttributes) string {
	s := attrs.Resource + "." + attrs.Group
	if attrs.Subresource != "" {
		s += "/" + attrs.Subresource
	}
	if attrs.Name != "" {
		s += "/" + attrs.Name
	}
	if attrs.Namespace != "" {
		s += " in namespace " + attrs.Namespace
	}
	return s
}

// Whoami asks the API server who the caller is (a SelfSubjectReview): the
// operator learns its own user name this way, to tell its own writes from
// everyone else's.
func Whoami(ctx context.Context, c client.Client) (string, error) {
	review := &authenticationv1.SelfSubjectReview{}
	if err := c.Create(ctx, review); err != nil {
		return "", fmt.Errorf("asking the API server who the operator is: %w", err)
	}
	return review.Status.UserInfo.Username, nil
}
