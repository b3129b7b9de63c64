package builders

import (
	"fmt"
	"testing"

	"k8s.io/utils/ptr"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

func TestListenerCertificates(t *testing.T) {
	sites := func(n int) []SiteCertificate {
		out := make([]SiteCertificate, n)
		for i := range out {
			out[i] = SiteCertificate{Namespace: fmt.Sprintf("site-%03d", n-i), Name: "web-tls"} // reverse order: sorted on output
		}
		return out
	}
	platform := []gatewayv1.SecretObjectReference{{Name: "platform-default-tls"}}
	cases := []struct {
		name               string
		current            []gatewayv1.SecretObjectReference
		sites              int
		wantRefs, wantLeft int
	}{
		{"no sites: the platform's own", platform, 0, 1, 0},
		{"63 sites and the platform's: 64, all fit", platform, 63, 64, 0},
		{"64 sites and the platform's: one left out", platform, 64, 64, 1},
		{"64 sites, no platform certificate: all fit", nil, 64, 64, 0},
		{"65 sites, no platform certificate: one left out", nil, 65, 64, 1},
		{"a stale site ref is dropped, not kept as the platform's", []gatewayv1.SecretObjectReference{
			platform[0], {Name: "old-tls", Namespace: ptr.To(gatewayv1.Namespace("gone"))}}, 1, 2, 0},
		{"a ref in the Gateway's own namespace is the platform's", []gatewayv1.SecretObjectReference{
			{Name: "wildcard-tls", Namespace: ptr.To(gatewayv1.Namespace("sitegroup-gateway"))}}, 1, 2, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refs, left := ListenerCertificates("sitegroup-gateway", c.current, sites(c.sites))
			if len(refs) != c.wantRefs || len(left) != c.wantLeft {
				t.Fatalf("got %d refs, %d left; want %d, %d", len(refs), len(left), c.wantRefs, c.wantLeft)
			}
			if c.sites > 1 && c.wantLeft == 0 {
				last := refs[len(refs)-1]
				if string(*last.Namespace) != fmt.Sprintf("site-%03d", c.sites) {
					t.Errorf("sites not sorted: last is %s", *last.Namespace)
				}
			}
		})
	}
}
