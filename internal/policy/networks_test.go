package policy

import (
	"testing"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func TestInsideAdminNetworks(t *testing.T) {
	p := sgv1.SiteGroupPolicySpec{Network: sgv1.NetworkPolicyDefaults{AdminAccessNetworks: []sgv1.CIDR{"10.0.0.0/8", "fd00:10::/32"}}}
	cases := []struct {
		cidr string
		want bool
	}{
		{"10.12.8.0/24", true},
		{"10.0.0.0/8", true},   // the whole network, at its boundary
		{"10.0.0.0/7", false},  // one bit wider than the network
		{"11.0.0.0/24", false}, // just outside
		{"0.0.0.0/1", false},   // S7: half the internet
		{"128.0.0.0/1", false}, // and the other half
		{"10.1.2.3/32", true},  // one host
		{"fd00:10:1::/48", true},
		{"fd00::/16", false},
		{"::ffff:10.0.0.1/128", false}, // an IPv6 spelling of an IPv4 address is not in the IPv4 network
		{"not-a-cidr", false},
	}
	for _, c := range cases {
		if got := InsideAdminNetworks(p, c.cidr); got != c.want {
			t.Errorf("%s: got %v, want %v", c.cidr, got, c.want)
		}
	}
	if InsideAdminNetworks(sgv1.SiteGroupPolicySpec{}, "10.12.8.0/24") {
		t.Error("a policy with no admin access network allows no site CIDR")
	}
}
