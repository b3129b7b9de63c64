// Package webhook holds the operator's admission webhooks: the rules that
// need other objects to decide, which CEL on one object cannot.
package webhook

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
)

// Field indexes the webhook looks sites up by.
const (
	IndexCreditCode   = "spec.organization.creditCode"
	IndexDomain       = "spec.domains"
	IndexPortalRegion = "portalRegion"
)

// PortalRegion is the 6-digit region code of a portal's site code (S3, S4):
// one portal per region.
func PortalRegion(site *sgv1.GovWebsite) string {
	if site.Spec.SiteKind != sgv1.SiteKindPortal || len(site.Spec.SiteCode) != 10 || site.Spec.SiteCode[:2] == "bm" {
		return ""
	}
	return site.Spec.SiteCode[:6]
}

// SetupIndexes registers the lookups of the GovWebsite webhook.
func SetupIndexes(ctx context.Context, mgr ctrl.Manager) error {
	idx := mgr.GetFieldIndexer()
	if err := idx.IndexField(ctx, &sgv1.GovWebsite{}, IndexCreditCode, func(o client.Object) []string {
		return []string{o.(*sgv1.GovWebsite).Spec.Organization.CreditCode}
	}); err != nil {
		return err
	}
	if err := idx.IndexField(ctx, &sgv1.GovWebsite{}, IndexDomain, func(o client.Object) []string {
		var out []string
		for _, d := range o.(*sgv1.GovWebsite).Spec.Domains {
			out = append(out, string(d))
		}
		return out
	}); err != nil {
		return err
	}
	return idx.IndexField(ctx, &sgv1.GovWebsite{}, IndexPortalRegion, func(o client.Object) []string {
		if r := PortalRegion(o.(*sgv1.GovWebsite)); r != "" {
			return []string{r}
		}
		return nil
	})
}

// +kubebuilder:webhook:path=/mutate-sitegroup-io-v1alpha1-govwebsite,mutating=true,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=govwebsites,verbs=create;update,versions=v1alpha1,name=mgovwebsite.sitegroup.io,admissionReviewVersions=v1
// +kubebuilder:webhook:path=/validate-sitegroup-io-v1alpha1-govwebsite,mutating=false,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=govwebsites,verbs=create;update,versions=v1alpha1,name=vgovwebsite.sitegroup.io,admissionReviewVersions=v1

// GovWebsiteValidator enforces the rules across sites (S2 one site per
// organization, a domain belongs to one site only (S3), one portal per
// region) and who writes what: signatures are the signer's own (S1), the
// platform's fields are the platform's, the identity the approvals were
// given for stays as it was signed (S8), and admin networks lie inside the
// policy's (S7). Each refusal names the rule and the field.
type GovWebsiteValidator struct {
	Client client.Reader
	Clock  clock.Clock
	Access
}

var (
	_ admission.Defaulter[*sgv1.GovWebsite] = &GovWebsiteValidator{}
	_ admission.Validator[*sgv1.GovWebsite] = &GovWebsiteValidator{}
)

// SetupGovWebsiteWebhook registers the mutating and validating webhooks.
func SetupGovWebsiteWebhook(mgr ctrl.Manager, c clock.Clock, access Access) error {
	v := &GovWebsiteValidator{Client: mgr.GetClient(), Clock: c, Access: access}
	return ctrl.NewWebhookManagedBy(mgr, &sgv1.GovWebsite{}).WithDefaulter(v).WithValidator(v).Complete()
}

// Default stamps the signature a write adds with its signer, the time and
// the identity it signs.
func (v *GovWebsiteValidator) Default(ctx context.Context, site *sgv1.GovWebsite) error {
	req, old, err := requestWithOld[sgv1.GovWebsite](ctx)
	if err != nil {
		return err
	}
	stampApprovals(old.Spec.Approvals, site.Spec.Approvals, req.UserInfo.Username, v.Clock.Now())
	stampIdentityRequester(old, site, req.UserInfo.Username)
	stampReports(old.Spec.RectificationReports, site.Spec.RectificationReports, req.UserInfo.Username, v.Clock.Now())
	// S8: a signature counts only for the identity it was given for.
	digest := identity.Digest(identity.Of(site))
	for i := len(old.Spec.Approvals); i < len(site.Spec.Approvals); i++ {
		site.Spec.Approvals[i].IdentityDigest = digest
	}
	return nil
}

// stampIdentityRequester records who applies for the identity a write
// sets (S8), and keeps the record through writes that do not change it
// (a server-side apply that never named the annotation).
func stampIdentityRequester(old, site *sgv1.GovWebsite, user string) {
	if !equality.Semantic.DeepEqual(identity.Of(old), identity.Of(site)) {
		metav1.SetMetaDataAnnotation(&site.ObjectMeta, sgv1.AnnotationIdentityRequestedBy, user)
		return
	}
	if before, ok := old.Annotations[sgv1.AnnotationIdentityRequestedBy]; ok {
		if _, has := site.Annotations[sgv1.AnnotationIdentityRequestedBy]; !has {
			metav1.SetMetaDataAnnotation(&site.ObjectMeta, sgv1.AnnotationIdentityRequestedBy, before)
		}
	}
}

// identityRequesterUnchanged refuses a change of who applied for the
// identity, unless the write changes the identity (then the webhook stamped it).
func identityRequesterUnchanged(old, site *sgv1.GovWebsite) field.ErrorList {
	before, after := old.Annotations[sgv1.AnnotationIdentityRequestedBy], site.Annotations[sgv1.AnnotationIdentityRequestedBy]
	if before == after || !equality.Semantic.DeepEqual(identity.Of(old), identity.Of(site)) {
		return nil
	}
	return field.ErrorList{field.Forbidden(field.NewPath("metadata", "annotations").Key(sgv1.AnnotationIdentityRequestedBy),
		fmt.Sprintf("S8: who applied for the identity is stamped from the authenticated user (%q) and changes only with the identity", before))}
}

// ValidateCreate checks a new site against every other site and its writer.
func (v *GovWebsiteValidator) ValidateCreate(ctx context.Context, site *sgv1.GovWebsite) (admission.Warnings, error) {
	return nil, v.validate(ctx, &sgv1.GovWebsite{}, site)
}

// ValidateUpdate checks a changed site against every other site and its writer.
func (v *GovWebsiteValidator) ValidateUpdate(ctx context.Context, old, site *sgv1.GovWebsite) (admission.Warnings, error) {
	return nil, v.validate(ctx, old, site)
}

// ValidateDelete allows deletion; the finalizer enforces closure by procedure (T7).
func (v *GovWebsiteValidator) ValidateDelete(context.Context, *sgv1.GovWebsite) (admission.Warnings, error) {
	return nil, nil
}

func (v *GovWebsiteValidator) validate(ctx context.Context, old, site *sgv1.GovWebsite) error {
	req, err := admission.RequestFromContext(ctx)
	if err != nil {
		return err
	}
	errs, err := v.acrossSites(ctx, site)
	if err != nil {
		return err
	}
	more, err := v.platformOnly(ctx, req.UserInfo, site.Namespace, "govwebsites", platformFieldsOfSite(old, site))
	if err != nil {
		return err
	}
	errs = append(errs, more...)
	errs = append(errs, identityRequesterUnchanged(old, site)...)
	if needsPolicy(old, site) {
		p, err := policy.Get(ctx, v.Policy)
		if err != nil {
			return apierrors.NewForbidden(schema.GroupResource{Group: sgv1.GroupVersion.Group, Resource: "govwebsites"}, site.Name, err)
		}
		levels := policy.LevelNames(p, sgv1.ScopeSite)
		errs = append(errs, frozenIdentity(old, site, levels)...)
		more, err := v.signatures(ctx, field.NewPath("spec", "approvals"), old.Spec.Approvals, site.Spec.Approvals, signedFor(old, site),
			levels, site.Namespace, "S1", req.UserInfo)
		if err != nil {
			return err
		}
		errs = append(errs, more...)
		errs = append(errs, adminNetworks(old, site, p)...)
		if reportsChanged(old, site) {
			more, err := v.rectificationReports(ctx, old, site, policy.LevelNames(p, sgv1.ScopeRectification), req.UserInfo)
			if err != nil {
				return err
			}
			errs = append(errs, more...)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: sgv1.GroupVersion.Group, Kind: "GovWebsite"}, site.Name, errs)
}

// needsPolicy: the write signs, changes the identity signatures are given
// for, files a rectification result, or names admin networks the policy bounds.
func needsPolicy(old, site *sgv1.GovWebsite) bool {
	return !equality.Semantic.DeepEqual(old.Spec.Approvals, site.Spec.Approvals) || reportsChanged(old, site) ||
		!equality.Semantic.DeepEqual(identity.Of(old), identity.Of(site)) ||
		!equality.Semantic.DeepEqual(old.Spec.Admin.AllowedSourceCIDRs, site.Spec.Admin.AllowedSourceCIDRs)
}

// signedFor are the old signatures that count for the identity this write
// applies for: none when the write changes the identity to one never
// signed, so its round starts at the first level (S8).
func signedFor(old, site *sgv1.GovWebsite) []sgv1.Approval {
	return identity.SignaturesFor(old.Spec.Approvals, identity.Of(site), old.Status.ApprovedIdentity)
}

// acrossSites checks S2 and S3 against the other sites.
func (v *GovWebsiteValidator) acrossSites(ctx context.Context, site *sgv1.GovWebsite) (field.ErrorList, error) {
	var errs field.ErrorList
	spec := field.NewPath("spec")

	others, err := v.othersBy(ctx, site, IndexCreditCode, site.Spec.Organization.CreditCode)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		errs = append(errs, field.Forbidden(spec.Child("organization", "creditCode"),
			fmt.Sprintf("S2: organization %s already runs site %s/%s; at most one site per organization", site.Spec.Organization.CreditCode, o.Namespace, o.Name)))
	}
	for i, d := range site.Spec.Domains {
		others, err := v.othersBy(ctx, site, IndexDomain, string(d))
		if err != nil {
			return nil, err
		}
		for _, o := range others {
			errs = append(errs, field.Forbidden(spec.Child("domains").Index(i),
				fmt.Sprintf("S3: domain %s already belongs to site %s/%s; a domain belongs to one site only", d, o.Namespace, o.Name)))
		}
	}
	if region := PortalRegion(site); region != "" {
		others, err := v.othersBy(ctx, site, IndexPortalRegion, region)
		if err != nil {
			return nil, err
		}
		for _, o := range others {
			errs = append(errs, field.Forbidden(spec.Child("siteKind"),
				fmt.Sprintf("S2: region %s already has portal %s/%s; one portal per region", region, o.Namespace, o.Name)))
		}
	}
	return errs, nil
}

// othersBy lists the sites, other than this one, whose index holds value.
func (v *GovWebsiteValidator) othersBy(ctx context.Context, site *sgv1.GovWebsite, index, value string) ([]sgv1.GovWebsite, error) {
	list := &sgv1.GovWebsiteList{}
	if err := v.Client.List(ctx, list, client.MatchingFields{index: value}); err != nil {
		return nil, fmt.Errorf("looking up sites by %s: %w", index, err)
	}
	var out []sgv1.GovWebsite
	for _, o := range list.Items {
		if o.Namespace == site.Namespace && o.Name == site.Name {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}
