package browser_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/console"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/testenv"
	"sitegroup.io/operator/test/browserkit"
)

// The sample sites: the education bureau's site, approved, launched and
// serving, with two years of monthly results, a week of probes and two
// tickets in its record; and the culture bureau's, signed by its unit
// head and waiting for the city office.
const (
	eduNS, eduSite         = "tjhp-edu", "edu"
	cultureNS, cultureSite = "tjhp-culture", "culture"
)

func site(ns, name, org, credit, domain, code string) *sgv1.GovWebsite {
	return &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.GovWebsiteSpec{
			Organization:         sgv1.Organization{Name: org, CreditCode: credit, Level: sgv1.LevelDepartment},
			SiteKind:             sgv1.SiteKindDepartment,
			ParentPortal:         &sgv1.NamespacedObjectReference{Name: "portal", Namespace: "tjhp-portal"},
			Domains:              []sgv1.Domain{sgv1.Domain(domain)},
			SiteCode:             code,
			ICPFiling:            "津ICP备05004439号-2",
			PublicSecurityFiling: "津公网安备12010102000102号",
			Frontend:             sgv1.FrontendSpec{Image: "sitegroup.io/sitegroup:dev", Replicas: ptr.To[int32](2), Args: []string{"serve"}},
			Admin:                sgv1.AdminSpec{Image: "sitegroup.io/sitegroup:dev", AllowedSourceCIDRs: []sgv1.CIDR{"10.12.8.0/24"}},
			Content:              sgv1.ContentSpec{Size: resource.MustParse("5Gi")},
		},
	}
}

func getSite(ns, name string) *sgv1.GovWebsite {
	GinkgoHelper()
	s := &sgv1.GovWebsite{}
	Expect(k8sClient.Get(ctx, key(ns, name), s)).To(Succeed())
	return s
}

// prelaunchReport is what the inspector found on the education site.
func prelaunchReport() findings.Report {
	latest := time.Now().Add(-48 * time.Hour)
	return findings.Report{
		URL: "http://jyj.tjhp.gov.cn/", Now: time.Now(), Profile: "national-2019@1", Verdict: findings.Pass, Score: 94,
		Deductions: []findings.Deduction{
			{ID: "dead-links", Group: "可用性", Points: 2, Reason: "2 dead links (not on the homepage)"},
			{ID: "search-box", Group: "实用性", Points: 4, Reason: "no site search box on the homepage"},
		},
		DeadLinks: []findings.DeadLink{
			{URL: "http://jyj.tjhp.gov.cn/zwgk/2019/old.html", Status: 404, FoundOn: "http://jyj.tjhp.gov.cn/zwgk/"},
			{URL: "http://jyj.tjhp.gov.cn/files/plan.pdf", Status: 0, FoundOn: "http://jyj.tjhp.gov.cn/tzgg/"},
		},
		Columns: []findings.Column{
			{Name: "要闻动态", URL: "http://jyj.tjhp.gov.cn/yw/", Kind: "news", Latest: &latest, Items: 12},
			{Name: "通知公告", URL: "http://jyj.tjhp.gov.cn/tzgg/", Kind: "notice", Latest: &latest, Items: 8},
		},
		Identity: findings.Identity{Organizer: "天津市和平区教育局", SiteCode: "1201010002"},
		Stats:    findings.Stats{Pages: 36, Links: 120},
	}
}

// recordOf is the status the test writes into the education site, as the
// admin through the status subresource: 24 months of results (two failing
// months, never two in a row), a week of V1 probes, an overdue open ticket
// and a closed one with its signed result.
func recordOf(now time.Time) (months []sgv1.MonthlyResult, avail *sgv1.AvailabilityStatus, tickets []sgv1.RectificationTicket) {
	local := now.In(clock.Shanghai)
	first := time.Date(local.Year(), local.Month(), 1, 10, 0, 0, 0, clock.Shanghai)
	for i := 24; i >= 1; i-- {
		m := first.AddDate(0, -i, 0)
		score, verdict := int32(80+(i*7)%19), sgv1.VerdictPass
		if i == 5 || i == 17 {
			score, verdict = 0, sgv1.VerdictFail
		}
		months = append(months, sgv1.MonthlyResult{Month: m.Format("2006-01"), Verdict: verdict, Score: ptr.To(score),
			Run: fmt.Sprintf("edu-monthly-%s", m.Format("200601")), Time: metav1.NewTime(m.UTC())})
	}
	avail = &sgv1.AvailabilityStatus{Verdict: sgv1.VerdictPass, Sufficient: true, Warning: true}
	for i := 7; i >= 0; i-- {
		day := local.AddDate(0, 0, -i).Format(time.DateOnly)
		failed := int32(0) // 5 of 168 probes failed: 3.0%, V1's early warning, not its veto
		if i%3 != 0 {
			failed = 1
		}
		probes := int32(24)
		if i == 0 {
			probes, failed = int32(local.Hour()+1), 0
		}
		avail.Days = append(avail.Days, sgv1.AvailabilityDay{Day: day, Probes: probes, Failed: failed})
		if i > 0 {
			avail.Probes += probes
			avail.Failed += failed
		}
	}
	avail.FailureRate = fmt.Sprintf("%.1f", float64(avail.Failed)*100/float64(avail.Probes))
	last := metav1.NewTime(now.Add(-time.Hour).Truncate(time.Second))
	avail.LastProbeTime = &last
	opened := metav1.NewTime(now.Add(-72 * time.Hour).Truncate(time.Second))
	due := metav1.NewTime(opened.Add(24 * time.Hour))
	closedOpened := metav1.NewTime(now.Add(-40 * 24 * time.Hour).Truncate(time.Second))
	closedDue := metav1.NewTime(closedOpened.Add(24 * time.Hour))
	fixed := metav1.NewTime(closedOpened.Add(20 * time.Hour))
	tickets = []sgv1.RectificationTicket{
		{ID: "V3/edu-monthly-closed", Problem: "V3: 栏目“政策解读”超过6个月未更新", OpenedAt: closedOpened, DueBy: closedDue, OpenedBy: "edu-monthly-old",
			FixedAt: &fixed, FixedBy: "edu-daily-fix", Result: "已补充发布政策解读3篇", ResultSigners: []string{"unit chen.jing", "city zhang.wei"},
			ResultSignedAt: &fixed, ClosedAt: &fixed, ClosedBy: "edu-daily-fix"},
		{ID: "V2/edu-daily-open", Problem: "V2: 首页超过2周未更新", OpenedAt: opened, DueBy: due, OpenedBy: "edu-daily-open"},
	}
	return months, avail, tickets
}

// consoleFor runs `sitegroup console`'s server in-process on a loopback
// port, as user (a rest.Config impersonating them, as --as does).
func consoleFor(user string) string {
	GinkgoHelper()
	srv, err := console.New(console.Options{Config: testenv.Impersonating(cfg, user),
		Log: slog.New(slog.NewTextHandler(GinkgoWriter, nil)).With("console", user)})
	Expect(err).NotTo(HaveOccurred())
	return serve(srv)
}

// serve runs a console until the spec (or the suite) ends; its address.
func serve(srv *console.Server) string {
	GinkgoHelper()
	addr := make(chan net.Addr, 1)
	c, stop := context.WithCancel(ctx)
	DeferCleanup(stop)
	go func() {
		defer GinkgoRecover()
		Expect(srv.Serve(c, "127.0.0.1:0", func(a net.Addr) { addr <- a })).To(Succeed())
	}()
	var a net.Addr
	Eventually(addr, timeout).Should(Receive(&a))
	return "http://" + a.String()
}

var _ = Describe("sitegroup console", Ordered, func() {
	var city, audit string
	var b browserkit.Tab

	BeforeAll(func() {
		By("the sample sites: edu approved, launched and serving; culture signed by its unit head")
		siteNamespace(eduNS)
		siteNamespace(cultureNS)
		Expect(k8sClient.Create(ctx, site(eduNS, eduSite, "天津市和平区教育局", "11120101000023456Y", "jyj.tjhp.gov.cn", "1201010002"))).To(Succeed())
		for _, s := range [][2]string{{"unit", unitHead}, {"city", cityOffice}, {"province", provinceOffice}} {
			signSite(eduNS, eduSite, s[0], s[1])
		}
		makeServing(eduNS, eduSite)
		completeInspection(eduNS, eduSite+"-prelaunch", prelaunchReport())
		Eventually(func() sgv1.SiteState { return getSite(eduNS, eduSite).Status.State }, timeout, interval).Should(Equal(sgv1.StateServing))

		months, avail, tickets := recordOf(time.Now())
		Eventually(func() error {
			s := getSite(eduNS, eduSite)
			s.Status.MonthlyResults, s.Status.Availability, s.Status.Tickets = months, avail, tickets
			return k8sClient.Status().Update(ctx, s)
		}, timeout, interval).Should(Succeed())
		Eventually(func(g Gomega) {
			st := getSite(eduNS, eduSite).Status
			g.Expect(st.MonthlyResults).To(HaveLen(24))
			g.Expect(st.Availability).NotTo(BeNil())
			g.Expect(st.Tickets).To(HaveLen(2))
		}, timeout, interval).Should(Succeed(), "the operator keeps the record the test wrote")

		By("a takedown of edu, filed by its web team and signed by its unit head: it waits for the city office")
		start := metav1.NewTime(time.Now().Add(10 * 24 * time.Hour).Truncate(time.Second))
		end := metav1.NewTime(start.Add(15 * 24 * time.Hour))
		Expect(as(department).Create(ctx, &sgv1.TakedownRequest{
			ObjectMeta: metav1.ObjectMeta{Namespace: eduNS, Name: "edu-rebuild"},
			Spec: sgv1.TakedownRequestSpec{SiteRef: sgv1.LocalObjectReference{Name: eduSite}, Type: sgv1.TakedownTemporary,
				Reason: "网站改版升级，迁移至集约化平台新模板，需临时关停进行内容整合与安全检测。", Start: start, End: &end,
				Notice: sgv1.NoticeContent{Title: "关于网站临时关停改版的公告", Text: "本网站临时关停进行改版升级，相关信息请访问区政府门户网站。"}},
		})).To(Succeed())
		Eventually(func() error {
			c := as(unitHead)
			t := &sgv1.TakedownRequest{}
			if err := c.Get(ctx, key(eduNS, "edu-rebuild"), t); err != nil {
				return err
			}
			t.Spec.Approvals = append(t.Spec.Approvals, sgv1.Approval{Level: "unit", Decision: sgv1.DecisionApproved})
			return c.Update(ctx, t)
		}, timeout, interval).Should(Succeed())

		Expect(k8sClient.Create(ctx, site(cultureNS, cultureSite, "天津市和平区文化和旅游局", "11120101000077777X", "whj.tjhp.gov.cn", "1201010077"))).To(Succeed())
		signSite(cultureNS, cultureSite, "unit", unitHead)
		Eventually(func() string { return approvedMessage(cultureNS, cultureSite) }, timeout, interval).
			Should(ContainSubstring("waiting for approval at level city, province"))

		By("a console as the city office and one as the auditor, each on a loopback port")
		city, audit = consoleFor(cityOffice), consoleFor(auditor)
		b = browserkit.NewBrowser(ctx, artifacts)
	})

	It("lists the sites the city office may read, with their states, in Chinese", func() {
		b.Open(city+"/", "#sites")
		Expect(b.Attr("html", "lang")).To(Equal("zh-CN"))
		Expect(b.Text("h1")).To(Equal("网站概览"))
		Expect(b.Text("#user")).To(Equal(cityOffice))
		for _, s := range []struct{ ns, name string }{{eduNS, eduSite}, {cultureNS, cultureSite}} {
			Eventually(func() string {
				b.Open(city+"/", "#sites")
				return b.Attr(fmt.Sprintf(`tr[data-site="%s/%s"]`, s.ns, s.name), "data-state")
			}, timeout, time.Second).Should(Equal(string(getSite(s.ns, s.name).Status.State)), "%s/%s", s.ns, s.name)
		}
		Expect(b.Attr(`tr[data-site="tjhp-edu/edu"]`, "data-state")).To(Equal("Serving"))
		Expect(b.Attr(`tr[data-site="tjhp-culture/culture"]`, "data-state")).To(Equal("AwaitingApproval"))
		Expect(b.Text(`tr[data-site="tjhp-culture/culture"] .state`)).To(Equal("待审批"))
		Expect(b.Text("#count-sites")).To(Equal("2"))
		Expect(b.Text("#count-overdue")).To(Equal("1"), "the V2 ticket is past its day (T9)")
		b.Screenshot("overview")

		By("the kind and state filters")
		b.Open(city+"/?state=AwaitingApproval&kind=department", "#sites")
		Expect(b.Count("#sites tbody tr")).To(Equal(1))

		By("the language switch")
		b.Open(city+"/", "#sites")
		b.Do(chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS("#sites")))
		Expect(b.Text("h1")).To(Equal("Overview"))
		Expect(b.Attr("html", "lang")).To(Equal("en"))
		b.Open(city+"/?lang=zh-CN", "#sites")
		Expect(b.Text("h1")).To(Equal("网站概览"))
	})

	It("draws a site's monthly results and availability with ECharts, and shows its record", func() {
		b.Open(city+"/sites/"+eduNS+"/"+eduSite, `#chart-monthly[data-rendered="true"]`)
		b.Do(chromedp.WaitVisible(chromedp.CSS(`#chart-availability[data-rendered="true"]`)))
		for _, id := range []string{"chart-monthly", "chart-availability"} {
			px := browserkit.Eval[browserkit.CanvasPixels](b, fmt.Sprintf(browserkit.CanvasProbe, id))
			Expect(px.Instance).To(BeTrue(), "%s: an ECharts instance", id)
			Expect(px.Width).To(BeNumerically(">", 100), id)
			Expect(px.Height).To(BeNumerically(">", 100), id)
			Expect(px.Painted).To(BeNumerically(">", 2000), "%s: painted pixels", id)
			Expect(px.DataURL).To(BeNumerically(">", 5000), "%s: toDataURL of a drawn canvas", id)
			Expect(px.Red).To(BeNumerically(">", 50), "%s: failing months / failed probes in red", id)
		}
		Expect(browserkit.Eval[browserkit.CanvasPixels](b, fmt.Sprintf(browserkit.CanvasProbe, "chart-monthly")).Green).To(BeNumerically(">", 500), "passing months in green")

		By("tickets, takedowns and approvals")
		Expect(b.Text("#tickets")).To(ContainSubstring("已补充发布政策解读3篇"))
		Expect(b.Text("#tickets")).To(ContainSubstring("unit chen.jing, city zhang.wei"))
		Expect(b.Text("#takedown-edu-rebuild")).To(ContainSubstring(unitHead))
		Expect(b.Text("#approvals")).To(ContainSubstring(provinceOffice))
		By("the run's summary; its report ConfigMap is not the city office's to read (RBAC decides)")
		Expect(b.Text("#report")).To(ContainSubstring("edu-prelaunch"))
		Expect(b.Text(".note")).To(ContainSubstring(`cannot get resource "configmaps"`))
		b.Screenshot("site-city")

		By("the auditor reads the report: vetoes, deductions by group, dead links, columns")
		b.Open(audit+"/sites/"+eduNS+"/"+eduSite, `#chart-monthly[data-rendered="true"]`)
		b.Do(chromedp.WaitVisible(chromedp.CSS(`#chart-availability[data-rendered="true"]`)))
		Expect(b.Count(".note")).To(BeZero())
		report := b.Text("#report")
		Expect(report).To(ContainSubstring("http://jyj.tjhp.gov.cn/zwgk/2019/old.html"), "dead links from the report ConfigMap")
		Expect(report).To(ContainSubstring("要闻动态"))
		Expect(report).To(ContainSubstring("实用性"))
		b.Screenshot("site")
		b.Viewport("site-top")
	})

	It("shows the API server's refusal when the application changed after the page was read", func() {
		item := "site/" + cultureNS + "/" + cultureSite + "/city"
		b.Open(city+"/sign", fmt.Sprintf(`button.approve[data-item="%s"]`, item))
		By("meanwhile the department changes the application (its front end): a new generation")
		Eventually(func() error {
			c := as(department)
			s := &sgv1.GovWebsite{}
			if err := c.Get(ctx, key(cultureNS, cultureSite), s); err != nil {
				return err
			}
			s.Spec.Frontend.Replicas = ptr.To[int32](3)
			return c.Update(ctx, s)
		}, timeout, interval).Should(Succeed())
		b.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.approve[data-item="%s"]`, item))), chromedp.WaitVisible(chromedp.CSS("#refused")))
		Expect(b.Text("#refused")).To(ContainSubstring("metadata.generation"))
		b.Screenshot("sign-refused")
		Expect(getSite(cultureNS, cultureSite).Spec.Approvals).To(HaveLen(1), "nothing was signed")
	})

	It("lets the city office sign the waiting site, as zhang.wei, and the site moves on", func() {
		item := "site/" + cultureNS + "/" + cultureSite + "/city"
		b.Open(city+"/sign", "#tosign")
		Expect(b.Count("#tosign button.approve")).To(Equal(2), "the culture site (S1) and edu's takedown (T1) wait for the city office")
		b.Screenshot("sign-before")

		b.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.approve[data-item="%s"]`, item))), chromedp.WaitVisible(chromedp.CSS("#signed")))
		Expect(b.Text("#signed")).To(ContainSubstring(item))
		b.Screenshot("sign-after")

		By("spec.approvals gained the city office's signature, stamped by the webhook")
		approvals := getSite(cultureNS, cultureSite).Spec.Approvals
		Expect(approvals).To(HaveLen(2))
		a := approvals[1]
		Expect(a.Level).To(Equal("city"))
		Expect(a.Approver).To(Equal(cityOffice))
		Expect(a.Decision).To(Equal(sgv1.DecisionApproved))
		Expect(a.Time).NotTo(BeNil())
		Expect(a.IdentityDigest).NotTo(BeEmpty())

		By("the operator reconciles: the Approved condition waits for the province now")
		Eventually(func() string { return approvedMessage(cultureNS, cultureSite) }, timeout, interval).
			Should(ContainSubstring("waiting for approval at level province;"))

		By("the console shows it: no city signature waits on culture; the signature is on its page")
		b.Open(city+"/sign", "#tosign")
		Expect(b.Count(fmt.Sprintf(`button.approve[data-item="%s"]`, item))).To(BeZero())
		b.Open(city+"/sites/"+cultureNS+"/"+cultureSite, fmt.Sprintf(`#approvals tr[data-level="city"][data-approver="%s"]`, cityOffice))
		Expect(b.Text("#conditions")).To(ContainSubstring("waiting for approval at level province;"))
	})

	It("shows the auditor what waits but no sign button", func() {
		b.Open(audit+"/sign", "#nothing-to-sign")
		Expect(b.Text("#user")).To(Equal(auditor))
		Expect(b.Count(`button.sign, form[action="/sign"]`)).To(BeZero())
		Expect(b.Count(`#others tr[data-item="site/tjhp-culture/culture/province"]`)).To(Equal(1), "culture waits for the province; the auditor sees it")
		Expect(b.Count(`#others tr[data-item="takedown/tjhp-edu/edu-rebuild/city"]`)).To(Equal(1))
		b.Screenshot("auditor-sign")
		b.Open(audit+"/sites/"+eduNS+"/"+eduSite, `#chart-monthly[data-rendered="true"]`)
		Expect(b.Count("button.sign")).To(BeZero())

		By("a signature posted from the auditor's console anyway is refused by the API server (RBAC)")
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(eduNS, "edu-rebuild"), t)).To(Succeed())
		form := url.Values{"item": {"takedown/" + eduNS + "/edu-rebuild/city"}, "decision": {"Approved"}, "generation": {fmt.Sprint(t.Generation)}}
		resp := postForm(audit, form, true)
		Expect(resp.StatusCode).To(Equal(http.StatusForbidden))
		Expect(resp.Body).To(ContainSubstring(`cannot patch resource`))
		Expect(k8sClient.Get(ctx, key(eduNS, "edu-rebuild"), t)).To(Succeed())
		Expect(t.Spec.Approvals).To(HaveLen(1))
	})

	It("lets the city office reject edu's takedown with a comment, and the takedown ends Rejected (T1)", func() {
		item := "takedown/" + eduNS + "/edu-rebuild/city"
		row := fmt.Sprintf(`#tosign tr[data-item="%s"]`, item)
		b.Open(city+"/sign", row)
		b.Do(
			chromedp.Click(chromedp.CSS(row+" details summary")),
			chromedp.WaitVisible(chromedp.CSS(row+" textarea[name=comment]")),
			chromedp.SendKeys(chromedp.CSS(row+" textarea[name=comment]"), "关停期间未说明替代服务渠道，请补充后重新申请。"),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.reject[data-item="%s"]`, item))),
			chromedp.WaitVisible(chromedp.CSS("#signed")),
		)
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(eduNS, "edu-rebuild"), t)).To(Succeed())
		Expect(t.Spec.Approvals).To(HaveLen(2))
		Expect(t.Spec.Approvals[1]).To(And(HaveField("Level", "city"), HaveField("Approver", cityOffice),
			HaveField("Decision", sgv1.DecisionRejected), HaveField("Comment", "关停期间未说明替代服务渠道，请补充后重新申请。")))
		Eventually(func() sgv1.TakedownPhase {
			Expect(k8sClient.Get(ctx, key(eduNS, "edu-rebuild"), t)).To(Succeed())
			return t.Status.Phase
		}, timeout, interval).Should(Equal(sgv1.TakedownRejected))
		b.Open(city+"/sites/"+eduNS+"/"+eduSite, "#takedown-edu-rebuild")
		Expect(b.Text("#takedown-edu-rebuild")).To(ContainSubstring("请补充后重新申请"))
		Expect(b.Count(`#takedown-edu-rebuild .timeline li`)).To(BeNumerically(">=", 2), "the timeline records the rejection")
	})

	It("lets the city office sign a rectification result (T9) its unit head signed", func() {
		By("the department files its result for the overdue V2 ticket; the unit head signs it")
		Eventually(func() error {
			c := as(department)
			s := &sgv1.GovWebsite{}
			if err := c.Get(ctx, key(eduNS, eduSite), s); err != nil {
				return err
			}
			s.Spec.RectificationReports = append(s.Spec.RectificationReports, sgv1.RectificationReport{Ticket: "V2/edu-daily-open", Result: "首页已更新，新增要闻5条。"})
			return c.Update(ctx, s)
		}, timeout, interval).Should(Succeed())
		Eventually(func() error {
			c := as(unitHead)
			s := &sgv1.GovWebsite{}
			if err := c.Get(ctx, key(eduNS, eduSite), s); err != nil {
				return err
			}
			s.Spec.RectificationReports[0].Approvals = append(s.Spec.RectificationReports[0].Approvals, sgv1.Approval{Level: "unit", Decision: sgv1.DecisionApproved})
			return c.Update(ctx, s)
		}, timeout, interval).Should(Succeed())

		item := "rectification/" + eduNS + "/" + eduSite + "/city/0"
		b.Open(city+"/sign", fmt.Sprintf(`button.approve[data-item="%s"]`, item))
		Expect(b.Text(fmt.Sprintf(`#tosign tr[data-item="%s"]`, item))).To(ContainSubstring("首页已更新，新增要闻5条。"))
		b.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.approve[data-item="%s"]`, item))), chromedp.WaitVisible(chromedp.CSS("#signed")))
		r := getSite(eduNS, eduSite).Spec.RectificationReports[0]
		Expect(r.FiledBy).To(Equal(department))
		Expect(r.Approvals).To(HaveLen(2))
		Expect(r.Approvals[1]).To(And(HaveField("Level", "city"), HaveField("Approver", cityOffice), HaveField("Decision", sgv1.DecisionApproved)))
		By("the signature enters the site's compliance history")
		Eventually(func() []string {
			var out []string
			for _, h := range getSite(eduNS, eduSite).Status.ComplianceHistory {
				out = append(out, h.Summary)
			}
			return out
		}, timeout, interval).Should(ContainElement("T9: " + cityOffice + " approved at level city"))
	})

	It("shows and downloads the yearly report and the monthly results", func() {
		year := time.Now().In(clock.Shanghai).Year()
		b.Open(city+"/reports", "#year-report")
		Expect(b.Text("#year-report")).To(ContainSubstring(fmt.Sprint(year)))
		Expect(b.Text("#year-report")).To(ContainSubstring(eduSite))
		Expect(b.Count("#monthly tbody tr")).To(Equal(2))
		b.Screenshot("reports")

		for file, want := range map[string]string{
			fmt.Sprintf("year-%d.md", year):  eduSite,
			fmt.Sprintf("year-%d.csv", year): eduSite,
			"monthly.csv":                    eduNS + "," + eduSite + ",天津市和平区教育局,",
			"monthly.md":                     "| " + eduNS + "/" + eduSite + " |",
		} {
			resp, err := http.Get(city + "/reports/" + file)
			Expect(err).NotTo(HaveOccurred())
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(http.StatusOK), file)
			Expect(resp.Header.Get("Content-Disposition")).To(ContainSubstring("attachment"), file)
			Expect(string(body)).To(ContainSubstring(want), file)
		}
	})

	It("reads namespace by namespace for a unit head, who may not list across namespaces", func() {
		srv, err := console.New(console.Options{Config: testenv.Impersonating(cfg, unitHead), Namespaces: []string{eduNS, cultureNS},
			Log: slog.New(slog.NewTextHandler(GinkgoWriter, nil)).With("console", unitHead)})
		Expect(err).NotTo(HaveOccurred())
		head := serve(srv)
		b.Open(head+"/", "#sites")
		Expect(b.Text("#user")).To(Equal(unitHead))
		Expect(b.Count("#sites tbody tr")).To(Equal(2))
		Expect(b.Count(".note")).To(BeZero())
		b.Open(head+"/sign", "#nothing-to-sign")
		Expect(b.Count("button.sign")).To(BeZero(), "the unit signed everything it could")
	})

	It("is the same as `sitegroup console --kubeconfig … --as zhang.wei`, which listens on loopback only", func() {
		bin := buildSitegroup()
		kubeconfig := adminKubeconfig()
		Expect(exitCode(bin, "console", "--kubeconfig", kubeconfig, "--listen", "0.0.0.0:8090")).To(Equal(2), "a non-loopback address is refused")
		url := browserkit.StartConsole(bin, "--kubeconfig", kubeconfig, "--as", cityOffice, "--listen", "127.0.0.1:0")
		b.Open(url, "#sites")
		Expect(b.Text("#user")).To(Equal(cityOffice), "impersonated as --as says")
		Expect(b.Count("#sites tbody tr")).To(Equal(2))
		b.Open(url+"sign", "#nothing-to-sign")
		Expect(b.Count(`#others tr[data-item="site/tjhp-culture/culture/province"]`)).To(Equal(1))
		code, body := get(url + "reports/monthly.csv")
		Expect(code).To(Equal(http.StatusOK))
		Expect(body).To(ContainSubstring(eduNS + "," + eduSite))
	})

	It("refuses a sign POST without the CSRF token, and a Host that is not loopback", func() {
		form := url.Values{"item": {"site/" + cultureNS + "/" + cultureSite + "/province"}, "decision": {"Approved"}, "generation": {"1"}}
		resp := postForm(city, form, false)
		Expect(resp.StatusCode).To(Equal(http.StatusForbidden))
		Expect(resp.Body).To(ContainSubstring("CSRF"))

		By("a replayed form for a signature already given")
		replay := url.Values{"item": {"site/" + cultureNS + "/" + cultureSite + "/city"}, "decision": {"Approved"}, "generation": {"1"}}
		resp = postForm(city, replay, true)
		Expect(resp.StatusCode).To(Equal(http.StatusConflict))
		Expect(resp.Body).To(ContainSubstring("S1: site/tjhp-culture/culture/city no longer waits"))
		Expect(getSite(cultureNS, cultureSite).Spec.Approvals).To(HaveLen(2))

		req, err := http.NewRequest(http.MethodGet, city+"/", nil)
		Expect(err).NotTo(HaveOccurred())
		req.Host = "console.example.com"
		r, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		_ = r.Body.Close()
		Expect(r.StatusCode).To(Equal(http.StatusForbidden))
	})
})

func approvedMessage(ns, name string) string {
	c := meta.FindStatusCondition(getSite(ns, name).Status.Conditions, sgv1.ConditionApproved)
	if c == nil {
		return ""
	}
	return c.Message
}

type response struct {
	StatusCode int
	Body       string
}

// postForm posts a sign form to a console, as a page of that console
// would (with its CSRF token) when withToken: what a forged or replayed
// form gets.
func postForm(base string, form url.Values, withToken bool) response {
	GinkgoHelper()
	if withToken {
		form.Set("csrf", csrfToken(base))
	}
	resp, err := http.PostForm(base+"/sign", form)
	Expect(err).NotTo(HaveOccurred())
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	return response{resp.StatusCode, string(body)}
}

// csrfToken reads a console's token from the meta tag every page carries.
func csrfToken(base string) string {
	GinkgoHelper()
	resp, err := http.Get(base + "/")
	Expect(err).NotTo(HaveOccurred())
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	const marker = `<meta name="csrf-token" content="`
	i := strings.Index(string(page), marker)
	Expect(i).To(BeNumerically(">=", 0), "the csrf meta tag")
	rest := string(page)[i+len(marker):]
	return rest[:strings.Index(rest, `"`)]
}
