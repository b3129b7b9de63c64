package builders

import (
	"encoding/json"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func TestMonthlyRecord(t *testing.T) {
	site := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Name: "edu", Namespace: "tjhp-edu"}}
	score := int32(87)
	result := sgv1.MonthlyResult{Month: "2026-11", Verdict: sgv1.VerdictPass, Score: &score, Run: "edu-monthly-202611010200",
		Time: metav1.NewTime(time.Date(2026, 11, 1, 2, 30, 0, 0, time.UTC))}

	cm := MonthlyRecord(site, result, `{"verdict":"pass"}`)
	if cm.Name != "edu-monthly-2026-11" || cm.Namespace != "tjhp-edu" || len(cm.OwnerReferences) != 0 {
		t.Errorf("record %s/%s owned by %v: want edu-monthly-2026-11 in the site's namespace, owned by no one (it outlives the run and the site)",
			cm.Namespace, cm.Name, cm.OwnerReferences)
	}
	if cm.Labels[LabelManagedBy] != ManagerName || cm.Labels[LabelSite] != "edu" || cm.Labels[LabelMonth] != "2026-11" ||
		cm.Labels[LabelComponent] != ComponentMonthlyRecord || cm.Annotations[AnnotationRecordRun] != result.Run {
		t.Errorf("labels %v, annotations %v", cm.Labels, cm.Annotations)
	}
	var back sgv1.MonthlyResult
	if err := json.Unmarshal([]byte(cm.Data[MonthlyResultKey]), &back); err != nil || back.Run != result.Run || *back.Score != 87 {
		t.Errorf("result %q: %v", cm.Data[MonthlyResultKey], err)
	}
	if cm.Data[MonthlyReportKey] != `{"verdict":"pass"}` {
		t.Errorf("report %q", cm.Data[MonthlyReportKey])
	}
	if _, has := MonthlyRecord(site, result, "").Data[MonthlyReportKey]; has {
		t.Error("a month decided by an external check has no report of ours: no report key")
	}
}
