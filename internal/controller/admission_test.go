package controller_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
)

// refused asserts an admission refusal that names a rule and a conflict.
func refused(err error, want ...string) {
	GinkgoHelper()
	Expect(err).To(HaveOccurred())
	Expect(apierrors.IsInvalid(err) || apierrors.IsForbidden(err)).To(BeTrue(), "got %v", err)
	for _, w := range want {
		Expect(err.Error()).To(ContainSubstring(w))
	}
}

var _ = Describe("the GovWebsite webhook (rules across sites)", func() {
	var first string
	BeforeEach(func() {
		first = newSiteNamespace()
		createApproved(eduSite(first))
		Eventually(func() error {
			// the webhook reads sites from the manager's cache: wait until it has the first
			copyOfFirst := eduSite(newSiteNamespace())
			copyOfFirst.Spec.Organization.CreditCode = creditCode(first)
			return k8sClient.Create(ctx, copyOfFirst, client.DryRunAll)
		}, timeout, interval).Should(HaveOccurred())
	})

	It("S2 refuses a second site of the same organization, naming the first", func() {
		other := eduSite(newSiteNamespace())
		other.Spec.Organization.CreditCode = creditCode(first)
		refused(k8sClient.Create(ctx, other), "S2: organization "+creditCode(first)+" already runs site "+first+"/edu")
	})

	It("S3 refuses a domain that belongs to another site, naming it", func() {
		other := eduSite(newSiteNamespace())
		other.Spec.Domains = []sgv1.Domain{sgv1.Domain(siteDomain(first))}
		refused(k8sClient.Create(ctx, other), "S3: domain "+siteDomain(first)+" already belongs to site "+first+"/edu")
	})

	It("accepts a different organization on its own domain", func() {
		Expect(k8sClient.Create(ctx, eduSite(newSiteNamespace()), client.DryRunAll)).To(Succeed())
	})

	It("refuses a second portal for the same region", func() {
		portal := func(ns, code, domain string) *sgv1.GovWebsite {
			p := eduSite(ns)
			p.Name = "portal"
			p.Spec.SiteKind, p.Spec.ParentPortal = sgv1.SiteKindPortal, nil
			p.Spec.Organization.Level, p.Spec.Organization.CreditCode = sgv1.LevelDistrict, creditCode(ns)
			p.Spec.SiteCode, p.Spec.Domains = code, []sgv1.Domain{sgv1.Domain(domain)}
			return p
		}
		ns := newSiteNamespace()
		Expect(k8sClient.Create(ctx, portal(ns, "1201020001", "www.tjhx.gov.cn"))).To(Succeed())
		Eventually(func() error {
			return k8sClient.Create(ctx, portal(newSiteNamespace(), "1201020009", "www.tjhx2.gov.cn"), client.DryRunAll)
		}, timeout, interval).Should(MatchError(ContainSubstring("region 120102 already has portal " + ns + "/portal")))
	})
})

// handmadePod is a pod the namespace's Pod Security admits, requiring the
// given regions (none: no node affinity at all).
func handmadePod(ns, name string, regions ...string) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: corev1.PodSpec{
			SecurityContext: builders.RestrictedPodSecurity(),
			Containers: []corev1.Container{{Name: "c", Image: "sitegroup.io/sitegroup:dev",
				SecurityContext: builders.RestrictedContainerSecurity()}},
		},
	}
	if len(regions) > 0 {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{
				Key: "topology.kubernetes.io/region", Operator: corev1.NodeSelectorOpIn, Values: regions,
			}}}},
		}}}
	}
	return p
}

var _ = Describe("the S6 ValidatingAdmissionPolicy", func() {
	pod := func(ns string, regions ...string) *corev1.Pod { return handmadePod(ns, "handmade", regions...) }
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		createApproved(eduSite(ns))
		Eventually(func() string { // the operator labels the namespace as a site's
			n := &corev1.Namespace{}
			_ = k8sClient.Get(ctx, client.ObjectKey{Name: ns}, n)
			return n.Labels[builders.LabelSiteNamespace]
		}, timeout, interval).Should(Equal("true"))
	})

	It("refuses a pod that does not require a domestic region", func() {
		Eventually(func() error { return k8sClient.Create(ctx, pod(ns), client.DryRunAll) }, timeout, interval).
			Should(MatchError(ContainSubstring("S6: pod handmade must require node label topology.kubernetes.io/region In [cn-north-1, cn-east-2]")))
	})

	It("refuses a pod that asks for an overseas region", func() {
		Eventually(func() error { return k8sClient.Create(ctx, pod(ns, "cn-north-1", "us-west-1"), client.DryRunAll) }, timeout, interval).
			Should(MatchError(ContainSubstring("S6:")))
	})

	It("accepts a pod that requires a domestic region, and leaves other namespaces alone", func() {
		Expect(k8sClient.Create(ctx, pod(ns, "cn-east-2"), client.DryRunAll)).To(Succeed())
		Expect(k8sClient.Create(ctx, pod("default"), client.DryRunAll)).To(Succeed())
	})
})
