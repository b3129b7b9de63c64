package builders

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Keys and labels of the records the operator publishes for auditors.
const (
	// ComponentMonthlyRecord labels a site's monthly record.
	ComponentMonthlyRecord = "monthly-record"
	// AnnotationRecordRun names the run a monthly record was made from.
	AnnotationRecordRun = "sitegroup.io/run"
	// LabelMonth is a monthly record's month, YYYY-MM.
	LabelMonth = "sitegroup.io/month"
	// MonthlyResultKey holds the month's result (verdict, score, run, time).
	MonthlyResultKey = "result.json"
	// MonthlyReportKey holds the deciding run's full report, when it had one.
	MonthlyReportKey = "report.json"
)

// MonthlyRecordName is <site>-monthly-<YYYY-MM>.
func MonthlyRecordName(site, month string) string {
	return fmt.Sprintf("%s-monthly-%s", site, month)
}

// MonthlyRecord is a month's full result of a site, kept where an auditor
// reads it after the run and its report are pruned (the monthly full
// monitoring report per site: 001 §三(四), 000 §三(六); RULES.md §4). No
// one owns it: it outlives the run, and the site (T7); the operator keeps
// the 24 newest months of each site.
func MonthlyRecord(site *sgv1.GovWebsite, result sgv1.MonthlyResult, report string) *corev1.ConfigMap {
	summary, _ := json.Marshal(result) // a struct of plain fields: never fails
	data := map[string]string{MonthlyResultKey: string(summary)}
	if report != "" {
		data[MonthlyReportKey] = report
	}
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{
			Name: MonthlyRecordName(site.Name, result.Month), Namespace: site.Namespace,
			Labels: map[string]string{LabelManagedBy: ManagerName, LabelPartOf: "sitegroup", LabelSite: site.Name,
				LabelComponent: ComponentMonthlyRecord, LabelMonth: result.Month},
			Annotations: map[string]string{AnnotationRecordRun: result.Run},
		},
		Data: data,
	}
}
