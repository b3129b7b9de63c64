package controller_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/testenv"
)

var inspectorLogs = &testenv.PodLogs{}

// passing is a clean report.
func passing(score int) findings.Report {
	return findings.Report{Verdict: findings.Pass, Score: score, Stats: findings.Stats{Pages: 12, Links: 80}}
}

// failing is a report with vetoes.
func failing(vetoes ...string) findings.Report {
	r := findings.Report{Verdict: findings.Fail, Score: 0, Stats: findings.Stats{Pages: 12, Links: 80}}
	for _, v := range vetoes {
		r.Vetoes = append(r.Vetoes, findings.Veto{ID: v, Reason: v + " found by the test"})
	}
	return r
}

// completeInspection plays the Job controller and kubelet for a run: its
// pod terminates with the inspector's summary as termination message and
// its report on stdout, and the Job completes.
func completeInspection(ns, run string, report findings.Report) {
	GinkgoHelper()
	endInspection(ns, run, report)
	Eventually(func() sgv1.InspectionPhase { return runOf(ns, run).Status.Phase }, timeout, interval).Should(Equal(sgv1.InspectionSucceeded))
}

// endInspection is completeInspection without waiting for the run's phase.
func endInspection(ns, run string, report findings.Report) {
	GinkgoHelper()
	job := &batchv1.Job{}
	exists(job, ns, run+"-inspect")
	log, err := json.Marshal(report)
	Expect(err).NotTo(HaveOccurred())
	inspectorLogs.Set(key(ns, testenv.JobPodName(job)), append([]byte("starting inspection\n"), log...))
	completeJob(ns, job, "inspect", string(findings.Summarize(report).Encode()))
}

// completeJob plays the Job controller and kubelet for any of the
// operator's Jobs: a pod of the Job terminates well with message as its
// termination message, and the Job completes. The Job controller and the
// manager share the suite's one clock.
func completeJob(ns string, job *batchv1.Job, container, message string) {
	GinkgoHelper()
	Expect(testenv.CompleteJob(ctx, k8sClient, job, jobPod(ns, job), container, message, testClock.Now())).To(Succeed())
}

// jobPod creates a pod of the Job, as the Job controller would, created by
// the controller's user.
func jobPod(ns string, job *batchv1.Job) *corev1.Pod {
	GinkgoHelper()
	pod := testenv.JobPod(job, "node-sh-1")
	Expect(as(kubeController).Create(ctx, pod)).To(Succeed())
	return pod
}

func runOf(ns, name string) *sgv1.InspectionRun {
	GinkgoHelper()
	run := &sgv1.InspectionRun{}
	Expect(k8sClient.Get(ctx, key(ns, name), run)).To(Succeed())
	return run
}

// passPrelaunch lets the site "edu" launch (S5): its prelaunch run passes.
func passPrelaunch(ns string) {
	GinkgoHelper()
	completeInspection(ns, "edu-prelaunch", passing(92))
	Eventually(func() *sgv1.LaunchStatus { return getSite(ns).Status.Launch }, timeout, interval).
		Should(HaveField("LaunchedAt", Not(BeNil())))
}

// findCondition returns a condition or an empty one (never nil).
func findCondition(conds []metav1.Condition, typ string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == typ {
			return &conds[i]
		}
	}
	return &metav1.Condition{}
}
