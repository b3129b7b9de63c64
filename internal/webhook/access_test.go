package webhook

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func withRequester(user string) *metav1.ObjectMeta {
	m := &metav1.ObjectMeta{}
	if user != "" {
		m.Annotations = map[string]string{sgv1.AnnotationRequestedBy: user}
	}
	return m
}

func TestRequesterStamp(t *testing.T) {
	cases := []struct {
		name, old, cur string
		want           string // after keepRequester
		refused        bool
	}{
		{"unchanged", "operator", "operator", "operator", false},
		{"dropped by an apply that never named it: put back", "operator", "", "operator", false},
		{"changed: refused", "operator", "webmaster", "webmaster", true},
		{"none before, none after", "", "", "", false},
	}
	for _, c := range cases {
		old, cur := withRequester(c.old), withRequester(c.cur)
		keepRequester(old, cur)
		if got := cur.Annotations[sgv1.AnnotationRequestedBy]; got != c.want {
			t.Errorf("%s: after keepRequester %q, want %q", c.name, got, c.want)
		}
		if errs := requesterUnchanged(old, cur); (len(errs) > 0) != c.refused {
			t.Errorf("%s: refused %v, want %v", c.name, errs, c.refused)
		}
	}
}

func TestStampApprovals(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 3, 4, 5e8, time.UTC)
	backdated := metav1.NewTime(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	old := []sgv1.Approval{{Level: "unit", Approver: "u", Decision: sgv1.DecisionApproved, Time: &backdated}}
	cur := append(append([]sgv1.Approval(nil), old...),
		sgv1.Approval{Level: "city", Decision: sgv1.DecisionApproved, Time: &backdated},
	)
	stampApprovals(old, cur, "zhang.wei", now)
	if cur[1].Approver != "zhang.wei" {
		t.Errorf("approver %q, want the authenticated user", cur[1].Approver)
	}
	if !cur[1].Time.Time.Equal(now.Truncate(time.Second)) {
		t.Errorf("S1: a signature's time is the webhook's (%s), never the YAML's: got %s", now, cur[1].Time)
	}
	if !cur[0].Time.Equal(&backdated) {
		t.Error("a recorded signature was restamped")
	}
}

func TestFrozenIdentity(t *testing.T) {
	levels := []string{"unit", "city", "province"}
	ok := func(level string) sgv1.Approval { return sgv1.Approval{Level: level, Decision: sgv1.DecisionApproved} }
	signed := []sgv1.Approval{ok("unit")}
	complete := []sgv1.Approval{ok("unit"), ok("city"), ok("province")}
	rejected := []sgv1.Approval{ok("unit"), {Level: "city", Decision: sgv1.DecisionRejected}}
	site := func(approvals []sgv1.Approval, kind sgv1.SiteKind) *sgv1.GovWebsite {
		return &sgv1.GovWebsite{Spec: sgv1.GovWebsiteSpec{SiteKind: kind, Approvals: approvals}}
	}
	cases := []struct {
		name      string
		approvals []sgv1.Approval
		refused   bool
	}{
		{"nothing signed: the application may change", nil, false},
		{"a round under way: frozen under the signers", signed, true},
		{"two of three signed: still frozen", complete[:2], true},
		{"every level signed: an S8 change may be filed (and is signed again)", complete, false},
		{"after a rejection: may be revised and re-submitted", rejected, false},
	}
	for _, c := range cases {
		errs := frozenIdentity(site(c.approvals, sgv1.SiteKindDepartment), site(c.approvals, sgv1.SiteKindPortal), levels)
		if (len(errs) > 0) != c.refused {
			t.Errorf("%s: %v", c.name, errs)
		}
		if c.refused && !strings.Contains(errs.ToAggregate().Error(), "S8: spec.siteKind is part of the identity being signed") {
			t.Errorf("%s: refusal does not name S8 and the field: %v", c.name, errs)
		}
	}
}

func TestFrozenWhenSigned(t *testing.T) {
	start := metav1.NewTime(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	end := metav1.NewTime(start.Add(20 * 24 * time.Hour))
	later := metav1.NewTime(start.Add(50 * 24 * time.Hour))
	td := func(approvals int, e *metav1.Time) *sgv1.TakedownRequest {
		t := &sgv1.TakedownRequest{Spec: sgv1.TakedownRequestSpec{Reason: "网站改版升级，需临时关停。", Start: start, End: e}}
		for range approvals {
			t.Spec.Approvals = append(t.Spec.Approvals, sgv1.Approval{Level: "unit", Decision: sgv1.DecisionApproved})
		}
		return t
	}
	if errs := frozenWhenSigned(td(0, &end), td(0, &later)); len(errs) != 0 {
		t.Errorf("unsigned: the department may still change its request: %v", errs)
	}
	// T4: once signed the end cannot slide 30 days at a time.
	errs := frozenWhenSigned(td(1, &end), td(1, &later))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "spec.end") || !strings.Contains(errs[0].Error(), "T1, T4") {
		t.Errorf("signed: want spec.end refused under T1, T4, got %v", errs)
	}
	if errs := frozenWhenSigned(td(1, &end), td(2, &end)); len(errs) != 0 {
		t.Errorf("signing is not a change of what was signed: %v", errs)
	}
}

func TestAdminNetworks(t *testing.T) {
	p := sgv1.SiteGroupPolicySpec{Network: sgv1.NetworkPolicyDefaults{AdminAccessNetworks: []sgv1.CIDR{"10.0.0.0/8"}}}
	site := func(cidrs ...sgv1.CIDR) *sgv1.GovWebsite {
		return &sgv1.GovWebsite{Spec: sgv1.GovWebsiteSpec{Admin: sgv1.AdminSpec{AllowedSourceCIDRs: cidrs}}}
	}
	if errs := adminNetworks(site(), site("0.0.0.0/1", "128.0.0.0/1"), p); len(errs) != 2 {
		t.Errorf("S7: both halves of the internet refused, got %v", errs)
	}
	if errs := adminNetworks(site(), site("10.12.8.0/24"), p); len(errs) != 0 {
		t.Errorf("inside the extranet: %v", errs)
	}
	unchanged := site("192.168.0.0/24")
	if errs := adminNetworks(unchanged, unchanged, p); len(errs) != 0 {
		t.Errorf("an unchanged list is not judged again (the operator's own writes pass): %v", errs)
	}
}

func TestPlatformFieldsOfSite(t *testing.T) {
	base := &sgv1.GovWebsite{}
	changed := func(mutate func(*sgv1.GovWebsite)) []string {
		s := base.DeepCopy()
		mutate(s)
		var out []string
		for _, f := range platformFieldsOfSite(base, s) {
			if f.changed {
				out = append(out, f.path.String())
			}
		}
		return out
	}
	cases := []struct {
		mutate func(*sgv1.GovWebsite)
		want   string
	}{
		{func(s *sgv1.GovWebsite) { s.Spec.Suspend = true }, "spec.suspend"},
		{func(s *sgv1.GovWebsite) { s.Spec.Inspection.TargetURL = "http://decoy/" }, "spec.inspection.targetURL"},
		{func(s *sgv1.GovWebsite) {
			s.Spec.Inspection.ColumnHints = []sgv1.ColumnHint{{Name: "x", Kind: "other"}}
		}, "spec.inspection.columnHints"},
		{func(s *sgv1.GovWebsite) {
			s.Annotations = map[string]string{sgv1.AnnotationForceDelete: "true"}
		}, "metadata.annotations[sitegroup.io/force-delete]"},
	}
	for _, c := range cases {
		if got := changed(c.mutate); len(got) != 1 || got[0] != c.want {
			t.Errorf("changed %v, want [%s]", got, c.want)
		}
	}
	if got := changed(func(s *sgv1.GovWebsite) { s.Spec.Frontend.Image = "cms:v2" }); len(got) != 0 {
		t.Errorf("the front end is the department's: %v", got)
	}
}
