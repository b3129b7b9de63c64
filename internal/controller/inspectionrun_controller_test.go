package controller_test

import (
	"context"
	"errors"
	"time"

	kstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/retry"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/reportstore"
	"sitegroup.io/operator/internal/testenv"
)

// selfcheck is a run a person starts by hand.
func selfcheck(ns, name string) *sgv1.InspectionRun {
	return &sgv1.InspectionRun{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposeSelfcheck},
	}
}

var _ = Describe("InspectionRun controller", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		createApproved(eduSite(ns))
		makeRunning(ns, "node-bj-1", "node-sh-1")
	})

	It("runs the inspector in a restricted Job and fills the run and the site from its summary and report", func() {
		Expect(asOperator().Create(ctx, selfcheck(ns, "check-1"))).To(Succeed()) // as the scheduler: only the operator's runs count
		job := &batchv1.Job{}
		exists(job, ns, "check-1-inspect")
		pod := job.Spec.Template.Spec
		Expect(*pod.AutomountServiceAccountToken).To(BeFalse(), "the crawler reads untrusted pages: no API token")
		Expect(pod.Containers[0].Args).To(ContainElements("inspect", "--summary-file", "/dev/termination-log", "--host-header", siteDomain(ns)))
		Expect(pod.Containers[0].Args).To(ContainElement("http://edu-web." + ns + ".svc/"))
		Expect(pod.Affinity.NodeAffinity).NotTo(BeNil(), "S6: inspection pods run on domestic nodes too")
		egress := &networkingv1.NetworkPolicy{}
		exists(egress, ns, "edu-inspection")
		Expect(egress.Spec.PolicyTypes).To(ConsistOf(networkingv1.PolicyTypeEgress))
		Eventually(func() sgv1.InspectionPhase { return runOf(ns, "check-1").Status.Phase }, timeout, interval).
			Should(BeElementOf(sgv1.InspectionPending, sgv1.InspectionRunning))

		report := failing("V2")
		report.Score = 0
		report.Deductions = []findings.Deduction{{ID: "F3", Group: "function", Points: 4, Reason: "no search box"}}
		report.DeadLinks = []findings.DeadLink{{URL: "http://x/a", Status: 404, FoundOn: "http://x/", Homepage: true}}
		testClock.Advance(time.Minute)
		completeInspection(ns, "check-1", report)

		run := runOf(ns, "check-1")
		Expect(run.Status.Verdict).To(Equal(sgv1.VerdictFail))
		Expect(*run.Status.Score).To(BeZero())
		Expect(run.Status.Vetoes).To(ConsistOf(HaveField("ID", "V2")))
		Expect(run.Status.Deductions).To(ConsistOf(sgv1.DeductionTotal{Group: "function", Points: 4}))
		Expect(run.Status.Counts).To(HaveField("HomepageDeadLinks", int32(1)))
		Expect(run.Status.CompletionTime).NotTo(BeNil())
		Expect(kstatusOf(run)).To(Equal(kstatus.CurrentStatus))
		By("the full report is kept in a ConfigMap owned by the run")
		Expect(run.Status.ReportRef).To(HaveField("ConfigMap", "check-1-report"))
		cm := &corev1.ConfigMap{}
		exists(cm, ns, "check-1-report")
		Expect(cm.OwnerReferences).To(ContainElement(HaveField("Name", "check-1")))
		kept, err := reportstore.Decode(cm)
		Expect(err).NotTo(HaveOccurred())
		Expect(kept.DeadLinks).To(HaveLen(1))

		By("the site's record: last run, and a T9 ticket for the veto")
		Eventually(func(g Gomega) {
			site := getSite(ns)
			g.Expect(site.Status.LastInspection).To(And(HaveField("Run", "check-1"), HaveField("Verdict", sgv1.VerdictFail)))
			g.Expect(site.Status.Tickets).To(ConsistOf(And(HaveField("ID", "V2/check-1"), HaveField("ClosedAt", BeNil()))))
			g.Expect(site.Status.ComplianceHistory).To(ContainElement(HaveField("Ref", "check-1")))
		}, timeout, interval).Should(Succeed())
		Expect(condition(ns, sgv1.ConditionCompliant).Status).To(Equal(metav1.ConditionFalse))
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement("TicketOpened"))

		By("T9: the next run that no longer finds it marks the ticket fixed, but does not close it")
		Expect(asOperator().Create(ctx, selfcheck(ns, "check-2"))).To(Succeed())
		exists(&batchv1.Job{}, ns, "check-2-inspect")
		testClock.Advance(time.Hour)
		completeInspection(ns, "check-2", passing(88))
		Eventually(func() []sgv1.RectificationTicket { return getSite(ns).Status.Tickets }, timeout, interval).
			Should(ConsistOf(And(HaveField("FixedBy", "check-2"), HaveField("ClosedAt", BeNil()))))
		Consistently(func() metav1.ConditionStatus { return condition(ns, sgv1.ConditionCompliant).Status }, time.Second, interval).
			Should(Equal(metav1.ConditionFalse), "an open ticket: its result is not filed and signed yet")

		By("T9: the department files its result; a result for a ticket nobody opened is refused")
		// The operator writes the site's status meanwhile: each write retries on a conflict.
		fileResult := func(user, ticket, result string) error {
			return retry.RetryOnConflict(retry.DefaultRetry, func() error {
				site := getSite(ns)
				site.Spec.RectificationReports = append(site.Spec.RectificationReports, sgv1.RectificationReport{Ticket: ticket, Result: result})
				return as(user).Update(ctx, site)
			})
		}
		Expect(fileResult(department, "V9/invented", "nothing")).To(MatchError(ContainSubstring("T9: V9/invented is not a ticket")))
		Expect(fileResult(department, "V2/check-1", "首页已更新，建立每日更新制度")).To(Succeed())
		filed := getSite(ns).Spec.RectificationReports[0]
		Expect(filed.FiledBy).To(Equal(department), "stamped from the authenticated user")
		Expect(filed.FiledAt).NotTo(BeNil())

		By("T9: the department cannot sign its own result; the unit head and the city office sign it")
		signResult := func(user, level string) error {
			return retry.RetryOnConflict(retry.DefaultRetry, func() error {
				site := getSite(ns)
				r := &site.Spec.RectificationReports[0]
				r.Approvals = append(r.Approvals, sgv1.Approval{Level: level, Decision: sgv1.DecisionApproved})
				return as(user).Update(ctx, site)
			})
		}
		Expect(signResult(department, "unit")).To(MatchError(ContainSubstring("T9: webmaster may not sign at level unit")))
		Expect(signResult(unitHead, "unit")).To(Succeed())
		By("T9: a signed result is the form as signed; it does not change")
		Expect(retry.RetryOnConflict(retry.DefaultRetry, func() error {
			site := getSite(ns)
			site.Spec.RectificationReports[0].Result = "改写的结果"
			return as(department).Update(ctx, site)
		})).To(MatchError(ContainSubstring("T9: the result was signed")))
		Expect(signResult(cityOffice, "city")).To(Succeed())

		Eventually(func() []sgv1.RectificationTicket { return getSite(ns).Status.Tickets }, timeout, interval).
			Should(ConsistOf(And(HaveField("ClosedBy", "check-2"), HaveField("ClosedAt", Not(BeNil())),
				HaveField("Result", "首页已更新，建立每日更新制度"), HaveField("ResultSigners", []string{"unit " + unitHead, "city " + cityOffice}))))
		Eventually(func() metav1.ConditionStatus { return condition(ns, sgv1.ConditionCompliant).Status }, timeout, interval).Should(Equal(metav1.ConditionTrue))
		Expect(getSite(ns).Status.ComplianceHistory).To(ContainElements(
			HaveField("Summary", ContainSubstring("T9: ticket closed")),
			HaveField("Summary", HavePrefix("T9: "+cityOffice+" approved at level city"))))
	})

	It("reports a failed Job as an infrastructure failure, not a verdict", func() {
		Expect(k8sClient.Create(ctx, selfcheck(ns, "oom"))).To(Succeed())
		job := &batchv1.Job{}
		exists(job, ns, "oom-inspect")
		Expect(testenv.FailJob(ctx, k8sClient, job, jobPod(ns, job), "inspect", 137, "OOMKilled", time.Now())).To(Succeed())

		Eventually(func() sgv1.InspectionPhase { return runOf(ns, "oom").Status.Phase }, timeout, interval).Should(Equal(sgv1.InspectionFailed))
		run := runOf(ns, "oom")
		Expect(run.Status.FailureReason).To(And(ContainSubstring("BackoffLimitExceeded"), ContainSubstring("OOMKilled")))
		Expect(run.Status.Verdict).To(BeEmpty(), "an infrastructure failure is no verdict on the site")
		Expect(kstatusOf(run)).To(Equal(kstatus.FailedStatus))
		Consistently(func() string { return getSite(ns).Status.LastInspection.Run }, time.Second, interval).
			Should(Equal("edu-prelaunch"), "the site's record ignores the failed run")
	})

	It("ends a run whose homepage did not open without a verdict: no V1 veto, no month, no ticket (issue 16)", func() {
		run := selfcheck(ns, "monthly-down")
		run.Spec.Purpose = sgv1.PurposeMonthly
		Expect(asOperator().Create(ctx, run)).To(Succeed())
		endInspection(ns, "monthly-down", findings.Report{Verdict: findings.Unjudged, Unreachable: "HTTP 503",
			Warnings: []findings.Warning{{ID: "V1-probes", Reason: "3 of this run's 3 homepage probes failed"}},
			Stats:    findings.Stats{Probes: 3, ProbesFailed: 3}})

		Eventually(func() sgv1.InspectionPhase { return runOf(ns, "monthly-down").Status.Phase }, timeout, interval).Should(Equal(sgv1.InspectionFailed))
		run = runOf(ns, "monthly-down")
		Expect(run.Status.Verdict).To(BeEmpty(), "one run's probes are no V1 veto: V1 is the 7-day window's")
		Expect(run.Status.Vetoes).To(BeEmpty())
		Expect(findCondition(run.Status.Conditions, sgv1.ConditionStalled).Reason).To(Equal(sgv1.ReasonHomepageUnreachable))
		Expect(run.Status.FailureReason).To(And(ContainSubstring("HTTP 503"), ContainSubstring("availability window")))
		Expect(run.Status.ReportRef).NotTo(BeNil(), "the report is kept: its probes are evidence for the window")
		Consistently(func() *sgv1.GovWebsiteStatus { return &getSite(ns).Status }, time.Second, interval).Should(And(
			HaveField("LastInspection.Run", "edu-prelaunch"), HaveField("MonthlyResults", BeEmpty()), HaveField("Tickets", BeEmpty())),
			"the site's record takes no month and opens no ticket from an unjudged run")
	})

	It("scores a run with the profile it names, from its own recorded copy", func() {
		shared := &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "profile-" + ns},
			Data:       map[string]string{"strict.yaml": "name: strict\npassScore: 70\n"},
		}
		Expect(k8sClient.Create(ctx, shared)).To(Succeed())
		run := selfcheck(ns, "strict")
		run.Spec.ScoringProfileRef = &sgv1.ScoringProfileReference{Namespace: "default", Name: shared.Name, Key: "strict.yaml"}
		Expect(k8sClient.Create(ctx, run)).To(Succeed())
		job := &batchv1.Job{}
		exists(job, ns, "strict-inspect")
		Expect(job.Spec.Template.Spec.Containers[0].Args).To(ContainElements("--profile", "/etc/sitegroup/scoring/profile.yaml"))
		Expect(job.Spec.Template.Spec.Volumes).To(ContainElement(HaveField("ConfigMap.Name", "strict-profile")))
		copied := &corev1.ConfigMap{}
		exists(copied, ns, "strict-profile")
		Expect(copied.Data).To(HaveKeyWithValue("profile.yaml", shared.Data["strict.yaml"]))
		Expect(copied.OwnerReferences).To(ContainElement(HaveField("Name", "strict")))
		Eventually(func() *sgv1.ScoringProfileRecord { return runOf(ns, "strict").Status.ScoringProfile }, timeout, interval).
			Should(And(Not(BeNil()),
				HaveField("Source", "default/"+shared.Name+":strict.yaml"),
				HaveField("Digest", "sha256:a91869ebdb5fffcf4b0a3bd50573f5c7062ef384e0f1525083637d19f865e2c6")))

		By("a profile that cannot be read fails the run, which is no verdict on the site")
		missing := selfcheck(ns, "lost")
		missing.Spec.ScoringProfileRef = &sgv1.ScoringProfileReference{Namespace: "default", Name: "no-such-profile"}
		testClock.Advance(time.Minute)
		completeInspection(ns, "strict", passing(90))
		Expect(k8sClient.Create(ctx, missing)).To(Succeed())
		Eventually(func() *sgv1.InspectionRun { return runOf(ns, "lost") }, timeout, interval).Should(And(
			HaveField("Status.Phase", sgv1.InspectionFailed),
			HaveField("Status.FailureReason", "scoring profile default/no-such-profile:profile.yaml: ConfigMap not found"),
			HaveField("Status.Verdict", BeEmpty())))
		Expect(kstatusOf(runOf(ns, "lost"))).To(Equal(kstatus.FailedStatus))
	})

	It("runs one inspection of a site at a time", func() {
		Expect(k8sClient.Create(ctx, selfcheck(ns, "first"))).To(Succeed())
		exists(&batchv1.Job{}, ns, "first-inspect")
		Eventually(func() string { return runOf(ns, "first").Status.JobName }, timeout, interval).ShouldNot(BeEmpty())
		Expect(k8sClient.Create(ctx, selfcheck(ns, "second"))).To(Succeed())
		Eventually(func() metav1.Condition {
			return *findCondition(runOf(ns, "second").Status.Conditions, sgv1.ConditionReconciling)
		}, timeout, interval).Should(And(HaveField("Reason", sgv1.ReasonWaitingForOtherRun), HaveField("Message", ContainSubstring("first"))))
		Expect(k8sClient.Get(ctx, key(ns, "second-inspect"), &batchv1.Job{})).NotTo(Succeed())
		completeInspection(ns, "first", passing(90))
		exists(&batchv1.Job{}, ns, "second-inspect")
	})

	It("fails a waiting scheduled run as Superseded once a later one of its purpose is queued, so a hanging run piles up no queue", func() {
		Expect(k8sClient.Create(ctx, selfcheck(ns, "hanging"))).To(Succeed())
		Eventually(func() string { return runOf(ns, "hanging").Status.JobName }, timeout, interval).ShouldNot(BeEmpty())
		site := getSite(ns)
		day := testClock.Now().Truncate(time.Hour)
		Expect(k8sClient.Create(ctx, builders.ScheduledRun(site, "edu-daily-1", sgv1.PurposeDaily, day))).To(Succeed())
		Eventually(func() string {
			return findCondition(runOf(ns, "edu-daily-1").Status.Conditions, sgv1.ConditionReconciling).Reason
		}, timeout, interval).Should(Equal(sgv1.ReasonWaitingForOtherRun))

		Expect(k8sClient.Create(ctx, builders.ScheduledRun(site, "edu-daily-2", sgv1.PurposeDaily, day.AddDate(0, 0, 1)))).To(Succeed())
		Eventually(func() *sgv1.InspectionRun { return runOf(ns, "edu-daily-1") }, timeout, interval).Should(And(
			HaveField("Status.Phase", sgv1.InspectionFailed),
			HaveField("Status.FailureReason", ContainSubstring("edu-daily-2")),
			HaveField("Status.Verdict", BeEmpty())))
		Expect(findCondition(runOf(ns, "edu-daily-1").Status.Conditions, sgv1.ConditionStalled).Reason).To(Equal(sgv1.ReasonSuperseded))
		Expect(runOf(ns, "edu-daily-2").Status.Phase).NotTo(Equal(sgv1.InspectionFailed), "the latest waits on")
		Expect(k8sClient.Get(ctx, key(ns, "edu-daily-1-inspect"), &batchv1.Job{})).NotTo(Succeed(), "a superseded run never crawls")
	})

	It("returns a failed lookup of the site's other runs as an error alone, without a half-written wait", func() {
		Expect(k8sClient.Create(ctx, selfcheck(ns, "busy"))).To(Succeed())
		Eventually(func() string { return runOf(ns, "busy").Status.JobName }, timeout, interval).ShouldNot(BeEmpty())
		Expect(k8sClient.Create(ctx, selfcheck(ns, "queued"))).To(Succeed())
		Eventually(func() string {
			return findCondition(runOf(ns, "queued").Status.Conditions, sgv1.ConditionReconciling).Reason
		}, timeout, interval).Should(Equal(sgv1.ReasonWaitingForOtherRun))

		// A reconciler of its own whose list of runs fails, over the real API server.
		lookupFailed := errors.New("the API server is restarting")
		direct, err := client.NewWithWatch(cfg, client.Options{Scheme: testenv.Scheme()})
		Expect(err).NotTo(HaveOccurred())
		r := &controller.InspectionRunReconciler{Recorder: events.NewFakeRecorder(10), Clock: testClock,
			Client: interceptor.NewClient(direct, interceptor.Funcs{List: func(ctx context.Context, c client.WithWatch, list client.ObjectList, opts ...client.ListOption) error {
				if _, runs := list.(*sgv1.InspectionRunList); runs {
					return lookupFailed
				}
				return c.List(ctx, list, opts...)
			}})}
		res, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: key(ns, "queued")})
		Expect(err).To(MatchError(lookupFailed))
		Expect(res).To(Equal(ctrl.Result{}), "controller-runtime drops a RequeueAfter returned with an error")
		Expect(findCondition(runOf(ns, "queued").Status.Conditions, sgv1.ConditionReconciling).Message).
			To(ContainSubstring("waiting for run busy"), "the wait names the run it waits for, never an empty name")
	})
})
