package controller_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// externalCheck is the result of a national or provincial check of the
// site "edu", as the city office records it.
func externalCheck(ns, name string, at time.Time, verdict sgv1.Verdict, problems ...string) *sgv1.InspectionRun {
	return &sgv1.InspectionRun{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposeExternal,
			External: &sgv1.ExternalCheck{Level: sgv1.ExternalNational, Inspector: "国务院办公厅", DocumentNumber: "国办函〔2028〕" + name,
				CheckedAt: metav1.NewTime(at), Verdict: verdict, Problems: problems}},
	}
}

var _ = Describe("T8 in full: external checks and a year's failing months", func() {
	var ns string
	BeforeEach(func() { ns = newSiteNamespace() })

	It("records a national check's result entered by the city office, never the department; a failure starts rectification at once", func() {
		launchedSite(ns, shanghai(2028, 3, 1, 12, 0), "0 6 29 2 *")
		testClock.Set(shanghai(2028, 3, 20, 9, 0))
		check := externalCheck(ns, "national-1", shanghai(2028, 3, 15, 10, 0), sgv1.VerdictFail, "V2: 首页超过两周未更新", "栏目空白较多")

		Expect(as(department).Create(ctx, check.DeepCopy())).To(MatchError(ContainSubstring(
			"T8: a national or provincial check's result is recorded by the city office or the platform, never by the department checked")))
		Expect(as(cityOffice).Create(ctx, check)).To(Succeed())

		Eventually(func() *sgv1.InspectionRun { return runOf(ns, "national-1") }, timeout, interval).Should(And(
			HaveField("Status.Phase", sgv1.InspectionSucceeded), HaveField("Status.Verdict", sgv1.VerdictFail),
			HaveField("Status.Vetoes", ConsistOf(HaveField("ID", "V2"))), HaveField("Status.JobName", BeEmpty())))

		By("the site's record: the month failed, a ticket for the veto")
		Eventually(func(g Gomega) {
			st := getSite(ns).Status
			g.Expect(st.MonthlyResults).To(ContainElement(And(HaveField("Month", "2028-03"), HaveField("Verdict", sgv1.VerdictFail))))
			g.Expect(st.Tickets).To(ContainElement(HaveField("ID", "V2/national-1")))
		}, timeout, interval).Should(Succeed())

		By("the month's result is published for the auditor, beyond the run's life")
		record := &corev1.ConfigMap{}
		exists(record, ns, "edu-monthly-2028-03")
		Expect(record.Data).To(HaveKeyWithValue("result.json", ContainSubstring(`"run":"national-1"`)))
		Expect(record.OwnerReferences).To(BeEmpty())

		By("T8: the rectification takedown is requested at once, Pending, unsigned")
		req := &sgv1.TakedownRequest{}
		exists(req, ns, "edu-rectification-national-1")
		Expect(req.Spec.Type).To(Equal(sgv1.TakedownTemporary))
		Expect(req.Spec.Reason).To(ContainSubstring("国务院办公厅"))
		Expect(req.Spec.Approvals).To(BeEmpty(), "T1: people approve a takedown, never the operator")
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement(sgv1.ReasonRectificationRequested))
	})

	It("asks for permanent closure after more than three failing months of a year, and shows a month nobody inspected as missing", func() {
		launchedSite(ns, shanghai(2028, 1, 5, 12, 0), "0 6 29 2 *")
		testClock.Set(shanghai(2028, 6, 10, 9, 0))
		// January, February, April and May fail; March has no result at all.
		for _, month := range []time.Month{1, 2, 4, 5} {
			name := "national-" + time.Date(2028, month, 1, 0, 0, 0, 0, time.UTC).Format("01")
			Expect(as(cityOffice).Create(ctx, externalCheck(ns, name, shanghai(2028, month, 20, 10, 0), sgv1.VerdictFail, "V3: 栏目长期不更新"))).To(Succeed())
		}
		Eventually(func() []string { return getSite(ns).Status.MissingMonths }, timeout, interval).
			Should(Equal([]string{"2028-03"}), "T8: a month without a result is missing, not passing")
		Eventually(func() metav1.ConditionStatus { return condition(ns, sgv1.ConditionConsolidationRecommended).Status }, timeout, interval).
			Should(Equal(metav1.ConditionTrue))

		By("a temporary rectification the streak raised first is withdrawn by the platform: one open takedown at a time")
		list := &sgv1.TakedownRequestList{}
		Expect(k8sClient.List(ctx, list, client.InNamespace(ns))).To(Succeed())
		for i := range list.Items {
			if t := &list.Items[i]; t.Spec.Type == sgv1.TakedownTemporary {
				Expect(updateAs(as(platformEngineer), t, func() { t.Spec.Cancel = true })).To(Succeed())
			}
		}

		req := &sgv1.TakedownRequest{}
		exists(req, ns, "edu-consolidation-2028")
		Expect(req.Spec.Type).To(Equal(sgv1.TakedownPermanent))
		Expect(req.Spec.Reason).To(ContainSubstring("2028-01, 2028-02, 2028-04, 2028-05"))
		Expect(req.Spec.Approvals).To(BeEmpty(), "T1: people decide a closure, never the operator")
		Eventually(func() sgv1.TakedownPhase {
			Expect(k8sClient.Get(ctx, key(ns, req.Name), req)).To(Succeed())
			return req.Status.Phase
		}, timeout, interval).Should(Equal(sgv1.TakedownPending))
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement(sgv1.ReasonConsolidationRequested))
	})
})
