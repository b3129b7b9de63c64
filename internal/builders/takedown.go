package builders

import (
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/jobargs"
)

// ComponentArchive archives content before a permanent closure (T7).
const ComponentArchive = "archive"

// ArchiveMountPath is where the archive volume is mounted.
const ArchiveMountPath = "/archive"

// PrereturnRunName names the T6 inspection of one return request: refiling
// the return (a new filedAt) starts a new run.
func PrereturnRunName(t *sgv1.TakedownRequest) string {
	return fmt.Sprintf("%s-prereturn-%d", t.Name, t.Spec.ReturnRequest.FiledAt.Unix())
}

// ArchiveClaimName is the retained volume holding a site's archives.
func ArchiveClaimName(site string) string { return site + "-archive" }

// ComponentArchiveVerify reads a T7 archive back in a second pod.
const ComponentArchiveVerify = "archive-verify"

// ArchiveJobName is the Job archiving a takedown's content at an attempt
// (from 1): a failed attempt's Job stays as its record, the next one is a
// new Job (T7: retried with backoff).
func ArchiveJobName(t *sgv1.TakedownRequest, attempt int32) string {
	if attempt <= 1 {
		return t.Name + "-archive"
	}
	return fmt.Sprintf("%s-archive-%d", t.Name, attempt)
}

// ArchiveVerifyJobName is the Job reading back an attempt's archive.
func ArchiveVerifyJobName(t *sgv1.TakedownRequest, attempt int32) string {
	return ArchiveJobName(t, attempt) + "-verify"
}

// ArchivePath is the tarball of a takedown on the archive volume.
func ArchivePath(t *sgv1.TakedownRequest) string { return ArchiveMountPath + "/" + t.Name + ".tar.gz" }

func takedownOwner(t *sgv1.TakedownRequest) []metav1.OwnerReference {
	return []metav1.OwnerReference{{
		APIVersion: sgv1.GroupVersion.String(), Kind: "TakedownRequest", Name: t.Name, UID: t.UID,
		Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true),
	}}
}

// LabelTakedown names the TakedownRequest an object works for, so its
// pods wake that request's reconciler.
const LabelTakedown = "sitegroup.io/takedown"

func takedownLabels(t *sgv1.TakedownRequest, component string) map[string]string {
	return map[string]string{
		LabelManagedBy: ManagerName, LabelPartOf: "sitegroup",
		LabelSite: t.Spec.SiteRef.Name, LabelComponent: component, LabelTakedown: t.Name,
	}
}

// PrereturnRun is the inspection a temporary takedown's return waits for (T6).
func PrereturnRun(t *sgv1.TakedownRequest) *sgv1.InspectionRun {
	return &sgv1.InspectionRun{
		TypeMeta: metav1.TypeMeta{APIVersion: sgv1.GroupVersion.String(), Kind: "InspectionRun"},
		ObjectMeta: metav1.ObjectMeta{Name: PrereturnRunName(t), Namespace: t.Namespace,
			Labels: takedownLabels(t, "inspection"), OwnerReferences: takedownOwner(t)},
		Spec: sgv1.InspectionRunSpec{
			SiteRef: &sgv1.LocalObjectReference{Name: t.Spec.SiteRef.Name},
			Purpose: sgv1.PurposePrereturn,
		},
	}
}

// ArchiveClaim is retained: no owner, so the archive outlives the site and
// the takedown (T7: nothing is deleted until archived).
func ArchiveClaim(t *sgv1.TakedownRequest, size resource.Quantity) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: ArchiveClaimName(t.Spec.SiteRef.Name), Namespace: t.Namespace,
			Labels: takedownLabels(t, ComponentArchive)},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		},
	}
}

// ArchiveJob writes the content into a tarball on the archive volume, reads
// it back, and reports the digest in its termination message.
func ArchiveJob(t *sgv1.TakedownRequest, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, operatorImage string, attempt int32) *batchv1.Job {
	meta := metav1.ObjectMeta{Name: ArchiveJobName(t, attempt), Namespace: t.Namespace,
		Labels: takedownLabels(t, ComponentArchive), OwnerReferences: takedownOwner(t)}
	return operatorJob(meta, p, 6*3600, corev1.Container{
		Name:  "archive",
		Image: operatorImage,
		Args:  jobargs.Archive{From: ContentMountPath, To: ArchivePath(t)}.Args(),
		VolumeMounts: []corev1.VolumeMount{
			{Name: "content", MountPath: ContentMountPath, ReadOnly: true},
			{Name: "archive", MountPath: ArchiveMountPath},
		},
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
	}, []corev1.Volume{
		{Name: "content", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: ContentClaimName(site), ReadOnly: true}}},
		{Name: "archive", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: ArchiveClaimName(site.Name)}}},
	})
}

// ArchiveVerifyJob reads the archive back in a pod of its own, with the
// volume read-only and no access to the content: the digest the writer
// reported counts only once a pod that did not write it matches it (T7).
func ArchiveVerifyJob(t *sgv1.TakedownRequest, p sgv1.SiteGroupPolicySpec, operatorImage string, attempt int32, sha256 string) *batchv1.Job {
	meta := metav1.ObjectMeta{Name: ArchiveVerifyJobName(t, attempt), Namespace: t.Namespace,
		Labels: takedownLabels(t, ComponentArchiveVerify), OwnerReferences: takedownOwner(t)}
	return operatorJob(meta, p, 3600, corev1.Container{
		Name:                     "verify",
		Image:                    operatorImage,
		Args:                     jobargs.ArchiveVerify{Archive: ArchivePath(t), SHA256: sha256}.Args(),
		VolumeMounts:             []corev1.VolumeMount{{Name: "archive", MountPath: ArchiveMountPath, ReadOnly: true}},
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
	}, []corev1.Volume{
		{Name: "archive", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: ArchiveClaimName(t.Spec.SiteRef.Name), ReadOnly: true}}},
	})
}

// RectificationRequestName is the T8 request for a site's failing months,
// named after the month that made it two in a row: one request per streak.
func RectificationRequestName(site *sgv1.GovWebsite, month string) string {
	return site.Name + "-rectification-" + month
}

// RectificationRequest starts T8's rectification takedown (关停整改) of a
// site that failed two months in a row. It is created Pending with no
// approvals: a takedown is never approved by the operator (T1).
func RectificationRequest(site *sgv1.GovWebsite, month string, now time.Time, maxDays int32) *sgv1.TakedownRequest {
	return t8Request(site, RectificationRequestName(site, month), sgv1.TakedownTemporary, now, maxDays,
		fmt.Sprintf("T8: %s failed the monthly inspection two months in a row (up to %s); "+
			"the rectification takedown procedure starts and waits for approval up the chain.", site.Spec.Organization.Name+"的网站", month),
		sgv1.NoticeContent{Title: "关停整改公告", Text: "本网站因连续两个月检查不合格，正在关停整改，整改完成并经检查合格后恢复访问。"})
}

// ExternalRectificationRequest starts T8's rectification takedown at once
// when a national or provincial check failed the site (对检查发现不合格的网站
// 立即实施关停整改). Pending, unsigned, like every T8 request.
func ExternalRectificationRequest(site *sgv1.GovWebsite, run *sgv1.InspectionRun, now time.Time, maxDays int32) *sgv1.TakedownRequest {
	ext := run.Spec.External
	return t8Request(site, RectificationRequestName(site, run.Name), sgv1.TakedownTemporary, now, maxDays,
		fmt.Sprintf("T8: %s failed the %s check by %s (%s, %s); the rectification takedown starts at once and waits for approval up the chain.",
			site.Spec.Organization.Name+"的网站", ext.Level, ext.Inspector, ext.DocumentNumber, ext.CheckedAt.UTC().Format("2006-01-02")),
		sgv1.NoticeContent{Title: "关停整改公告", Text: "本网站在上级检查中不合格，正在关停整改，整改完成并经检查合格后恢复访问。"})
}

// ConsolidationRequestName names T8's permanent closure request of a year.
func ConsolidationRequestName(site *sgv1.GovWebsite, year int) string {
	return fmt.Sprintf("%s-consolidation-%d", site.Name, year)
}

// ConsolidationRequest asks for T8's permanent closure (整合关停) of a site
// that failed more than three months of a calendar year: its content is
// to be consolidated into its parent and the site closed for good (T7).
// Pending, unsigned: people decide a closure, never the operator.
func ConsolidationRequest(site *sgv1.GovWebsite, year int, failing []string, now time.Time) *sgv1.TakedownRequest {
	return t8Request(site, ConsolidationRequestName(site, year), sgv1.TakedownPermanent, now, 0,
		fmt.Sprintf("T8: %s failed %d months of %d (%s), more than three; it is to be consolidated into its parent site and closed for good, "+
			"after approval up the chain.", site.Spec.Organization.Name+"的网站", len(failing), year, strings.Join(failing, ", ")),
		sgv1.NoticeContent{Title: "网站关停公告", Text: "本网站因年度内多月检查不合格，将整合至上级网站并永久关停。"})
}

// t8Request is a takedown the operator requests under T8: Pending, with
// no approvals, labelled as the operator's.
func t8Request(site *sgv1.GovWebsite, name string, typ sgv1.TakedownType, now time.Time, maxDays int32, reason string, notice sgv1.NoticeContent) *sgv1.TakedownRequest {
	t := &sgv1.TakedownRequest{
		TypeMeta: metav1.TypeMeta{APIVersion: sgv1.GroupVersion.String(), Kind: "TakedownRequest"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: site.Namespace,
			Labels: map[string]string{LabelManagedBy: ManagerName, LabelPartOf: "sitegroup", LabelSite: site.Name,
				LabelComponent: "rectification"}},
		Spec: sgv1.TakedownRequestSpec{
			SiteRef: sgv1.LocalObjectReference{Name: site.Name},
			Type:    typ,
			Reason:  reason,
			Start:   metav1.NewTime(now),
			Notice:  notice,
		},
	}
	if typ == sgv1.TakedownTemporary {
		end := metav1.NewTime(now.Add(time.Duration(maxDays) * 24 * time.Hour))
		t.Spec.End = &end
	}
	return t
}
