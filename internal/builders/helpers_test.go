package builders

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/policy"
)

// Test fixtures: one department site and the platform policy in force.

const (
	testNS   = "dept-edu"
	siteName = "edu"
)

var testRegions = []string{"cn-north-1", "cn-east-2"}

func newSite(mut ...func(*sgv1.GovWebsite)) *sgv1.GovWebsite {
	s := &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Name: siteName, Namespace: testNS, UID: types.UID("uid-edu"), Generation: 1},
		Spec: sgv1.GovWebsiteSpec{
			Domains:  []sgv1.Domain{"edu.tj.gov.cn"},
			Frontend: sgv1.FrontendSpec{Image: "nginx:1.27", Port: 8080},
			Admin:    sgv1.AdminSpec{Image: "cms-admin:3", Port: 9090},
		},
	}
	for _, m := range mut {
		m(s)
	}
	return s
}

func newPolicy(mut ...func(*sgv1.SiteGroupPolicySpec)) sgv1.SiteGroupPolicySpec {
	p := sgv1.SiteGroupPolicySpec{Placement: sgv1.PlacementPolicy{AllowedRegions: append([]string(nil), testRegions...)}}
	for _, m := range mut {
		m(&p)
	}
	return policy.InForce(p)
}

func preferred(p *sgv1.SiteGroupPolicySpec) {
	p.Placement.HostSeparation = policy.HostSeparationPreferred
}

func withPools(p *sgv1.SiteGroupPolicySpec) {
	p.Placement.FrontendNodeSelector = map[string]string{"pool": "dmz"}
	p.Placement.AdminNodeSelector = map[string]string{"pool": "office", "tier": "internal"}
}

// requireController fails unless refs is exactly one controller reference to the test site.
func requireController(t *testing.T, what string, refs []metav1.OwnerReference) {
	t.Helper()
	if len(refs) != 1 {
		t.Fatalf("%s: %d owner references, want 1", what, len(refs))
	}
	r := refs[0]
	if r.Kind != "GovWebsite" || r.Name != siteName || r.UID != "uid-edu" || r.APIVersion != sgv1.GroupVersion.String() {
		t.Errorf("%s: owner %+v is not the site", what, r)
	}
	if !ptr.Deref(r.Controller, false) || !ptr.Deref(r.BlockOwnerDeletion, false) {
		t.Errorf("%s: owner reference must be controller=true, blockOwnerDeletion=true: %+v", what, r)
	}
}

// requiredTerm returns the only required node selector term of a pod.
func requiredTerm(t *testing.T, spec corev1.PodSpec) []corev1.NodeSelectorRequirement {
	t.Helper()
	a := spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		t.Fatalf("no required node affinity")
	}
	terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	if len(terms) != 1 {
		// Terms are ORed: a second term would let the pod escape the region requirement.
		t.Fatalf("%d node selector terms, want exactly 1", len(terms))
	}
	return terms[0].MatchExpressions
}

func hasIn(reqs []corev1.NodeSelectorRequirement, key string, values ...string) bool {
	for _, r := range reqs {
		if r.Key == key && r.Operator == corev1.NodeSelectorOpIn && slices.Equal(r.Values, values) {
			return true
		}
	}
	return false
}
