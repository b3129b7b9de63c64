package webhook

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/validation/field"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
)

// platformFieldsOfSite lists the fields of a site a department never writes,
// and whether this write changes them (a create changes what it sets).
func platformFieldsOfSite(old, site *sgv1.GovWebsite) []ownedField {
	spec, insp := field.NewPath("spec"), field.NewPath("spec", "inspection")
	o, n := old.Spec, site.Spec
	return []ownedField{
		{spec.Child("suspend"), o.Suspend != n.Suspend,
			"T5: a suspended site is not reconciled (a takedown in force would not switch to its notice page)"},
		{insp.Child("targetURL"), o.Inspection.TargetURL != n.Inspection.TargetURL,
			"S5, V1–V5: the inspection target decides what the crawler and the V1 prober judge"},
		{insp.Child("schedule"), o.Inspection.Schedule != n.Inspection.Schedule,
			"V1–V5: daily monitoring runs on the platform's schedule (002 (十六))"},
		{insp.Child("columnHints"), !equality.Semantic.DeepEqual(o.Inspection.ColumnHints, n.Inspection.ColumnHints),
			"V3: column hints decide which columns count as stale"},
		{spec.Child("egress"), !equality.Semantic.DeepEqual(o.Egress, n.Egress),
			"S7: what a site's pods may reach is the platform's network policy"},
		{spec.Child("routing"), !equality.Semantic.DeepEqual(o.Routing, n.Routing),
			"S1, S7: the Gateway, Ingress class and issuer a site is exposed through are the platform's"},
		{field.NewPath("metadata", "annotations").Key(sgv1.AnnotationForceDelete),
			old.Annotations[sgv1.AnnotationForceDelete] != site.Annotations[sgv1.AnnotationForceDelete],
			"T7: a site is closed by a permanent takedown; force-deleting skips that procedure"},
	}
}

// frozenIdentity refuses a change of the identity while a round of
// signatures for it is under way (S1, S8): what the signers are signing
// does not change under them. Before the first signature, after a
// rejection (a re-submission) and once every level signed (an S8 change,
// which needs the chain again while the approved identity stays in force)
// it may change.
func frozenIdentity(old, site *sgv1.GovWebsite, levels []string) field.ErrorList {
	if !policy.RoundUnderWay(identity.Signatures(old), levels) {
		return nil
	}
	spec := field.NewPath("spec")
	o, n := old.Spec, site.Spec
	fields := []struct {
		path    *field.Path
		changed bool
	}{
		{spec.Child("organization"), o.Organization != n.Organization},
		{spec.Child("siteKind"), o.SiteKind != n.SiteKind},
		{spec.Child("parentPortal"), !equality.Semantic.DeepEqual(o.ParentPortal, n.ParentPortal)},
		{spec.Child("domains"), !equality.Semantic.DeepEqual(o.Domains, n.Domains)},
		{spec.Child("siteCode"), o.SiteCode != n.SiteCode},
		{spec.Child("icpFiling"), o.ICPFiling != n.ICPFiling},
		{spec.Child("publicSecurityFiling"), o.PublicSecurityFiling != n.PublicSecurityFiling},
	}
	var errs field.ErrorList
	for _, f := range fields {
		if f.changed {
			errs = append(errs, field.Forbidden(f.path,
				fmt.Sprintf("S8: %s is part of the identity being signed; it cannot change while the round of signatures is under way (after a rejection it may be revised and re-submitted; once every level signed, a change is filed as an S8 change and signed again)", f.path)))
		}
	}
	return errs
}

// adminNetworks refuses admin CIDRs outside the networks the policy names
// for admin access (S7): two halves of the internet are still the internet.
func adminNetworks(old, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) field.ErrorList {
	if equality.Semantic.DeepEqual(old.Spec.Admin.AllowedSourceCIDRs, site.Spec.Admin.AllowedSourceCIDRs) {
		return nil
	}
	within := "none: the policy names no admin access network, so only its admin-access namespace reaches the admin"
	if names := p.Network.AdminAccessNetworks; len(names) > 0 {
		within = fmt.Sprint(names)
	}
	var errs field.ErrorList
	path := field.NewPath("spec", "admin", "allowedSourceCIDRs")
	for i, c := range site.Spec.Admin.AllowedSourceCIDRs {
		if !policy.InsideAdminNetworks(p, string(c)) {
			errs = append(errs, field.Forbidden(path.Index(i),
				fmt.Sprintf("S7: %s is outside the networks admin access may come from (policy network.adminAccessNetworks: %s); the admin is never exposed to the internet", c, within)))
		}
	}
	return errs
}
