package policy

import (
	"net/netip"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// InsideAdminNetworks says whether cidr lies inside one of the networks the
// policy names for admin access (S7): the same family, no shorter a prefix,
// and its address inside. 0.0.0.0/1 is inside nothing but a /0 or /1.
func InsideAdminNetworks(p sgv1.SiteGroupPolicySpec, cidr string) bool {
	pre, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	pre = pre.Masked()
	for _, c := range p.Network.AdminAccessNetworks {
		n, err := netip.ParsePrefix(string(c))
		if err != nil {
			continue
		}
		n = n.Masked()
		if n.Addr().Is4() == pre.Addr().Is4() && n.Bits() <= pre.Bits() && n.Contains(pre.Addr()) {
			return true
		}
	}
	return false
}
