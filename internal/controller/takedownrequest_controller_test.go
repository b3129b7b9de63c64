package controller_test

import (
	"encoding/json"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	. "github.com/onsi/gomega/gstruct"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/notice"
	"sitegroup.io/operator/internal/testenv"
)

var (
	tdStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tdEnd   = tdStart.Add(19 * 24 * time.Hour)
)

func takedownOf(ns string, typ sgv1.TakedownType) *sgv1.TakedownRequest {
	t := &sgv1.TakedownRequest{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "rebuild"},
		Spec: sgv1.TakedownRequestSpec{
			SiteRef: sgv1.LocalObjectReference{Name: "edu"},
			Type:    typ,
			Reason:  "网站改版升级，需临时关停进行内容整合与安全检测。",
			Start:   metav1.NewTime(tdStart),
			Notice:  sgv1.NoticeContent{Title: "临时关停公告", Text: "本网站临时关停改版，期间请访问区政府门户网站。", Contact: "022-23456789"},
		},
	}
	if typ == sgv1.TakedownTemporary {
		t.Spec.End = &metav1.Time{Time: tdEnd}
	}
	return t
}

// at moves the test clock and wakes the takedown (the controller requeues
// on real time; the fake clock needs a nudge).
func at(ns string, t time.Time) {
	GinkgoHelper()
	testClock.Set(t)
	Eventually(func() error {
		tdr := &sgv1.TakedownRequest{}
		if err := k8sClient.Get(ctx, key(ns, "rebuild"), tdr); err != nil {
			return err
		}
		if tdr.Annotations == nil {
			tdr.Annotations = map[string]string{}
		}
		tdr.Annotations["test/now"] = t.Format(time.RFC3339)
		return k8sClient.Update(ctx, tdr)
	}, timeout, interval).Should(Succeed())
}

// fileReturn files the return of the takedown at the given time (T6).
func fileReturn(ns string, filed time.Time) {
	GinkgoHelper()
	testClock.Set(filed)
	Eventually(func() error {
		t := &sgv1.TakedownRequest{}
		if err := k8sClient.Get(ctx, key(ns, "rebuild"), t); err != nil {
			return err
		}
		t.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: metav1.NewTime(filed), SelfCheck: "自查完成：栏目更新、链接、安全检测均正常。"}
		return k8sClient.Update(ctx, t)
	}, timeout, interval).Should(Succeed())
}

func phaseOf(ns string) sgv1.TakedownPhase {
	t := &sgv1.TakedownRequest{}
	_ = k8sClient.Get(ctx, key(ns, "rebuild"), t)
	return t.Status.Phase
}

func expectPhase(ns string, want sgv1.TakedownPhase) {
	GinkgoHelper()
	Eventually(func() sgv1.TakedownPhase { return phaseOf(ns) }, timeout, interval).Should(Equal(want), "waiting for takedown phase %s", want)
}

// makeNoticeAvailable plays the Deployment controller for the notice pods.
func makeNoticeAvailable(ns string) {
	GinkgoHelper()
	dep := &appsv1.Deployment{}
	exists(dep, ns, "edu-notice")
	dep.Status = appsv1.DeploymentStatus{ObservedGeneration: dep.Generation, Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UpdatedReplicas: 1}
	Expect(k8sClient.Status().Update(ctx, dep)).To(Succeed())
}

func siteIsDown(ns string) { siteBehindNotice(ns, 0) }

// siteBehindNotice: the public Service shows the notice (T5); the front end
// runs frontend replicas — none, or all while the return is checked (T6).
func siteBehindNotice(ns string, frontend int32) {
	GinkgoHelper()
	Eventually(func(g Gomega) {
		fe := &appsv1.Deployment{}
		g.Expect(k8sClient.Get(ctx, key(ns, "edu-frontend"), fe)).To(Succeed())
		g.Expect(*fe.Spec.Replicas).To(Equal(frontend), "the front end's replicas behind the notice")
		svc := &corev1.Service{}
		g.Expect(k8sClient.Get(ctx, key(ns, "edu-web"), svc)).To(Succeed())
		g.Expect(svc.Spec.Selector).To(HaveKeyWithValue(builders.LabelComponent, builders.ComponentNotice), "the public Service selects the notice pods")
	}, timeout, interval).Should(Succeed())
	admin := &appsv1.Deployment{}
	Expect(k8sClient.Get(ctx, key(ns, "edu-admin"), admin)).To(Succeed())
	Expect(*admin.Spec.Replicas).To(Equal(int32(1)), "the admin stays up so the department can rebuild")
	exists(&gatewayv1.HTTPRoute{}, ns, "edu")
	exists(&corev1.PersistentVolumeClaim{}, ns, "edu-content")
}

var _ = Describe("TakedownRequest controller", func() {
	var ns string
	BeforeEach(func() {
		ns = newSiteNamespace()
		testClock.Set(tdStart.Add(-6 * 24 * time.Hour))
		createApproved(eduSite(ns))
		makeRunning(ns, "node-bj-1", "node-sh-1")
		Eventually(func() sgv1.SiteState { return getSite(ns).Status.State }, timeout, interval).Should(Equal(sgv1.StateServing))
	})

	It("runs the full temporary cycle: approved, notice page, return check, restored (T1, T5, T6)", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		expectPhase(ns, sgv1.TakedownPending)
		signAll(ns, chainSigners)
		expectPhase(ns, sgv1.TakedownApproved)
		t0 := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(ns, "rebuild"), t0)).To(Succeed())
		Expect(t0.Spec.Approvals).To(HaveLen(3))
		Expect(t0.Spec.Approvals[1].Approver).To(Equal("zhang.wei"), "T1: the approver is stamped from the signing user")
		Expect(t0.Spec.Approvals[1].Time).NotTo(BeNil())
		Consistently(func() int32 {
			fe := &appsv1.Deployment{}
			_ = k8sClient.Get(ctx, key(ns, "edu-frontend"), fe)
			return *fe.Spec.Replicas
		}, time.Second, interval).Should(Equal(int32(2)), "nothing changes before the start")

		By("the start: the notice page replaces the site (T5)")
		at(ns, tdStart)
		expectPhase(ns, sgv1.TakedownActive)
		siteIsDown(ns)
		cm := &corev1.ConfigMap{}
		exists(cm, ns, "edu-notice")
		var page notice.Page
		Expect(json.Unmarshal([]byte(cm.Data["notice.json"]), &page)).To(Succeed())
		Expect(page.Title).To(Equal("临时关停公告"))
		Expect(page.Type).To(Equal("temporary"))
		Expect(page.End.Equal(tdEnd)).To(BeTrue())
		makeNoticeAvailable(ns)
		Eventually(func(g Gomega) {
			site := getSite(ns)
			g.Expect(site.Status.State).To(Equal(sgv1.StateTakenDown))
			g.Expect(site.Status.CurrentTakedown).NotTo(BeNil())
			g.Expect(site.Status.CurrentTakedown.Phase).To(Equal(sgv1.TakedownActive))
			g.Expect(site.Status.TakedownQuota.Used).To(Equal(int32(1)), "T3: counted from what went live")
			g.Expect(kstatusOf(site)).To(BeEquivalentTo("Current"))
		}, timeout, interval).Should(Succeed())

		By("a return filed within the 7 days before the planned return starts the prereturn inspection (T6)")
		filed := tdEnd.Add(-5 * 24 * time.Hour)
		fileReturn(ns, filed)
		expectPhase(ns, sgv1.TakedownReturning)
		run := &sgv1.InspectionRun{}
		runName := fmt.Sprintf("rebuild-prereturn-%d", filed.Unix())
		exists(run, ns, runName)
		Expect(run.Spec.Purpose).To(Equal(sgv1.PurposePrereturn))
		siteBehindNotice(ns, 2)
		job := &batchv1.Job{}
		exists(job, ns, runName+"-inspect")
		Expect(job.Spec.Template.Spec.Containers[0].Args).To(ContainElement("http://edu-preview."+ns+".svc/"),
			"T6: the return is checked on the front end behind the notice")

		By("the inspection passes and both levels approve: restored")
		completeInspection(ns, runName, passing(90))
		expectPhase(ns, sgv1.TakedownReturning) // still waits for the approvals
		signAll(ns, returnSigners)
		expectPhase(ns, sgv1.TakedownRestored)
		Eventually(func(g Gomega) {
			fe := &appsv1.Deployment{}
			g.Expect(k8sClient.Get(ctx, key(ns, "edu-frontend"), fe)).To(Succeed())
			g.Expect(*fe.Spec.Replicas).To(Equal(int32(2)))
			svc := &corev1.Service{}
			g.Expect(k8sClient.Get(ctx, key(ns, "edu-web"), svc)).To(Succeed())
			g.Expect(svc.Spec.Selector).To(HaveKeyWithValue(builders.LabelComponent, builders.ComponentFrontend))
			g.Expect(k8sClient.Get(ctx, key(ns, "edu-notice"), &appsv1.Deployment{})).NotTo(Succeed())
		}, timeout, interval).Should(Succeed())
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(ns, "rebuild"), t)).To(Succeed())
		var phases []string
		for _, e := range t.Status.Timeline {
			phases = append(phases, e.Phase)
		}
		Expect(phases).To(Equal([]string{"Pending", "Approved", "Active", "Returning", "Restored"}))
		Eventually(func() []sgv1.ComplianceRecord { return getSite(ns).Status.ComplianceHistory }, timeout, interval).
			Should(ContainElement(HaveField("Summary", ContainSubstring("restored"))))
	})

	It("keeps a site down when its return has no approvals, and past its end marks it Overdue with a Warning (T6)", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		signAll(ns, chainSigners)
		expectPhase(ns, sgv1.TakedownApproved)
		at(ns, tdStart)
		expectPhase(ns, sgv1.TakedownActive)
		By("T5: a run of the site behind its notice ends without a verdict, and opens no ticket")
		Eventually(func() *sgv1.TakedownReference { return getSite(ns).Status.CurrentTakedown }, timeout, interval).
			Should(HaveField("Phase", sgv1.TakedownActive))
		Expect(k8sClient.Create(ctx, selfcheck(ns, "behind-notice"))).To(Succeed())
		Eventually(func() *sgv1.InspectionRun { return runOf(ns, "behind-notice") }, timeout, interval).Should(And(
			HaveField("Status.Phase", sgv1.InspectionFailed),
			HaveField("Status.FailureReason", ContainSubstring("is taken down (takedown rebuild): only a prereturn run inspects it")),
			HaveField("Status.JobName", BeEmpty())))
		filed := tdEnd.Add(-2 * 24 * time.Hour)
		fileReturn(ns, filed)
		runName := fmt.Sprintf("rebuild-prereturn-%d", filed.Unix())
		exists(&sgv1.InspectionRun{}, ns, runName)
		completeInspection(ns, runName, passing(90))
		Eventually(func() string {
			t := &sgv1.TakedownRequest{}
			_ = k8sClient.Get(ctx, key(ns, "rebuild"), t)
			c := meta.FindStatusCondition(t.Status.Conditions, sgv1.ConditionReady)
			if c == nil {
				return ""
			}
			return c.Reason
		}, timeout, interval).Should(Equal("AwaitingReturnApproval"))
		siteBehindNotice(ns, 2)
		at(ns, tdEnd.Add(time.Hour))
		expectPhase(ns, sgv1.TakedownOverdue)
		siteIsDown(ns)
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(ns, "rebuild"), t)).To(Succeed())
		Expect(meta.IsStatusConditionTrue(t.Status.Conditions, sgv1.ConditionStalled)).To(BeTrue())
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement("Overdue"))
	})

	It("runs the full permanent cycle: notice for 30 days, verified archive, closed, deregistration deadline (T7)", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownPermanent))).To(Succeed())
		signAll(ns, chainSigners)
		at(ns, tdStart)
		expectPhase(ns, sgv1.TakedownActive)
		siteIsDown(ns)

		at(ns, tdStart.Add(29*24*time.Hour))
		Consistently(func() sgv1.TakedownPhase { return phaseOf(ns) }, time.Second, interval).Should(Equal(sgv1.TakedownActive))

		By("after the notice period the content is archived before anything is released")
		at(ns, tdStart.Add(30*24*time.Hour))
		expectPhase(ns, sgv1.TakedownArchiving)
		job := &batchv1.Job{}
		exists(job, ns, "rebuild-archive")
		archivePVC := &corev1.PersistentVolumeClaim{}
		exists(archivePVC, ns, "edu-archive")
		Expect(archivePVC.OwnerReferences).To(BeEmpty(), "T7: the archive volume is retained")
		Consistently(func() sgv1.TakedownPhase { return phaseOf(ns) }, time.Second, interval).Should(Equal(sgv1.TakedownArchiving), "not closed before the archive is verified")

		By("the writer reports its digest: not enough, no other pod has read the archive back and its volume is not retained")
		digest := fmt.Sprintf("%064x", 42)
		completeArchiveJob(ns, job, archiveReport(digest, 12345))
		verify := &batchv1.Job{}
		exists(verify, ns, "rebuild-archive-verify")
		Expect(verify.Spec.Template.Spec.Containers[0].Args).To(ContainElements("archive-verify", digest), "the read-back checks the writer's digest")
		Consistently(func() sgv1.TakedownPhase { return phaseOf(ns) }, time.Second, interval).Should(Equal(sgv1.TakedownArchiving))

		By("the archive volume, bound with a Delete policy, is set to Retain (T7: it outlives its claim and namespace)")
		pv := bindToVolume(ns, "edu-archive", archivePVC.UID)
		Eventually(func() corev1.PersistentVolumeReclaimPolicy {
			Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(pv), pv)).To(Succeed())
			return pv.Spec.PersistentVolumeReclaimPolicy
		}, timeout, interval).Should(Equal(corev1.PersistentVolumeReclaimRetain))

		By("a second pod reads the archive back with the same digest: verified, closed")
		completeJob(ns, verify, "verify", archiveReport(digest, 12345))
		expectPhase(ns, sgv1.TakedownClosed)
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(ns, "rebuild"), t)).To(Succeed())
		Expect(t.Status.Archive).To(PointTo(MatchFields(IgnoreExtras, Fields{
			"SHA256": Equal(digest), "SizeBytes": BeEquivalentTo(12345), "Attempt": BeEquivalentTo(1),
			"WrittenBy": Equal("rebuild-archive-pod"), "VerifiedBy": Equal("rebuild-archive-verify-pod"),
			"VolumeName": Equal(pv.Name), "Retained": BeTrue(), "VerifiedAt": Not(BeNil()),
		})))
		Expect(t.Status.Deregistration.DueBy.Time.Equal(tdStart.Add(90 * 24 * time.Hour))).To(BeTrue())
		Expect(meta.FindStatusCondition(t.Status.Conditions, sgv1.ConditionReady).Reason).To(Equal(sgv1.ReasonAwaitingDeregistration))

		By("past 90 days without deregistration: a condition says so")
		at(ns, tdStart.Add(91*24*time.Hour))
		Eventually(func() string {
			_ = k8sClient.Get(ctx, key(ns, "rebuild"), t)
			c := meta.FindStatusCondition(t.Status.Conditions, sgv1.ConditionStalled)
			if c == nil {
				return ""
			}
			return c.Reason
		}, timeout, interval).Should(Equal("DeregistrationOverdue"))

		By("the site, closed by procedure, can now be deleted; its content stays")
		Expect(k8sClient.Delete(ctx, getSite(ns))).To(Succeed())
		gone(&sgv1.GovWebsite{}, ns, "edu")
		exists(&corev1.PersistentVolumeClaim{}, ns, "edu-content")
	})

	It("T7: a failed archive is a warning and is retried with backoff; a read-back that disagrees is a failure; nothing is released", func() {
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownPermanent))).To(Succeed())
		signAll(ns, chainSigners)
		at(ns, tdStart)
		expectPhase(ns, sgv1.TakedownActive)
		archivingAt := tdStart.Add(30 * 24 * time.Hour)
		at(ns, archivingAt)
		expectPhase(ns, sgv1.TakedownArchiving)
		first := &batchv1.Job{}
		exists(first, ns, "rebuild-archive")

		By("the writer Job gives up: condition, Warning event, the failure in status, still archiving")
		Expect(testenv.FailJob(ctx, k8sClient, first, jobPod(ns, first), "archive", 1, "Error", archivingAt)).To(Succeed())
		Eventually(readyReason, timeout, interval).WithArguments(ns).Should(Equal(sgv1.ReasonArchiveFailed))
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement(sgv1.ReasonArchiveFailed))
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, key(ns, "rebuild"), t)).To(Succeed())
		Expect(t.Status.Archive.LastFailure).To(ContainSubstring("the writer Job rebuild-archive failed"))
		Expect(t.Status.Archive.RetryAt.Time).To(BeTemporally("==", archivingAt.Add(5*time.Minute)), "the first retry waits 5 minutes")
		Expect(t.Status.Phase).To(Equal(sgv1.TakedownArchiving))

		By("not before the backoff: no second attempt")
		at(ns, archivingAt.Add(4*time.Minute))
		Consistently(func() error { return k8sClient.Get(ctx, key(ns, "rebuild-archive-2"), &batchv1.Job{}) }, time.Second, interval).
			ShouldNot(Succeed())

		By("after it: attempt 2 is a new Job, the failed one removed")
		at(ns, archivingAt.Add(5*time.Minute))
		second := &batchv1.Job{}
		exists(second, ns, "rebuild-archive-2")
		gone(&batchv1.Job{}, ns, "rebuild-archive")
		Eventually(readyReason, timeout, interval).WithArguments(ns).Should(Equal(sgv1.ReasonArchiving))

		By("the second pod reads back another digest than the writer reported: a failure, the next backoff doubled")
		completeArchiveJob(ns, second, archiveReport(fmt.Sprintf("%064x", 7), 100))
		verify := &batchv1.Job{}
		exists(verify, ns, "rebuild-archive-2-verify")
		completeJob(ns, verify, "verify", archiveReport(fmt.Sprintf("%064x", 8), 100))
		Eventually(readyReason, timeout, interval).WithArguments(ns).Should(Equal(sgv1.ReasonArchiveFailed))
		Expect(k8sClient.Get(ctx, key(ns, "rebuild"), t)).To(Succeed())
		Expect(t.Status.Archive.LastFailure).To(ContainSubstring("read back sha256 " + fmt.Sprintf("%064x", 8)))
		Expect(t.Status.Archive.RetryAt.Time).To(BeTemporally("==", archivingAt.Add(15*time.Minute)))
		Expect(t.Status.Archive.VerifiedAt).To(BeNil())
		Consistently(func() sgv1.TakedownPhase { return phaseOf(ns) }, time.Second, interval).Should(Equal(sgv1.TakedownArchiving), "nothing released")
	})
})

// archiveReport is what `sitegroup archive` and `archive-verify` write to
// their termination message.
func archiveReport(digest string, size int) string {
	return fmt.Sprintf(`{"path":"/archive/rebuild.tar.gz","sha256":"%s","sizeBytes":%d,"files":3}`, digest, size)
}

// readyReason is the takedown's Ready reason.
func readyReason(ns string) string {
	t := &sgv1.TakedownRequest{}
	_ = k8sClient.Get(ctx, key(ns, "rebuild"), t)
	if c := meta.FindStatusCondition(t.Status.Conditions, sgv1.ConditionReady); c != nil {
		return c.Reason
	}
	return ""
}

// completeArchiveJob plays the Job controller and kubelet: a pod of the Job
// terminated with the archive's report, and the Job complete.
func completeArchiveJob(ns string, job *batchv1.Job, report string) {
	GinkgoHelper()
	completeJob(ns, job, "archive", report)
}

// createPortal creates an approved portal "portal" in a namespace of its
// own, with its region's site code and domain; it returns the namespace.
func createPortal(siteCode, domain string) string {
	GinkgoHelper()
	ns := newSiteNamespace()
	portal := eduSite(ns)
	portal.Name = "portal"
	portal.Spec.SiteKind, portal.Spec.ParentPortal = sgv1.SiteKindPortal, nil
	portal.Spec.SiteCode, portal.Spec.Domains = siteCode, []sgv1.Domain{sgv1.Domain(domain)}
	createApproved(portal)
	return ns
}

// createSubSite creates the approved department site "edu" in ns under the portal of portalNs.
func createSubSite(ns, portalNs string) {
	GinkgoHelper()
	site := eduSite(ns)
	site.Spec.ParentPortal = &sgv1.NamespacedObjectReference{Name: "portal", Namespace: portalNs}
	createApproved(site)
}

var _ = Describe("the portal's takedown board (T5, Nanjing's rule)", func() {
	It("lists a sub-site's takedown in force in a ConfigMap mounted into the portal's front end", func() {
		portalNs := createPortal("1201990001", "www.tj-board.gov.cn")
		ns := newSiteNamespace()
		testClock.Set(tdStart.Add(-6 * 24 * time.Hour))
		createSubSite(ns, portalNs)
		Expect(k8sClient.Create(ctx, takedownOf(ns, sgv1.TakedownTemporary))).To(Succeed())
		signAll(ns, chainSigners)
		at(ns, tdStart)
		expectPhase(ns, sgv1.TakedownActive)

		board := &corev1.ConfigMap{}
		Eventually(func(g Gomega) {
			g.Expect(k8sClient.Get(ctx, key(portalNs, "portal-takedowns"), board)).To(Succeed())
			g.Expect(board.Data["takedowns.json"]).To(ContainSubstring(siteDomain(ns)))
			g.Expect(board.Data["takedowns.html"]).To(ContainSubstring("天津市和平区教育局"))
		}, timeout, interval).Should(Succeed())
		fe := &appsv1.Deployment{}
		exists(fe, portalNs, "portal-frontend")
		Expect(fe.Spec.Template.Spec.Containers[0].VolumeMounts).To(ContainElement(HaveField("MountPath", builders.TakedownBoardMountPath)))

		By("the notice page links to the portal")
		cm := &corev1.ConfigMap{}
		exists(cm, ns, "edu-notice")
		Expect(cm.Data["notice.json"]).To(ContainSubstring("https://www.tj-board.gov.cn/"))
	})

	It("S5: posts a sub-site's opening announcement beside the takedowns for the policy's period, and keeps it in the site's record", func() {
		portalNs := createPortal("1201980001", "www.tj-open.gov.cn")
		ns := newSiteNamespace()
		testClock.Set(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
		createSubSite(ns, portalNs)
		makeRunning(ns, "node-bj-1", "node-sh-1") // the prelaunch inspection passes: the site launches

		launch := getSite(ns).Status.Launch
		Expect(launch.AnnouncedUntil.Time).To(BeTemporally("==", launch.LaunchedAt.Add(30*24*time.Hour)), "the policy's filing.openingNoticeDays")
		board := &corev1.ConfigMap{}
		Eventually(func(g Gomega) {
			g.Expect(k8sClient.Get(ctx, key(portalNs, "portal-takedowns"), board)).To(Succeed())
			g.Expect(board.Data["takedowns.json"]).To(ContainSubstring(`"openings": [`))
			g.Expect(board.Data["takedowns.json"]).To(ContainSubstring(siteDomain(ns)))
			g.Expect(board.Data["takedowns.html"]).To(And(ContainSubstring("网站开通公告"), ContainSubstring("正式开通")))
		}, timeout, interval).Should(Succeed())
		Expect(getSite(ns).Status.ComplianceHistory).To(ContainElement(And(HaveField("Kind", sgv1.RecordAnnouncement),
			HaveField("Summary", ContainSubstring("the board of its portal "+portalNs+"/portal")))))

		By("the announcement comes off the board when its period ends")
		testClock.Set(launch.AnnouncedUntil.Add(time.Minute))
		wake := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: portalNs, Name: "portal"}}
		Expect(updateAs(k8sClient, wake, func() { metav1.SetMetaDataAnnotation(&wake.ObjectMeta, "test.sitegroup.io/wake", "1") })).
			To(Succeed(), "wake the portal, as its requeue at the period's end would")
		Eventually(func() string {
			Expect(k8sClient.Get(ctx, key(portalNs, "portal-takedowns"), board)).To(Succeed())
			return board.Data["takedowns.json"]
		}, timeout, interval).Should(ContainSubstring(`"openings": []`))
	})
})
