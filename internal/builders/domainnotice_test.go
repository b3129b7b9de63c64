package builders

import (
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"sitegroup.io/operator/internal/notice"
)

func TestS8DomainNoticeOnTheOldDomains(t *testing.T) {
	dn := &DomainNotice{Domains: []string{"jyj.tjhp.gov.cn"}, Page: notice.Page{Type: notice.TypeDomainChange, Title: "网站域名变更公告"}}
	objs := []string{"ConfigMap/edu-old-domains", "Deployment/edu-old-domains", "Service/edu-old-domains"}
	cases := []struct {
		name       string
		in         Inputs
		apply      []string
		absentHere []string
	}{
		{"announced on the Gateway", inputs(func(in *Inputs) { in.DomainNotice = dn }),
			append(slices.Clone(objs), "HTTPRoute/edu-old-domains"), []string{"Ingress/edu-old-domains"}},
		{"announced through the Ingress class", inputs(func(in *Inputs) { in.DomainNotice = dn; in.Policy = newPolicy(ingressPolicy) }),
			append(slices.Clone(objs), "Ingress/edu-old-domains"), nil},
		{"none in force: all gone", inputs(), nil, append(slices.Clone(objs), "HTTPRoute/edu-old-domains", "Ingress/edu-old-domains")},
		{"a site not launched routes nothing (S5)", inputs(func(in *Inputs) { in.DomainNotice = dn; in.Launched = false }), nil, objs},
	}
	for _, c := range cases {
		plan, err := Desired(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, id := range c.apply {
			if find(plan.Apply, id) == nil {
				t.Errorf("%s: %s not applied (applied %v)", c.name, id, ids(plan.Apply))
			}
		}
		for _, id := range c.absentHere {
			if find(plan.Absent, id) == nil {
				t.Errorf("%s: %s not removed", c.name, id)
			}
		}
	}

	plan, _ := Desired(inputs(func(in *Inputs) { in.DomainNotice = dn }))
	route := find(plan.Apply, "HTTPRoute/edu-old-domains").(*gatewayv1.HTTPRoute)
	if !slices.Equal(route.Spec.Hostnames, []gatewayv1.Hostname{"jyj.tjhp.gov.cn"}) ||
		route.Spec.Rules[0].BackendRefs[0].Name != "edu-old-domains" {
		t.Errorf("the old domains route to the notice: %v -> %s", route.Spec.Hostnames, route.Spec.Rules[0].BackendRefs[0].Name)
	}
	if find(plan.Apply, "HTTPRoute/edu").(*gatewayv1.HTTPRoute).Spec.Hostnames[0] == "jyj.tjhp.gov.cn" {
		t.Error("the site's own route keeps only the domains in force")
	}
	svc := find(plan.Apply, "Service/edu-old-domains").(*corev1.Service)
	pods := find(plan.Apply, "Deployment/edu-old-domains").(*appsv1.Deployment).Spec.Template.Labels
	if svc.Spec.Type != corev1.ServiceTypeClusterIP || svc.Spec.Selector[LabelComponent] != ComponentDomainNotice || pods[LabelComponent] != ComponentDomainNotice {
		t.Errorf("the notice Service selects the notice pods: %v", svc.Spec.Selector)
	}
	// S7: the notice pods are public, so the front end's NetworkPolicy admits the gateway to them.
	if pods[LabelPublic] != "true" {
		t.Errorf("notice pods %v are not public", pods)
	}
	var fe *networkingv1.NetworkPolicy
	for _, np := range NetworkPolicies(newSite(), newPolicy()) {
		if np.Name == FrontendPolicyName(newSite()) {
			fe = np
		}
	}
	if fe == nil || !selects(t, fe, pods) {
		t.Error("S7: the front end's NetworkPolicy does not select the notice pods")
	}
}
