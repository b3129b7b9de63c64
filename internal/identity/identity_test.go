package identity

import (
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func site(domain string) *sgv1.GovWebsite {
	return &sgv1.GovWebsite{Spec: sgv1.GovWebsiteSpec{
		Organization: sgv1.Organization{Name: "天津市和平区教育局", CreditCode: "11120101000023456Y", Level: sgv1.LevelDepartment},
		SiteKind:     sgv1.SiteKindDepartment, Domains: []sgv1.Domain{sgv1.Domain(domain)},
		SiteCode: "1201010002", ICPFiling: "津ICP备05004439号-2", PublicSecurityFiling: "津公网安备12010102000102号",
	}}
}

func TestDigestNamesOneIdentity(t *testing.T) {
	a, b := Digest(Of(site("jyj.tjhp.gov.cn"))), Digest(Of(site("edu.tjhp.gov.cn")))
	if a == b {
		t.Error("two identities, one digest")
	}
	if a != Digest(Of(site("jyj.tjhp.gov.cn"))) || len(a) != 16 {
		t.Errorf("digest %q is not stable or not 16 hex digits", a)
	}
	s := site("jyj.tjhp.gov.cn")
	s.Spec.Frontend.Image = "cms:v2"
	if Digest(Of(s)) != a {
		t.Error("the front end is not part of the identity")
	}
}

func TestSignaturesCountForTheirIdentity(t *testing.T) {
	s := site("jyj.tjhp.gov.cn")
	old := Digest(Of(s))
	s.Spec.Approvals = []sgv1.Approval{
		{Level: "unit", Approver: "legacy", Decision: sgv1.DecisionApproved}, // from before signatures were stamped
		{Level: "unit", Approver: "u", Decision: sgv1.DecisionApproved, IdentityDigest: old},
	}
	if got := len(Signatures(s)); got != 2 {
		t.Errorf("with no change pending, stamped and legacy signatures count: %d", got)
	}
	approved := Of(s)
	s.Status.ApprovedIdentity = &approved
	s.Spec.Domains = []sgv1.Domain{"edu.tjhp.gov.cn"} // an S8 change
	if got := Signatures(s); len(got) != 0 {
		t.Errorf("S8: no signature counts for the new identity yet: %v", got)
	}
	s.Spec.Approvals = append(s.Spec.Approvals, sgv1.Approval{Level: "unit", Approver: "u2", Decision: sgv1.DecisionApproved, IdentityDigest: Digest(Of(s))})
	if got := Signatures(s); len(got) != 1 || got[0].Approver != "u2" {
		t.Errorf("S8: the new identity's own signature counts: %v", got)
	}
}

func TestInForceKeepsTheApprovedIdentityWhileAChangeWaits(t *testing.T) {
	s := site("jyj.tjhp.gov.cn")
	if InForce(s) != s || Pending(s) {
		t.Error("never approved: the site is itself")
	}
	approved := Of(s)
	s.Status.ApprovedIdentity = &approved
	s.Spec.Domains = []sgv1.Domain{"edu.tjhp.gov.cn"}
	s.Spec.SiteKind = sgv1.SiteKindPortal
	in := InForce(s)
	if !Pending(s) || in.Spec.Domains[0] != "jyj.tjhp.gov.cn" || in.Spec.SiteKind != sgv1.SiteKindDepartment {
		t.Errorf("S8: the approved identity is in force until the change is signed: %v %s", in.Spec.Domains, in.Spec.SiteKind)
	}
	if s.Spec.Domains[0] != "edu.tjhp.gov.cn" {
		t.Error("InForce changed the site it was given")
	}
	want := []string{"siteKind: department → portal", "domains: jyj.tjhp.gov.cn → edu.tjhp.gov.cn"}
	if got := Changes(approved, Of(s)); !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
}

func TestRetiredDomainsAnnounceForTheirPeriod(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	until := func(d int) *metav1.Time { u := metav1.NewTime(day(d)); return &u }
	changes := []sgv1.IdentityChange{
		{RetiredDomains: []sgv1.Domain{"a.gov.cn"}, NoticeUntil: until(10)},
		{RetiredDomains: []sgv1.Domain{"b.gov.cn", "a.gov.cn"}, NoticeUntil: until(20)},
		{Changes: []string{"icpFiling: x → y"}}, // no domain retired: nothing to announce
	}
	cases := []struct {
		name     string
		now      time.Time
		inForce  []sgv1.Domain
		want     []string
		wantEnds time.Time
	}{
		{"both periods running", day(5), []sgv1.Domain{"c.gov.cn"}, []string{"a.gov.cn", "b.gov.cn"}, day(10)},
		{"the first period ended at its boundary", day(10), []sgv1.Domain{"c.gov.cn"}, []string{"b.gov.cn", "a.gov.cn"}, day(20)},
		{"a domain in force again announces nothing", day(5), []sgv1.Domain{"a.gov.cn"}, []string{"b.gov.cn"}, day(20)},
		{"every period ended", day(20), []sgv1.Domain{"c.gov.cn"}, nil, time.Time{}},
	}
	for _, c := range cases {
		got, ends := Retired(changes, c.inForce, c.now)
		if !slices.Equal(got, c.want) || !ends.Equal(c.wantEnds) {
			t.Errorf("%s: %v until %s, want %v until %s", c.name, got, ends, c.want, c.wantEnds)
		}
	}
	old, cur := Of(site("a.gov.cn")), Of(site("b.gov.cn"))
	if got := RetiredBy(old, cur); !slices.Equal(got, []sgv1.Domain{"a.gov.cn"}) {
		t.Errorf("retired by a domain change: %v", got)
	}
	if got := RetiredBy(old, old); len(got) != 0 {
		t.Errorf("no change retires nothing: %v", got)
	}
}
