package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/authz"
	"sitegroup.io/operator/internal/policy"
)

// Access is what every webhook needs to tell who writes: the API server's
// answer to "may this user do that" and the operator's own user name.
type Access struct {
	// Reviewer asks SubjectAccessReviews.
	Reviewer authz.Reviewer
	// Operator is the operator's own user (its service account): its
	// writes are the evidence the record is built from.
	Operator string
	// Policy reads the SiteGroupPolicy from the API server, not a cache:
	// a policy applied a moment before its sites (one kubectl apply) is in
	// force for them.
	Policy client.Reader
}

// isOperator says whether the request comes from the operator itself.
func (a Access) isOperator(user authenticationv1.UserInfo) bool {
	return a.Operator != "" && user.Username == a.Operator
}

// stampApprovals stamps the approval a write adds: the approver is the
// authenticated user unless one was typed in (then validation compares
// them), the time is always the webhook's, so no signature is back-dated.
func stampApprovals(old, cur []sgv1.Approval, user string, now time.Time) {
	at := metav1.NewTime(now.UTC().Truncate(time.Second))
	if len(cur) <= len(old) {
		return
	}
	for i := range cur[len(old):] {
		a := &cur[len(old)+i]
		if a.Approver == "" {
			a.Approver = user
		}
		a.Time = &at
	}
}

// signatures checks the signature a write adds to an approval list (S1, T1,
// T6): append-only by position, one per write, at the level the chain waits
// for (read from signed, the old signatures that count for what is signed
// now), signed by the authenticated user, who holds approve on
// signers/<level> in the object's namespace.
func (a Access) signatures(ctx context.Context, path *field.Path, old, cur, signed []sgv1.Approval, levels []string, namespace, rule string, user authenticationv1.UserInfo) (field.ErrorList, error) {
	idx, err := policy.AppendedSignature(old, cur, signed, levels, rule)
	if err != nil {
		return field.ErrorList{field.Forbidden(path, err.Error())}, nil
	}
	if idx < 0 {
		return nil, nil
	}
	at, added := path.Index(idx), cur[idx]
	if added.Approver != user.Username {
		return field.ErrorList{field.Forbidden(at.Child("approver"),
			fmt.Sprintf("%s: approver %q is not the user signing (%s); an approval is signed by its approver", rule, added.Approver, user.Username))}, nil
	}
	attrs := authz.SignAttributes(namespace, added.Level)
	allowed, err := a.Reviewer.Allowed(ctx, user, attrs)
	if err != nil {
		return nil, err
	}
	if !allowed {
		return field.ErrorList{field.Forbidden(at.Child("level"),
			fmt.Sprintf("%s: %s may not sign at level %s here: RBAC does not allow %s", rule, user.Username, added.Level, authz.Describe(attrs)))}, nil
	}
	return nil, nil
}

// ownedField is a field only one party may write, with the rule that says why.
type ownedField struct {
	path    *field.Path
	changed bool
	why     string
}

// platformOnly refuses the changed fields unless the user may update
// <resource>/platform in namespace (a platform engineer) or is the operator.
func (a Access) platformOnly(ctx context.Context, user authenticationv1.UserInfo, namespace, resource string, fields []ownedField) (field.ErrorList, error) {
	var changed []ownedField
	for _, f := range fields {
		if f.changed {
			changed = append(changed, f)
		}
	}
	if len(changed) == 0 || a.isOperator(user) {
		return nil, nil
	}
	attrs := authz.PlatformAttributes(namespace, resource)
	allowed, err := a.Reviewer.Allowed(ctx, user, attrs)
	if err != nil || allowed {
		return nil, err
	}
	var errs field.ErrorList
	for _, f := range changed {
		errs = append(errs, field.Forbidden(f.path,
			fmt.Sprintf("%s; it is the platform's to set, and %s may not (RBAC does not allow %s)", f.why, user.Username, authz.Describe(attrs))))
	}
	return errs, nil
}

// requestedBy stamps who creates an object (AnnotationRequestedBy), from
// the authenticated user, whatever the YAML said.
func requestedBy(obj metav1.Object, user string) {
	ann := obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[sgv1.AnnotationRequestedBy] = user
	obj.SetAnnotations(ann)
}

// keepRequester puts back AnnotationRequestedBy when an update drops it (a
// server-side apply whose configuration never named it); a different value
// is left for requesterUnchanged to refuse.
func keepRequester(old, cur metav1.Object) {
	before, ok := old.GetAnnotations()[sgv1.AnnotationRequestedBy]
	if _, has := cur.GetAnnotations()[sgv1.AnnotationRequestedBy]; ok && !has {
		requestedBy(cur, before)
	}
}

// requesterUnchanged refuses a change of AnnotationRequestedBy after creation.
func requesterUnchanged(old, cur metav1.Object) field.ErrorList {
	before, after := old.GetAnnotations()[sgv1.AnnotationRequestedBy], cur.GetAnnotations()[sgv1.AnnotationRequestedBy]
	if before == after {
		return nil
	}
	return field.ErrorList{field.Forbidden(field.NewPath("metadata", "annotations").Key(sgv1.AnnotationRequestedBy),
		fmt.Sprintf("%s is stamped from the authenticated user at creation (%q) and never changes", sgv1.AnnotationRequestedBy, before))}
}

// requestWithOld reads the admission request and the object as it was
// before it (a zero one on creation): a Defaulter is given only the new one.
func requestWithOld[T any](ctx context.Context) (admission.Request, *T, error) {
	old := new(T)
	req, err := admission.RequestFromContext(ctx)
	if err != nil || len(req.OldObject.Raw) == 0 {
		return req, old, err
	}
	return req, old, json.Unmarshal(req.OldObject.Raw, old)
}
