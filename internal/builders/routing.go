package builders

import (
	"fmt"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"golang.org/x/net/idna"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Routing is how a site is routed: the site's own settings over the policy's.
type Routing struct {
	Gateway      *sgv1.GatewayParentRef
	IngressClass *string
	Issuer       *sgv1.IssuerReference
}

// RoutingFor merges a site's routing over the policy's.
func RoutingFor(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) Routing {
	r := Routing{Gateway: p.Routing.GatewayRef, IngressClass: p.Routing.IngressClassName, Issuer: p.Routing.TLSIssuerRef}
	if site.Spec.Routing.GatewayRef != nil {
		// A site that names its Gateway is routed by it, even where the
		// policy's default is an ingress class.
		r.Gateway, r.IngressClass = site.Spec.Routing.GatewayRef, nil
	}
	if site.Spec.Routing.IngressClassName != nil {
		r.IngressClass = site.Spec.Routing.IngressClassName
	}
	if site.Spec.Routing.TLSIssuerRef != nil {
		r.Issuer = site.Spec.Routing.TLSIssuerRef
	}
	return r
}

// UsesIngress says the site is routed by an Ingress rather than an HTTPRoute.
func (r Routing) UsesIngress() bool { return r.IngressClass != nil && *r.IngressClass != "" }

// UsesGateway says the site is routed by an HTTPRoute.
func (r Routing) UsesGateway() bool { return !r.UsesIngress() && r.Gateway != nil }

// ASCIIDomains converts the site's domains to their ASCII (punycode) form:
// HTTPRoute hostnames and certificate names must be ASCII, and .政务
// domains are not.
func ASCIIDomains(site *sgv1.GovWebsite) ([]string, error) {
	out := make([]string, 0, len(site.Spec.Domains))
	for _, d := range site.Spec.Domains {
		a, err := idna.Lookup.ToASCII(string(d))
		if err != nil {
			return nil, fmt.Errorf("S3: domain %q has no ASCII form: %w", d, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// HTTPRoute routes the site's domains to its public Service through the
// platform's Gateway. The admin is never routed (S7).
func HTTPRoute(site *sgv1.GovWebsite, gw sgv1.GatewayParentRef, hosts []string) *gatewayv1.HTTPRoute {
	return httpRoute(site, RouteName(site), PublicServiceName(site), gw, hosts)
}

// httpRoute routes hosts to a Service of the site on the Gateway.
func httpRoute(site *sgv1.GovWebsite, name, service string, gw sgv1.GatewayParentRef, hosts []string) *gatewayv1.HTTPRoute {
	parent := gatewayv1.ParentReference{
		Group:     ptr.To(gatewayv1.Group(gatewayv1.GroupName)),
		Kind:      ptr.To(gatewayv1.Kind("Gateway")),
		Namespace: ptr.To(gatewayv1.Namespace(gw.Namespace)),
		Name:      gatewayv1.ObjectName(gw.Name),
	}
	if gw.SectionName != "" {
		parent.SectionName = ptr.To(gatewayv1.SectionName(gw.SectionName))
	}
	hostnames := make([]gatewayv1.Hostname, len(hosts))
	for i, h := range hosts {
		hostnames[i] = gatewayv1.Hostname(h)
	}
	return &gatewayv1.HTTPRoute{
		TypeMeta:   metav1.TypeMeta{APIVersion: gatewayv1.GroupVersion.String(), Kind: "HTTPRoute"},
		ObjectMeta: childMeta(site, name, SiteLabels(site)),
		Spec: gatewayv1.HTTPRouteSpec{
			CommonRouteSpec: gatewayv1.CommonRouteSpec{ParentRefs: []gatewayv1.ParentReference{parent}},
			Hostnames:       hostnames,
			Rules: []gatewayv1.HTTPRouteRule{{
				BackendRefs: []gatewayv1.HTTPBackendRef{{BackendRef: gatewayv1.BackendRef{
					BackendObjectReference: gatewayv1.BackendObjectReference{
						Name: gatewayv1.ObjectName(service),
						Port: ptr.To(gatewayv1.PortNumber(ServicePort)),
					},
				}}},
			}},
		},
	}
}

// Ingress routes the site's domains to its public Service where the policy
// names an ingress class; TLS from the site's certificate when it has one.
func Ingress(site *sgv1.GovWebsite, class string, hosts []string, tls bool) *networkingv1.Ingress {
	return ingress(site, RouteName(site), PublicServiceName(site), class, hosts, tls)
}

// ingress routes hosts to a Service of the site through the ingress class.
func ingress(site *sgv1.GovWebsite, name, service, class string, hosts []string, tls bool) *networkingv1.Ingress {
	pathType := networkingv1.PathTypePrefix
	backend := networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
		Name: service, Port: networkingv1.ServiceBackendPort{Number: ServicePort},
	}}
	ing := &networkingv1.Ingress{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "Ingress"},
		ObjectMeta: childMeta(site, name, SiteLabels(site)),
		Spec:       networkingv1.IngressSpec{IngressClassName: ptr.To(class)},
	}
	for _, h := range hosts {
		ing.Spec.Rules = append(ing.Spec.Rules, networkingv1.IngressRule{
			Host: h,
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
				Paths: []networkingv1.HTTPIngressPath{{Path: "/", PathType: &pathType, Backend: backend}},
			}},
		})
	}
	if tls {
		ing.Spec.TLS = []networkingv1.IngressTLS{{Hosts: hosts, SecretName: CertificateName(site)}}
	}
	return ing
}

// Certificate asks cert-manager for the site's TLS certificate.
func Certificate(site *sgv1.GovWebsite, issuer sgv1.IssuerReference, hosts []string) *certmanagerv1.Certificate {
	kind := issuer.Kind
	if kind == "" {
		kind = "ClusterIssuer"
	}
	return &certmanagerv1.Certificate{
		TypeMeta:   metav1.TypeMeta{APIVersion: certmanagerv1.SchemeGroupVersion.String(), Kind: "Certificate"},
		ObjectMeta: childMeta(site, CertificateName(site), SiteLabels(site)),
		Spec: certmanagerv1.CertificateSpec{
			SecretName: CertificateName(site),
			DNSNames:   hosts,
			IssuerRef:  cmmeta.IssuerReference{Name: issuer.Name, Kind: kind, Group: "cert-manager.io"},
		},
	}
}
