package controller_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/testenv"
)

// touchPolicy wakes the controllers that reconcile the policy, as their
// requeue at a quarter's turn would.
func touchPolicy(value string) {
	GinkgoHelper()
	p := &sgv1.SiteGroupPolicy{ObjectMeta: metav1.ObjectMeta{Name: sgv1.PolicyName}}
	Expect(updateAs(k8sClient, p, func() { metav1.SetMetaDataAnnotation(&p.ObjectMeta, "test.sitegroup.io/wake", value) })).To(Succeed())
}

// spotCheckRuns lists a quarter's spot-check runs in every namespace.
func spotCheckRuns(quarter string) []sgv1.InspectionRun {
	list := &sgv1.InspectionRunList{}
	Expect(k8sClient.List(ctx, list, client.MatchingLabels{controller.LabelSpotCheck: quarter})).To(Succeed())
	return list.Items
}

var _ = Describe("the city office's quarterly spot check (003 §五)", func() {
	It("samples launched sites at a quarter's start, inspects each once, and publishes the report, final at the quarter's end", func() {
		ns := newSiteNamespace()
		launchedSite(ns, time.Date(2029, 1, 3, 9, 0, 0, 0, time.UTC), "0 6 29 2 *")
		testClock.Set(time.Date(2029, 1, 10, 9, 0, 0, 0, time.UTC))
		touchPolicy("2029-Q1")

		// The report is published once the sample's runs are all created.
		report := &corev1.ConfigMap{}
		Eventually(func() error {
			return k8sClient.Get(ctx, key("sitegroup-system", "sitegroup-spot-check-2029q1"), report)
		}, timeout, interval).Should(Succeed())
		// An earlier wake (the clock passed through 2029-Q1 in launchedSite)
		// may have published the quarter before this site launched; the
		// policy's touch samples it again.
		var runs []sgv1.InspectionRun
		Eventually(func() []sgv1.InspectionRun { runs = spotCheckRuns("2029-Q1"); return runs }, timeout, interval).ShouldNot(BeEmpty())
		Expect(len(runs)).To(BeNumerically("<=", 5), "the policy's spotCheckSites")
		for _, run := range runs {
			Expect(run.Spec.Purpose).To(Equal(sgv1.PurposeSpotcheck))
			Expect(run.Annotations).To(HaveKeyWithValue(sgv1.AnnotationRequestedBy, testenv.OperatorUser), "the operator's run: it counts")
			Expect(run.OwnerReferences).To(ContainElement(HaveField("Kind", "GovWebsite")))
		}
		By("a quarter is sampled once: waking the controller again starts nothing new")
		touchPolicy("2029-Q1-again")
		Consistently(func() int { return len(spotCheckRuns("2029-Q1")) }, time.Second, interval).Should(Equal(len(runs)))

		Eventually(func(g Gomega) {
			g.Expect(k8sClient.Get(ctx, key("sitegroup-system", "sitegroup-spot-check-2029q1"), report)).To(Succeed())
			g.Expect(report.Data["report.md"]).To(ContainSubstring("# 2029-Q1 政府网站季度抽查通报"))
			for _, run := range runs {
				g.Expect(report.Data["report.md"]).To(ContainSubstring(run.Name))
			}
			g.Expect(report.Annotations).To(HaveKeyWithValue("sitegroup.io/final", "false"))
		}, timeout, interval).Should(Succeed())

		By("a sampled site's result reaches the report")
		// A sampled site of another spec may still have a run of its own
		// going (one run of a site at a time): take a run whose Job started,
		// of a site with no open V2 ticket (T9: an open ticket covers the
		// veto, and the spot check opens none of its own).
		var run sgv1.InspectionRun
		Eventually(func() bool {
			for _, r := range runs {
				if k8sClient.Get(ctx, key(r.Namespace, r.Name+"-inspect"), &batchv1.Job{}) == nil && !hasOpenTicket(r.Namespace, "V2") {
					run = r
					return true
				}
			}
			return false
		}, timeout, interval).Should(BeTrue(), "a sampled site's spot check starts")
		completeInspection(run.Namespace, run.Name, failing("V2"))
		Eventually(func() string {
			Expect(k8sClient.Get(ctx, key("sitegroup-system", "sitegroup-spot-check-2029q1"), report)).To(Succeed())
			return report.Data["report.json"]
		}, timeout, interval).Should(And(ContainSubstring(`"verdict": "fail"`), ContainSubstring(`"openTickets": 1`)))

		By("at the quarter's end the report is final, and the next quarter is sampled")
		testClock.Set(time.Date(2029, 4, 2, 1, 0, 0, 0, time.UTC))
		touchPolicy("2029-Q2")
		Eventually(func() map[string]string {
			Expect(k8sClient.Get(ctx, key("sitegroup-system", "sitegroup-spot-check-2029q1"), report)).To(Succeed())
			return report.Annotations
		}, timeout, interval).Should(HaveKeyWithValue("sitegroup.io/final", "true"))
		Expect(report.Data["report.md"]).To(ContainSubstring("季度末定稿"))
		Eventually(func() []sgv1.InspectionRun { return spotCheckRuns("2029-Q2") }, timeout, interval).ShouldNot(BeEmpty())
	})
})

// hasOpenTicket says whether a namespace's site "edu" has an open ticket
// for a veto.
func hasOpenTicket(ns, veto string) bool {
	for _, t := range getSite(ns).Status.Tickets {
		if strings.HasPrefix(t.ID, veto+"/") && t.ClosedAt == nil {
			return true
		}
	}
	return false
}
