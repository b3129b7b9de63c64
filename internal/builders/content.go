package builders

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/jobargs"
)

// AnnotationContentImported on the content volume records that the import
// ran, so a re-created site never imports over live content.
const AnnotationContentImported = "sitegroup.io/content-imported"

// ContentClaim is the site's content volume. It has no owner: deleting the
// GovWebsite never deletes its content (T7). The site label says where it
// came from. ReadWriteMany because the front end and the admin run on
// different hosts (S7).
func ContentClaim(site *sgv1.GovWebsite) *corev1.PersistentVolumeClaim {
	size := site.Spec.Content.Size
	if size.IsZero() {
		size = resource.MustParse("5Gi")
	}
	return &corev1.PersistentVolumeClaim{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: ContentClaimName(site), Namespace: site.Namespace, Labels: SiteLabels(site)},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes:      []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			StorageClassName: site.Spec.Content.StorageClassName,
			Resources:        corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		},
	}
}

// ImportJob fills the content volume once from the migration source: a
// restricted pod running `sitegroup content-import`, placed on domestic
// nodes like every pod of the site (S6).
func ImportJob(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, operatorImage string) *batchv1.Job {
	src := site.Spec.Content.ImportFrom
	args := jobargs.ContentImport{To: ContentMountPath}
	volumes := contentVolumes(site, false)
	mounts := contentMounts(false)
	if src.ExistingClaim != "" {
		args.FromDir = "/import"
		volumes = append(volumes, corev1.Volume{Name: "import", VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: src.ExistingClaim, ReadOnly: true},
		}})
		mounts = append(mounts, corev1.VolumeMount{Name: "import", MountPath: "/import", ReadOnly: true})
	} else {
		args.ArchiveURL = src.ArchiveURL
	}
	return operatorJob(childMeta(site, ImportJobName(site), ComponentLabels(site, ComponentImport)), p, 3600, corev1.Container{
		Name:         "import",
		Image:        operatorImage,
		Args:         args.Args(),
		VolumeMounts: mounts,
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
		},
	}, volumes)
}

// SiteNamespace labels the site's namespace: Pod Security "restricted" is
// enforced, and the S6 ValidatingAdmissionPolicy selects it.
func SiteNamespace(name string) *corev1.Namespace {
	return &corev1.Namespace{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			"pod-security.kubernetes.io/enforce":         "restricted",
			"pod-security.kubernetes.io/enforce-version": "latest",
			LabelSiteNamespace:                           "true",
		}},
	}
}
