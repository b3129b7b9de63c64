// Package identity is a site's identity as its approvals sign it (S1) and a
// basic-information change files it (S8): what it is, its digest, which
// identity is in force while a change waits for its signatures, and what
// a change changed. Pure functions, no API calls.
package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Of is the identity a site's spec applies for.
func Of(site *sgv1.GovWebsite) sgv1.SiteIdentity {
	s := site.Spec
	id := &sgv1.SiteIdentity{Organization: s.Organization, SiteKind: s.SiteKind, ParentPortal: s.ParentPortal,
		Domains: s.Domains, SiteCode: s.SiteCode, ICPFiling: s.ICPFiling, PublicSecurityFiling: s.PublicSecurityFiling}
	return *id.DeepCopy()
}

// Digest names an identity: what a signature is stamped with, so it counts
// for that identity only.
func Digest(id sgv1.SiteIdentity) string {
	data, err := json.Marshal(id)
	if err != nil {
		panic(err) // a struct of strings always marshals
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// Signatures are the approvals that count for the identity the site's
// spec applies for: those stamped with its digest, and those from before
// signatures were stamped while that identity is the one in force.
func Signatures(site *sgv1.GovWebsite) []sgv1.Approval {
	return SignaturesFor(site.Spec.Approvals, Of(site), site.Status.ApprovedIdentity)
}

// SignaturesFor are the approvals that count for the identity applied
// for, given the identity in force (nil before the first approval).
func SignaturesFor(approvals []sgv1.Approval, applied sgv1.SiteIdentity, inForce *sgv1.SiteIdentity) []sgv1.Approval {
	digest, legacy := Digest(applied), inForce == nil || equality.Semantic.DeepEqual(*inForce, applied)
	var out []sgv1.Approval
	for _, a := range approvals {
		if a.IdentityDigest == digest || (legacy && a.IdentityDigest == "") {
			out = append(out, a)
		}
	}
	return out
}

// Pending says whether the spec applies for another identity than the one
// in force.
func Pending(site *sgv1.GovWebsite) bool {
	in := site.Status.ApprovedIdentity
	return in != nil && !equality.Semantic.DeepEqual(*in, Of(site))
}

// InForce is the site as it is served: with the approved identity while a
// change of it waits for its signatures (S8), the site itself otherwise.
func InForce(site *sgv1.GovWebsite) *sgv1.GovWebsite {
	if !Pending(site) {
		return site
	}
	out := site.DeepCopy()
	in := site.Status.ApprovedIdentity.DeepCopy()
	out.Spec.Organization, out.Spec.SiteKind, out.Spec.ParentPortal = in.Organization, in.SiteKind, in.ParentPortal
	out.Spec.Domains, out.Spec.SiteCode, out.Spec.ICPFiling, out.Spec.PublicSecurityFiling = in.Domains, in.SiteCode, in.ICPFiling, in.PublicSecurityFiling
	return out
}

// Changes lists what differs from old to new, one line a field, for the
// S8 record: "domains: jyj.tjhp.gov.cn → edu.tjhp.gov.cn".
func Changes(old, cur sgv1.SiteIdentity) []string {
	var out []string
	add := func(name, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("%s: %s → %s", name, a, b))
		}
	}
	add("organization", old.Organization.Name, cur.Organization.Name)
	add("organization level", string(old.Organization.Level), string(cur.Organization.Level))
	add("siteKind", string(old.SiteKind), string(cur.SiteKind))
	add("parentPortal", portal(old.ParentPortal), portal(cur.ParentPortal))
	add("domains", domains(old.Domains), domains(cur.Domains))
	add("siteCode", old.SiteCode, cur.SiteCode)
	add("icpFiling", old.ICPFiling, cur.ICPFiling)
	add("publicSecurityFiling", old.PublicSecurityFiling, cur.PublicSecurityFiling)
	return out
}

func portal(ref *sgv1.NamespacedObjectReference) string {
	if ref == nil {
		return "none"
	}
	return ref.Namespace + "/" + ref.Name
}

func domains(ds []sgv1.Domain) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, ", ")
}

// Retired are the domains still announcing a domain change at now (S8):
// those approved changes gave up whose notice period has not ended and
// that are not in force again; until is when the first of them ends.
func Retired(changes []sgv1.IdentityChange, inForce []sgv1.Domain, now time.Time) (domains []string, until time.Time) {
	for _, c := range changes {
		if c.NoticeUntil == nil || !now.Before(c.NoticeUntil.Time) {
			continue
		}
		for _, d := range c.RetiredDomains {
			if !slices.Contains(inForce, d) && !slices.Contains(domains, string(d)) {
				domains = append(domains, string(d))
				if until.IsZero() || c.NoticeUntil.Time.Before(until) {
					until = c.NoticeUntil.Time
				}
			}
		}
	}
	return domains, until
}

// RetiredBy are the domains a change gives up.
func RetiredBy(old, cur sgv1.SiteIdentity) []sgv1.Domain {
	var out []sgv1.Domain
	for _, d := range old.Domains {
		if !slices.Contains(cur.Domains, d) {
			out = append(out, d)
		}
	}
	return out
}
