package controller_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/controller"
)

// The trust model, tried as each persona would: the party a rule binds
// never holds the pen. Every attack of issue #15 is refused (or has no
// effect) with a message that names the rule; each spec fails when its
// guard is removed.

// updateAs re-reads obj as user, mutates it and writes it back, retrying
// only on conflicts with the operator's own writes; it returns the
// admission's answer.
func updateAs(c client.Client, obj client.Object, mutate func()) error {
	return answer(func() error {
		if err := c.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		mutate()
		return c.Update(ctx, obj)
	})
}

// answer runs a write until it does not conflict with the operator's own
// writes, and returns what admission said.
func answer(write func() error) error {
	var err error
	Eventually(func() bool {
		err = write()
		return !apierrors.IsConflict(err)
	}, timeout, interval).Should(BeTrue())
	return err
}

// editRights are ordinary edit rights in a namespace (what Kubernetes'
// aggregated edit role gives; envtest runs no aggregation controller, so
// the suite spells them out): the guards must hold against them.
func bindEditRights(ns string) {
	GinkgoHelper()
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "namespace-editor"}, Rules: []rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"pods", "services", "configmaps"}, Verbs: []string{"get", "list", "watch", "create", "update", "patch", "delete"}},
		{APIGroups: []string{"apps", "batch"}, Resources: []string{"deployments", "replicasets", "jobs", "cronjobs"}, Verbs: []string{"get", "list", "watch", "create", "update", "patch", "delete"}},
		{APIGroups: []string{"networking.k8s.io"}, Resources: []string{"ingresses", "networkpolicies"}, Verbs: []string{"get", "list", "watch", "create", "update", "patch", "delete"}},
		{APIGroups: []string{"gateway.networking.k8s.io"}, Resources: []string{"httproutes", "gateways"}, Verbs: []string{"get", "list", "watch", "create", "update", "patch", "delete"}},
	}}
	Expect(client.IgnoreAlreadyExists(k8sClient.Create(ctx, role))).To(Succeed())
	bindRole(ns, role.Name, department)
}

var _ = Describe("the trust model: S1 signatures are the signers' own", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		Expect(k8sClient.Create(ctx, eduSite(ns))).To(Succeed())
	})
	site := func() *sgv1.GovWebsite {
		return &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu"}}
	}

	It("refuses a department's approvals under other people's names, and its own", func() {
		s := site()
		refused(updateAs(as(department), s, func() {
			s.Spec.Approvals = []sgv1.Approval{{Level: "unit", Approver: unitHead, Decision: sgv1.DecisionApproved}}
		}), `S1: approver "chen.jing" is not the user signing (webmaster)`)
		refused(updateAs(as(department), s, func() {
			s.Spec.Approvals = []sgv1.Approval{{Level: "unit", Decision: sgv1.DecisionApproved}}
		}), "S1: webmaster may not sign at level unit here: RBAC does not allow approve signers.sitegroup.io/unit in namespace "+ns)
		refused(updateAs(as(department), s, func() {
			s.Spec.Approvals = []sgv1.Approval{
				{Level: "unit", Approver: unitHead, Decision: sgv1.DecisionApproved},
				{Level: "city", Approver: cityOffice, Decision: sgv1.DecisionApproved},
				{Level: "province", Approver: provinceOffice, Decision: sgv1.DecisionApproved},
			}
		}), "S1: one signature per write; this write adds 3 approvals")
		Expect(getSite(ns).Spec.Approvals).To(BeEmpty())
	})

	It("stamps the signer and the time, and a unit head signs only their own department", func() {
		testClock.Set(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC))
		bindRole(newSiteNamespace(), "sitegroup-unit-head", otherUnitHead)
		Expect(signSite(ns, "edu", signer{"unit", otherUnitHead}, sgv1.DecisionApproved)).To(MatchError(ContainSubstring("forbidden")),
			"RBAC: no right in another department's namespace")
		By("even with edit rights on the site, a unit head of another department does not sign it")
		bindRole(ns, "sitegroup-department", otherUnitHead)
		Eventually(func() error { return signSite(ns, "edu", signer{"unit", otherUnitHead}, sgv1.DecisionApproved) }, timeout, interval).
			Should(MatchError(ContainSubstring("S1: liu.yang may not sign at level unit here: RBAC does not allow approve signers.sitegroup.io/unit in namespace " + ns)))
		s := site()
		Expect(updateAs(as(unitHead), s, func() {
			s.Spec.Approvals = []sgv1.Approval{{Level: "unit", Decision: sgv1.DecisionApproved,
				Time: &metav1.Time{Time: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}}
		})).To(Succeed())
		a := getSite(ns).Spec.Approvals[0]
		Expect(a.Approver).To(Equal(unitHead))
		Expect(a.Time.Time).To(BeTemporally("==", testClock.Now().UTC().Truncate(time.Second)), "no back-dated signature")
	})

	It("keeps signatures in chain order and append-only by position", func() {
		signSiteChain(ns, "edu", chainSigners[:1])
		refused(answer(func() error { return signSite(ns, "edu", signer{"province", provinceOffice}, sgv1.DecisionApproved) }),
			"S1: the chain waits for level city, not province")
		s := site()
		refused(updateAs(as(cityOffice), s, func() {
			s.Spec.Approvals = append([]sgv1.Approval{{Level: "unit", Approver: cityOffice, Decision: sgv1.DecisionApproved}}, s.Spec.Approvals...)
		}), "S1: approvals are append-only by position")
	})

	It("does not let a later Approved override a rejection: a re-submission signs again from the first level", func() {
		signSiteChain(ns, "edu", chainSigners[:1])
		Eventually(func() error { return signSite(ns, "edu", signer{"city", cityOffice}, sgv1.DecisionRejected) }, timeout, interval).Should(Succeed())
		Eventually(func() sgv1.SiteState { return getSite(ns).Status.State }, timeout, interval).Should(Equal(sgv1.StateRejected))
		refused(answer(func() error { return signSite(ns, "edu", signer{"city", cityOffice}, sgv1.DecisionApproved) }),
			"S1: the chain waits for level unit, not city")

		By("after the rejection the department may revise the identity, then the unit head re-submits")
		s := site()
		Expect(updateAs(as(department), s, func() { s.Spec.Organization.Name = "天津市和平区教育局（修订）" })).To(Succeed())
		signSiteChain(ns, "edu", chainSigners[:1])
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionApproved) }, timeout, interval).
			Should(And(HaveField("Reason", sgv1.ReasonAwaitingApproval), HaveField("Message", ContainSubstring("level city, province"))))
	})
})

var _ = Describe("the trust model: what a department may not write", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		createApproved(eduSite(ns))
	})
	site := func() *sgv1.GovWebsite {
		return &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu"}}
	}

	DescribeTable("the platform's fields",
		func(mutate func(*sgv1.GovWebsite), want string) {
			s := site()
			refused(updateAs(as(department), s, func() { mutate(s) }), want)
			By("the platform engineer may")
			s = site()
			Expect(updateAs(as(platformEngineer), s, func() { mutate(s) })).To(Succeed())
		},
		Entry("T5: suspend", func(s *sgv1.GovWebsite) { s.Spec.Suspend = true }, "spec.suspend: Forbidden: T5"),
		Entry("S5, V1: the inspection target", func(s *sgv1.GovWebsite) { s.Spec.Inspection.TargetURL = "http://decoy.example/" },
			"spec.inspection.targetURL: Forbidden: S5, V1–V5"),
		Entry("V3: column hints", func(s *sgv1.GovWebsite) {
			s.Spec.Inspection.ColumnHints = []sgv1.ColumnHint{{Name: "要闻动态", Kind: "other"}}
		}, "spec.inspection.columnHints: Forbidden: V3"),
		Entry("the daily schedule", func(s *sgv1.GovWebsite) { s.Spec.Inspection.Schedule = "0 6 29 2 *" }, "spec.inspection.schedule: Forbidden"),
		Entry("S7: egress", func(s *sgv1.GovWebsite) { s.Spec.Egress = []sgv1.EgressRule{{CIDR: "0.0.0.0/0"}} }, "spec.egress: Forbidden: S7"),
		Entry("T7: force-delete", func(s *sgv1.GovWebsite) {
			s.Annotations = map[string]string{sgv1.AnnotationForceDelete: "true"}
		}, "T7: a site is closed by a permanent takedown"),
	)

	It("S8: a change of the signed identity is signed again; until then the approved identity is served", func() {
		makeRunning(ns, "node-bj-1", "node-sh-1")
		route := &gatewayv1.HTTPRoute{}
		exists(route, ns, "edu")
		oldDomain, newDomain := siteDomain(ns), "new-"+siteDomain(ns)
		s := site()
		Expect(updateAs(as(department), s, func() { s.Spec.Domains = []sgv1.Domain{sgv1.Domain(newDomain)} })).To(Succeed())
		Expect(getSite(ns).Annotations).To(HaveKeyWithValue(sgv1.AnnotationIdentityRequestedBy, department), "S8: who applied, from the authenticated user")
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionApproved) }, timeout, interval).
			Should(And(HaveField("Status", metav1.ConditionTrue), HaveField("Reason", sgv1.ReasonIdentityChangePending),
				HaveField("Message", ContainSubstring("domains: "+oldDomain+" → "+newDomain))))
		Consistently(func() []gatewayv1.Hostname {
			_ = k8sClient.Get(ctx, key(ns, "edu"), route)
			return route.Spec.Hostnames
		}, 2*time.Second, interval).Should(ConsistOf(gatewayv1.Hostname(oldDomain)), "the approved domain stays in force")

		By("who applied is the webhook's record: nobody rewrites it")
		refused(updateAs(as(department), s, func() {
			metav1.SetMetaDataAnnotation(&s.ObjectMeta, sgv1.AnnotationIdentityRequestedBy, "someone-else")
		}), "S8: who applied for the identity is stamped from the authenticated user")

		By("while its round is under way, the identity being signed is frozen, for the platform too")
		signSiteChain(ns, "edu", chainSigners[:1])
		refused(updateAs(as(platformEngineer), s, func() { s.Spec.Domains = []sgv1.Domain{"third.tjhp.gov.cn"} }),
			"spec.domains: Forbidden: S8: spec.domains is part of the identity being signed")

		signSiteChain(ns, "edu", chainSigners[1:])
		Eventually(func() []gatewayv1.Hostname {
			_ = k8sClient.Get(ctx, key(ns, "edu"), route)
			return route.Spec.Hostnames
		}, timeout, interval).Should(ConsistOf(gatewayv1.Hostname(newDomain)))
		Eventually(func() []sgv1.Domain { return getSite(ns).Status.ApprovedIdentity.Domains }, timeout, interval).
			Should(ConsistOf(sgv1.Domain(newDomain)), "the status is written after the routes, in the same reconcile")
		st := getSite(ns).Status
		Expect(st.IdentityChanges).To(ConsistOf(And(
			HaveField("Changes", ConsistOf("domains: "+oldDomain+" → "+newDomain)), HaveField("RequestedBy", department),
			HaveField("Signers", Equal([]string{"unit " + unitHead, "city " + cityOffice, "province " + provinceOffice})))))
		Expect(st.ComplianceHistory).To(ContainElement(And(HaveField("Kind", sgv1.ComplianceRecordKind("Approval")),
			HaveField("Summary", ContainSubstring("S8: basic information changed at the request of "+department)))))

		By("the old domain announces the change for the policy's 30 days, then goes")
		old := &gatewayv1.HTTPRoute{}
		exists(old, ns, "edu-old-domains")
		Expect(old.Spec.Hostnames).To(ConsistOf(gatewayv1.Hostname(oldDomain)))
		page := &corev1.ConfigMap{}
		exists(page, ns, "edu-old-domains")
		Expect(page.Data["notice.json"]).To(And(ContainSubstring(`"type": "domain-change"`), ContainSubstring(newDomain)))
		Expect(st.IdentityChanges[0].NoticeUntil.Time).To(BeTemporally("==", st.IdentityChanges[0].ApprovedAt.Add(30*24*time.Hour)))
		testClock.Set(st.IdentityChanges[0].NoticeUntil.Time)
		Expect(updateAs(as(department), s, func() { s.Annotations = map[string]string{"test/now": "notice period over"} })).To(Succeed())
		gone(&gatewayv1.HTTPRoute{}, ns, "edu-old-domains")
		gone(&appsv1.Deployment{}, ns, "edu-old-domains")
	})

	It("T2: a portal that files itself as a department is still a portal until that is signed", func() {
		portalNs := newSiteNamespace()
		p := eduSite(portalNs)
		p.Spec.SiteKind, p.Spec.ParentPortal = sgv1.SiteKindPortal, nil
		p.Spec.SiteCode, p.Spec.Domains = "1201880001", []sgv1.Domain{"www.tj-s8.gov.cn"}
		createApproved(p)
		Eventually(func() *sgv1.SiteIdentity { return getSite(portalNs).Status.ApprovedIdentity }, timeout, interval).ShouldNot(BeNil())
		s := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: portalNs, Name: "edu"}}
		Expect(updateAs(as(department), s, func() {
			s.Spec.SiteKind, s.Spec.ParentPortal = sgv1.SiteKindDepartment, &sgv1.NamespacedObjectReference{Name: "portal", Namespace: "tjhp-portal"}
		})).To(Succeed())
		Eventually(func() error {
			return as(department).Create(ctx, takedownOf(portalNs, sgv1.TakedownTemporary), client.DryRunAll)
		}, timeout, interval).Should(MatchError(ContainSubstring("T2: site edu is a portal")))
	})

	It("S7: admin CIDRs lie inside the policy's admin access networks", func() {
		s := site()
		refused(updateAs(as(department), s, func() { s.Spec.Admin.AllowedSourceCIDRs = []sgv1.CIDR{"0.0.0.0/1", "128.0.0.0/1"} }),
			"S7: 0.0.0.0/1 is outside the networks admin access may come from (policy network.adminAccessNetworks: [10.0.0.0/8])",
			"S7: 128.0.0.0/1 is outside")
		Expect(updateAs(as(department), s, func() { s.Spec.Admin.AllowedSourceCIDRs = []sgv1.CIDR{"10.20.0.0/16"} })).To(Succeed())
	})

	It("reads its site, runs and reports, and writes no status", func() {
		s := site()
		Expect(as(department).Get(ctx, client.ObjectKeyFromObject(s), s)).To(Succeed())
		s.Status.State = sgv1.StateServing
		Expect(as(department).Status().Update(ctx, s)).To(MatchError(ContainSubstring("forbidden")))
		Expect(as(department).Delete(ctx, s)).To(MatchError(ContainSubstring("forbidden")))
	})
})

var _ = Describe("the trust model: evidence the record is built from", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		testClock.Set(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC))
		Expect(k8sClient.Create(ctx, eduSite(ns))).To(Succeed())
		signSiteChain(ns, "edu", chainSigners)
	})

	It("S5: a department's run named <site>-prelaunch launches nothing, and its ad hoc runs never count", func() {
		squat := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu-prelaunch"},
			Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposePrelaunch}}
		Expect(as(department).Create(ctx, squat)).To(Succeed(), "an ad hoc run is allowed")
		Expect(runOf(ns, "edu-prelaunch").Annotations).To(HaveKeyWithValue(sgv1.AnnotationRequestedBy, department))
		monthly := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "my-monthly",
			Annotations: map[string]string{sgv1.AnnotationRequestedBy: "system:serviceaccount:sitegroup-system:sitegroup-manager"}},
			Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposeMonthly}}
		Expect(as(department).Create(ctx, monthly)).To(Succeed())
		Expect(runOf(ns, "my-monthly").Annotations).To(HaveKeyWithValue(sgv1.AnnotationRequestedBy, department), "the stamp is the webhook's, not the YAML's")
		makeServing(ns, "node-bj-1", "node-sh-1")
		completeInspection(ns, "edu-prelaunch", passing(100))
		completeInspection(ns, "my-monthly", passing(100))
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionLaunched) }, timeout, interval).
			Should(And(HaveField("Reason", sgv1.ReasonPrelaunchNotOperators), HaveField("Message", ContainSubstring("created by webmaster, not the operator"))))

		Consistently(func() *sgv1.InspectionSummary { return getSite(ns).Status.LastInspection }, 2*time.Second, interval).
			Should(BeNil(), "T8: a department's run is not the record")
		Expect(getSite(ns).Status.State).NotTo(Equal(sgv1.StateServing), "S5: not launched by the department's prelaunch run")
		Expect(k8sClient.Get(ctx, key(ns, "edu"), &gatewayv1.HTTPRoute{})).NotTo(Succeed(), "S1, S5: not routed")
		m := runOf(ns, "my-monthly")
		refused(updateAs(as(platformEngineer), m, func() { m.Annotations[sgv1.AnnotationRequestedBy] = "x" }),
			"sitegroup.io/requested-by is stamped from the authenticated user at creation")
	})

	It("V1–V5: a run's target and scoring profile are the platform's", func() {
		run := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "decoy"},
			Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposeSelfcheck,
				TargetURL: "http://decoy.example/", ScoringProfileRef: &sgv1.ScoringProfileReference{Name: "lenient", Namespace: "kube-system"}}}
		refused(as(department).Create(ctx, run), "spec.targetURL: Forbidden: S5, V1–V5", "spec.scoringProfileRef: Forbidden: V1–V5")
		Expect(as(platformEngineer).Create(ctx, run, client.DryRunAll)).To(Succeed())
	})

	It("reads a run's result only from the pods its own Job controls", func() {
		run := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "check"},
			Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposeSelfcheck}}
		Expect(asOperator().Create(ctx, run)).To(Succeed())
		job := &batchv1.Job{}
		exists(job, ns, "check-inspect")
		forged := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "forged", Labels: map[string]string{"batch.kubernetes.io/job-name": job.Name}},
			Spec:       *job.Spec.Template.Spec.DeepCopy(),
		}
		forged.Labels[builders.LabelManagedBy] = builders.ManagerName // the operator's cache sees only its own label
		bindEditRights(ns)
		Eventually(func() error { return as(department).Create(ctx, forged.DeepCopy()) }, timeout, interval).
			Should(MatchError(ContainSubstring("carries the operator's labels")))
		By("even a pod that got in (here the Job controller's stand-in makes it, uncontrolled) is not read")
		forged.Spec.NodeName = "node-sh-1"
		Expect(as(kubeController).Create(ctx, forged)).To(Succeed())
		forged.Status.Phase = corev1.PodSucceeded
		forged.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "inspect", State: corev1.ContainerState{
			Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", Message: `{"verdict":"pass","score":100}`}}}}
		Expect(k8sClient.Status().Update(ctx, forged)).To(Succeed())
		Consistently(func() sgv1.Verdict { return runOf(ns, "check").Status.Verdict }, 2*time.Second, interval).Should(BeEmpty())
	})
})

var _ = Describe("the trust model: takedowns (T1, T3, T4, T8)", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		testClock.Set(tdStart.Add(-6 * 24 * time.Hour))
		createApproved(eduSite(ns))
	})
	takedown := func() *sgv1.TakedownRequest {
		return &sgv1.TakedownRequest{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "rebuild"}}
	}

	It("freezes what the signers signed: reason, start, end and notice", func() {
		Expect(as(department).Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		Eventually(func() error { return sign(ns, chainSigners[0], false) }, timeout, interval).Should(Succeed())
		t := takedown()
		refused(updateAs(as(department), t, func() {
			t.Spec.End = &metav1.Time{Time: tdEnd.Add(30 * 24 * time.Hour)}
			t.Spec.Start.Time = tdStart.Add(30 * 24 * time.Hour)
		}),
			"spec.start: Forbidden: T1, T4: spec.start is frozen once the takedown is signed", "spec.end: Forbidden")
		refused(updateAs(as(department), t, func() { t.Spec.Reason = "另一个理由：系统迁移，需要关停。" }), "spec.reason: Forbidden")
	})

	It("refuses signatures inserted in front of earlier ones, and a unit head of another department", func() {
		Expect(as(department).Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		Eventually(func() error { return sign(ns, chainSigners[0], false) }, timeout, interval).Should(Succeed())
		t := takedown()
		refused(updateAs(as(cityOffice), t, func() {
			t.Spec.Approvals = append([]sgv1.Approval{{Level: "city", Decision: sgv1.DecisionApproved}}, t.Spec.Approvals...)
		}), "T1: approvals are append-only by position")
		bindRole(newSiteNamespace(), "sitegroup-unit-head", otherUnitHead)
		bindRole(ns, "sitegroup-department", otherUnitHead)
		Eventually(func() error { return sign(ns, signer{"city", otherUnitHead}, false) }, timeout, interval).
			Should(MatchError(ContainSubstring("T1: liu.yang may not sign at level city here: RBAC does not allow approve signers.sitegroup.io/city in namespace " + ns)))
	})

	It("T8: the department cannot cancel the operator's rectification request; the platform can", func() {
		req := builders.RectificationRequest(getSite(ns), "2026-10", testClock.Now(), 30)
		Expect(asOperator().Create(ctx, req)).To(Succeed())
		t := &sgv1.TakedownRequest{ObjectMeta: req.ObjectMeta}
		refused(updateAs(as(department), t, func() { t.Spec.Cancel = true }),
			"spec.cancel: Forbidden: T8: this rectification takedown was raised by the operator")
		Expect(updateAs(as(platformEngineer), t, func() { t.Spec.Cancel = true })).To(Succeed())
		Expect(as(department).Delete(ctx, t)).To(MatchError(ContainSubstring("forbidden")), "T3: the record is not the department's to delete")
	})
})

var _ = Describe("the trust model: the site namespace is the operator's (S1, S6, S7)", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		createApproved(eduSite(ns))
		Eventually(func() map[string]string {
			n := &corev1.Namespace{}
			_ = k8sClient.Get(ctx, client.ObjectKey{Name: ns}, n)
			return n.Labels
		}, timeout, interval).Should(HaveKeyWithValue(builders.LabelSiteNamespace, "true"))
		bindEditRights(ns)
	})

	DescribeTable("refuses, even to a department with ordinary edit rights",
		func(obj func(ns string) client.Object, want string) {
			// Eventually: the edit binding reaches the API server's RBAC a moment later.
			Eventually(func() error { return as(department).Create(ctx, obj(ns)) }, timeout, interval).
				Should(MatchError(ContainSubstring(want)))
		},
		Entry("a LoadBalancer Service to the admin", func(ns string) client.Object {
			return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "open-admin"}, Spec: corev1.ServiceSpec{
				Type: corev1.ServiceTypeLoadBalancer, Selector: map[string]string{builders.LabelComponent: builders.ComponentAdmin},
				Ports: []corev1.ServicePort{{Port: 80}}}}
		}, "S7: Service open-admin of type LoadBalancer"),
		Entry("a NodePort Service", func(ns string) client.Object {
			return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "np"}, Spec: corev1.ServiceSpec{
				Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{{Port: 80}}}}
		}, "of type NodePort"),
		Entry("an ExternalName Service", func(ns string) client.Object {
			return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ext"}, Spec: corev1.ServiceSpec{
				Type: corev1.ServiceTypeExternalName, ExternalName: "example.com"}}
		}, "of type ExternalName"),
		Entry("a ClusterIP Service with externalIPs", func(ns string) client.Object {
			return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "eip"}, Spec: corev1.ServiceSpec{
				ExternalIPs: []string{"203.0.113.7"}, Ports: []corev1.ServicePort{{Port: 80}}}}
		}, "with externalIPs"),
		Entry("an Ingress to the admin", func(ns string) client.Object {
			return &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "admin"}, Spec: networkingv1.IngressSpec{
				DefaultBackend: &networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: "edu-admin", Port: networkingv1.ServiceBackendPort{Number: 8080}}}}}
		}, "S1, S7: ingresses in a site namespace are the operator's"),
		Entry("an allow-all NetworkPolicy", func(ns string) client.Object {
			return &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "allow-all"}, Spec: networkingv1.NetworkPolicySpec{
				Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}}
		}, "S7: NetworkPolicies in a site namespace are the operator's"),
		Entry("a pod labelled like the public front end", func(ns string) client.Object {
			p := handmadePod(ns, "joiner", "cn-north-1")
			p.Labels = map[string]string{builders.LabelSite: "edu", builders.LabelPublic: "true"}
			return p
		}, "S1, S7: pods joiner carries the operator's labels (sitegroup.io/public, sitegroup.io/site)"),
		Entry("a Deployment whose pods are labelled like the notice", func(ns string) client.Object {
			labels := map[string]string{builders.LabelSite: "edu", builders.LabelComponent: builders.ComponentNotice}
			return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "fake-notice"}, Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: labels},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: handmadePod(ns, "x", "cn-north-1").Spec}}}
		}, "deployments fake-notice carries the operator's labels (sitegroup.io/site)"),
	)

	It("refuses a department's edit of the operator's evidence (a report ConfigMap), and a forged one", func() {
		report := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu-monthly-report",
			Labels: map[string]string{builders.LabelManagedBy: builders.ManagerName}}, Data: map[string]string{"report.json": `{"verdict":"fail"}`}}
		Expect(asOperator().Create(ctx, report)).To(Succeed())
		Eventually(func() error {
			return updateAs(as(department), report, func() { report.Data["report.json"] = `{"verdict":"pass"}` })
		}, timeout, interval).Should(MatchError(ContainSubstring("V1-V5, T7: ConfigMap edu-monthly-report is the operator's")))
		Expect(as(department).Delete(ctx, report)).To(MatchError(ContainSubstring("is the operator's")))
		forged := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "forged-report",
			Labels: map[string]string{builders.LabelManagedBy: builders.ManagerName}}}
		Expect(as(department).Create(ctx, forged)).To(MatchError(ContainSubstring("ConfigMap forged-report is the operator's")))
		Expect(as(department).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "own-notes"}})).To(Succeed(),
			"the department's own ConfigMaps are its own")
	})

	It("refuses an HTTPRoute to the admin and the deletion of the operator's NetworkPolicy", func() {
		route := &gatewayv1.HTTPRoute{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "admin"}}
		refused(k8sClient.Create(ctx, route), "S1, S7: httproutes in a site namespace are the operator's")
		// A grant lets the platform's Gateway read a Secret of the site's
		// namespace: which one is the operator's call (the site's certificate).
		grant := &gatewayv1.ReferenceGrant{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "all-secrets"}, Spec: gatewayv1.ReferenceGrantSpec{
			From: []gatewayv1.ReferenceGrantFrom{{Group: gatewayv1.GroupName, Kind: "Gateway", Namespace: "sitegroup-gateway"}},
			To:   []gatewayv1.ReferenceGrantTo{{Kind: "Secret"}}}}
		refused(k8sClient.Create(ctx, grant), "S1, S7: referencegrants in a site namespace are the operator's")
		deny := &networkingv1.NetworkPolicy{}
		exists(deny, ns, "edu-default-deny")
		refused(k8sClient.Delete(ctx, deny), "S7: NetworkPolicies in a site namespace are the operator's")
	})

	It("refuses a change of the namespace's security labels, even to an admin", func() {
		n := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}
		refused(updateAs(k8sClient, n, func() { n.Labels["pod-security.kubernetes.io/enforce"] = "privileged" }),
			"S6, S7: namespace "+ns+" hosts a site")
		refused(updateAs(k8sClient, n, func() { delete(n.Labels, builders.LabelSiteNamespace) }), "S6, S7")
		Expect(updateAs(k8sClient, n, func() { n.Labels["team"] = "edu" })).To(Succeed(), "other labels are free")
	})

	It("S7: the default deny covers every pod of the namespace, and Isolated reads what exists", func() {
		deny := &networkingv1.NetworkPolicy{}
		exists(deny, ns, "edu-default-deny")
		Expect(deny.Spec.PodSelector.MatchLabels).To(BeEmpty())
		Expect(deny.Spec.PodSelector.MatchExpressions).To(BeEmpty())
		Eventually(func() string { return condition(ns, sgv1.ConditionIsolated).Reason }, timeout, interval).
			ShouldNot(Equal("NetworkPolicyNotInForce"))
	})
})

var _ = Describe("the trust model: a suspended site and a deleted site", func() {
	It("labels the namespace of a site created suspended (S6)", func() {
		ns := newSiteNamespace()
		s := eduSite(ns)
		s.Spec.Suspend = true
		Expect(as(platformEngineer).Create(ctx, s)).To(Succeed())
		Eventually(func() map[string]string {
			n := &corev1.Namespace{}
			_ = k8sClient.Get(ctx, client.ObjectKey{Name: ns}, n)
			return n.Labels
		}, timeout, interval).Should(HaveKeyWithValue(builders.LabelSiteNamespace, "true"))
	})

	It("keeps a deleted site's runs, takedowns and approvals for the auditor", func() {
		ns := newSiteNamespace()
		createApproved(eduSite(ns))
		run := builders.ScheduledRun(getSite(ns), "edu-selfcheck-1", sgv1.PurposeSelfcheck, time.Time{})
		Expect(asOperator().Create(ctx, run)).To(Succeed())
		Expect(as(department).Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		s := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu"}}
		Expect(updateAs(as(platformEngineer), s, func() { s.Annotations = map[string]string{sgv1.AnnotationForceDelete: "true"} })).To(Succeed())
		Expect(as(platformEngineer).Delete(ctx, s)).To(Succeed())
		gone(&sgv1.GovWebsite{}, ns, "edu")

		reader := as(auditor)
		kept := &sgv1.InspectionRun{}
		Consistently(func() error { return reader.Get(ctx, key(ns, "edu-selfcheck-1"), kept) }, 2*time.Second, interval).Should(Succeed())
		Expect(kept.OwnerReferences).To(BeEmpty())
		Expect(reader.Get(ctx, key(ns, "rebuild"), &sgv1.TakedownRequest{})).To(Succeed())
		record := &corev1.ConfigMap{}
		Expect(reader.Get(ctx, key(ns, controller.RecordConfigMapName("edu")), record)).To(Succeed())
		Expect(record.Data["approvals.json"]).To(And(ContainSubstring(unitHead), ContainSubstring(cityOffice), ContainSubstring(provinceOffice)))
		Expect(reader.List(ctx, &corev1.SecretList{}, client.InNamespace(ns))).To(MatchError(ContainSubstring("forbidden")), "no Secrets")
	})
})
