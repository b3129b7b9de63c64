package controller

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/findings"
)

// jobState is what a run's Job and pods say, read by pure functions so each
// outcome is table-tested.
type jobState struct {
	Phase sgv1.InspectionPhase
	// Summary is the inspector's termination message, once a pod finished.
	Summary *findings.Summary
	// Pod is the pod the summary (or the failure) came from.
	Pod string
	// Detail says why the run is waiting or failed, for a person.
	Detail string
	// RecheckAfter is when time alone will change the state (a summary
	// that never came fails the run); zero when it will not.
	RecheckAfter time.Duration
}

// summaryGrace is how long a completed Job's pods may take to show the
// inspector's summary (the pod reaches the cache after the Job's
// completion does). After it, a run whose summary is unreadable, or never
// came, fails: left Running it would block every later run of its site.
const summaryGrace = 2 * time.Minute

// Container state reasons the kubelet writes (it exports no constants for them).
const (
	kubeletReasonContainerCreating = "ContainerCreating"
	kubeletReasonOOMKilled         = "OOMKilled"
)

// readJob decides a run's phase from its Job and pods. A Job that completes
// gives the inspector's verdict; a Job that fails is an infrastructure
// failure (image, memory, deadline), never a site verdict.
func readJob(job *batchv1.Job, pods []corev1.Pod, now time.Time) jobState {
	if job == nil {
		return jobState{Phase: sgv1.InspectionPending, Detail: "creating the inspection Job"}
	}
	switch c := jobTerminal(job); {
	case c != nil && c.Type == batchv1.JobComplete:
		if sum, pod, ok := summaryOf(pods); ok {
			return jobState{Phase: sgv1.InspectionSucceeded, Summary: &sum, Pod: pod}
		}
		if pod := finishedWithoutSummary(pods); pod != "" {
			return jobState{Phase: sgv1.InspectionFailed, Pod: pod,
				Detail: "pod " + pod + " finished without the inspector's summary in its termination message"}
		}
		// The pod may reach the cache after the Job's completion does.
		waited := now.Sub(c.LastTransitionTime.Time)
		if waited < summaryGrace {
			return jobState{Phase: sgv1.InspectionRunning, Detail: "Job complete; waiting for its pod's summary", RecheckAfter: summaryGrace - waited}
		}
		return jobState{Phase: sgv1.InspectionFailed, Detail: fmt.Sprintf(
			"the inspection Job completed %s ago, but no pod of it left a readable summary (the inspector's JSON, with a verdict of pass or fail) in its termination message",
			waited.Truncate(time.Second))}
	case c != nil:
		detail := jobFailure(c.Reason, c.Message)
		if pod := podTrouble(pods); pod != "" {
			detail += "; " + pod
		}
		return jobState{Phase: sgv1.InspectionFailed, Detail: detail}
	}
	if trouble := podTrouble(pods); trouble != "" {
		return jobState{Phase: sgv1.InspectionRunning, Detail: trouble}
	}
	if job.Status.Active > 0 {
		return jobState{Phase: sgv1.InspectionRunning, Detail: "the inspector is crawling the site"}
	}
	return jobState{Phase: sgv1.InspectionPending, Detail: "waiting for the inspection pod to start"}
}

// summaryOf reads a finished inspector's termination message, and the pod
// it came from.
func summaryOf(pods []corev1.Pod) (findings.Summary, string, bool) {
	for _, m := range terminationMessages(pods) {
		var sum findings.Summary
		if err := json.Unmarshal([]byte(m.message), &sum); err == nil && (sum.Verdict == findings.Pass || sum.Verdict == findings.Fail || sum.Verdict == findings.Unjudged) {
			return sum, m.pod, true
		}
	}
	return findings.Summary{}, "", false
}

// finishedWithoutSummary names a pod whose container ended well but left
// no summary: not the inspector's doing (simulated nodes complete pods
// without running them).
func finishedWithoutSummary(pods []corev1.Pod) string {
	for _, pod := range pods {
		for _, cs := range pod.Status.ContainerStatuses {
			if t := cs.State.Terminated; t != nil && t.ExitCode == 0 && t.Message == "" {
				return pod.Name
			}
		}
	}
	return ""
}

// jobFailure names the Job controller's reason in a person's words.
func jobFailure(reason, message string) string {
	switch reason {
	case batchv1.JobReasonDeadlineExceeded:
		return "the inspection Job ran past its deadline (DeadlineExceeded)"
	case batchv1.JobReasonBackoffLimitExceeded:
		return "the inspector failed on every attempt (BackoffLimitExceeded)"
	}
	return strings.TrimSpace(fmt.Sprintf("the inspection Job failed: %s %s", reason, message))
}

// podTrouble finds why an inspection pod cannot run or did not finish:
// an image that cannot start, out of memory, a crash.
func podTrouble(pods []corev1.Pod) string {
	for _, pod := range pods {
		for _, cs := range pod.Status.ContainerStatuses {
			if w := cs.State.Waiting; w != nil && w.Reason != "" && w.Reason != kubeletReasonContainerCreating {
				return fmt.Sprintf("pod %s cannot start its container: %s %s", pod.Name, w.Reason, w.Message)
			}
			t := cs.State.Terminated
			switch {
			case t == nil || t.ExitCode == 0:
			case t.Reason == kubeletReasonOOMKilled:
				return fmt.Sprintf("pod %s ran out of memory (OOMKilled)", pod.Name)
			default:
				return fmt.Sprintf("pod %s: the inspector exited %d: %s", pod.Name, t.ExitCode, firstLine(t.Message))
			}
		}
		for _, c := range pod.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
				return fmt.Sprintf("pod %s cannot be scheduled: %s", pod.Name, c.Message)
			}
		}
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return truncate(s, 300)
}

// applySummary copies the inspector's summary into the run's status,
// within the status's bounds.
func applySummary(st *sgv1.InspectionRunStatus, sum findings.Summary) {
	st.Verdict = sgv1.Verdict(sum.Verdict)
	score := int32(sum.Score)
	st.Score = &score
	st.Vetoes = nil
	seen := map[string]bool{}
	for _, v := range sum.Vetoes {
		if seen[v.ID] || len(st.Vetoes) == 5 {
			continue
		}
		seen[v.ID] = true
		reason := v.Reason
		if r := []rune(reason); len(r) > 512 {
			reason = string(r[:511]) + "…" // the CRD's MaxLength=512 counts the ellipsis too
		}
		st.Vetoes = append(st.Vetoes, sgv1.Veto{ID: v.ID, Reason: reason})
	}
	st.Deductions = nil
	for _, d := range sum.Deductions {
		if len(st.Deductions) < 8 {
			st.Deductions = append(st.Deductions, sgv1.DeductionTotal{Group: d.Group, Points: int32(d.Points)})
		}
	}
	c := sum.Counts
	st.Counts = &sgv1.InspectionCounts{Pages: int32(c.Pages), Links: int32(c.Links), DeadLinks: int32(c.DeadLinks),
		HomepageDeadLinks: int32(c.HomepageDeadLinks), Columns: int32(c.Columns), BlankColumns: int32(c.BlankColumns), StaleColumns: int32(c.StaleColumns)}
	st.Warnings = nil
	for _, w := range sum.Warnings {
		if len(st.Warnings) < 16 {
			st.Warnings = append(st.Warnings, w)
		}
	}
	st.BudgetExhausted = sum.BudgetExhausted
}

// verdictMessage is the Ready message of a finished run.
func verdictMessage(st sgv1.InspectionRunStatus) string {
	msg := fmt.Sprintf("verdict %s", st.Verdict)
	if st.Score != nil {
		msg += fmt.Sprintf(", score %d", *st.Score)
	}
	ids := make([]string, 0, len(st.Vetoes))
	for _, v := range st.Vetoes {
		ids = append(ids, v.ID)
	}
	if len(ids) > 0 {
		msg += ", vetoes " + strings.Join(ids, " ")
	}
	if st.BudgetExhausted != "" {
		msg += "; crawl budget ran out (" + st.BudgetExhausted + ")"
	}
	return msg
}
