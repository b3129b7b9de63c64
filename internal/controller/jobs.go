package controller

import (
	"context"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// The operator's Jobs (inspection, content import, archive) report through
// their conditions and their pods' termination messages; these helpers
// read both the same way for every Job.

// getJob reads a Job; nil when it does not exist.
func getJob(ctx context.Context, c client.Reader, key client.ObjectKey) (*batchv1.Job, error) {
	job := &batchv1.Job{}
	if err := c.Get(ctx, key, job); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return job, nil
}

// jobTerminal is the Job's terminal condition (Complete or Failed); nil
// while the Job runs.
func jobTerminal(job *batchv1.Job) *batchv1.JobCondition {
	for i, c := range job.Status.Conditions {
		if c.Status == corev1.ConditionTrue && (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) {
			return &job.Status.Conditions[i]
		}
	}
	return nil
}

// jobPods lists the pods the Job controls (by its UID), from the
// label-selected cache: a pod that merely carries the Job's job-name label
// cannot hand the operator a forged termination message (V1–V5, T7).
func jobPods(ctx context.Context, c client.Reader, job *batchv1.Job) ([]corev1.Pod, error) {
	pods := &corev1.PodList{}
	if err := c.List(ctx, pods, client.InNamespace(job.Namespace), client.MatchingLabels{batchv1.JobNameLabel: job.Name}); err != nil {
		return nil, err
	}
	var out []corev1.Pod
	for _, p := range pods.Items {
		if metav1.IsControlledBy(&p, job) {
			out = append(out, p)
		}
	}
	return out, nil
}

// terminationMessage is what one container that ended well left in its
// termination message.
type terminationMessage struct {
	pod, message string
}

// terminationMessages are the messages of the containers that exited 0
// with one, pod by pod.
func terminationMessages(pods []corev1.Pod) []terminationMessage {
	var out []terminationMessage
	for _, pod := range pods {
		for _, cs := range pod.Status.ContainerStatuses {
			if t := cs.State.Terminated; t != nil && t.ExitCode == 0 && t.Message != "" {
				out = append(out, terminationMessage{pod.Name, t.Message})
			}
		}
	}
	return out
}

// importOutcome reads the content import Job's phase and a message.
func importOutcome(job *batchv1.Job) (phase, message string) {
	if c := jobTerminal(job); c != nil {
		if c.Type == batchv1.JobComplete {
			return sgv1.ImportSucceeded, "import Job completed"
		}
		return sgv1.ImportFailed, fmt.Sprintf("import Job failed: %s: %s", c.Reason, c.Message)
	}
	if job.Status.Active > 0 {
		return sgv1.ImportRunning, "import Job running"
	}
	return sgv1.ImportPending, "import Job waiting for its pod"
}
