package testenv

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// envtest runs no kube-controller-manager and no kubelet: the suites play
// the Job controller and the kubelet for the operator's Jobs with these.

// JobPod is the pod the Job controller would make for job, on node: the
// template's labels and the job-name label, controlled by the Job. The
// suite creates it as the controllers' user.
func JobPod(job *batchv1.Job, node string) *corev1.Pod {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: job.Namespace, Name: JobPodName(job), Labels: map[string]string{},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(job, batchv1.SchemeGroupVersion.WithKind("Job"))}},
		Spec: *job.Spec.Template.Spec.DeepCopy(),
	}
	for k, v := range job.Spec.Template.Labels {
		pod.Labels[k] = v
	}
	pod.Labels[batchv1.JobNameLabel] = job.Name
	pod.Spec.NodeName = node
	return pod
}

// JobPodName is the name JobPod gives.
func JobPodName(job *batchv1.Job) string { return job.Name + "-pod" }

// CompleteJob plays the kubelet and the Job controller: pod's container
// ends well with message as its termination message, and the Job
// completes at at.
func CompleteJob(ctx context.Context, admin client.Client, job *batchv1.Job, pod *corev1.Pod, container, message string, at time.Time) error {
	pod.Status.Phase = corev1.PodSucceeded
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: container, State: corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", Message: message},
	}}}
	if err := admin.Status().Update(ctx, pod); err != nil {
		return err
	}
	now := metav1.NewTime(at)
	if err := admin.Get(ctx, client.ObjectKeyFromObject(job), job); err != nil {
		return err
	}
	job.Status.StartTime, job.Status.CompletionTime, job.Status.Succeeded = &now, &now, 1
	job.Status.Conditions = []batchv1.JobCondition{
		{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: now},
	}
	return admin.Status().Update(ctx, job)
}

// FailJob plays the kubelet and the Job controller for a Job that gave up:
// pod's container ended with exitCode and reason, and the Job failed at at
// with its backoff limit exceeded.
func FailJob(ctx context.Context, admin client.Client, job *batchv1.Job, pod *corev1.Pod, container string, exitCode int32, reason string, at time.Time) error {
	pod.Status.Phase = corev1.PodFailed
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: container, State: corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: exitCode, Reason: reason}}}}
	if err := admin.Status().Update(ctx, pod); err != nil {
		return err
	}
	now := metav1.NewTime(at)
	if err := admin.Get(ctx, client.ObjectKeyFromObject(job), job); err != nil {
		return err
	}
	job.Status.StartTime, job.Status.Failed = &now, 1
	job.Status.Conditions = []batchv1.JobCondition{
		{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: batchv1.JobReasonBackoffLimitExceeded, LastTransitionTime: now},
		{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: batchv1.JobReasonBackoffLimitExceeded,
			Message: "Job has reached the specified backoff limit", LastTransitionTime: now},
	}
	return admin.Status().Update(ctx, job)
}

// BindClusterRole binds a ClusterRole to a user cluster-wide, as a
// platform engineer binds the personas (README, "Who may do what").
func BindClusterRole(ctx context.Context, admin client.Client, role, user string) error {
	return admin.Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role + ":" + user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	})
}
