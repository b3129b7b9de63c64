package envtest_test

import (
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// validSite is a department site every CEL rule accepts.
func validSite(ns, name string) *sgv1.GovWebsite {
	return &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.GovWebsiteSpec{
			Organization:         sgv1.Organization{Name: "天津市和平区教育局", CreditCode: "11120101000023456Y", Level: sgv1.LevelDepartment},
			SiteKind:             sgv1.SiteKindDepartment,
			ParentPortal:         &sgv1.NamespacedObjectReference{Name: "portal", Namespace: "tjhp-portal"},
			Domains:              []sgv1.Domain{"jyj.tjhp.gov.cn"},
			SiteCode:             "1201010002",
			ICPFiling:            "津ICP备05004439号-2",
			PublicSecurityFiling: "津公网安备12010102000102号",
			Frontend:             sgv1.FrontendSpec{Image: "sitegroup.io/sitegroup:dev"},
			Admin:                sgv1.AdminSpec{Image: "sitegroup.io/sitegroup:dev", AllowedSourceCIDRs: []sgv1.CIDR{"10.12.8.0/24"}},
			Content:              sgv1.ContentSpec{Size: resource.MustParse("5Gi")},
		},
	}
}

// validPortal is a portal every CEL rule accepts.
func validPortal(ns, name string) *sgv1.GovWebsite {
	gw := validSite(ns, name)
	gw.Spec.SiteKind = sgv1.SiteKindPortal
	gw.Spec.ParentPortal = nil
	gw.Spec.Organization.Level = sgv1.LevelDistrict
	gw.Spec.Domains = []sgv1.Domain{"www.tjhp.gov.cn", "tjhp.gov.cn"}
	return gw
}

var start = metav1.NewTime(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))

func validTakedown(ns, name string) *sgv1.TakedownRequest {
	end := metav1.NewTime(start.Add(19 * 24 * time.Hour))
	return &sgv1.TakedownRequest{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.TakedownRequestSpec{
			SiteRef: sgv1.LocalObjectReference{Name: "edu"},
			Type:    sgv1.TakedownTemporary,
			Reason:  "网站改版升级，需临时关停进行内容整合与安全检测。",
			Start:   start,
			End:     &end,
			Notice:  sgv1.NoticeContent{Title: "临时关停公告", Text: "本网站临时关停改版，期间请访问区政府门户网站。"},
		},
	}
}

func validRun(ns, name string) *sgv1.InspectionRun {
	return &sgv1.InspectionRun{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.InspectionRunSpec{
			SiteRef: &sgv1.LocalObjectReference{Name: "edu"},
			Purpose: sgv1.PurposeSelfcheck,
		},
	}
}

func validPolicy() *sgv1.SiteGroupPolicy {
	return &sgv1.SiteGroupPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: sgv1.PolicyName},
		Spec: sgv1.SiteGroupPolicySpec{
			Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1"}},
		},
	}
}
