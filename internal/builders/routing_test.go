package builders

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"k8s.io/utils/ptr"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var (
	policyGW  = &sgv1.GatewayParentRef{Name: "public", Namespace: "sitegroup-gateway"}
	siteGW    = &sgv1.GatewayParentRef{Name: "edu-gw", Namespace: "edu-gw-ns", SectionName: "https"}
	policyIss = &sgv1.IssuerReference{Name: "platform-ca"}
	siteIss   = &sgv1.IssuerReference{Name: "edu-ca", Kind: "Issuer"}
)

func TestRoutingFor(t *testing.T) {
	cases := []struct {
		name        string
		policy      sgv1.RoutingPolicy
		site        sgv1.RoutingSpec
		wantGW      *sgv1.GatewayParentRef
		wantClass   string
		wantIssuer  *sgv1.IssuerReference
		wantIngress bool
		wantGateway bool
	}{
		{"nothing anywhere", sgv1.RoutingPolicy{}, sgv1.RoutingSpec{}, nil, "", nil, false, false},
		{"policy gateway", sgv1.RoutingPolicy{GatewayRef: policyGW, TLSIssuerRef: policyIss}, sgv1.RoutingSpec{}, policyGW, "", policyIss, false, true},
		{"site gateway overrides policy gateway", sgv1.RoutingPolicy{GatewayRef: policyGW}, sgv1.RoutingSpec{GatewayRef: siteGW}, siteGW, "", nil, false, true},
		{"site issuer overrides policy issuer", sgv1.RoutingPolicy{GatewayRef: policyGW, TLSIssuerRef: policyIss}, sgv1.RoutingSpec{TLSIssuerRef: siteIss}, policyGW, "", siteIss, false, true},
		{"policy ingress class", sgv1.RoutingPolicy{IngressClassName: ptr.To("nginx")}, sgv1.RoutingSpec{}, nil, "nginx", nil, true, false},
		{"site ingress class overrides policy gateway", sgv1.RoutingPolicy{GatewayRef: policyGW}, sgv1.RoutingSpec{IngressClassName: ptr.To("traefik")}, policyGW, "traefik", nil, true, false},
		{"site ingress class overrides policy class", sgv1.RoutingPolicy{IngressClassName: ptr.To("nginx")}, sgv1.RoutingSpec{IngressClassName: ptr.To("traefik")}, nil, "traefik", nil, true, false},
		{"empty ingress class falls back to the gateway", sgv1.RoutingPolicy{GatewayRef: policyGW}, sgv1.RoutingSpec{IngressClassName: ptr.To("")}, policyGW, "", nil, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Routing = c.site })
			r := RoutingFor(s, newPolicy(func(p *sgv1.SiteGroupPolicySpec) { p.Routing = c.policy }))
			if !reflect.DeepEqual(r.Gateway, c.wantGW) {
				t.Errorf("gateway %+v, want %+v", r.Gateway, c.wantGW)
			}
			if got := ptr.Deref(r.IngressClass, ""); got != c.wantClass {
				t.Errorf("ingress class %q, want %q", got, c.wantClass)
			}
			if !reflect.DeepEqual(r.Issuer, c.wantIssuer) {
				t.Errorf("issuer %+v, want %+v", r.Issuer, c.wantIssuer)
			}
			if r.UsesIngress() != c.wantIngress || r.UsesGateway() != c.wantGateway {
				t.Errorf("UsesIngress=%v UsesGateway=%v, want %v %v", r.UsesIngress(), r.UsesGateway(), c.wantIngress, c.wantGateway)
			}
		})
	}
}

func TestS3ASCIIDomains(t *testing.T) {
	cases := []struct {
		name    string
		domains []sgv1.Domain
		want    []string
		wantErr bool
	}{
		{"S3 gov.cn unchanged", []sgv1.Domain{"www.tj.gov.cn", "edu.tj.gov.cn"}, []string{"www.tj.gov.cn", "edu.tj.gov.cn"}, false},
		{"S3 .政务 to punycode", []sgv1.Domain{"天津.政务"}, []string{"xn--rssy87b.xn--zfr164b"}, false},
		{"S3 mixed list keeps order", []sgv1.Domain{"edu.tj.gov.cn", "教育.天津.政务"}, []string{"edu.tj.gov.cn", "xn--wcvs22d.xn--rssy87b.xn--zfr164b"}, false},
		{"S3 no ASCII form is an error", []sgv1.Domain{"edu.tj.gov.cn", "bad_name.gov.cn"}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Domains = c.domains })
			got, err := ASCIIDomains(s)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, c.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "S3:") {
				t.Errorf("error %q does not name S3", err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestHTTPRoute(t *testing.T) {
	cases := []struct {
		name        string
		gw          sgv1.GatewayParentRef
		hosts       []string
		wantSection *gatewayv1.SectionName
	}{
		{"all listeners", *policyGW, []string{"edu.tj.gov.cn"}, nil},
		{"one listener, two hosts", *siteGW, []string{"edu.tj.gov.cn", "xn--rssy87b.xn--zfr164b"}, ptr.To[gatewayv1.SectionName]("https")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite()
			r := HTTPRoute(s, c.gw, c.hosts)
			if r.Name != "edu" || r.Namespace != testNS || r.Kind != "HTTPRoute" || r.APIVersion != gatewayv1.GroupVersion.String() {
				t.Errorf("identity %s %s/%s", r.GroupVersionKind(), r.Namespace, r.Name)
			}
			requireController(t, "route", r.OwnerReferences)
			if len(r.Spec.ParentRefs) != 1 {
				t.Fatalf("%d parent refs", len(r.Spec.ParentRefs))
			}
			pr := r.Spec.ParentRefs[0]
			if string(pr.Name) != c.gw.Name || ptr.Deref(pr.Namespace, "") != gatewayv1.Namespace(c.gw.Namespace) ||
				ptr.Deref(pr.Kind, "") != "Gateway" || ptr.Deref(pr.Group, "") != gatewayv1.GroupName {
				t.Errorf("parent ref %+v does not name Gateway %s/%s", pr, c.gw.Namespace, c.gw.Name)
			}
			if ptr.Deref(pr.SectionName, "") != ptr.Deref(c.wantSection, "") || (pr.SectionName == nil) != (c.wantSection == nil) {
				t.Errorf("section %v, want %v", pr.SectionName, c.wantSection)
			}
			var hosts []string
			for _, h := range r.Spec.Hostnames {
				hosts = append(hosts, string(h))
			}
			if !slices.Equal(hosts, c.hosts) {
				t.Errorf("hostnames %v, want %v", hosts, c.hosts)
			}
			if len(r.Spec.Rules) != 1 || len(r.Spec.Rules[0].BackendRefs) != 1 {
				t.Fatalf("want one rule with one backend: %+v", r.Spec.Rules)
			}
			b := r.Spec.Rules[0].BackendRefs[0]
			if string(b.Name) != "edu-web" || ptr.Deref(b.Port, 0) != ServicePort || b.Namespace != nil {
				t.Errorf("S7 backend %+v must be the public Service edu-web:%d in the site's namespace", b.BackendObjectReference, ServicePort)
			}
		})
	}
}

func TestIngress(t *testing.T) {
	hosts := []string{"edu.tj.gov.cn", "www.edu.tj.gov.cn"}
	cases := []struct {
		name    string
		tls     bool
		wantTLS bool
	}{
		{"plain HTTP", false, false},
		{"TLS from the site certificate", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ing := Ingress(newSite(), "nginx", hosts, c.tls)
			if ing.Name != "edu" || ing.Namespace != testNS || ing.Kind != "Ingress" {
				t.Errorf("identity %s %s/%s", ing.GroupVersionKind(), ing.Namespace, ing.Name)
			}
			requireController(t, "ingress", ing.OwnerReferences)
			if ptr.Deref(ing.Spec.IngressClassName, "") != "nginx" {
				t.Errorf("class %v, want nginx", ing.Spec.IngressClassName)
			}
			if ing.Spec.DefaultBackend != nil {
				t.Errorf("default backend set: %+v", ing.Spec.DefaultBackend)
			}
			if len(ing.Spec.Rules) != len(hosts) {
				t.Fatalf("%d rules, want %d", len(ing.Spec.Rules), len(hosts))
			}
			for i, r := range ing.Spec.Rules {
				if r.Host != hosts[i] || r.HTTP == nil || len(r.HTTP.Paths) != 1 {
					t.Fatalf("rule %d: %+v", i, r)
				}
				p := r.HTTP.Paths[0]
				if p.Path != "/" || p.PathType == nil || *p.PathType != "Prefix" {
					t.Errorf("rule %d path %q %v, want / Prefix", i, p.Path, p.PathType)
				}
				if p.Backend.Service == nil || p.Backend.Service.Name != "edu-web" || p.Backend.Service.Port.Number != ServicePort {
					t.Errorf("S7 rule %d backend %+v must be edu-web:%d", i, p.Backend.Service, ServicePort)
				}
			}
			if !c.wantTLS {
				if len(ing.Spec.TLS) != 0 {
					t.Errorf("TLS set without a certificate: %+v", ing.Spec.TLS)
				}
				return
			}
			if len(ing.Spec.TLS) != 1 || ing.Spec.TLS[0].SecretName != "edu-tls" || !slices.Equal(ing.Spec.TLS[0].Hosts, hosts) {
				t.Errorf("TLS %+v, want secret edu-tls for %v", ing.Spec.TLS, hosts)
			}
		})
	}
}

func TestCertificate(t *testing.T) {
	hosts := []string{"edu.tj.gov.cn", "xn--rssy87b.xn--zfr164b"}
	cases := []struct {
		name     string
		issuer   sgv1.IssuerReference
		wantKind string
	}{
		{"kind defaults to ClusterIssuer", sgv1.IssuerReference{Name: "platform-ca"}, "ClusterIssuer"},
		{"namespaced Issuer kept", sgv1.IssuerReference{Name: "edu-ca", Kind: "Issuer"}, "Issuer"},
		{"ClusterIssuer kept", sgv1.IssuerReference{Name: "platform-ca", Kind: "ClusterIssuer"}, "ClusterIssuer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cert := Certificate(newSite(), c.issuer, hosts)
			if cert.Name != "edu-tls" || cert.Namespace != testNS || cert.Kind != "Certificate" || cert.APIVersion != "cert-manager.io/v1" {
				t.Errorf("identity %s %s/%s", cert.GroupVersionKind(), cert.Namespace, cert.Name)
			}
			requireController(t, "certificate", cert.OwnerReferences)
			ref := cert.Spec.IssuerRef
			if ref.Name != c.issuer.Name || ref.Kind != c.wantKind || ref.Group != "cert-manager.io" {
				t.Errorf("issuer %+v, want %s %s", ref, c.wantKind, c.issuer.Name)
			}
			if cert.Spec.SecretName != "edu-tls" || !slices.Equal(cert.Spec.DNSNames, hosts) {
				t.Errorf("secret %q names %v", cert.Spec.SecretName, cert.Spec.DNSNames)
			}
		})
	}
}
