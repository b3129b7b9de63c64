// Package webhook holds the operator's admission webhooks: the rules that
// need other objects to decide, which CEL on one object cannot.
package webhook

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
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

// +kubebuilder:webhook:path=/validate-sitegroup-io-v1alpha1-govwebsite,mutating=false,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=govwebsites,verbs=create;update,versions=v1alpha1,name=vgovwebsite.sitegroup.io,admissionReviewVersions=v1

// GovWebsiteValidator enforces the rules across sites: S2 one site per
// organization, a domain belongs to one site only (S3), one portal per
// region. Each refusal names the rule and the conflicting site.
type GovWebsiteValidator struct {
	Client client.Reader
}

var _ admission.Validator[*sgv1.GovWebsite] = &GovWebsiteValidator{}

// SetupGovWebsiteWebhook registers the validator with the manager's webhook server.
func SetupGovWebsiteWebhook(mgr ctrl.Manager) error {
	return ctrl.NewWebhookManagedBy(mgr, &sgv1.GovWebsite{}).
		WithValidator(&GovWebsiteValidator{Client: mgr.GetClient()}).
		Complete()
}

// ValidateCreate checks a new site against every other site.
func (v *GovWebsiteValidator) ValidateCreate(ctx context.Context, site *sgv1.GovWebsite) (admission.Warnings, error) {
	return nil, v.validate(ctx, site)
}

// ValidateUpdate checks a changed site against every other site.
func (v *GovWebsiteValidator) ValidateUpdate(ctx context.Context, _, site *sgv1.GovWebsite) (admission.Warnings, error) {
	return nil, v.validate(ctx, site)
}

// ValidateDelete allows deletion; the finalizer enforces closure by procedure (T7).
func (v *GovWebsiteValidator) ValidateDelete(context.Context, *sgv1.GovWebsite) (admission.Warnings, error) {
	return nil, nil
}

func (v *GovWebsiteValidator) validate(ctx context.Context, site *sgv1.GovWebsite) error {
	var errs field.ErrorList
	spec := field.NewPath("spec")

	others, err := v.othersBy(ctx, site, IndexCreditCode, site.Spec.Organization.CreditCode)
	if err != nil {
		return err
	}
	for _, o := range others {
		errs = append(errs, field.Forbidden(spec.Child("organization", "creditCode"),
			fmt.Sprintf("S2: organization %s already runs site %s/%s; at most one site per organization", site.Spec.Organization.CreditCode, o.Namespace, o.Name)))
	}
	for i, d := range site.Spec.Domains {
		others, err := v.othersBy(ctx, site, IndexDomain, string(d))
		if err != nil {
			return err
		}
		for _, o := range others {
			errs = append(errs, field.Forbidden(spec.Child("domains").Index(i),
				fmt.Sprintf("S3: domain %s already belongs to site %s/%s; a domain belongs to one site only", d, o.Namespace, o.Name)))
		}
	}
	if region := PortalRegion(site); region != "" {
		others, err := v.othersBy(ctx, site, IndexPortalRegion, region)
		if err != nil {
			return err
		}
		for _, o := range others {
			errs = append(errs, field.Forbidden(spec.Child("siteKind"),
				fmt.Sprintf("S2: region %s already has portal %s/%s; one portal per region", region, o.Namespace, o.Name)))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: sgv1.GroupVersion.Group, Kind: "GovWebsite"}, site.Name, errs)
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
