package builders

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Components of a site.
const (
	ComponentFrontend = "frontend"
	ComponentAdmin    = "admin"
	ComponentImport   = "content-import"
)

// Names of a site's children, derived from the site's name.
func FrontendName(site *sgv1.GovWebsite) string       { return site.Name + "-frontend" }
func AdminName(site *sgv1.GovWebsite) string          { return site.Name + "-admin" }
func PublicServiceName(site *sgv1.GovWebsite) string  { return site.Name + "-web" }
func AdminServiceName(site *sgv1.GovWebsite) string   { return site.Name + "-admin" }
func PreviewServiceName(site *sgv1.GovWebsite) string { return site.Name + "-preview" }
func ContentClaimName(site *sgv1.GovWebsite) string   { return site.Name + "-content" }
func CertificateName(site *sgv1.GovWebsite) string    { return site.Name + "-tls" }
func RouteName(site *sgv1.GovWebsite) string          { return site.Name }
func ImportJobName(site *sgv1.GovWebsite) string      { return site.Name + "-content-import" }

// SiteLabels mark every object of a site; the operator's caches select on
// the managed-by label.
func SiteLabels(site *sgv1.GovWebsite) map[string]string {
	return map[string]string{
		LabelManagedBy: ManagerName,
		LabelPartOf:    "sitegroup",
		LabelSite:      site.Name,
	}
}

// ComponentLabels mark one component's objects and pods.
func ComponentLabels(site *sgv1.GovWebsite, component string) map[string]string {
	l := SiteLabels(site)
	l[LabelComponent] = component
	return l
}

// ComponentSelector selects one component's pods (immutable in Deployments,
// so it holds only what never changes).
func ComponentSelector(site *sgv1.GovWebsite, component string) map[string]string {
	return map[string]string{LabelSite: site.Name, LabelComponent: component}
}

// ownerRef makes the site the controller of a child, so the child goes when
// the site goes and a change to it wakes the site's reconciler.
func ownerRef(site *sgv1.GovWebsite) []metav1.OwnerReference {
	return []metav1.OwnerReference{{
		APIVersion:         sgv1.GroupVersion.String(),
		Kind:               "GovWebsite",
		Name:               site.Name,
		UID:                site.UID,
		Controller:         ptr.To(true),
		BlockOwnerDeletion: ptr.To(true),
	}}
}

// childMeta is the metadata of an owned child.
func childMeta(site *sgv1.GovWebsite, name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: site.Namespace, Labels: labels, OwnerReferences: ownerRef(site)}
}
