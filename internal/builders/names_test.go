package builders

import (
	"maps"
	"testing"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func TestChildNames(t *testing.T) {
	s := newSite()
	cases := []struct {
		name string
		fn   func(*sgv1.GovWebsite) string
		want string
	}{
		{"frontend deployment", FrontendName, "edu-frontend"},
		{"admin deployment", AdminName, "edu-admin"},
		{"public service", PublicServiceName, "edu-web"},
		{"admin service", AdminServiceName, "edu-admin"},
		{"T7 content claim", ContentClaimName, "edu-content"},
		{"certificate", CertificateName, "edu-tls"},
		{"route", RouteName, "edu"},
		{"import job", ImportJobName, "edu-content-import"},
		{"default-deny policy", DefaultDenyPolicyName, "edu-default-deny"},
		{"frontend policy", FrontendPolicyName, "edu-frontend-ingress"},
		{"admin policy", AdminPolicyName, "edu-admin-ingress"},
		{"egress policy", EgressPolicyName, "edu-egress"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.fn(s); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestLabelsAndSelectors(t *testing.T) {
	s := newSite()
	siteLabels := map[string]string{
		LabelManagedBy: ManagerName,
		LabelPartOf:    "sitegroup",
		LabelSite:      "edu",
	}
	with := func(component string) map[string]string {
		m := maps.Clone(siteLabels)
		m[LabelComponent] = component
		return m
	}
	cases := []struct {
		name string
		got  map[string]string
		want map[string]string
	}{
		{"site labels", SiteLabels(s), siteLabels},
		{"frontend labels", ComponentLabels(s, ComponentFrontend), with(ComponentFrontend)},
		{"admin labels", ComponentLabels(s, ComponentAdmin), with(ComponentAdmin)},
		{"import labels", ComponentLabels(s, ComponentImport), with(ComponentImport)},
		// The selector is immutable in a Deployment: only site and component.
		{"frontend selector", ComponentSelector(s, ComponentFrontend), map[string]string{LabelSite: "edu", LabelComponent: ComponentFrontend}},
		{"admin selector", ComponentSelector(s, ComponentAdmin), map[string]string{LabelSite: "edu", LabelComponent: ComponentAdmin}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !maps.Equal(c.got, c.want) {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
}

func TestSiteLabelsAreFreshMaps(t *testing.T) {
	s := newSite()
	a := ComponentLabels(s, ComponentFrontend)
	a[LabelComponent] = "mutated"
	if got := ComponentLabels(s, ComponentFrontend)[LabelComponent]; got != ComponentFrontend {
		t.Errorf("ComponentLabels shares state between calls: got %q", got)
	}
	if _, ok := SiteLabels(s)[LabelComponent]; ok {
		t.Errorf("SiteLabels picked up a component label from ComponentLabels")
	}
}
