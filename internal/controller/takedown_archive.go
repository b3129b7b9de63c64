package controller

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/archive"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/faults"
	"sitegroup.io/operator/internal/takedown"
)

// A permanent closure's archive (T7 网页归档) goes through attempts. In
// each, a writer Job tars the content onto a volume of its own and reports
// the digest; the operator sets that volume's reclaim policy to Retain; a
// second Job, whose pod did not write the archive, reads it back with the
// reported digest. Only the three together make the archive verified, and
// nothing is released before. A failed write or read-back is recorded
// (status, condition, Warning event) and retried as a new attempt after a
// backoff.

// Archive retries back off from archiveFirstBackoff, doubling, to at most
// archiveMaxBackoff.
const (
	archiveFirstBackoff = 5 * time.Minute
	archiveMaxBackoff   = 6 * time.Hour
)

// archiveBackoff is the wait after the attempt-th failed attempt (from 1).
func archiveBackoff(attempt int32) time.Duration {
	d := archiveFirstBackoff
	for i := int32(1); i < attempt && d < archiveMaxBackoff; i++ {
		d *= 2
	}
	return min(d, archiveMaxBackoff)
}

// observeArchive follows the archive's current attempt and records what
// it finds in status.archive; it fills the facts the state machine reads.
func (r *TakedownRequestReconciler) observeArchive(ctx context.Context, t *sgv1.TakedownRequest, now time.Time, f *takedown.Facts) error {
	a := t.Status.Archive
	if a == nil {
		return nil // no archive started yet
	}
	if a.Attempt < 1 {
		a.Attempt = 1 // a status written before attempts were counted
	}
	if a.VerifiedAt != nil && a.Retained {
		f.ArchiveVerified = true
		return nil
	}
	if a.RetryAt != nil {
		if now.Before(a.RetryAt.Time) {
			f.ArchiveFailure, f.ArchiveRetryAt = a.LastFailure, a.RetryAt.Time
			return nil
		}
		return r.nextArchiveAttempt(ctx, t, a)
	}
	writer, err := r.archiveJob(ctx, t, builders.ArchiveJobName(t, a.Attempt))
	if err != nil || writer == nil {
		return err
	}
	switch c := jobTerminal(writer); {
	case c == nil:
		return nil // writing
	case c.Type == batchv1.JobFailed:
		failArchive(a, now, fmt.Sprintf("attempt %d: the writer Job %s failed: %s", a.Attempt, writer.Name, c.Message))
		f.ArchiveFailure, f.ArchiveRetryAt = a.LastFailure, a.RetryAt.Time
		return nil
	}
	if a.SHA256 == "" {
		res, pod, err := r.archiveReport(ctx, writer)
		if err != nil || pod == "" {
			return err // the termination message may reach the cache after the Job's completion
		}
		a.Path, a.SHA256, a.SizeBytes, a.WrittenBy = res.Path, res.SHA256, res.SizeBytes, pod
		faults.Point(faults.ArchiveWritten) // the digest is read, not yet in status (issue 17)
	}
	if err := r.retainArchiveVolume(ctx, t, a); err != nil {
		return err
	}
	if err := r.observeReadBack(ctx, t, a, now); err != nil {
		return err
	}
	if a.RetryAt != nil {
		f.ArchiveFailure, f.ArchiveRetryAt = a.LastFailure, a.RetryAt.Time
	}
	f.ArchiveVerified = a.VerifiedAt != nil && a.Retained
	return nil
}

// observeReadBack reads the verify Job's result: verified when a pod that
// is not the writer read back the digest and size the writer reported.
func (r *TakedownRequestReconciler) observeReadBack(ctx context.Context, t *sgv1.TakedownRequest, a *sgv1.ArchiveStatus, now time.Time) error {
	if a.VerifiedAt != nil {
		return nil
	}
	verify, err := r.archiveJob(ctx, t, builders.ArchiveVerifyJobName(t, a.Attempt))
	if err != nil || verify == nil {
		return err
	}
	switch c := jobTerminal(verify); {
	case c == nil:
		return nil
	case c.Type == batchv1.JobFailed:
		failArchive(a, now, fmt.Sprintf("attempt %d: the archive did not read back in Job %s: %s", a.Attempt, verify.Name, c.Message))
		return nil
	}
	res, pod, err := r.archiveReport(ctx, verify)
	if err != nil || pod == "" {
		return err
	}
	if pod == a.WrittenBy || res.SHA256 != a.SHA256 || res.SizeBytes != a.SizeBytes {
		failArchive(a, now, fmt.Sprintf("attempt %d: pod %s read back sha256 %s (%d bytes), the writer %s reported %s (%d bytes)",
			a.Attempt, pod, res.SHA256, res.SizeBytes, a.WrittenBy, a.SHA256, a.SizeBytes))
		return nil
	}
	faults.Point(faults.ArchiveReadBack) // read back, not yet recorded as verified (issue 17)
	at := metav1.NewTime(now)
	a.VerifiedAt, a.VerifiedBy = &at, pod
	return nil
}

// failArchive records a failed attempt and when the next one starts.
func failArchive(a *sgv1.ArchiveStatus, now time.Time, why string) {
	retry := metav1.NewTime(now.Add(archiveBackoff(a.Attempt)))
	a.LastFailure, a.RetryAt = truncate(why, 1024), &retry
}

// nextArchiveAttempt starts over once the backoff has passed: a new
// attempt number (new Jobs), the previous attempt's Jobs removed so that
// retries leave no growing pile; its failure stays in lastFailure and in
// the events.
func (r *TakedownRequestReconciler) nextArchiveAttempt(ctx context.Context, t *sgv1.TakedownRequest, a *sgv1.ArchiveStatus) error {
	for _, name := range []string{builders.ArchiveJobName(t, a.Attempt), builders.ArchiveVerifyJobName(t, a.Attempt)} {
		job, err := r.archiveJob(ctx, t, name)
		if err != nil {
			return err
		}
		if job != nil {
			if _, err := apply.Delete(ctx, r.Client, job); err != nil {
				return err
			}
		}
	}
	*a = sgv1.ArchiveStatus{ClaimName: a.ClaimName, Attempt: a.Attempt + 1, LastFailure: a.LastFailure,
		VolumeName: a.VolumeName, Retained: a.Retained}
	return nil
}

// archiveJob reads one of the takedown's archive Jobs; a Job of that name
// the takedown does not control is not its own and is ignored (creating
// the real one then fails loudly on the name).
func (r *TakedownRequestReconciler) archiveJob(ctx context.Context, t *sgv1.TakedownRequest, name string) (*batchv1.Job, error) {
	job, err := getJob(ctx, r.Client, client.ObjectKey{Namespace: t.Namespace, Name: name})
	if err != nil || job == nil || !metav1.IsControlledBy(job, t) {
		return nil, err
	}
	return job, nil
}

// archiveReport reads a completed archive Job's result from the
// termination message of a pod it controls, and names that pod.
func (r *TakedownRequestReconciler) archiveReport(ctx context.Context, job *batchv1.Job) (archive.Result, string, error) {
	pods, err := jobPods(ctx, r.Client, job)
	if err != nil {
		return archive.Result{}, "", err
	}
	for _, m := range terminationMessages(pods) {
		var res archive.Result
		if err := json.Unmarshal([]byte(m.message), &res); err == nil && len(res.SHA256) == 64 {
			return res, m.pod, nil
		}
	}
	return archive.Result{}, "", nil
}

// retainArchiveVolume sets the reclaim policy of the volume the archive
// claim is bound to to Retain, and says so: the archive outlives its claim
// and its namespace (T7). The volume is read uncached, once.
func (r *TakedownRequestReconciler) retainArchiveVolume(ctx context.Context, t *sgv1.TakedownRequest, a *sgv1.ArchiveStatus) error {
	pvc := &corev1.PersistentVolumeClaim{}
	err := r.Get(ctx, client.ObjectKey{Namespace: t.Namespace, Name: builders.ArchiveClaimName(t.Spec.SiteRef.Name)}, pvc)
	if err != nil || pvc.Spec.VolumeName == "" {
		return client.IgnoreNotFound(err) // not bound yet
	}
	if a.Retained && a.VolumeName == pvc.Spec.VolumeName {
		return nil
	}
	name, err := retainVolume(ctx, r.Client, r.Uncached, pvc.Spec.VolumeName)
	if err != nil {
		return err
	}
	a.VolumeName, a.Retained = name, true
	return nil
}

// startArchive creates what the current attempt needs: the retained
// claim and the writer Job; once the writer reported, the read-back Job.
func (r *TakedownRequestReconciler) startArchive(ctx context.Context, t *sgv1.TakedownRequest, p sgv1.SiteGroupPolicySpec) error {
	if t.Status.Archive == nil {
		t.Status.Archive = &sgv1.ArchiveStatus{Attempt: 1, ClaimName: builders.ArchiveClaimName(t.Spec.SiteRef.Name)}
	}
	a := t.Status.Archive
	if a.VerifiedAt != nil {
		return nil
	}
	site := &sgv1.GovWebsite{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: t.Namespace, Name: t.Spec.SiteRef.Name}, site); err != nil {
		return fmt.Errorf("T7: the site to archive: %w", err)
	}
	size := site.Spec.Content.Size
	if size.IsZero() {
		size = builders.ContentClaim(site).Spec.Resources.Requests[corev1.ResourceStorage]
	}
	if _, err := apply.Ensure(ctx, r.Client, builders.ArchiveClaim(t, size)); err != nil {
		return err
	}
	if _, err := apply.Ensure(ctx, r.Client, builders.ArchiveJob(t, site, p, r.OperatorImage, a.Attempt)); err != nil {
		return err
	}
	if a.SHA256 == "" {
		return nil
	}
	_, err := apply.Ensure(ctx, r.Client, builders.ArchiveVerifyJob(t, p, r.OperatorImage, a.Attempt, a.SHA256))
	return err
}
