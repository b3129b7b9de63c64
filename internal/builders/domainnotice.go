package builders

import (
	"fmt"

	"golang.org/x/net/idna"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/notice"
)

// ComponentDomainNotice announces a domain change on the old domains (S8).
const ComponentDomainNotice = "domain-notice"

// DomainNoticeName names the old domains' notice: its ConfigMap,
// Deployment, Service and route.
func DomainNoticeName(site *sgv1.GovWebsite) string { return site.Name + "-old-domains" }

// DomainNotice is a domain change announced on the old domains for the
// policy's period (S8: 网站域名变更 is announced on the old site).
type DomainNotice struct {
	// Domains retired by the change, still routed to the notice.
	Domains []string
	// Page the notice pods serve.
	Page notice.Page
}

// withDomainNotice adds the old domains' notice while one is in force and
// the site is routed, and removes it otherwise.
func withDomainNotice(plan Plan, in Inputs) (Plan, error) {
	site, r := in.Site, RoutingFor(in.Site, in.Policy)
	name := DomainNoticeName(site)
	route := named(&gatewayv1.HTTPRoute{}, gatewayv1.GroupVersion.String(), "HTTPRoute", site, name)
	ing := named(&networkingv1.Ingress{}, "networking.k8s.io/v1", "Ingress", site, name)
	if in.DomainNotice == nil || len(in.DomainNotice.Domains) == 0 || !in.Approved || !in.Launched {
		plan.Absent = append(plan.Absent,
			named(&appsv1.Deployment{}, "apps/v1", "Deployment", site, name),
			named(&corev1.ConfigMap{}, "v1", "ConfigMap", site, name),
			named(&corev1.Service{}, "v1", "Service", site, name), ing)
		return absentIf(plan, in.HaveGatewayAPI, route), nil
	}
	hosts := make([]string, 0, len(in.DomainNotice.Domains))
	for _, d := range in.DomainNotice.Domains {
		a, err := idna.Lookup.ToASCII(d)
		if err != nil {
			return Plan{}, fmt.Errorf("S8: retired domain %q has no ASCII form: %w", d, err)
		}
		hosts = append(hosts, a)
	}
	cm, err := noticeConfigMap(site, name, ComponentDomainNotice, in.DomainNotice.Page)
	if err != nil {
		return Plan{}, err
	}
	plan.Apply = append(plan.Apply, cm, noticeDeployment(site, name, ComponentDomainNotice, in.Policy, in.OperatorImage),
		clusterIPService(site, name, ComponentDomainNotice, ComponentSelector(site, ComponentDomainNotice), portOrDefault(site.Spec.Frontend.Port)))
	switch {
	case r.UsesIngress():
		plan.Apply = append(plan.Apply, ingress(site, name, name, *r.IngressClass, hosts, false))
		plan = absentIf(plan, in.HaveGatewayAPI, route)
	case r.UsesGateway() && in.HaveGatewayAPI:
		plan.Apply = append(plan.Apply, httpRoute(site, name, name, *r.Gateway, hosts))
		plan.Absent = append(plan.Absent, ing)
	default:
		plan.Absent = append(plan.Absent, ing)
		plan = absentIf(plan, in.HaveGatewayAPI, route)
	}
	return plan, nil
}
