package builders

import (
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// MaxListenerCertificates is Gateway API's bound on a listener's
// certificateRefs.
const MaxListenerCertificates = 64

// The labels and annotation a site's ReferenceGrant carries to say which
// Gateway listener serves its certificate: the Gateway certificates
// controller selects the grants of a Gateway by them.
const (
	LabelGatewayNamespace = "sitegroup.io/gateway-namespace"
	LabelGatewayName      = "sitegroup.io/gateway-name"
	// AnnotationGatewayListener is the listener (section name); empty:
	// every TLS listener of the Gateway.
	AnnotationGatewayListener = "sitegroup.io/gateway-listener"
)

// ReferenceGrantName is the grant that lets the platform's Gateway read the
// site's certificate Secret.
func ReferenceGrantName(site *sgv1.GovWebsite) string { return site.Name + "-gateway-tls" }

// ReferenceGrant lets Gateways in the platform's Gateway namespace read the
// site's certificate Secret, and nothing else of the site's namespace: the
// Gateway terminates TLS for the site's domains with the site's own
// cert-manager certificate.
func ReferenceGrant(site *sgv1.GovWebsite, gw sgv1.GatewayParentRef) *gatewayv1.ReferenceGrant {
	name := gatewayv1.ObjectName(CertificateName(site))
	labels := SiteLabels(site)
	labels[LabelGatewayNamespace], labels[LabelGatewayName] = gw.Namespace, gw.Name
	meta := childMeta(site, ReferenceGrantName(site), labels)
	meta.Annotations = map[string]string{AnnotationGatewayListener: gw.SectionName}
	return &gatewayv1.ReferenceGrant{
		TypeMeta:   metav1.TypeMeta{APIVersion: gatewayv1.GroupVersion.String(), Kind: "ReferenceGrant"},
		ObjectMeta: meta,
		Spec: gatewayv1.ReferenceGrantSpec{
			From: []gatewayv1.ReferenceGrantFrom{{Group: gatewayv1.GroupName, Kind: "Gateway", Namespace: gatewayv1.Namespace(gw.Namespace)}},
			To:   []gatewayv1.ReferenceGrantTo{{Group: "", Kind: "Secret", Name: &name}},
		},
	}
}

// SiteCertificate is a site certificate Secret a Gateway listener serves.
type SiteCertificate struct{ Namespace, Name string }

// ListenerCertificates is the certificateRefs a Gateway listener gets: the
// platform's own (refs within the Gateway's namespace, kept first as they
// are) and then the sites' certificates, sorted, up to Gateway API's bound.
// The sites that do not fit are returned apart.
func ListenerCertificates(gatewayNS string, current []gatewayv1.SecretObjectReference, sites []SiteCertificate) (refs []gatewayv1.SecretObjectReference, left []SiteCertificate) {
	for _, ref := range current {
		if ref.Namespace == nil || string(*ref.Namespace) == gatewayNS {
			refs = append(refs, ref)
		}
	}
	sorted := append([]SiteCertificate(nil), sites...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Namespace != sorted[j].Namespace {
			return sorted[i].Namespace < sorted[j].Namespace
		}
		return sorted[i].Name < sorted[j].Name
	})
	for _, s := range sorted {
		if len(refs) >= MaxListenerCertificates {
			left = append(left, s)
			continue
		}
		ns := gatewayv1.Namespace(s.Namespace)
		refs = append(refs, gatewayv1.SecretObjectReference{Group: new(gatewayv1.Group), Kind: ptr.To(gatewayv1.Kind("Secret")), Name: gatewayv1.ObjectName(s.Name), Namespace: &ns})
	}
	return refs, left
}

// GatewayListenerTLS is the part of a Gateway the operator applies: one
// listener's certificateRefs, nothing else (a Gateway's port, protocol and
// class stay the platform's). It is unstructured because the typed
// Listener would send its port and protocol as zero values.
func GatewayListenerTLS(gw *gatewayv1.Gateway, listener string, refs []gatewayv1.SecretObjectReference) *unstructured.Unstructured {
	list := make([]any, 0, len(refs))
	for _, r := range refs {
		ref := map[string]any{"name": string(r.Name)}
		if r.Group != nil {
			ref["group"] = string(*r.Group)
		}
		if r.Kind != nil {
			ref["kind"] = string(*r.Kind)
		}
		if r.Namespace != nil {
			ref["namespace"] = string(*r.Namespace)
		}
		list = append(list, ref)
	}
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": gatewayv1.GroupVersion.String(),
		"kind":       "Gateway",
		"metadata":   map[string]any{"name": gw.Name, "namespace": gw.Namespace},
		"spec": map[string]any{"listeners": []any{map[string]any{
			"name": listener,
			"tls":  map[string]any{"certificateRefs": list},
		}}},
	}}
	return u
}
