package v1alpha1

// The trust model: the party a rule binds never holds the pen. Who may do
// what is an RBAC question the operator's webhooks ask the API server with a
// SubjectAccessReview, the way the CertificateSigningRequest API and
// cert-manager's CertificateRequest approval do. These are the attributes
// they ask about; the shipped ClusterRoles (config/rbac/personas.yaml)
// grant them.
const (
	// SignersResource is the virtual resource a signer holds the approve
	// verb on, one resource name per approval level ("unit", "city",
	// "province"): a unit head's right comes from a RoleBinding in their
	// own department's namespace, the city and province offices' from
	// ClusterRoleBindings (S1, T1, T6).
	SignersResource = "signers"
	// VerbApprove is the verb a signer needs on signers/<level>.
	VerbApprove = "approve"

	// PlatformSubresource is the virtual subresource whose update verb lets
	// a platform engineer write the fields a department never may: a
	// site's suspend, force-delete, inspection target, schedule and column
	// hints, egress and admin networks beyond the policy; a run's target
	// and scoring profile; the cancellation of a takedown the operator
	// raised (T8).
	PlatformSubresource = "platform"
	// VerbUpdate is the verb asked on <resource>/platform.
	VerbUpdate = "update"
	// ExternalSubresource is the virtual subresource whose create verb lets
	// a user record a national or provincial check's result (an
	// InspectionRun of purpose external, T8): the offices and the platform
	// hold it, the department checked does not.
	ExternalSubresource = "external"
	// VerbCreate is the verb asked on inspectionruns/external.
	VerbCreate = "create"
)

// AnnotationRequestedBy records who created an InspectionRun or a
// TakedownRequest, stamped by the operator's webhook from the authenticated
// user on creation and never changed. The compliance record counts only
// runs the operator itself requested; a department's ad hoc run is allowed
// and never counts (T8, S5).
const AnnotationRequestedBy = "sitegroup.io/requested-by"

// AnnotationIdentityRequestedBy records who applied for the identity a
// GovWebsite's spec now carries (S8: who asked for a change of organizer,
// domain, name or head). The webhook stamps it from the authenticated user
// on every write that changes the identity, and refuses any other change
// of it.
const AnnotationIdentityRequestedBy = "sitegroup.io/identity-requested-by"

// AnnotationForceDelete lets a platform engineer delete a site that was not
// closed by a permanent takedown (a mistake, a test). Only the platform may
// set it (T7).
const AnnotationForceDelete = "sitegroup.io/force-delete"
