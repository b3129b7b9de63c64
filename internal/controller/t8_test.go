package controller

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/compliance"
)

func TestExternalVetoes(t *testing.T) {
	got := externalVetoes([]string{"V2: 首页超过两周未更新", "栏目空白", "V2: again", "V5 : 错别字", "V9: none", "V4:无人回复"})
	want := "[{V2 V2: 首页超过两周未更新} {V5 V5 : 错别字} {V4 V4:无人回复}]"
	if fmt.Sprint(got) != want {
		t.Errorf("vetoes %v, want %s: one per rule V1–V5, its first problem", got, want)
	}
}

func TestT8Requests(t *testing.T) {
	now := time.Date(2028, 6, 10, 9, 0, 0, 0, clock.Shanghai)
	fail := func(months ...string) compliance.Record {
		var rec compliance.Record
		for _, m := range months {
			rec.Monthly = append(rec.Monthly, sgv1.MonthlyResult{Month: m, Verdict: sgv1.VerdictFail})
		}
		rec.ConsecutiveFailingMonths = int32(min(len(months), 2))
		return rec
	}
	external := &sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Name: "national-1"}, Spec: sgv1.InspectionRunSpec{Purpose: sgv1.PurposeExternal,
		External: &sgv1.ExternalCheck{Level: sgv1.ExternalNational, Inspector: "国务院办公厅", DocumentNumber: "x", CheckedAt: metav1.NewTime(now.AddDate(0, 0, -5)), Verdict: sgv1.VerdictFail}}}
	site := func(kind sgv1.SiteKind) *sgv1.GovWebsite {
		return &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Name: "edu", Namespace: "ns"}, Spec: sgv1.GovWebsiteSpec{SiteKind: kind}}
	}
	p := sgv1.SiteGroupPolicySpec{Takedown: sgv1.TakedownPolicy{MaxTemporaryDays: 30}}
	cases := []struct {
		name     string
		kind     sgv1.SiteKind
		rec      compliance.Record
		external []*sgv1.InspectionRun
		want     string
	}{
		{"T8 one failing month: nothing", sgv1.SiteKindDepartment, fail("2028-05"), nil, "[]"},
		{"T8 two in a row: temporary rectification", sgv1.SiteKindDepartment, fail("2028-04", "2028-05"), nil, "[edu-rectification-2028-05/temporary]"},
		{"T8 a failed external check: temporary rectification at once", sgv1.SiteKindDepartment, compliance.Record{}, []*sgv1.InspectionRun{external},
			"[edu-rectification-national-1/temporary]"},
		{"T2 a portal is never taken down temporarily", sgv1.SiteKindPortal, fail("2028-04", "2028-05"), []*sgv1.InspectionRun{external}, "[]"},
		{"T8 three failing months of the year: still temporary", sgv1.SiteKindDepartment, fail("2028-01", "2028-04", "2028-05"), nil,
			"[edu-rectification-2028-05/temporary]"},
		{"T8 four failing months of the year: permanent closure only", sgv1.SiteKindDepartment, fail("2028-01", "2028-02", "2028-04", "2028-05"),
			[]*sgv1.InspectionRun{external}, "[edu-consolidation-2028/permanent]"},
		{"T8 a portal can be closed for good", sgv1.SiteKindPortal, fail("2028-01", "2028-02", "2028-04", "2028-05"), nil, "[edu-consolidation-2028/permanent]"},
		{"T8 last year's failing months do not count this year", sgv1.SiteKindDepartment, fail("2027-09", "2027-10", "2027-11", "2027-12"), nil,
			"[edu-rectification-2027-12/temporary]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := []string{}
			for _, r := range t8Requests(site(tc.kind), tc.rec, tc.external, p, now) {
				got = append(got, r.Name+"/"+string(r.Spec.Type))
				if len(r.Spec.Approvals) != 0 {
					t.Errorf("%s carries approvals: the operator never signs (T1)", r.Name)
				}
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("requests %v, want %s", got, tc.want)
			}
		})
	}
}

func TestFailedExternalCheckIsRecent(t *testing.T) {
	now := time.Date(2028, 6, 10, 9, 0, 0, 0, clock.Shanghai)
	check := func(verdict sgv1.Verdict, ago time.Duration) *sgv1.InspectionRun {
		return &sgv1.InspectionRun{Spec: sgv1.InspectionRunSpec{Purpose: sgv1.PurposeExternal,
			External: &sgv1.ExternalCheck{CheckedAt: metav1.NewTime(now.Add(-ago)), Verdict: verdict}}}
	}
	cases := []struct {
		name string
		run  *sgv1.InspectionRun
		want bool
	}{
		{"T8 failed 30 days ago: rectification starts", check(sgv1.VerdictFail, 30*24*time.Hour), true},
		{"T8 failed 31 days ago: an old record starts nothing now", check(sgv1.VerdictFail, 31*24*time.Hour), false},
		{"T8 passed: nothing", check(sgv1.VerdictPass, time.Hour), false},
		{"an ordinary run is not an external check", &sgv1.InspectionRun{Spec: sgv1.InspectionRunSpec{Purpose: sgv1.PurposeMonthly}}, false},
	}
	for _, tc := range cases {
		if got := failedExternalCheck(tc.run, now); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestHomepageOpened(t *testing.T) {
	for status, want := range map[int]bool{200: true, 301: true, 302: true, 399: true, 400: false, 403: false, 404: false, 500: false, 503: false} {
		if got := homepageOpened(status); got != want {
			t.Errorf("V1: status %d opened = %v, want %v (a 4xx or 5xx counts as failed, as the crawler counts it)", status, got, want)
		}
	}
}
