package controller_test

import (
	"fmt"
	"sort"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
)

// shanghai is a wall-clock time in the platform's calendar.
func shanghai(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Shanghai)
}

// wakeSchedules moves the clock and pokes the site so the scheduler looks
// (it requeues on real time; the fake clock needs a nudge).
func wakeSchedules(ns string, t time.Time) {
	GinkgoHelper()
	testClock.Set(t)
	updateSite(ns, func(site *sgv1.GovWebsite) {
		if site.Annotations == nil {
			site.Annotations = map[string]string{}
		}
		site.Annotations["test/now"] = fmt.Sprint(t.Unix())
	})
}

// runsOfPurpose lists the site's runs of a purpose, by name.
func runsOfPurpose(ns string, purpose sgv1.InspectionPurpose) []string {
	list := &sgv1.InspectionRunList{}
	Expect(k8sClient.List(ctx, list, client.InNamespace(ns))).To(Succeed())
	var names []string
	for _, r := range list.Items {
		if r.Spec.Purpose == purpose {
			names = append(names, r.Name)
		}
	}
	sort.Strings(names)
	return names
}

// launchedSite creates "edu" launched at t, with a daily schedule that
// does not fire in these tests (29 February) unless the test says otherwise.
func launchedSite(ns string, t time.Time, daily string) {
	GinkgoHelper()
	testClock.Set(t)
	site := eduSite(ns)
	site.Spec.Inspection.Schedule = daily
	createApproved(site)
	makeRunning(ns, "node-bj-1", "node-sh-1")
}

var _ = Describe("inspection schedules", func() {
	var ns string
	BeforeEach(func() { ns = newSiteNamespace() })

	It("starts runs at their Asia/Shanghai times and keeps only the newest runs", func() {
		launchedSite(ns, shanghai(2027, 3, 1, 5, 0), "0 6 * * *")
		Expect(runsOfPurpose(ns, sgv1.PurposeDaily)).To(BeEmpty(), "nothing is due at launch")

		for day := 1; day <= 5; day++ {
			at := shanghai(2027, 3, day, 6, 0)
			name := "edu-daily-" + at.Format("200601021504")
			wakeSchedules(ns, at.Add(30*time.Second))
			Eventually(runsOfPurpose, timeout, interval).WithArguments(ns, sgv1.PurposeDaily).Should(ContainElement(name))
			run := runOf(ns, name)
			Expect(run.Annotations).To(HaveKeyWithValue(sgv1.AnnotationScheduledAt, at.UTC().Format(time.RFC3339)))
			Expect(run.Spec.Checks).To(ContainElement(sgv1.InspectionCheck("availability")))
			Expect(run.OwnerReferences).To(ContainElement(HaveField("Name", "edu")))
			completeInspection(ns, name, passing(90))
			Eventually(func() string { return getSite(ns).Status.LastInspection.Run }, timeout, interval).Should(Equal(name))
		}
		By("history limits: the policy keeps the newest 3 successful daily runs")
		Eventually(runsOfPurpose, timeout, interval).WithArguments(ns, sgv1.PurposeDaily).Should(ConsistOf(
			"edu-daily-202703030600", "edu-daily-202703040600", "edu-daily-202703050600"))
		Expect(runsOfPurpose(ns, sgv1.PurposePrelaunch)).To(ConsistOf("edu-prelaunch"), "unscheduled runs are never pruned")

		By("a run missed by more than the starting deadline is skipped, with a Warning")
		wakeSchedules(ns, shanghai(2027, 3, 6, 8, 0))
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement("MissedSchedule"))
		Consistently(runsOfPurpose, time.Second, interval).WithArguments(ns, sgv1.PurposeDaily).ShouldNot(ContainElement("edu-daily-202703060600"))
	})

	It("starts the patrol in early May and the monthly run on the first", func() {
		launchedSite(ns, shanghai(2027, 4, 30, 12, 0), "0 6 29 2 *")
		wakeSchedules(ns, shanghai(2027, 5, 1, 2, 0).Add(time.Minute))
		Eventually(runsOfPurpose, timeout, interval).WithArguments(ns, sgv1.PurposeMonthly).Should(ConsistOf("edu-monthly-202705010200"))
		Expect(runsOfPurpose(ns, sgv1.PurposePatrol)).To(BeEmpty())
		wakeSchedules(ns, shanghai(2027, 5, 2, 3, 0).Add(time.Minute))
		Eventually(runsOfPurpose, timeout, interval).WithArguments(ns, sgv1.PurposePatrol).Should(ConsistOf("edu-patrol-202705020300"))
	})

	It("T8: two failing months start a rectification TakedownRequest, Pending, never approved by the operator", func() {
		launchedSite(ns, shanghai(2027, 9, 20, 12, 0), "0 6 29 2 *")
		for _, month := range []time.Month{10, 11} {
			at := shanghai(2027, month, 1, 2, 0)
			name := "edu-monthly-" + at.Format("200601021504")
			wakeSchedules(ns, at.Add(time.Minute))
			Eventually(runsOfPurpose, timeout, interval).WithArguments(ns, sgv1.PurposeMonthly).Should(ContainElement(name))
			completeInspection(ns, name, failing("V3"))
		}
		Eventually(func(g Gomega) {
			site := getSite(ns)
			g.Expect(site.Status.ConsecutiveFailingMonths).To(Equal(int32(2)))
			g.Expect(site.Status.MonthlyResults).To(HaveLen(2))
			g.Expect(site.Status.MonthlyResults[1]).To(And(HaveField("Month", "2027-11"), HaveField("Verdict", sgv1.VerdictFail)))
		}, timeout, interval).Should(Succeed())
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionRectificationRequired) }, timeout, interval).
			Should(And(HaveField("Status", metav1.ConditionTrue), HaveField("Message", ContainSubstring("T8"))))
		req := &sgv1.TakedownRequest{}
		exists(req, ns, "edu-rectification-2027-11")
		Expect(req.Spec.Type).To(Equal(sgv1.TakedownTemporary))
		Expect(req.Spec.Approvals).To(BeEmpty(), "T1: people approve a takedown, never the operator")
		Eventually(func() sgv1.TakedownPhase {
			Expect(k8sClient.Get(ctx, key(ns, req.Name), req)).To(Succeed())
			return req.Status.Phase
		}, timeout, interval).Should(Equal(sgv1.TakedownPending))
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElements("ConsecutiveFailingMonths", "RectificationRequested"))
		By("each month's full result is published as <site>-monthly-<month>, its report included")
		record := &corev1.ConfigMap{}
		exists(record, ns, "edu-monthly-2027-11")
		Expect(record.Data).To(And(HaveKeyWithValue("result.json", ContainSubstring(`"verdict":"fail"`)), HaveKeyWithValue("report.json", ContainSubstring("V3"))))
		Expect(condition(ns, sgv1.ConditionCompliant).Status).To(Equal(metav1.ConditionFalse))

		By("a pending takedown leaves the site serving, so its inspections go on")
		Eventually(func() *sgv1.TakedownReference { return getSite(ns).Status.CurrentTakedown }, timeout, interval).
			Should(HaveField("Phase", sgv1.TakedownPending))
		wakeSchedules(ns, shanghai(2027, 12, 1, 2, 0).Add(time.Minute))
		Eventually(runsOfPurpose, timeout, interval).WithArguments(ns, sgv1.PurposeMonthly).Should(ContainElement("edu-monthly-202712010200"))
		completeInspection(ns, "edu-monthly-202712010200", passing(80))
		Expect(k8sClient.Create(ctx, selfcheck(ns, "while-pending"))).To(Succeed())
		exists(&batchv1.Job{}, ns, "while-pending-inspect")
	})
})
