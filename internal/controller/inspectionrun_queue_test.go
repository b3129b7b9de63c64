package controller

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// TestSupersededBy: a waiting scheduled run gives way to a later scheduled
// run of its purpose (issue 17: waiting runs are pruned), and to nothing
// else.
func TestSupersededBy(t *testing.T) {
	day := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	run := func(name string, purpose sgv1.InspectionPurpose, at time.Time, mutate ...func(*sgv1.InspectionRun)) sgv1.InspectionRun {
		r := sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: sgv1.InspectionRunSpec{Purpose: purpose}}
		if !at.IsZero() {
			r.Annotations = map[string]string{sgv1.AnnotationScheduledAt: at.Format(time.RFC3339)}
		}
		for _, m := range mutate {
			m(&r)
		}
		return r
	}
	started := func(r *sgv1.InspectionRun) { r.Status.JobName = r.Name + "-inspect" }
	done := func(r *sgv1.InspectionRun) { r.Status.Phase = sgv1.InspectionSucceeded }
	daily1 := run("d1", sgv1.PurposeDaily, day)
	cases := []struct {
		name string
		run  sgv1.InspectionRun
		all  []sgv1.InspectionRun
		want string
	}{
		{"alone", daily1, nil, ""},
		{"a later daily run replaces it", daily1, []sgv1.InspectionRun{run("d2", sgv1.PurposeDaily, day.AddDate(0, 0, 1))}, "d2"},
		{"the latest of several", daily1, []sgv1.InspectionRun{
			run("d3", sgv1.PurposeDaily, day.AddDate(0, 0, 2)), run("d2", sgv1.PurposeDaily, day.AddDate(0, 0, 1))}, "d3"},
		{"an earlier daily run does not", daily1, []sgv1.InspectionRun{run("d0", sgv1.PurposeDaily, day.AddDate(0, 0, -1))}, ""},
		{"one second later does", daily1, []sgv1.InspectionRun{run("d1b", sgv1.PurposeDaily, day.Add(time.Second))}, "d1b"},
		{"the same time does not", daily1, []sgv1.InspectionRun{run("d1c", sgv1.PurposeDaily, day)}, ""},
		{"a later monthly run does not: another purpose", daily1, []sgv1.InspectionRun{run("m1", sgv1.PurposeMonthly, day.AddDate(0, 0, 1))}, ""},
		{"a finished later run does not", daily1, []sgv1.InspectionRun{run("d2", sgv1.PurposeDaily, day.AddDate(0, 0, 1), done)}, ""},
		{"a run asked for by hand is not scheduled: never replaced", run("self", sgv1.PurposeDaily, time.Time{}),
			[]sgv1.InspectionRun{run("d2", sgv1.PurposeDaily, day.AddDate(0, 0, 1))}, ""},
		{"a run that started is not replaced", run("d1", sgv1.PurposeDaily, day, started),
			[]sgv1.InspectionRun{run("d2", sgv1.PurposeDaily, day.AddDate(0, 0, 1))}, ""},
		{"itself in the list is skipped", daily1, []sgv1.InspectionRun{daily1}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := supersededBy(&c.run, c.all); got != c.want {
				t.Errorf("supersededBy = %q, want %q", got, c.want)
			}
		})
	}
}
