package builders

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// operatorJob is a Job running one of the operator's own commands: a
// restricted pod on the admin hosts of the domestic regions (S6), no API
// token, two retries and a deadline.
func operatorJob(meta metav1.ObjectMeta, p sgv1.SiteGroupPolicySpec, deadline int64, c corev1.Container, volumes []corev1.Volume) *batchv1.Job {
	c.ImagePullPolicy = corev1.PullIfNotPresent
	c.SecurityContext = RestrictedContainerSecurity()
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: meta,
		Spec: batchv1.JobSpec{
			BackoffLimit:          ptr.To[int32](2),
			ActiveDeadlineSeconds: ptr.To(deadline),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: meta.Labels},
				Spec: corev1.PodSpec{
					RestartPolicy:                corev1.RestartPolicyNever,
					AutomountServiceAccountToken: ptr.To(false),
					SecurityContext:              RestrictedPodSecurity(),
					Affinity:                     DomesticAffinity(p, p.Placement.AdminNodeSelector),
					Containers:                   []corev1.Container{c},
					Volumes:                      volumes,
				},
			},
		},
	}
}
