package envtest_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/testenv"
	"sitegroup.io/operator/internal/yearreport"
)

// updateGolden rewrites testdata/report-2026.* instead of comparing:
// `go test ./test/envtest/ -ginkgo.focus report -update` or UPDATE_GOLDEN=1.
var updateGolden = flag.Bool("update", false, "rewrite the yearly report's golden files in testdata/")

const (
	reportNS      = "report"
	reportOtherNS = "report-other"
)

// reportNow is the report's generation time: 5 January 2027, 09:00 in
// Shanghai, when the CronJob of config/report runs.
var reportNow = time.Date(2027, time.January, 5, 9, 0, 0, 0, clock.Shanghai)

// sh is a time in the platform's calendar.
func sh(year int, month time.Month, day, hour, minute int) metav1.Time {
	return metav1.NewTime(time.Date(year, month, day, hour, minute, 0, 0, clock.Shanghai))
}

func shp(year int, month time.Month, day, hour, minute int) *metav1.Time {
	t := sh(year, month, day, hour, minute)
	return &t
}

// reportMonth is a month's result as the compliance record writes it.
func reportMonth(site, month string, completed metav1.Time, v sgv1.Verdict, score int32) sgv1.MonthlyResult {
	return sgv1.MonthlyResult{Month: month, Verdict: v, Score: ptr.To(score), Run: site + "-monthly-" + month, Time: completed}
}

// reportMonths are results on the 5th of each month at 10:00, from the
// verdicts and scores given for January onwards; "-" skips a month.
func reportMonths(site string, year int, verdicts string, scores ...int32) []sgv1.MonthlyResult {
	var out []sgv1.MonthlyResult
	for i, v := range strings.Fields(verdicts) {
		if v == "-" {
			continue
		}
		month := time.Month(i + 1)
		out = append(out, reportMonth(site, time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"),
			sh(year, month, 5, 10, 0), sgv1.Verdict(v), scores[i]))
	}
	return out
}

func reportTicket(id, problem string, opened metav1.Time, openedBy string, closed *metav1.Time, closedBy string) sgv1.RectificationTicket {
	return sgv1.RectificationTicket{ID: id, Problem: problem, OpenedAt: opened, DueBy: metav1.NewTime(opened.Add(24 * time.Hour)),
		OpenedBy: openedBy, ClosedAt: closed, ClosedBy: closedBy}
}

func reportRun(ns, site, name string, p sgv1.InspectionPurpose, st sgv1.InspectionRunStatus) (*sgv1.InspectionRun, sgv1.InspectionRunStatus) {
	r := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: site}, Purpose: p}}
	return r, st
}

func succeeded(started, completed metav1.Time, v sgv1.Verdict, score int32, vetoes ...sgv1.Veto) sgv1.InspectionRunStatus {
	return sgv1.InspectionRunStatus{Phase: sgv1.InspectionSucceeded, StartTime: &started, CompletionTime: &completed,
		Verdict: v, Score: ptr.To(score), Vetoes: vetoes}
}

// createWithStatus creates obj, then writes its status the way the
// controllers do, through the status subresource.
func createWithStatus(obj client.Object, setStatus func()) {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, obj)).To(Succeed())
	setStatus()
	Expect(k8sClient.Status().Update(ctx, obj)).To(Succeed())
}

func createSite(gw *sgv1.GovWebsite, st sgv1.GovWebsiteStatus) {
	GinkgoHelper()
	createWithStatus(gw, func() { gw.Status = st })
}

func createTakedown(t *sgv1.TakedownRequest, st sgv1.TakedownRequestStatus) {
	GinkgoHelper()
	createWithStatus(t, func() { t.Status = st })
}

func createRun(r *sgv1.InspectionRun, st sgv1.InspectionRunStatus) {
	GinkgoHelper()
	createWithStatus(r, func() { r.Status = st })
}

// makeReportHistory writes a year of history for three sites of a district
// (its portal, the education bureau and the health commission), plus a run
// of a site deleted since and a site in another namespace.
func makeReportHistory() {
	GinkgoHelper()
	for _, n := range []string{reportNS, reportOtherNS} {
		Expect(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}})).To(Succeed())
	}

	// The district portal passes every month; a patrol decides February.
	portal := validPortal(reportNS, "portal")
	portal.Spec.Organization.Name = "天津市和平区人民政府"
	portalMonths := reportMonths("portal", 2026, "pass pass pass pass pass pass pass pass pass pass pass pass",
		95, 94, 96, 95, 93, 94, 96, 97, 95, 96, 94, 96)
	portalMonths[1] = reportMonth("portal", "2026-02", sh(2026, 2, 9, 15, 30), sgv1.VerdictPass, 94)
	portalMonths[1].Run = "portal-patrol-2026-02"
	createSite(portal, sgv1.GovWebsiteStatus{
		State:          sgv1.StateServing,
		MonthlyResults: append(reportMonths("portal", 2025, "- - - - - - - - - - - pass", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 92), portalMonths...),
		TakedownQuota:  &sgv1.TakedownQuota{Year: 2026, Used: 0, Allowed: 1},
		LastInspection: &sgv1.InspectionSummary{Run: "portal-monthly-2026-12", Purpose: sgv1.PurposeMonthly,
			Verdict: sgv1.VerdictPass, Score: ptr.To[int32](96), Time: shp(2026, 12, 5, 10, 0)},
	})
	createRun(reportRun(reportNS, "portal", "portal-monthly-2026-12", sgv1.PurposeMonthly,
		succeeded(sh(2026, 12, 5, 9, 50), sh(2026, 12, 5, 10, 0), sgv1.VerdictPass, 96)))

	// The education bureau fails April (V2) and May (V3): two months in a
	// row start T8's rectification takedown, down from 2 to 25 June.
	// November's run is kept but not yet in status (†); the January 2027
	// run completed at 2026-12-31T17:00Z, which is 2027 in Shanghai.
	edu := validSite(reportNS, "edu")
	edu.Spec.ParentPortal = &sgv1.NamespacedObjectReference{Name: "portal", Namespace: reportNS}
	eduMonths := reportMonths("edu", 2026, "pass pass pass fail fail - pass pass pass pass - pass",
		92, 90, 88, 55, 52, 0, 81, 85, 86, 87, 0, 90)
	for i := range eduMonths {
		if eduMonths[i].Month == "2026-08" {
			eduMonths[i].Run, eduMonths[i].Time = "edu-patrol-2026-08", sh(2026, 8, 3, 16, 0)
		}
	}
	eduMonths = append(eduMonths, reportMonth("edu", "2027-01", metav1.NewTime(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)), sgv1.VerdictPass, 91))
	createSite(edu, sgv1.GovWebsiteStatus{
		State:          sgv1.StateServing,
		MonthlyResults: append([]sgv1.MonthlyResult{reportMonth("edu", "2025-12", sh(2025, 12, 5, 10, 0), sgv1.VerdictPass, 89)}, eduMonths...),
		Tickets: []sgv1.RectificationTicket{
			reportTicket("V4/edu-monthly-2025-11", "V4: 留言咨询栏目有3个月以上未答复的留言", sh(2025, 11, 5, 10, 0), "edu-monthly-2025-11",
				shp(2025, 11, 5, 18, 0), "edu-daily-2025-11-05"),
			reportTicket("V2/edu-monthly-2026-04", "V2: 首页14天未更新（最新信息 2026-03-18）", sh(2026, 4, 5, 10, 0), "edu-monthly-2026-04",
				shp(2026, 4, 6, 9, 0), "edu-daily-2026-04-06"),
			reportTicket("V3/edu-monthly-2026-05", "V3: 动态、要闻栏目14天未更新与通知公告、政策文件栏目6个月未更新合计6个", sh(2026, 5, 5, 10, 0), "edu-monthly-2026-05",
				shp(2026, 5, 8, 10, 0), "edu-daily-2026-05-08"),
			reportTicket("V1/edu-daily-2026-12-31", "V1: 站点无法访问 | 7天内首页打开失败率 5.6%", sh(2026, 12, 31, 23, 30), "edu-daily-2026-12-31",
				shp(2027, 1, 1, 1, 0), "edu-monthly-2027-01"),
		},
		TakedownQuota: &sgv1.TakedownQuota{Year: 2026, Used: 1, Allowed: 1},
		LastInspection: &sgv1.InspectionSummary{Run: "edu-monthly-2027-01", Purpose: sgv1.PurposeMonthly,
			Verdict: sgv1.VerdictPass, Score: ptr.To[int32](91), Time: shp(2027, 1, 1, 1, 0)},
		ComplianceHistory: []sgv1.ComplianceRecord{
			{Time: sh(2025, 12, 5, 10, 0), Kind: "Inspection", Ref: "edu-monthly-2025-12", Verdict: sgv1.VerdictPass, Score: ptr.To[int32](89), Summary: "monthly inspection pass, score 89"},
			{Time: sh(2026, 4, 5, 10, 0), Kind: "Inspection", Ref: "edu-monthly-2026-04", Verdict: sgv1.VerdictFail, Score: ptr.To[int32](55), Summary: "monthly inspection fail, score 55; V2"},
			{Time: sh(2026, 5, 5, 10, 0), Kind: "Inspection", Ref: "edu-monthly-2026-05", Verdict: sgv1.VerdictFail, Score: ptr.To[int32](52), Summary: "monthly inspection fail, score 52; V3"},
			{Time: sh(2026, 6, 2, 9, 0), Kind: "Takedown", Ref: "edu-rectification-2026-05", Summary: "temporary takedown went live: T8"},
			{Time: sh(2026, 6, 25, 18, 0), Kind: "Takedown", Ref: "edu-rectification-2026-05", Summary: "restored after the return checks passed (T6)"},
			{Time: sh(2026, 12, 31, 23, 30), Kind: "Inspection", Ref: "edu-daily-2026-12-31", Verdict: sgv1.VerdictFail, Score: ptr.To[int32](0), Summary: "daily inspection fail, score 0; V1"},
		},
	})
	eduTD := validTakedown(reportNS, "edu-rectification-2026-05")
	eduTD.Spec.Reason = "T8: 天津市和平区教育局的网站 failed the monthly inspection two months in a row (up to 2026-05); the rectification takedown procedure starts and waits for approval up the chain."
	eduTD.Spec.Start, eduTD.Spec.End = sh(2026, 6, 2, 9, 0), shp(2026, 7, 1, 9, 0)
	createTakedown(eduTD, sgv1.TakedownRequestStatus{
		Phase: sgv1.TakedownRestored, ActivatedAt: shp(2026, 6, 2, 9, 0), RestoredAt: shp(2026, 6, 25, 18, 0),
		Timeline: []sgv1.TimelineEntry{
			{Time: sh(2026, 6, 1, 8, 0), Phase: "Pending", Message: "T8: two failing months in a row"},
			{Time: sh(2026, 6, 1, 16, 0), Phase: "Approved", Message: "approved by city, province"},
			{Time: sh(2026, 6, 2, 9, 0), Phase: "Active", Message: "notice page served"},
			{Time: sh(2026, 6, 23, 10, 0), Phase: "Returning", Message: "return requested; prereturn run edu-prereturn-2026-06 started"},
			{Time: sh(2026, 6, 25, 18, 0), Phase: "Restored"},
		},
	})
	createRun(reportRun(reportNS, "edu", "edu-monthly-2026-11", sgv1.PurposeMonthly,
		succeeded(sh(2026, 11, 5, 9, 40), sh(2026, 11, 5, 10, 0), sgv1.VerdictPass, 89)))
	createRun(reportRun(reportNS, "edu", "edu-monthly-2026-12", sgv1.PurposeMonthly,
		succeeded(sh(2026, 12, 5, 9, 40), sh(2026, 12, 5, 10, 0), sgv1.VerdictPass, 90)))
	createRun(reportRun(reportNS, "edu", "edu-daily-2026-12-30", sgv1.PurposeDaily, sgv1.InspectionRunStatus{
		Phase: sgv1.InspectionFailed, StartTime: shp(2026, 12, 30, 6, 0), CompletionTime: shp(2026, 12, 30, 6, 3),
		FailureReason: "the inspector's Job ran out of memory (OOMKilled): not a verdict on the site"}))
	createRun(reportRun(reportNS, "edu", "edu-daily-2026-12-31", sgv1.PurposeDaily,
		succeeded(sh(2026, 12, 31, 23, 20), sh(2026, 12, 31, 23, 30), sgv1.VerdictFail, 0,
			sgv1.Veto{ID: "V1", Reason: "7天内首页打开失败率 5.6%"})))
	createRun(reportRun(reportNS, "edu", "edu-monthly-2027-01", sgv1.PurposeMonthly,
		succeeded(sh(2027, 1, 1, 0, 40), metav1.NewTime(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)), sgv1.VerdictPass, 91)))

	// The health commission fails five months (T8: more than three in a
	// year recommend consolidation); its 2025 takedown ran into January,
	// its rectification request was rejected, a permanent closure was
	// requested in December, and a ticket is still open and overdue.
	wsj := validSite(reportNS, "wsj")
	wsj.Spec.Organization.Name = "天津市和平区卫生健康委员会"
	wsj.Spec.Domains = []sgv1.Domain{"wsjkw.tjhp.gov.cn"}
	wsj.Spec.ParentPortal = &sgv1.NamespacedObjectReference{Name: "portal", Namespace: reportNS}
	createSite(wsj, sgv1.GovWebsiteStatus{
		State: sgv1.StateServing,
		MonthlyResults: reportMonths("wsj", 2026, "fail fail pass fail fail pass fail pass pass pass pass pass",
			48, 50, 70, 45, 58, 66, 52, 72, 75, 71, 74, 73),
		Tickets: []sgv1.RectificationTicket{
			reportTicket("V3/wsj-monthly-2026-01", "V3: 空白栏目5个", sh(2026, 1, 5, 10, 0), "wsj-monthly-2026-01",
				shp(2026, 1, 7, 11, 0), "wsj-daily-2026-01-07"),
			reportTicket("V4/wsj-monthly-2026-12", "V4: 互动回应差：2026-08-12 的留言超过3个月未答复", sh(2026, 12, 20, 10, 0), "wsj-selfcheck-2026-12", nil, ""),
		},
		TakedownQuota: &sgv1.TakedownQuota{Year: 2026, Used: 0, Allowed: 1},
		LastInspection: &sgv1.InspectionSummary{Run: "wsj-monthly-2026-12", Purpose: sgv1.PurposeMonthly,
			Verdict: sgv1.VerdictPass, Score: ptr.To[int32](73), Time: shp(2026, 12, 5, 10, 0)},
	})
	wsj2025 := validTakedown(reportNS, "wsj-temporary-2025")
	wsj2025.Spec.SiteRef.Name = "wsj"
	wsj2025.Spec.Start, wsj2025.Spec.End = sh(2025, 12, 20, 9, 0), shp(2026, 1, 15, 9, 0)
	createTakedown(wsj2025, sgv1.TakedownRequestStatus{Phase: sgv1.TakedownRestored,
		ActivatedAt: shp(2025, 12, 20, 9, 0), RestoredAt: shp(2026, 1, 10, 17, 0),
		Timeline: []sgv1.TimelineEntry{
			{Time: sh(2025, 12, 20, 9, 0), Phase: "Active"},
			{Time: sh(2026, 1, 8, 9, 0), Phase: "Returning", Message: "return requested"},
			{Time: sh(2026, 1, 10, 17, 0), Phase: "Restored"},
		}})
	wsjRect := validTakedown(reportNS, "wsj-rectification-2026-02")
	wsjRect.Spec.SiteRef.Name = "wsj"
	wsjRect.Spec.Reason = "T8: failed the monthly inspection two months in a row (up to 2026-02)."
	wsjRect.Spec.Start, wsjRect.Spec.End = sh(2026, 3, 1, 9, 0), shp(2026, 3, 31, 9, 0)
	createTakedown(wsjRect, sgv1.TakedownRequestStatus{Phase: sgv1.TakedownRejected,
		Timeline: []sgv1.TimelineEntry{{Time: sh(2026, 3, 2, 11, 0), Phase: "Rejected", Message: "rejected by city: rectified in March without a takedown"}}})
	wsjClose := validTakedown(reportNS, "wsj-closure")
	wsjClose.Spec.SiteRef.Name = "wsj"
	wsjClose.Spec.Type = sgv1.TakedownPermanent
	wsjClose.Spec.Reason = `机构改革，网站内容整合至区政府门户网站 "www.tjhp.gov.cn" 的卫生健康栏目, then closed for good (T7).`
	wsjClose.Spec.Start, wsjClose.Spec.End = sh(2027, 2, 1, 9, 0), nil
	createTakedown(wsjClose, sgv1.TakedownRequestStatus{Phase: sgv1.TakedownPending,
		Timeline: []sgv1.TimelineEntry{{Time: sh(2026, 12, 28, 15, 0), Phase: "Pending", Message: "waiting for approval by city, province"}}})
	createRun(reportRun(reportNS, "wsj", "wsj-monthly-2026-12", sgv1.PurposeMonthly,
		succeeded(sh(2026, 12, 5, 9, 45), sh(2026, 12, 5, 10, 0), sgv1.VerdictPass, 73)))
	createRun(reportRun(reportNS, "wsj", "wsj-selfcheck-2026-12", sgv1.PurposeSelfcheck,
		succeeded(sh(2026, 12, 20, 9, 30), sh(2026, 12, 20, 10, 0), sgv1.VerdictFail, 62,
			sgv1.Veto{ID: "V4", Reason: "2026-08-12 的留言超过3个月未答复"})))

	// The science bureau's site was deleted after its last self-check; the
	// run is still kept.
	createRun(reportRun(reportNS, "kjj", "kjj-selfcheck-2026-03", sgv1.PurposeSelfcheck,
		succeeded(sh(2026, 3, 10, 14, 0), sh(2026, 3, 10, 14, 20), sgv1.VerdictPass, 83)))
	// A run of a bare URL is about no hosted site.
	adhoc := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: reportNS, Name: "adhoc-2026-07"},
		Spec: sgv1.InspectionRunSpec{TargetURL: "https://www.example.gov.cn/", Purpose: sgv1.PurposeSelfcheck}}
	createRun(adhoc, succeeded(sh(2026, 7, 1, 9, 0), sh(2026, 7, 1, 9, 10), sgv1.VerdictPass, 90))

	// A site of another district, outside --namespace report.
	other := validSite(reportOtherNS, "edu")
	other.Spec.Domains = []sgv1.Domain{"jyj.tjnk.gov.cn"}
	createSite(other, sgv1.GovWebsiteStatus{MonthlyResults: reportMonths("edu", 2026, "pass", 99)})
}

// expectGolden compares got with testdata/name, or rewrites it.
func expectGolden(name string, got []byte) {
	GinkgoHelper()
	path := filepath.Join("testdata", name)
	if *updateGolden || os.Getenv("UPDATE_GOLDEN") == "1" {
		Expect(os.MkdirAll("testdata", 0o755)).To(Succeed())
		Expect(os.WriteFile(path, got, 0o644)).To(Succeed())
		return
	}
	want, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred(), "no golden file: run with UPDATE_GOLDEN=1 to write it")
	Expect(string(got)).To(Equal(string(want)), "%s differs: run with UPDATE_GOLDEN=1 and review the diff", path)
}

var _ = Describe("the yearly report (sitegroup report --year)", Ordered, func() {
	BeforeAll(makeReportHistory)

	report := func(req yearreport.Request) []byte {
		GinkgoHelper()
		var out bytes.Buffer
		Expect(yearreport.Write(ctx, k8sClient, req, &out)).To(Succeed())
		return out.Bytes()
	}

	It("prints the 2026 report of a namespace as Markdown", func() {
		expectGolden("report-2026.md", report(yearreport.Request{Year: 2026, Format: yearreport.FormatMarkdown, Namespace: reportNS, Now: reportNow}))
	})

	It("prints the 2026 report of a namespace as CSV", func() {
		expectGolden("report-2026.csv", report(yearreport.Request{Year: 2026, Format: yearreport.FormatCSV, Namespace: reportNS, Now: reportNow}))
	})

	It("reads every namespace without --namespace", func() {
		md := string(report(yearreport.Request{Year: 2026, Format: yearreport.FormatMarkdown, Now: reportNow}))
		Expect(md).To(ContainSubstring("for all namespaces"))
		Expect(md).To(ContainSubstring("\n## report/edu · "))
		Expect(md).To(ContainSubstring("\n## report-other/edu · "))
	})

	It("publishes the report as a ConfigMap that the report's ServiceAccount writes and the auditor reads", func() {
		root, err := testenv.RepoRoot()
		Expect(err).NotTo(HaveOccurred())
		ensureNamespace("sitegroup-system")
		for _, f := range []string{"config/report/rbac.yaml", "config/rbac/personas.yaml"} {
			for _, obj := range readObjects(filepath.Join(root, f)) {
				Expect(client.IgnoreAlreadyExists(k8sClient.Create(ctx, obj))).To(Succeed(), "%s %s", obj.GetKind(), obj.GetName())
			}
		}
		Expect(client.IgnoreAlreadyExists(k8sClient.Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "audit"},
			RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "sitegroup-auditor"},
			Subjects: []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: "rbac.authorization.k8s.io", Name: "audit"}}}))).To(Succeed())

		req := yearreport.Request{Year: 2026, Namespace: reportNS, Now: reportNow}
		reporter := impersonated("system:serviceaccount:sitegroup-system:sitegroup-report", "system:serviceaccounts", "system:serviceaccounts:sitegroup-system")
		var published *corev1.ConfigMap
		Eventually(func() (err error) { // the RoleBinding reaches the authorizer's cache shortly
			published, err = yearreport.Publish(ctx, reporter, req, "sitegroup-system")
			return err
		}, 10*time.Second, 100*time.Millisecond).Should(Succeed())
		Expect(published.Name).To(Equal("sitegroup-yearly-report-2026-" + reportNS))

		got := &corev1.ConfigMap{}
		Expect(impersonated("audit").Get(ctx, client.ObjectKeyFromObject(published), got)).To(Succeed(), "the auditor reads the published report")
		expectGolden("report-2026.md", []byte(got.Data[yearreport.MarkdownKey]))
		expectGolden("report-2026.csv", []byte(got.Data[yearreport.CSVKey]))
		Expect(impersonated("webmaster").Get(ctx, client.ObjectKeyFromObject(published), &corev1.ConfigMap{})).
			To(MatchError(ContainSubstring("forbidden")), "a department is not the report's reader")
		Expect(impersonated("system:serviceaccount:sitegroup-system:sitegroup-report").Delete(ctx, published)).
			To(MatchError(ContainSubstring("forbidden")), "the report writes its ConfigMap and nothing else")
	})

	It("puts the run completing 2026-12-31T17:00Z into January 2027", func() {
		csv := string(report(yearreport.Request{Year: 2027, Format: yearreport.FormatCSV, Namespace: reportNS, Now: reportNow}))
		Expect(csv).To(ContainSubstring("month,report,edu,department,2027-01,pass,91,edu-monthly-2027-01,2027-01-01T01:00:00+08:00,status,"))
		md := string(report(yearreport.Request{Year: 2027, Format: yearreport.FormatMarkdown, Namespace: reportNS, Now: reportNow}))
		Expect(md).To(ContainSubstring("| edu-monthly-2027-01 | monthly | Succeeded | 2027-01-01 01:00 | pass | 91 | — |"))
	})
})

// impersonated is a client acting as user, through the real API server's authorizer.
func impersonated(user string, groups ...string) client.Client {
	GinkgoHelper()
	c, err := client.New(testenv.Impersonating(cfg, user, groups...), client.Options{Scheme: testenv.Scheme()})
	Expect(err).NotTo(HaveOccurred())
	return c
}

// ensureNamespace creates a namespace unless it exists.
func ensureNamespace(name string) {
	GinkgoHelper()
	Expect(client.IgnoreAlreadyExists(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}))).To(Succeed())
}
