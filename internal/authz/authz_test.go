package authz

import "testing"

// The permissions the webhooks ask for are the ones the shipped roles grant
// (config/rbac/personas.yaml) and the ones a refusal names.
func TestAttributesAndTheirNames(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{Describe(SignAttributes("tjhp-edu", "unit")), "approve signers.sitegroup.io/unit in namespace tjhp-edu"},
		{Describe(PlatformAttributes("tjhp-edu", "govwebsites")), "update govwebsites.sitegroup.io/platform in namespace tjhp-edu"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	a := SignAttributes("ns", "city")
	if a.Verb != "approve" || a.Resource != "signers" || a.Name != "city" || a.Subresource != "" || a.Group != "sitegroup.io" {
		t.Errorf("signing asks %+v", a)
	}
	p := PlatformAttributes("ns", "inspectionruns")
	if p.Verb != "update" || p.Resource != "inspectionruns" || p.Subresource != "platform" || p.Name != "" {
		t.Errorf("platform fields ask %+v", p)
	}
}
