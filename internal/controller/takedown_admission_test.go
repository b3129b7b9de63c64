package controller_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var _ = Describe("the TakedownRequest webhook (T1–T4)", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		testClock.Set(tdStart.Add(-6 * 24 * time.Hour))
		createApproved(eduSite(ns))
		Eventually(func() error { return k8sClient.Get(ctx, key(ns, "edu"), &sgv1.GovWebsite{}) }, timeout, interval).Should(Succeed())
	})

	It("T2 refuses a temporary takedown of a portal", func() {
		portalNs := newSiteNamespace()
		p := eduSite(portalNs)
		p.Name = "edu" // the takedown refers to it by this name
		p.Spec.SiteKind, p.Spec.ParentPortal = sgv1.SiteKindPortal, nil
		p.Spec.SiteCode, p.Spec.Domains = "1201190001", []sgv1.Domain{"www.tj-t2.gov.cn"}
		Expect(k8sClient.Create(ctx, p)).To(Succeed())
		Eventually(func() error {
			return k8sClient.Create(ctx, takedownOf(portalNs, sgv1.TakedownTemporary), client.DryRunAll)
		}, timeout, interval).
			Should(MatchError(ContainSubstring("T2: site edu is a portal (门户网站); a portal may not be taken down temporarily")))
	})

	It("T4 refuses 31 days under the default policy and accepts them when the policy says 60", func() {
		t := takedownOf(ns, sgv1.TakedownTemporary)
		t.Spec.End = &metav1.Time{Time: tdStart.Add(31 * 24 * time.Hour)}
		Expect(k8sClient.Create(ctx, t, client.DryRunAll)).To(MatchError(ContainSubstring("T4: a temporary takedown lasts at most 30 days under the policy in force; this one lasts 31 days (2026-12-01 to 2027-01-01)")))

		setMaxTemporaryDays(60)
		DeferCleanup(setMaxTemporaryDays, int32(30))
		Eventually(func() error { return k8sClient.Create(ctx, t.DeepCopy(), client.DryRunAll) }, timeout, interval).Should(Succeed())
	})

	It("T3 refuses a second temporary takedown in a calendar year, naming the first", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		signAll(ns, chainSigners)
		at(ns, tdStart)
		expectPhase(ns, sgv1.TakedownActive)
		Eventually(func() error { // cancel it: no longer open, but it went live
			t := &sgv1.TakedownRequest{}
			if err := k8sClient.Get(ctx, key(ns, "rebuild"), t); err != nil {
				return err
			}
			t.Status.Phase = sgv1.TakedownRestored
			t.Status.RestoredAt = &metav1.Time{Time: tdStart.Add(5 * 24 * time.Hour)}
			return k8sClient.Status().Update(ctx, t)
		}, timeout, interval).Should(Succeed())
		second := takedownOf(ns, sgv1.TakedownTemporary)
		second.Name = "again"
		second.Spec.Start = metav1.NewTime(tdStart.Add(10 * 24 * time.Hour))
		second.Spec.End = &metav1.Time{Time: tdStart.Add(20 * 24 * time.Hour)}
		Eventually(func() error { return k8sClient.Create(ctx, second, client.DryRunAll) }, timeout, interval).
			Should(MatchError(ContainSubstring("T3: site edu already had a temporary takedown in 2026 (takedown rebuild, 2026-12-01 to 2026-12-06)")))
	})

	It("refuses a second open takedown of a site", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		expectPhase(ns, sgv1.TakedownPending)
		second := takedownOf(ns, sgv1.TakedownPermanent)
		second.Name, second.Spec.End = "close", nil
		Expect(k8sClient.Create(ctx, second, client.DryRunAll)).To(MatchError(ContainSubstring("already has an open takedown rebuild (phase Pending)")))
	})

	It("T1 refuses a forged approver and a signer outside the level's group", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		unit := chainSigners[0]
		// Eventually: the controller's own writes can make a signature conflict; the
		// refusal must still come, for the reason named.
		Eventually(func() error {
			return sign(ns, unit, false, func(a *sgv1.Approval) { a.Approver = "the.mayor" })
		}, timeout, interval).Should(MatchError(ContainSubstring(`T1: approver "the.mayor" is not the user signing (chen.jing)`)))
		Eventually(func() error { return sign(ns, signer{"unit", outsider}, false) }, timeout, interval).
			Should(MatchError(ContainSubstring("T1: wu.gang may not sign at level unit here: RBAC does not allow approve signers.sitegroup.io/unit in namespace " + ns)))
		Eventually(func() error { return sign(ns, unit, false) }, timeout, interval).Should(Succeed())
	})

	It("T1 keeps approvals append-only: none can be edited or removed", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		Eventually(func() error { return sign(ns, chainSigners[0], false) }, timeout, interval).Should(Succeed())
		update := func(mutate func(*sgv1.TakedownRequest)) func() error {
			return func() error {
				t := &sgv1.TakedownRequest{}
				if err := k8sClient.Get(ctx, key(ns, "rebuild"), t); err != nil {
					return err
				}
				mutate(t)
				return k8sClient.Update(ctx, t)
			}
		}
		Eventually(update(func(t *sgv1.TakedownRequest) { t.Spec.Approvals[0].Decision = sgv1.DecisionRejected }), timeout, interval).
			Should(MatchError(ContainSubstring("T1: approvals are append-only")))
		Eventually(update(func(t *sgv1.TakedownRequest) { t.Spec.Approvals = nil }), timeout, interval).
			Should(MatchError(ContainSubstring("T1: approvals are append-only")))
	})
})

func setMaxTemporaryDays(days int32) {
	GinkgoHelper()
	Eventually(func() error {
		p := &sgv1.SiteGroupPolicy{}
		if err := k8sClient.Get(ctx, client.ObjectKey{Name: sgv1.PolicyName}, p); err != nil {
			return err
		}
		p.Spec.Takedown.MaxTemporaryDays = days
		return k8sClient.Update(ctx, p)
	}, timeout, interval).Should(Succeed())
}
