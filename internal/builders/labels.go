// Package builders computes the desired child objects of a GovWebsite as
// pure functions: full objects, owner references included, ready for
// server-side apply. Nothing here talks to the API server.
package builders

// Labels the operator puts on everything it creates.
const (
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelName      = "app.kubernetes.io/name"
	LabelComponent = "app.kubernetes.io/component"
	LabelPartOf    = "app.kubernetes.io/part-of"
	// LabelSite names the GovWebsite an object belongs to; it stays on the
	// content volume after the site is gone (T7: content is never lost).
	LabelSite = "sitegroup.io/site"
	// LabelSiteNamespace marks a namespace that hosts a site (the
	// ValidatingAdmissionPolicy of S6 selects on it).
	LabelSiteNamespace = "sitegroup.io/site-namespace"

	ManagerName = "sitegroup-operator"
)
