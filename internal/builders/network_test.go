package builders

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func policiesByName(s *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) map[string]*networkingv1.NetworkPolicy {
	out := map[string]*networkingv1.NetworkPolicy{}
	for _, np := range NetworkPolicies(s, p) {
		out[np.Name] = np
	}
	return out
}

// selects says whether a NetworkPolicy's pod selector picks pods with these labels.
func selects(t *testing.T, np *networkingv1.NetworkPolicy, l map[string]string) bool {
	t.Helper()
	sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	if err != nil {
		t.Fatal(err)
	}
	return sel.Matches(labels.Set(l))
}

func TestS7NetworkPoliciesSelectPods(t *testing.T) {
	s := newSite()
	other := newSite(func(o *sgv1.GovWebsite) { o.Name = "health" })
	// The labels the site's pods really carry, and another site's.
	fe, ad, imp := podLabels(s, ComponentFrontend), podLabels(s, ComponentAdmin), podLabels(s, ComponentImport)
	cases := []struct {
		name      string
		policy    string
		types     []networkingv1.PolicyType
		selected  []map[string]string
		untouched []map[string]string
	}{
		// S7: every pod of the namespace, the site's and any other, is denied by default.
		{"S7 default deny selects every pod of the namespace for ingress and egress", "edu-default-deny",
			[]networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
			[]map[string]string{fe, ad, imp, podLabels(other, ComponentAdmin), {"app": "handmade"}, {}}, nil},
		{"S7 frontend ingress selects the front end only", "edu-frontend-ingress",
			[]networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			[]map[string]string{fe}, []map[string]string{ad, imp, podLabels(other, ComponentFrontend)}},
		{"S7 admin ingress selects the admin only", "edu-admin-ingress",
			[]networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			[]map[string]string{ad}, []map[string]string{fe, imp, podLabels(other, ComponentAdmin)}},
		{"S7 egress selects every site pod", "edu-egress",
			[]networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
			[]map[string]string{fe, ad, imp}, []map[string]string{podLabels(other, ComponentFrontend)}},
	}
	nps := policiesByName(s, newPolicy())
	if len(nps) != len(cases) {
		t.Errorf("%d NetworkPolicies, want %d", len(nps), len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			np := nps[c.policy]
			if np == nil {
				t.Fatalf("no NetworkPolicy %s", c.policy)
			}
			if !slices.Equal(np.Spec.PolicyTypes, c.types) {
				t.Errorf("policy types %v, want %v", np.Spec.PolicyTypes, c.types)
			}
			for _, l := range c.selected {
				if !selects(t, np, l) {
					t.Errorf("does not select %v", l)
				}
			}
			for _, l := range c.untouched {
				if selects(t, np, l) {
					t.Errorf("selects %v", l)
				}
			}
			if np.Namespace != testNS || np.APIVersion != "networking.k8s.io/v1" || np.Kind != "NetworkPolicy" {
				t.Errorf("identity %s %s/%s", np.GroupVersionKind(), np.Namespace, np.Name)
			}
			requireController(t, c.policy, np.OwnerReferences)
		})
	}
	deny := nps["edu-default-deny"]
	if len(deny.Spec.Ingress) != 0 || len(deny.Spec.Egress) != 0 {
		t.Errorf("S7 default deny allows something: %+v", deny.Spec)
	}
}

// podLabels are the labels on a component's pod template.
func podLabels(s *sgv1.GovWebsite, component string) map[string]string {
	p := newPolicy()
	switch component {
	case ComponentFrontend:
		return FrontendDeployment(s, p, false).Spec.Template.Labels
	case ComponentAdmin:
		return AdminDeployment(s, p).Spec.Template.Labels
	}
	s = s.DeepCopy()
	s.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ArchiveURL: "https://old.tj.gov.cn/a.tar.gz"}
	return ImportJob(s, p, "img").Spec.Template.Labels
}

// peerDesc describes a peer for comparison: "ns:<name>" or "cidr:<cidr>".
func peerDesc(p networkingv1.NetworkPolicyPeer) string {
	switch {
	case p.IPBlock != nil && p.NamespaceSelector == nil && p.PodSelector == nil && len(p.IPBlock.Except) == 0:
		return "cidr:" + p.IPBlock.CIDR
	case p.NamespaceSelector != nil && p.PodSelector == nil && p.IPBlock == nil && len(p.NamespaceSelector.MatchExpressions) == 0 && len(p.NamespaceSelector.MatchLabels) == 1:
		return "ns:" + p.NamespaceSelector.MatchLabels[corev1.LabelMetadataName]
	case p.PodSelector != nil && p.NamespaceSelector == nil && p.IPBlock == nil && p.PodSelector.MatchLabels[LabelComponent] == ComponentInspection:
		return "own-inspection:" + p.PodSelector.MatchLabels[LabelSite]
	}
	return "other"
}

// portDesc describes ports as "TCP/8080" strings.
func portDesc(ports []networkingv1.NetworkPolicyPort) []string {
	var out []string
	for _, p := range ports {
		out = append(out, string(*p.Protocol)+"/"+p.Port.String())
	}
	return out
}

func TestS7IngressSources(t *testing.T) {
	adminNets := newPolicy(func(p *sgv1.SiteGroupPolicySpec) {
		p.Network.AdminAccessNetworks = []sgv1.CIDR{"10.0.0.0/8", "2001:db8::/32"}
	})
	cases := []struct {
		name      string
		p         sgv1.SiteGroupPolicySpec
		cidrs     []sgv1.CIDR
		policy    string
		wantPeers []string
		wantPorts []string
	}{
		{"S7 front end only from the gateway namespace and the site's own inspections", newPolicy(), nil, "edu-frontend-ingress",
			[]string{"ns:sitegroup-gateway", "own-inspection:edu"}, []string{"TCP/8080"}},
		{"S7 front end from a custom gateway namespace", newPolicy(func(p *sgv1.SiteGroupPolicySpec) { p.Network.GatewayNamespace = "envoy" }), nil, "edu-frontend-ingress",
			[]string{"ns:envoy", "own-inspection:edu"}, []string{"TCP/8080"}},
		{"S7 admin only from the admin-access namespace", newPolicy(), nil, "edu-admin-ingress",
			[]string{"ns:sitegroup-admin-access"}, []string{"TCP/9090"}},
		{"S7 admin from admin-access plus each office CIDR inside the admin networks", adminNets, []sgv1.CIDR{"10.8.0.0/16", "2001:db8::/48"}, "edu-admin-ingress",
			[]string{"ns:sitegroup-admin-access", "cidr:10.8.0.0/16", "cidr:2001:db8::/48"}, []string{"TCP/9090"}},
		{"S7 a CIDR outside the admin networks opens nothing", adminNets, []sgv1.CIDR{"0.0.0.0/1", "128.0.0.0/1", "10.8.0.0/16"}, "edu-admin-ingress",
			[]string{"ns:sitegroup-admin-access", "cidr:10.8.0.0/16"}, []string{"TCP/9090"}},
		{"S7 no admin network in the policy: only the admin-access namespace", newPolicy(), []sgv1.CIDR{"10.8.0.0/16"}, "edu-admin-ingress",
			[]string{"ns:sitegroup-admin-access"}, []string{"TCP/9090"}},
		{"S7 office CIDRs never open the front end", newPolicy(), []sgv1.CIDR{"10.8.0.0/16"}, "edu-frontend-ingress",
			[]string{"ns:sitegroup-gateway", "own-inspection:edu"}, []string{"TCP/8080"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Admin.AllowedSourceCIDRs = c.cidrs })
			np := policiesByName(s, c.p)[c.policy]
			if len(np.Spec.Ingress) != 1 {
				t.Fatalf("%d ingress rules, want 1: %+v", len(np.Spec.Ingress), np.Spec.Ingress)
			}
			rule := np.Spec.Ingress[0]
			var peers []string
			for _, p := range rule.From {
				peers = append(peers, peerDesc(p))
			}
			if !slices.Equal(peers, c.wantPeers) {
				t.Errorf("peers %v, want %v", peers, c.wantPeers)
			}
			if got := portDesc(rule.Ports); !slices.Equal(got, c.wantPorts) {
				t.Errorf("ports %v, want %v", got, c.wantPorts)
			}
		})
	}
}

func TestEgress(t *testing.T) {
	dns := []string{"UDP/53", "TCP/53"}
	cases := []struct {
		name   string
		egress []sgv1.EgressRule
		want   [][]string // per rule after DNS: peer followed by ports
	}{
		{"DNS only", nil, nil},
		{"declared CIDR and ports", []sgv1.EgressRule{{CIDR: "10.20.0.0/24", Ports: []int32{5432, 6379}}},
			[][]string{{"cidr:10.20.0.0/24", "TCP/5432", "TCP/6379"}}},
		{"declared CIDR, all ports", []sgv1.EgressRule{{CIDR: "10.30.0.0/24"}},
			[][]string{{"cidr:10.30.0.0/24"}}},
		{"two rules in order", []sgv1.EgressRule{{CIDR: "10.1.0.0/16", Ports: []int32{443}}, {CIDR: "10.2.0.0/16", Ports: []int32{25}}},
			[][]string{{"cidr:10.1.0.0/16", "TCP/443"}, {"cidr:10.2.0.0/16", "TCP/25"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Egress = c.egress })
			np := policiesByName(s, newPolicy())["edu-egress"]
			rules := np.Spec.Egress
			if len(rules) != 1+len(c.want) {
				t.Fatalf("%d egress rules, want %d", len(rules), 1+len(c.want))
			}
			d := rules[0]
			if len(d.To) != 1 || d.To[0].NamespaceSelector == nil || d.To[0].NamespaceSelector.MatchLabels[corev1.LabelMetadataName] != "kube-system" ||
				d.To[0].PodSelector == nil || d.To[0].PodSelector.MatchLabels["k8s-app"] != "kube-dns" {
				t.Errorf("first rule is not cluster DNS: %+v", d.To)
			}
			if got := portDesc(d.Ports); !slices.Equal(got, dns) {
				t.Errorf("DNS ports %v, want %v", got, dns)
			}
			for i, w := range c.want {
				r := rules[i+1]
				if len(r.To) != 1 {
					t.Fatalf("rule %d: %d peers", i, len(r.To))
				}
				got := append([]string{peerDesc(r.To[0])}, portDesc(r.Ports)...)
				if !slices.Equal(got, w) {
					t.Errorf("rule %d: %v, want %v", i, got, w)
				}
			}
			if len(np.Spec.Ingress) != 0 {
				t.Errorf("egress policy allows ingress: %+v", np.Spec.Ingress)
			}
		})
	}
}

// TestSiteEgressLeavesInspectionPodsAlone: a site's declared egress (say
// 0.0.0.0/0:443 for a site that calls out) never selects its inspection
// pods, which read hostile pages under their own policy (issue 16).
func TestSiteEgressLeavesInspectionPodsAlone(t *testing.T) {
	site := newSite(func(s *sgv1.GovWebsite) {
		s.Spec.Egress = []sgv1.EgressRule{{CIDR: "0.0.0.0/0", Ports: []int32{443}}}
	})
	var egress *networkingv1.NetworkPolicy
	for _, np := range NetworkPolicies(site, newPolicy()) {
		if np.Name == EgressPolicyName(site) {
			egress = np
		}
	}
	sel, err := metav1.LabelSelectorAsSelector(&egress.Spec.PodSelector)
	if err != nil {
		t.Fatal(err)
	}
	for component, want := range map[string]bool{ComponentFrontend: true, ComponentAdmin: true, ComponentInspection: false} {
		pod := labels.Set{LabelSite: site.Name, LabelComponent: component}
		if got := sel.Matches(pod); got != want {
			t.Errorf("the site's egress selects a %s pod: %v, want %v", component, got, want)
		}
	}
}

func TestInspectionJobDeniesClusterNetworks(t *testing.T) {
	p := newPolicy()
	p.Network.ClusterNetworks = []sgv1.CIDR{"10.96.0.0/12", "10.244.0.0/16"}
	args := strings.Join(InspectionJob(inspectionRun(), newSite(), p, "img").Spec.Template.Spec.Containers[0].Args, " ")
	if !strings.Contains(args, "--deny-cidr 10.96.0.0/12 --deny-cidr 10.244.0.0/16") {
		t.Errorf("args: %s", args)
	}
}
