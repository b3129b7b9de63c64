package builders

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/policy"
)

// NetworkPolicy names of a site.
func DefaultDenyPolicyName(site *sgv1.GovWebsite) string { return site.Name + "-default-deny" }
func FrontendPolicyName(site *sgv1.GovWebsite) string    { return site.Name + "-frontend-ingress" }
func AdminPolicyName(site *sgv1.GovWebsite) string       { return site.Name + "-admin-ingress" }
func EgressPolicyName(site *sgv1.GovWebsite) string      { return site.Name + "-egress" }

// NetworkPolicies isolate a site (S7): everything of the site is denied by
// default; the front end accepts only the gateway namespace; the admin
// accepts only its office CIDRs and the platform's admin-access namespace;
// egress is DNS plus what the spec declares.
func NetworkPolicies(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) []*networkingv1.NetworkPolicy {
	return []*networkingv1.NetworkPolicy{
		defaultDeny(site),
		frontendIngress(site, p),
		adminIngress(site, p),
		egress(site),
	}
}

func networkPolicy(site *sgv1.GovWebsite, name string, selector map[string]string, spec networkingv1.NetworkPolicySpec) *networkingv1.NetworkPolicy {
	spec.PodSelector = metav1.LabelSelector{MatchLabels: selector}
	return &networkingv1.NetworkPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: childMeta(site, name, SiteLabels(site)),
		Spec:       spec,
	}
}

// defaultDeny selects every pod of the namespace (podSelector {}), not only
// the site's: a pod the site did not make is isolated too (S7).
func defaultDeny(site *sgv1.GovWebsite) *networkingv1.NetworkPolicy {
	return networkPolicy(site, DefaultDenyPolicyName(site), nil, networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
	})
}

func namespacePeer(name string) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{NamespaceSelector: &metav1.LabelSelector{
		MatchLabels: map[string]string{corev1.LabelMetadataName: name},
	}}
}

func tcpPort(port int32) []networkingv1.NetworkPolicyPort {
	return []networkingv1.NetworkPolicyPort{{Protocol: ptr.To(corev1.ProtocolTCP), Port: ptr.To(intstr.FromInt32(port))}}
}

// frontendIngress admits the gateway, and the site's own inspection pods,
// to the public pods: the front end, or the notice pods while the site is
// taken down (T5).
func frontendIngress(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) *networkingv1.NetworkPolicy {
	return networkPolicy(site, FrontendPolicyName(site), map[string]string{LabelSite: site.Name, LabelPublic: "true"}, networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
		Ingress: []networkingv1.NetworkPolicyIngressRule{{
			From: []networkingv1.NetworkPolicyPeer{
				namespacePeer(p.Network.GatewayNamespace),
				// the site's own inspections read it the way the public does
				{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{LabelSite: site.Name, LabelComponent: ComponentInspection}}},
			},
			Ports: tcpPort(portOrDefault(site.Spec.Frontend.Port)),
		}},
	})
}

func adminIngress(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) *networkingv1.NetworkPolicy {
	from := []networkingv1.NetworkPolicyPeer{namespacePeer(p.Network.AdminAccessNamespace)}
	for _, c := range site.Spec.Admin.AllowedSourceCIDRs {
		// S7: the webhook refuses a CIDR outside the policy's admin access
		// networks; one left from before the policy narrowed opens nothing.
		if policy.InsideAdminNetworks(p, string(c)) {
			from = append(from, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: string(c)}})
		}
	}
	return networkPolicy(site, AdminPolicyName(site), ComponentSelector(site, ComponentAdmin), networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
		Ingress:     []networkingv1.NetworkPolicyIngressRule{{From: from, Ports: tcpPort(portOrDefault(site.Spec.Admin.Port))}},
	})
}

// DNSEgressRule allows name lookups to the cluster DNS only.
func DNSEgressRule() networkingv1.NetworkPolicyEgressRule {
	return networkingv1.NetworkPolicyEgressRule{
		To: []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: "kube-system"}},
			PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
		}},
		Ports: []networkingv1.NetworkPolicyPort{
			{Protocol: ptr.To(corev1.ProtocolUDP), Port: ptr.To(intstr.FromInt32(53))},
			{Protocol: ptr.To(corev1.ProtocolTCP), Port: ptr.To(intstr.FromInt32(53))},
		},
	}
}

func egress(site *sgv1.GovWebsite) *networkingv1.NetworkPolicy {
	rules := []networkingv1.NetworkPolicyEgressRule{DNSEgressRule()}
	for _, e := range site.Spec.Egress {
		rule := networkingv1.NetworkPolicyEgressRule{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: string(e.CIDR)}}}}
		for _, port := range e.Ports {
			rule.Ports = append(rule.Ports, tcpPort(port)...)
		}
		rules = append(rules, rule)
	}
	np := networkPolicy(site, EgressPolicyName(site), map[string]string{LabelSite: site.Name}, networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
		Egress:      rules,
	})
	// The site's egress is its own workloads', never its inspection pods':
	// those read hostile pages and have their own policy, DNS and the
	// site's front end only (InspectionEgress, issue 16).
	np.Spec.PodSelector.MatchExpressions = []metav1.LabelSelectorRequirement{
		{Key: LabelComponent, Operator: metav1.LabelSelectorOpNotIn, Values: []string{ComponentInspection}}}
	return np
}
