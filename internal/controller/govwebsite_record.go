package controller

import (
	"context"
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/reportstore"
)

// keepRecord makes a deleted site's record outlive it, for the auditor:
// its runs and takedowns lose the site as their owner (so the garbage
// collector leaves them, with their reports), and its approvals and
// compliance history are kept in the ConfigMap <site>-record, which no
// one owns.
func (r *GovWebsiteReconciler) keepRecord(ctx context.Context, site *sgv1.GovWebsite) error {
	runs := &sgv1.InspectionRunList{}
	if err := r.List(ctx, runs, client.InNamespace(site.Namespace), client.MatchingFields{IndexRunSite: site.Name}); err != nil {
		return err
	}
	for i := range runs.Items {
		if err := r.orphan(ctx, &runs.Items[i], site); err != nil {
			return err
		}
	}
	takedowns := &sgv1.TakedownRequestList{}
	if err := r.List(ctx, takedowns, client.InNamespace(site.Namespace)); err != nil {
		return err
	}
	for i := range takedowns.Items {
		if takedowns.Items[i].Spec.SiteRef.Name == site.Name {
			if err := r.orphan(ctx, &takedowns.Items[i], site); err != nil {
				return err
			}
		}
	}
	record, err := closedSiteRecord(site)
	if err != nil {
		return err
	}
	_, err = apply.Ensure(ctx, r.Client, record)
	return err
}

// orphan removes the site from obj's owners.
func (r *GovWebsiteReconciler) orphan(ctx context.Context, obj client.Object, site *sgv1.GovWebsite) error {
	owners := obj.GetOwnerReferences()
	kept := make([]metav1.OwnerReference, 0, len(owners))
	for _, o := range owners {
		if o.UID != site.UID {
			kept = append(kept, o)
		}
	}
	if len(kept) == len(owners) {
		return nil
	}
	patch := client.MergeFromWithOptions(obj.DeepCopyObject().(client.Object), client.MergeFromWithOptimisticLock{})
	obj.SetOwnerReferences(kept)
	return r.Patch(ctx, obj, patch)
}

// RecordConfigMapName is the ConfigMap keeping a deleted site's record.
func RecordConfigMapName(site string) string { return site + "-record" }

// closedSiteRecord is what an auditor reads of a site after it is gone:
// who applied for it, who signed, what the record said (S1, T7).
func closedSiteRecord(site *sgv1.GovWebsite) (*corev1.ConfigMap, error) {
	identity, err := json.MarshalIndent(struct {
		Organization sgv1.Organization `json:"organization"`
		SiteKind     sgv1.SiteKind     `json:"siteKind"`
		Domains      []sgv1.Domain     `json:"domains"`
		SiteCode     string            `json:"siteCode"`
		ICPFiling    string            `json:"icpFiling"`
		DeletedAt    *metav1.Time      `json:"deletedAt,omitempty"`
	}{site.Spec.Organization, site.Spec.SiteKind, site.Spec.Domains, site.Spec.SiteCode, site.Spec.ICPFiling, site.DeletionTimestamp}, "", "  ")
	if err != nil {
		return nil, err
	}
	approvals, err := json.MarshalIndent(site.Spec.Approvals, "", "  ")
	if err != nil {
		return nil, err
	}
	history, err := json.MarshalIndent(site.Status.ComplianceHistory, "", "  ")
	if err != nil {
		return nil, err
	}
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: RecordConfigMapName(site.Name), Namespace: site.Namespace,
			Labels: map[string]string{builders.LabelManagedBy: builders.ManagerName, builders.LabelSite: site.Name, builders.LabelComponent: "record"}},
		Data: map[string]string{"site.json": string(identity), "approvals.json": string(approvals), "complianceHistory.json": string(history)},
	}, nil
}

// keepMonthlyRecords publishes each month's full result as the ConfigMap
// <site>-monthly-<YYYY-MM> (the deciding run's summary and report), where
// an auditor reads it after the runs are pruned, and removes the records
// older than the 24 months kept (RULES.md §4: monthly full monitoring
// report per site). A month is written once, and again only when a later
// run of the same month decides it.
func (r *GovWebsiteReconciler) keepMonthlyRecords(ctx context.Context, s *siteScope) (stepResult, error) {
	site := s.site
	for _, m := range site.Status.MonthlyResults {
		existing := &corev1.ConfigMap{}
		err := r.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: builders.MonthlyRecordName(site.Name, m.Month)}, existing)
		if client.IgnoreNotFound(err) != nil {
			return stepResult{}, err
		}
		if err == nil && existing.Annotations[builders.AnnotationRecordRun] == m.Run {
			continue
		}
		report, err := r.runReport(ctx, site.Namespace, m.Run)
		if err != nil {
			return stepResult{}, err
		}
		if _, err := apply.Ensure(ctx, r.Client, builders.MonthlyRecord(site, m, report)); err != nil {
			return stepResult{}, err
		}
	}
	return stepResult{}, r.pruneMonthlyRecords(ctx, site)
}

// runReport is the JSON report a run kept (reportstore), or "" when the
// run had none (an external check) or its report is gone.
func (r *GovWebsiteReconciler) runReport(ctx context.Context, ns, run string) (string, error) {
	cm := &corev1.ConfigMap{}
	err := r.Get(ctx, client.ObjectKey{Namespace: ns, Name: run + "-report"}, cm)
	if err != nil {
		return "", client.IgnoreNotFound(err)
	}
	return cm.Data[reportstore.Key], nil
}

// pruneMonthlyRecords removes the site's monthly records of months the
// record no longer keeps (older than its 24 months).
func (r *GovWebsiteReconciler) pruneMonthlyRecords(ctx context.Context, site *sgv1.GovWebsite) error {
	if len(site.Status.MonthlyResults) < sgv1.MaxMonthlyResults {
		return nil // nothing has aged out of the 24 months yet
	}
	list := &corev1.ConfigMapList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace), client.MatchingLabels{
		builders.LabelManagedBy: builders.ManagerName, builders.LabelSite: site.Name, builders.LabelComponent: builders.ComponentMonthlyRecord}); err != nil {
		return err
	}
	oldest := site.Status.MonthlyResults[0].Month
	for i := range list.Items {
		if month := list.Items[i].Labels[builders.LabelMonth]; month < oldest {
			if _, err := apply.Delete(ctx, r.Client, &list.Items[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
