package envtest_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

const ns = "validation"

// updateCount gives each update case its own object.
var updateCount int

// expectAdmission checks the API server's answer: accepted when wantRule is
// empty, otherwise refused as Invalid with a message naming wantRule.
func expectAdmission(err error, wantRule string) {
	GinkgoHelper()
	if wantRule == "" {
		Expect(err).NotTo(HaveOccurred())
		return
	}
	Expect(err).To(HaveOccurred(), "expected a refusal naming %s", wantRule)
	Expect(apierrors.IsInvalid(err)).To(BeTrue(), "expected Invalid, got %v", err)
	Expect(err.Error()).To(ContainSubstring(wantRule))
}

var _ = Describe("the CRDs", func() {
	It("install and are established", func() {
		for _, name := range []string{"govwebsites", "takedownrequests", "inspectionruns", "sitegrouppolicies"} {
			crd := &apiextensionsv1.CustomResourceDefinition{}
			Expect(k8sClient.Get(ctx, client.ObjectKey{Name: name + ".sitegroup.io"}, crd)).To(Succeed())
			established := false
			for _, c := range crd.Status.Conditions {
				if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
					established = true
				}
			}
			Expect(established).To(BeTrue(), "%s not established", name)
		}
	})
})

var _ = Describe("CEL validation at admission", func() {

	site := func(mutate func(*sgv1.GovWebsite)) func() client.Object {
		return func() client.Object { gw := validSite(ns, "site"); mutate(gw); return gw }
	}
	portal := func(mutate func(*sgv1.GovWebsite)) func() client.Object {
		return func() client.Object { gw := validPortal(ns, "portal"); mutate(gw); return gw }
	}
	takedown := func(mutate func(*sgv1.TakedownRequest)) func() client.Object {
		return func() client.Object { t := validTakedown(ns, "tdr"); mutate(t); return t }
	}
	run := func(mutate func(*sgv1.InspectionRun)) func() client.Object {
		return func() client.Object { r := validRun(ns, "run"); mutate(r); return r }
	}
	policy := func(mutate func(*sgv1.SiteGroupPolicy)) func() client.Object {
		return func() client.Object { p := validPolicy(); mutate(p); return p }
	}

	// Creation: a server-side dry run exercises every schema and CEL rule
	// without leaving objects behind.
	DescribeTable("creating",
		func(obj func() client.Object, wantRule string) {
			expectAdmission(k8sClient.Create(ctx, obj(), client.DryRunAll), wantRule)
		},
		// GovWebsite
		Entry("a valid department site", site(func(*sgv1.GovWebsite) {}), ""),
		Entry("a valid portal", portal(func(*sgv1.GovWebsite) {}), ""),
		Entry("S3 accepts a .政务 domain", site(func(g *sgv1.GovWebsite) { g.Spec.Domains = []sgv1.Domain{"jyj.和平.政务"} }), ""),
		Entry("S3 refuses a .com domain", site(func(g *sgv1.GovWebsite) { g.Spec.Domains = []sgv1.Domain{"jyj.tjhp.com"} }), "S3:"),
		Entry("S3 refuses an upper-case domain", site(func(g *sgv1.GovWebsite) { g.Spec.Domains = []sgv1.Domain{"JYJ.tjhp.gov.cn"} }), "S3:"),
		Entry("S3 refuses a domain that is not a DNS name", site(func(g *sgv1.GovWebsite) { g.Spec.Domains = []sgv1.Domain{"jyj_tjhp..gov.cn"} }), "S3:"),
		Entry("S3 refuses a portal without its www name", portal(func(g *sgv1.GovWebsite) { g.Spec.Domains = []sgv1.Domain{"tjhp.gov.cn"} }), "S3:"),
		Entry("S2 refuses a portal with a parent portal", portal(func(g *sgv1.GovWebsite) {
			g.Spec.ParentPortal = &sgv1.NamespacedObjectReference{Name: "city"}
		}), "S2:"),
		Entry("S2 refuses a department site without a parent portal", site(func(g *sgv1.GovWebsite) { g.Spec.ParentPortal = nil }), "S2:"),
		Entry("S2 refuses a malformed credit code", site(func(g *sgv1.GovWebsite) { g.Spec.Organization.CreditCode = "11120101000023456I" }), "S2:"),
		Entry("S4 accepts a bm site code", site(func(g *sgv1.GovWebsite) { g.Spec.SiteCode = "bm12345678" }), ""),
		Entry("S4 refuses a 9-digit site code", site(func(g *sgv1.GovWebsite) { g.Spec.SiteCode = "120101000" }), "S4:"),
		Entry("S4 refuses bm with 7 digits", site(func(g *sgv1.GovWebsite) { g.Spec.SiteCode = "bm1234567" }), "S4:"),
		Entry("S4 refuses an ICP number without ICP", site(func(g *sgv1.GovWebsite) { g.Spec.ICPFiling = "津备05004439号" }), "S4:"),
		Entry("S7 accepts an IPv6 office network", site(func(g *sgv1.GovWebsite) { g.Spec.Admin.AllowedSourceCIDRs = []sgv1.CIDR{"2001:db8::/48"} }), ""),
		Entry("S7 refuses 0.0.0.0/0 for the admin", site(func(g *sgv1.GovWebsite) { g.Spec.Admin.AllowedSourceCIDRs = []sgv1.CIDR{"0.0.0.0/0"} }), "S7:"),
		Entry("S7 refuses ::/0 for the admin", site(func(g *sgv1.GovWebsite) { g.Spec.Admin.AllowedSourceCIDRs = []sgv1.CIDR{"::/0"} }), "S7:"),
		Entry("S7 refuses an admin CIDR that is not a CIDR", site(func(g *sgv1.GovWebsite) { g.Spec.Admin.AllowedSourceCIDRs = []sgv1.CIDR{"10.12.8.0"} }), "S7:"),
		Entry("an https import archive", site(func(g *sgv1.GovWebsite) {
			g.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ArchiveURL: "https://old.jyj.tjhp.gov.cn/site.tar.gz"}
		}), ""),
		Entry("an import with both sources", site(func(g *sgv1.GovWebsite) {
			g.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ArchiveURL: "https://old.jyj.tjhp.gov.cn/site.tar.gz", ExistingClaim: "old"}
		}), "content.importFrom: set exactly one"),
		Entry("an ftp import archive", site(func(g *sgv1.GovWebsite) {
			g.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ArchiveURL: "ftp://old.jyj.tjhp.gov.cn/site.tar.gz"}
		}), "archiveURL must be an http or https URL"),
		Entry("a schedule that is not cron", site(func(g *sgv1.GovWebsite) { g.Spec.Inspection.Schedule = "daily" }), "five-field cron"),
		Entry("an egress rule that is not a CIDR", site(func(g *sgv1.GovWebsite) { g.Spec.Egress = []sgv1.EgressRule{{CIDR: "db.internal"}} }), "egress.cidr"),

		// TakedownRequest
		Entry("a valid temporary takedown", takedown(func(*sgv1.TakedownRequest) {}), ""),
		Entry("a valid permanent takedown", takedown(func(t *sgv1.TakedownRequest) { t.Spec.Type = sgv1.TakedownPermanent; t.Spec.End = nil }), ""),
		Entry("T1 refuses a missing reason", takedown(func(t *sgv1.TakedownRequest) { t.Spec.Reason = "" }), "T1:"),
		Entry("T1 refuses a 9-character reason", takedown(func(t *sgv1.TakedownRequest) { t.Spec.Reason = "网站改版升级需关停" }), "T1:"),
		Entry("T1 accepts a 10-character reason", takedown(func(t *sgv1.TakedownRequest) { t.Spec.Reason = "网站改版升级需要关停" }), ""),
		Entry("T4 refuses a temporary takedown without an end", takedown(func(t *sgv1.TakedownRequest) { t.Spec.End = nil }), "T4:"),
		Entry("T4 refuses an end before the start", takedown(func(t *sgv1.TakedownRequest) {
			t.Spec.End = ptr.To(metav1.NewTime(start.Add(-3600e9)))
		}), "T4: end must be after start"),
		Entry("T7 refuses a permanent takedown with an end", takedown(func(t *sgv1.TakedownRequest) { t.Spec.Type = sgv1.TakedownPermanent }), "T7:"),
		Entry("T6 refuses a return request on a permanent takedown", takedown(func(t *sgv1.TakedownRequest) {
			t.Spec.Type, t.Spec.End = sgv1.TakedownPermanent, nil
			t.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: start, SelfCheck: "自查已完成，全部栏目正常更新。"}
		}), "T6:"),
		Entry("T7 refuses a moved-to address that is not a URL", takedown(func(t *sgv1.TakedownRequest) { t.Spec.Notice.ContentMovedTo = "区政府网站" }), "T7:"),

		// InspectionRun
		Entry("a valid run", run(func(*sgv1.InspectionRun) {}), ""),
		Entry("a run with only a target URL", run(func(r *sgv1.InspectionRun) { r.Spec.SiteRef = nil; r.Spec.TargetURL = "http://127.0.0.1:8080/" }), ""),
		Entry("a run with neither site nor URL", run(func(r *sgv1.InspectionRun) { r.Spec.SiteRef = nil }), "set siteRef or targetURL"),
		Entry("a run with a file URL", run(func(r *sgv1.InspectionRun) { r.Spec.TargetURL = "file:///etc/passwd" }), "targetURL must be an http or https URL"),

		// SiteGroupPolicy
		Entry("a valid policy", policy(func(*sgv1.SiteGroupPolicy) {}), ""),
		Entry("a policy not named default", policy(func(p *sgv1.SiteGroupPolicy) { p.Name = "strict" }), "one object named default"),
		Entry("T4 accepts Tianjin's 60 days", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Takedown.MaxTemporaryDays = 60 }), ""),
		Entry("T4 refuses 61 days", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Takedown.MaxTemporaryDays = 61 }), "T4:"),
		Entry("T3 refuses two temporary takedowns a year", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Takedown.TemporaryPerYear = ptr.To[int32](2) }), "T3:"),
		Entry("T6 refuses a return window over 7 days", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Takedown.ReturnWindowDays = 8 }), "T6:"),
		Entry("T7 refuses a notice shorter than a month", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Takedown.PermanentNoticeDays = 29 }), "T7:"),
		Entry("T7 refuses deregistration after 90 days", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Takedown.DeregistrationDays = 91 }), "T7:"),
		Entry("V1 refuses fewer than 20 probes a day", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Inspection.ProbesPerDay = 19 }), "V1:"),
		Entry("history over 24 entries", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.History.ComplianceEntries = 25 }), "history.complianceEntries"),
		Entry("S7 refuses an admin access network that is not a CIDR", policy(func(p *sgv1.SiteGroupPolicy) {
			p.Spec.Network.AdminAccessNetworks = []sgv1.CIDR{"extranet"}
		}), "S7: network.adminAccessNetworks entries must be valid CIDRs"),
		Entry("S7 refuses an admin access network wider than a /8", policy(func(p *sgv1.SiteGroupPolicy) {
			p.Spec.Network.AdminAccessNetworks = []sgv1.CIDR{"0.0.0.0/7"}
		}), "S7: an admin access network is a private network, never a /0 to /7"),
		Entry("S8 refuses a domain change notice shorter than a month", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Filing.DomainChangeNoticeDays = 29 }),
			"S8: filing.domainChangeNoticeDays must be 30 to 365"),
		Entry("S8 accepts a domain change notice of 30 days", policy(func(p *sgv1.SiteGroupPolicy) { p.Spec.Filing.DomainChangeNoticeDays = 30 }), ""),
		Entry("S7 accepts a /8 admin access network, at the boundary", policy(func(p *sgv1.SiteGroupPolicy) {
			p.Spec.Network.AdminAccessNetworks = []sgv1.CIDR{"10.0.0.0/8"}
		}), ""),
	)

	It("fills the policy's strict defaults (RULES.md)", func() {
		p := validPolicy()
		Expect(k8sClient.Create(ctx, p, client.DryRunAll)).To(Succeed())
		Expect(p.Spec.Takedown.MaxTemporaryDays).To(Equal(int32(30)))
		Expect(p.Spec.Takedown.TemporaryPerYear).To(Equal(ptr.To[int32](1)))
		Expect(p.Spec.Takedown.ReturnWindowDays).To(Equal(int32(7)))
		Expect(p.Spec.Takedown.PermanentNoticeDays).To(Equal(int32(30)))
		Expect(p.Spec.Takedown.DeregistrationDays).To(Equal(int32(90)))
		Expect(p.Spec.Placement.NodeLabelKey).To(Equal("topology.kubernetes.io/region"))
		Expect(p.Spec.ApprovalLevels).To(HaveLen(3))
		Expect(p.Spec.Inspection.ProbesPerDay).To(Equal(int32(24)))
		Expect(p.Spec.Inspection.TimeZone).To(Equal("Asia/Shanghai"))
	})

	// Updates: transition rules (immutable fields, append-only approvals).
	DescribeTable("updating",
		func(obj func() client.Object, mutate func(client.Object), wantRule string) {
			o := obj()
			updateCount++
			o.SetName(fmt.Sprintf("%s-update-%d", o.GetName(), updateCount))
			Expect(k8sClient.Create(ctx, o)).To(Succeed())
			DeferCleanup(func() { _ = k8sClient.Delete(ctx, o) })
			mutate(o)
			expectAdmission(k8sClient.Update(ctx, o, client.DryRunAll), wantRule)
		},
		Entry("S2 refuses a new credit code", site(func(*sgv1.GovWebsite) {}), func(o client.Object) {
			o.(*sgv1.GovWebsite).Spec.Organization.CreditCode = "11120101000099999X"
		}, "S2: organization.creditCode is immutable"),
		Entry("S1 accepts an appended approval", site(withApprovals), func(o client.Object) {
			g := o.(*sgv1.GovWebsite)
			g.Spec.Approvals = append(g.Spec.Approvals, sgv1.Approval{Level: "province", Approver: "li.na", Decision: sgv1.DecisionApproved})
		}, ""),
		Entry("S1 refuses a removed approval", site(withApprovals), func(o client.Object) {
			g := o.(*sgv1.GovWebsite)
			g.Spec.Approvals = g.Spec.Approvals[1:]
		}, "S1: approvals are append-only"),
		Entry("S1 refuses removing every approval", site(withApprovals), func(o client.Object) {
			o.(*sgv1.GovWebsite).Spec.Approvals = nil
		}, "S1: approvals are append-only"),
		Entry("S1 refuses an edited approval", site(withApprovals), func(o client.Object) {
			g := o.(*sgv1.GovWebsite)
			g.Spec.Approvals[0].Decision = sgv1.DecisionRejected
		}, "S1: approvals are append-only"),
		Entry("content may grow", site(func(*sgv1.GovWebsite) {}), func(o client.Object) {
			o.(*sgv1.GovWebsite).Spec.Content.Size = resource.MustParse("8Gi")
		}, ""),
		Entry("content may not shrink", site(func(*sgv1.GovWebsite) {}), func(o client.Object) {
			o.(*sgv1.GovWebsite).Spec.Content.Size = resource.MustParse("1Gi")
		}, "never shrink"),
		Entry("T1 refuses a new site reference", takedown(func(*sgv1.TakedownRequest) {}), func(o client.Object) {
			o.(*sgv1.TakedownRequest).Spec.SiteRef.Name = "portal"
		}, "T1: siteRef is immutable"),
		Entry("T1 refuses a new takedown type", takedown(func(*sgv1.TakedownRequest) {}), func(o client.Object) {
			t := o.(*sgv1.TakedownRequest)
			t.Spec.Type, t.Spec.End = sgv1.TakedownPermanent, nil
		}, "T1: type is immutable"),
		Entry("T1 refuses a removed takedown approval", takedown(func(t *sgv1.TakedownRequest) {
			t.Spec.Approvals = []sgv1.Approval{{Level: "unit", Approver: "a", Decision: sgv1.DecisionApproved}}
		}), func(o client.Object) {
			o.(*sgv1.TakedownRequest).Spec.Approvals = nil
		}, "T1: approvals are append-only"),
		Entry("T6 refuses an edited return approval", takedown(func(t *sgv1.TakedownRequest) {
			t.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: start, SelfCheck: "自查已完成，全部栏目正常更新。",
				Approvals: []sgv1.Approval{{Level: "unit", Approver: "a", Decision: sgv1.DecisionApproved}}}
		}), func(o client.Object) {
			o.(*sgv1.TakedownRequest).Spec.ReturnRequest.Approvals[0].Approver = "b"
		}, "T6: return approvals are append-only"),
		Entry("T6 refuses removing the return approvals", takedown(func(t *sgv1.TakedownRequest) {
			t.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: start, SelfCheck: "自查已完成，全部栏目正常更新。",
				Approvals: []sgv1.Approval{{Level: "unit", Approver: "a", Decision: sgv1.DecisionApproved}}}
		}), func(o client.Object) {
			o.(*sgv1.TakedownRequest).Spec.ReturnRequest = nil
		}, "T6: return approvals are append-only"),
		Entry("a run's spec is immutable", run(func(*sgv1.InspectionRun) {}), func(o client.Object) {
			o.(*sgv1.InspectionRun).Spec.Purpose = sgv1.PurposeMonthly
		}, "spec is immutable"),
	)
})

func withApprovals(g *sgv1.GovWebsite) {
	g.Spec.Approvals = []sgv1.Approval{
		{Level: "unit", Approver: "chen.jing", Decision: sgv1.DecisionApproved},
		{Level: "city", Approver: "zhang.wei", Decision: sgv1.DecisionApproved},
	}
}
