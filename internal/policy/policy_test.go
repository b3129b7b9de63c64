package policy

import (
	"testing"

	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func TestInForceFillsStrictDefaults(t *testing.T) {
	got := InForce(sgv1.SiteGroupPolicySpec{Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1"}}})
	checks := []struct {
		name      string
		got, want any
	}{
		{"T4 max temporary days", got.Takedown.MaxTemporaryDays, int32(30)},
		{"T3 temporary per year", *got.Takedown.TemporaryPerYear, int32(1)},
		{"T6 return window", got.Takedown.ReturnWindowDays, int32(7)},
		{"T7 notice days", got.Takedown.PermanentNoticeDays, int32(30)},
		{"T7 deregistration days", got.Takedown.DeregistrationDays, int32(90)},
		{"S6 region label", got.Placement.NodeLabelKey, "topology.kubernetes.io/region"},
		{"V1 probes per day", got.Inspection.ProbesPerDay, int32(24)},
		{"approval levels", len(got.ApprovalLevels), 3},
		{"history", got.History.ComplianceEntries, int32(24)},
		{"time zone", got.Inspection.TimeZone, "Asia/Shanghai"},
		{"S8 domain change notice days", got.Filing.DomainChangeNoticeDays, int32(30)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestInForceKeepsSetValues(t *testing.T) {
	spec := sgv1.SiteGroupPolicySpec{Takedown: sgv1.TakedownPolicy{MaxTemporaryDays: 60, TemporaryPerYear: ptr.To[int32](0)}}
	got := InForce(spec)
	if got.Takedown.MaxTemporaryDays != 60 {
		t.Errorf("T4: Tianjin's 60 days was replaced by %d", got.Takedown.MaxTemporaryDays)
	}
	if *got.Takedown.TemporaryPerYear != 0 {
		t.Errorf("T3: an explicit 0 (no temporary takedowns) became %d", *got.Takedown.TemporaryPerYear)
	}
	if spec.Takedown.ReturnWindowDays != 0 {
		t.Error("InForce changed its input")
	}
}

func TestLevelsFor(t *testing.T) {
	spec := InForce(sgv1.SiteGroupPolicySpec{})
	tests := []struct {
		scope sgv1.ApprovalScope
		want  []string
	}{
		{sgv1.ScopeSite, []string{"unit", "city", "province"}},
		{sgv1.ScopeTakedown, []string{"unit", "city", "province"}},
		{sgv1.ScopeReturn, []string{"unit", "city"}},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range LevelsFor(spec, tt.scope) {
			got = append(got, l.Name)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: got %v, want %v", tt.scope, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: got %v, want %v", tt.scope, got, tt.want)
			}
		}
	}
}
