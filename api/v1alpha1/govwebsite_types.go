package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OrganizationLevel is where an organization sits in the administrative chain.
// +kubebuilder:validation:Enum=city;district;department
type OrganizationLevel string

const (
	LevelCity       OrganizationLevel = "city"
	LevelDistrict   OrganizationLevel = "district"
	LevelDepartment OrganizationLevel = "department"
)

// SiteKind says whether a site is a government portal or a department site.
// +kubebuilder:validation:Enum=portal;department
type SiteKind string

const (
	// SiteKindPortal is a government portal (门户网站): never taken down temporarily (T2).
	SiteKindPortal SiteKind = "portal"
	// SiteKindDepartment is a department site (部门网站), a sub-site of a portal.
	SiteKindDepartment SiteKind = "department"
)

// Organization is the unit that runs the site (S2: one site per organization).
type Organization struct {
	// Name of the organization; the site is named after it (S3).
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name"`
	// CreditCode is the unified social credit code (统一社会信用代码), 18
	// characters. It identifies the organization for S2 and cannot change.
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$')",message="S2: organization.creditCode must be an 18-character unified social credit code (统一社会信用代码)"
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="S2: organization.creditCode is immutable; a different organization is a different site"
	// +kubebuilder:validation:MaxLength=18
	CreditCode string `json:"creditCode"`
	// Level of the organization.
	Level OrganizationLevel `json:"level"`
}

// Domain is a site's domain name (S3): lower-case, a valid DNS name, ending
// in .gov.cn or in the Chinese .政务 suffix.
// +kubebuilder:validation:MaxLength=253
// +kubebuilder:validation:XValidation:rule="self.matches('^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\\\.)+gov\\\\.cn$') || self.matches('^([a-z0-9\\\\p{Han}]([-a-z0-9\\\\p{Han}]{0,61}[a-z0-9\\\\p{Han}])?\\\\.)+政务$')",message="S3: a domain must be a lower-case DNS name ending in .gov.cn or .政务"
type Domain string

// CIDR is an IPv4 or IPv6 network in CIDR notation.
// +kubebuilder:validation:MaxLength=43
type CIDR string

// FrontendSpec is the public front end: the pods that serve the site.
type FrontendSpec struct {
	// Image of the front-end web server; it serves the content volume,
	// mounted read-only at /srv/www.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	Image string `json:"image"`
	// Args of the front-end container; the image's own when empty.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	Args []string `json:"args,omitempty"`
	// Port the front end listens on.
	// +kubebuilder:default=8080
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +optional
	Port int32 `json:"port,omitempty"`
	// Replicas of the front end; a PodDisruptionBudget guards more than one.
	// +kubebuilder:default=2
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=50
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`
	// Resources of the front-end container.
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
}

// AdminSpec is the back office (后台管理系统): a separate Deployment on a
// different host from the front end, never reachable from the internet (S7).
type AdminSpec struct {
	// Image of the admin system; it gets the content volume read-write.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	Image string `json:"image"`
	// Args of the admin container; the image's own when empty.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	Args []string `json:"args,omitempty"`
	// Port the admin listens on.
	// +kubebuilder:default=8080
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +optional
	Port int32 `json:"port,omitempty"`
	// AllowedSourceCIDRs may reach the admin (the department's office
	// network), besides the platform's admin-access namespace. Never the
	// whole internet.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:XValidation:rule="isCIDR(self)",message="S7: admin.allowedSourceCIDRs entries must be valid CIDRs"
	// +kubebuilder:validation:items:XValidation:rule="!isCIDR(self) || cidr(self).prefixLength() > 0",message="S7: the admin may never be open to the internet (0.0.0.0/0 or ::/0)"
	AllowedSourceCIDRs []CIDR `json:"allowedSourceCIDRs,omitempty"`
	// Resources of the admin container.
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`
}

// ContentImportSource fills a migrated site's content volume once.
// +kubebuilder:validation:XValidation:rule="has(self.archiveURL) != has(self.existingClaim)",message="content.importFrom: set exactly one of archiveURL or existingClaim"
type ContentImportSource struct {
	// ArchiveURL of a .tar.gz of the old site's pages, fetched by the import Job.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https']",message="content.importFrom.archiveURL must be an http or https URL"
	ArchiveURL string `json:"archiveURL,omitempty"`
	// ExistingClaim is a PersistentVolumeClaim in the site's namespace whose
	// files are copied in.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	ExistingClaim string `json:"existingClaim,omitempty"`
}

// ContentSpec is the site's content storage. The volume is never owned by
// the GovWebsite, so deleting the site never deletes its content (T7).
type ContentSpec struct {
	// Size of the content volume; it can grow, never shrink.
	// +kubebuilder:default="5Gi"
	// +optional
	// +kubebuilder:validation:XValidation:rule="quantity(self).compareTo(quantity(oldSelf)) >= 0",message="content.size can grow but never shrink"
	Size resource.Quantity `json:"size,omitempty"`
	// StorageClassName of the content volume; the cluster default when empty.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	StorageClassName *string `json:"storageClassName,omitempty"`
	// ImportFrom migrates an existing site's content into the volume once.
	// +optional
	ImportFrom *ContentImportSource `json:"importFrom,omitempty"`
}

// GatewayParentRef names the Gateway (and listener) a site's HTTPRoute attaches to.
type GatewayParentRef struct {
	// Name of the Gateway.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the Gateway.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace"`
	// SectionName is the listener; all listeners when empty.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	SectionName string `json:"sectionName,omitempty"`
}

// IssuerReference names the cert-manager issuer of a site's certificate.
type IssuerReference struct {
	// Name of the issuer.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Kind of the issuer.
	// +kubebuilder:default=ClusterIssuer
	// +kubebuilder:validation:Enum=Issuer;ClusterIssuer
	// +optional
	Kind string `json:"kind,omitempty"`
}

// RoutingSpec overrides the policy's routing for one site. The admin is never routed.
type RoutingSpec struct {
	// GatewayRef is the Gateway the site's HTTPRoute attaches to.
	// +optional
	GatewayRef *GatewayParentRef `json:"gatewayRef,omitempty"`
	// IngressClassName makes the operator route with an Ingress instead of
	// an HTTPRoute.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	IngressClassName *string `json:"ingressClassName,omitempty"`
	// TLSIssuerRef is the cert-manager issuer of the site's certificate.
	// +optional
	TLSIssuerRef *IssuerReference `json:"tlsIssuerRef,omitempty"`
}

// ColumnKind tells the inspector how often a column must be updated (V3).
// +kubebuilder:validation:Enum=news;notice;personnel;other
type ColumnKind string

// ColumnHint tells the inspector what a column is when its name does not.
type ColumnHint struct {
	// Name of the column as it appears in the site's navigation.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Name string `json:"name"`
	// Kind of the column: news 14 days, notice 6 months, personnel 1 year.
	Kind ColumnKind `json:"kind"`
}

// InspectionSettings tune how the site is inspected.
type InspectionSettings struct {
	// Schedule of the daily monitoring run, a five-field cron expression in
	// Asia/Shanghai time; the policy's default when empty.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^(\\\\S+\\\\s+){4}\\\\S+$')",message="inspection.schedule must be a five-field cron expression"
	Schedule string `json:"schedule,omitempty"`
	// TargetURL overrides the address inspected (the site's public domain
	// over HTTPS otherwise).
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https']",message="inspection.targetURL must be an http or https URL"
	TargetURL string `json:"targetURL,omitempty"`
	// ColumnHints override the inspector's guess of a column's kind.
	// +optional
	// +kubebuilder:validation:MaxItems=64
	ColumnHints []ColumnHint `json:"columnHints,omitempty"`
}

// EgressRule allows the site's pods to reach one network (DNS is always allowed).
type EgressRule struct {
	// CIDR the pods may reach.
	// +kubebuilder:validation:XValidation:rule="isCIDR(self)",message="egress.cidr must be a valid CIDR"
	CIDR CIDR `json:"cidr"`
	// Ports on it; all ports when empty.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:Minimum=1
	// +kubebuilder:validation:items:Maximum=65535
	Ports []int32 `json:"ports,omitempty"`
}

// GovWebsiteSpec is a hosted government site as its department applies it.
// +kubebuilder:validation:XValidation:rule="self.siteKind != 'portal' || self.domains.exists(d, d.startsWith('www.'))",message="S3: a portal's domains must include its www.<region>.gov.cn name"
// +kubebuilder:validation:XValidation:rule="self.siteKind != 'portal' || !has(self.parentPortal)",message="S2: a portal has no parent portal"
// +kubebuilder:validation:XValidation:rule="self.siteKind != 'department' || has(self.parentPortal)",message="S2: a department site is a sub-site of a portal: set parentPortal"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.approvals) || (has(self.approvals) && oldSelf.approvals.all(o, self.approvals.exists(n, n == o)))",message="S1: approvals are append-only; a recorded approval cannot be edited or removed"
type GovWebsiteSpec struct {
	// Organization that runs the site.
	Organization Organization `json:"organization"`
	// SiteKind: portal or department.
	SiteKind SiteKind `json:"siteKind"`
	// ParentPortal is the portal this department site belongs to.
	// +optional
	ParentPortal *NamespacedObjectReference `json:"parentPortal,omitempty"`
	// Domains the site answers to (S3); each belongs to one site only.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +listType=set
	Domains []Domain `json:"domains"`
	// SiteCode is the site identification code (网站标识码, S4): 10 digits
	// (6-digit region code + 4 digits) or bm + 8 digits.
	// +kubebuilder:validation:MaxLength=10
	// +kubebuilder:validation:XValidation:rule="self.matches('^([0-9]{10}|bm[0-9]{8})$')",message="S4: siteCode (网站标识码) must be 10 digits or bm followed by 8 digits"
	SiteCode string `json:"siteCode"`
	// ICPFiling is the ICP filing number (ICP备案号), e.g. 津ICP备05004439号.
	// +kubebuilder:validation:MinLength=6
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.contains('ICP')",message="S4: icpFiling must be an ICP filing number such as 津ICP备05004439号"
	ICPFiling string `json:"icpFiling"`
	// PublicSecurityFiling is the public-security filing number (公网安备号).
	// +kubebuilder:validation:MinLength=6
	// +kubebuilder:validation:MaxLength=64
	PublicSecurityFiling string `json:"publicSecurityFiling"`
	// Frontend serves the public site.
	Frontend FrontendSpec `json:"frontend"`
	// Admin is the back office, kept apart from the front end (S7).
	Admin AdminSpec `json:"admin"`
	// Content is the site's storage.
	// +optional
	Content ContentSpec `json:"content,omitempty"`
	// Routing overrides the policy's routing for this site.
	// +optional
	Routing RoutingSpec `json:"routing,omitempty"`
	// Egress the site's pods may open besides DNS.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	Egress []EgressRule `json:"egress,omitempty"`
	// Approvals record the opening approval chain (S1): nothing is served
	// until every level of the policy has approved. Append-only.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	Approvals []Approval `json:"approvals,omitempty"`
	// RectificationReports are the department's results (整改结果) of the
	// rectification tickets in status.tickets, each signed up the policy's
	// rectification chain (T9, 政府网站问题整改督办单): a ticket closes only
	// when its result is filed and signed and a later inspection no longer
	// finds the problem.
	// +optional
	// +listType=map
	// +listMapKey=ticket
	// +kubebuilder:validation:MaxItems=32
	RectificationReports []RectificationReport `json:"rectificationReports,omitempty"`
	// Inspection tunes the site's inspections.
	// +optional
	Inspection InspectionSettings `json:"inspection,omitempty"`
	// Suspend stops reconciling the site; what runs keeps running.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// SiteState is a one-word summary of a site for kubectl get.
type SiteState string

const (
	StateProvisioning     SiteState = "Provisioning"
	StateAwaitingApproval SiteState = "AwaitingApproval"
	// StateLaunching: approved and provisioned, waiting for its prelaunch
	// inspection to pass before it is routed (S5).
	StateLaunching SiteState = "Launching"
	StateRejected  SiteState = "Rejected"
	StateServing   SiteState = "Serving"
	StateDegraded  SiteState = "Degraded"
	StateTakenDown SiteState = "TakenDown"
	StateClosed    SiteState = "Closed"
	StateSuspended SiteState = "Suspended"
)

// PlacementViolation is a pod found where S6 or S7 says it may not be.
type PlacementViolation struct {
	// Pod name.
	Pod string `json:"pod"`
	// Node it runs on.
	Node string `json:"node"`
	// Region label of the node; empty when the node has none.
	// +optional
	Region string `json:"region,omitempty"`
	// Rule broken: S6 (abroad) or S7 (front end and admin on one host).
	// +kubebuilder:validation:Enum=S6;S7
	Rule string `json:"rule"`
}

// PlacementReport says where the site's pods run (S6, S7).
type PlacementReport struct {
	// FrontendNodes run the front end.
	// +optional
	// +kubebuilder:validation:MaxItems=64
	FrontendNodes []string `json:"frontendNodes,omitempty"`
	// AdminNodes run the admin.
	// +optional
	// +kubebuilder:validation:MaxItems=64
	AdminNodes []string `json:"adminNodes,omitempty"`
	// Violations found on the last look: the first MaxPlacementViolations.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	Violations []PlacementViolation `json:"violations,omitempty"`
	// ViolationsOmitted counts the violations beyond the list's bound.
	// +optional
	ViolationsOmitted int32 `json:"violationsOmitted,omitempty"`
	// NodesOmitted counts the nodes beyond the node lists' bound.
	// +optional
	NodesOmitted int32 `json:"nodesOmitted,omitempty"`
}

// Bounds of a PlacementReport, as its CRD enforces them: a site with more
// pods in the wrong place than the list holds still gets its status
// written, with the rest counted.
const (
	MaxPlacementNodes      = 64
	MaxPlacementViolations = 32
)

// ContentStatus reports the content volume and its import.
type ContentStatus struct {
	// ClaimName of the content volume.
	// +optional
	ClaimName string `json:"claimName,omitempty"`
	// ImportPhase: Pending, Running, Succeeded or Failed; empty without an import.
	// +optional
	ImportPhase string `json:"importPhase,omitempty"`
	// ImportMessage explains the import's result.
	// +optional
	ImportMessage string `json:"importMessage,omitempty"`
	// ImportedAt is when the import finished.
	// +optional
	ImportedAt *metav1.Time `json:"importedAt,omitempty"`
	// VolumeName is the PersistentVolume the content claim is bound to.
	// +optional
	VolumeName string `json:"volumeName,omitempty"`
	// Retained says the operator set that volume's reclaim policy to
	// Retain: the content survives the deletion of its claim, or of the
	// namespace (content is never lost, T7).
	// +optional
	Retained bool `json:"retained,omitempty"`
}

// Phases of a content import (status.content.importPhase).
const (
	ImportPending   = "Pending"
	ImportRunning   = "Running"
	ImportSucceeded = "Succeeded"
	ImportFailed    = "Failed"
)

// TakedownReference is the takedown in force on a site.
type TakedownReference struct {
	// Name of the TakedownRequest.
	Name string `json:"name"`
	// Type: temporary or permanent.
	Type TakedownType `json:"type"`
	// Phase of the takedown.
	Phase TakedownPhase `json:"phase"`
	// Until is the planned return of a temporary takedown.
	// +optional
	Until *metav1.Time `json:"until,omitempty"`
}

// TakedownQuota counts temporary takedowns in a calendar year (T3).
type TakedownQuota struct {
	// Year counted (Asia/Shanghai calendar).
	Year int32 `json:"year"`
	// Used temporary takedowns that went live this year.
	Used int32 `json:"used"`
	// Allowed by the policy in force.
	Allowed int32 `json:"allowed"`
}

// InspectionSummary is the outcome of one InspectionRun.
type InspectionSummary struct {
	// Run is the InspectionRun's name.
	Run string `json:"run"`
	// Purpose of the run.
	// +optional
	Purpose InspectionPurpose `json:"purpose,omitempty"`
	// Verdict of the run.
	// +optional
	Verdict Verdict `json:"verdict,omitempty"`
	// Score of the run (0–100, plus portal bonus).
	// +optional
	Score *int32 `json:"score,omitempty"`
	// Time the run completed.
	// +optional
	Time *metav1.Time `json:"time,omitempty"`
}

// ComplianceRecordKind says what a compliance record is about.
// +kubebuilder:validation:Enum=Inspection;MonthlyResult;Takedown;Approval;Rectification;Announcement
type ComplianceRecordKind string

// Kinds of compliance records.
const (
	RecordInspection    ComplianceRecordKind = "Inspection"
	RecordMonthlyResult ComplianceRecordKind = "MonthlyResult"
	RecordTakedown      ComplianceRecordKind = "Takedown"
	RecordApproval      ComplianceRecordKind = "Approval"
	RecordRectification ComplianceRecordKind = "Rectification"
	RecordAnnouncement  ComplianceRecordKind = "Announcement"
)

// ComplianceRecord is one entry of the auditor's history of a site.
type ComplianceRecord struct {
	// Time of the event.
	Time metav1.Time `json:"time"`
	// Kind of record.
	Kind ComplianceRecordKind `json:"kind"`
	// Ref names the object behind it (an InspectionRun, a TakedownRequest).
	// +optional
	Ref string `json:"ref,omitempty"`
	// Verdict where the record has one.
	// +optional
	Verdict Verdict `json:"verdict,omitempty"`
	// Score where the record has one.
	// +optional
	Score *int32 `json:"score,omitempty"`
	// Summary for a person.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Summary string `json:"summary,omitempty"`
}

// MaxComplianceHistory bounds status.complianceHistory so no site outgrows etcd.
const MaxComplianceHistory = 24

// MonthlyResult is a calendar month's verdict (T8 counts failing months):
// the last full inspection (monthly or patrol) completed in that month.
type MonthlyResult struct {
	// Month in the platform's calendar, YYYY-MM.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-[0-9]{2}$`
	Month string `json:"month"`
	// Verdict of the month.
	Verdict Verdict `json:"verdict"`
	// Score of the month's run.
	// +optional
	Score *int32 `json:"score,omitempty"`
	// Run that decided the month.
	// +kubebuilder:validation:MaxLength=253
	Run string `json:"run"`
	// Time the run completed.
	Time metav1.Time `json:"time"`
}

// MaxMonthlyResults keeps two years of months.
const MaxMonthlyResults = 24

// RectificationTicket tracks one severe problem to its fix (T9: 政府网站问题整改督办单).
type RectificationTicket struct {
	// ID is stable: the veto and the run that opened it.
	// +kubebuilder:validation:MaxLength=300
	ID string `json:"id"`
	// Problem as the inspector found it, starting with its rule id (V1–V5).
	// +kubebuilder:validation:MaxLength=512
	Problem string `json:"problem"`
	// OpenedAt is when a run first found it.
	OpenedAt metav1.Time `json:"openedAt"`
	// DueBy is one day later (T9: 整改时限不超过1天).
	DueBy metav1.Time `json:"dueBy"`
	// OpenedBy is the run that found it.
	// +kubebuilder:validation:MaxLength=253
	OpenedBy string `json:"openedBy"`
	// FixedAt is when a later run no longer found the problem.
	// +optional
	FixedAt *metav1.Time `json:"fixedAt,omitempty"`
	// FixedBy is that later run.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	FixedBy string `json:"fixedBy,omitempty"`
	// Result is the department's result (spec.rectificationReports), once
	// every level of the rectification chain signed it: its first
	// MaxTicketText characters (the whole text stays in the spec's report).
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Result string `json:"result,omitempty"`
	// ResultSigners are who signed the result, level by level ("unit chen.jing").
	// +optional
	// +kubebuilder:validation:MaxItems=8
	ResultSigners []string `json:"resultSigners,omitempty"`
	// ResultSignedAt is when the last level signed the result.
	// +optional
	ResultSignedAt *metav1.Time `json:"resultSignedAt,omitempty"`
	// ClosedAt is when the ticket closed: its result filed and signed, and
	// the problem no longer found (the later of the two).
	// +optional
	ClosedAt *metav1.Time `json:"closedAt,omitempty"`
	// ClosedBy is the run that no longer found the problem.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	ClosedBy string `json:"closedBy,omitempty"`
}

// RectificationReport is a department's result for one ticket (T9).
type RectificationReport struct {
	// Ticket is the ID of the ticket in status.tickets.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=300
	Ticket string `json:"ticket"`
	// Result says what was fixed and how (整改结果). Frozen once signed.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2000
	Result string `json:"result"`
	// FiledBy is who filed the result: stamped by the webhook from the
	// authenticated user.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	FiledBy string `json:"filedBy,omitempty"`
	// FiledAt is when: stamped by the webhook.
	// +optional
	FiledAt *metav1.Time `json:"filedAt,omitempty"`
	// Approvals sign the result up the policy's rectification chain (the
	// organizer's head, then the supervisor: 主办单位负责人, 督办人审核),
	// stamped and checked by the webhook as every signature is. Append-only.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	Approvals []Approval `json:"approvals,omitempty"`
}

// Bounds of the tickets in status (issue 17: a year of daily runs keeps
// the status under 64 KiB): a ticket's problem and result are cut to
// MaxTicketText characters (the whole result stays in the spec's report,
// the whole problem in the run's report), and besides every open ticket
// the status keeps the MaxClosedTickets newest closed ones (the history
// and the monthly records keep the rest).
const (
	MaxTicketText    = 256
	MaxClosedTickets = 8
)

// MaxTickets bounds status.tickets: every open ticket and the newest closed ones.
const MaxTickets = 32

// AvailabilityDay counts one calendar day's probes of the homepage (V1).
type AvailabilityDay struct {
	// Day in the platform's calendar, YYYY-MM-DD.
	Day string `json:"day"`
	// Probes sent.
	Probes int32 `json:"probes"`
	// Failed probes (no answer within 15 s, or an error status).
	Failed int32 `json:"failed"`
}

// AvailabilityStatus is the rolling 7-day V1 record, written at most hourly.
type AvailabilityStatus struct {
	// Days of the window, oldest first (today and the 7 days before).
	// +optional
	// +kubebuilder:validation:MaxItems=8
	Days []AvailabilityDay `json:"days,omitempty"`
	// Probes and Failed over the 7 complete days before today.
	Probes int32 `json:"probes"`
	Failed int32 `json:"failed"`
	// FailureRate over those days, in percent with one decimal ("1.4").
	FailureRate string `json:"failureRate"`
	// Verdict of V1: fail at 5%; pass otherwise.
	Verdict Verdict `json:"verdict"`
	// Warning: failures reached 3%, an early warning before V1 fires.
	// +optional
	Warning bool `json:"warning,omitempty"`
	// Sufficient: every day of the window had at least 20 probes.
	Sufficient bool `json:"sufficient"`
	// LastProbeTime is the newest probe counted.
	// +optional
	LastProbeTime *metav1.Time `json:"lastProbeTime,omitempty"`
}

// SiteIdentity is what a site's approvals are signed for (S1) and what a
// basic-information change files (S8): who runs it, what it is, where it
// answers, and its filings.
type SiteIdentity struct {
	// Organization that runs the site.
	Organization Organization `json:"organization"`
	// SiteKind: portal or department.
	SiteKind SiteKind `json:"siteKind"`
	// ParentPortal of a department site.
	// +optional
	ParentPortal *NamespacedObjectReference `json:"parentPortal,omitempty"`
	// Domains the site answers to.
	// +kubebuilder:validation:MaxItems=16
	Domains []Domain `json:"domains"`
	// SiteCode (网站标识码).
	// +kubebuilder:validation:MaxLength=10
	SiteCode string `json:"siteCode"`
	// ICPFiling number.
	// +kubebuilder:validation:MaxLength=64
	ICPFiling string `json:"icpFiling"`
	// PublicSecurityFiling number.
	// +kubebuilder:validation:MaxLength=64
	PublicSecurityFiling string `json:"publicSecurityFiling"`
}

// IdentityChange is one approved change of a site's basic information (S8):
// filed with the city office through the approval chain, old → new.
type IdentityChange struct {
	// ApprovedAt is when the last level signed the new identity.
	ApprovedAt metav1.Time `json:"approvedAt"`
	// Changes, one line a field: "domains: a → b".
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=512
	Changes []string `json:"changes"`
	// RequestedBy is who applied for the new identity (stamped by the
	// webhook when the spec's identity changed).
	// +optional
	// +kubebuilder:validation:MaxLength=253
	RequestedBy string `json:"requestedBy,omitempty"`
	// Signers of the new identity, in chain order.
	// +optional
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=253
	Signers []string `json:"signers,omitempty"`
	// RetiredDomains the change gave up: they announce the new address
	// until NoticeUntil (S8: a domain change is announced on the old site).
	// +optional
	// +kubebuilder:validation:MaxItems=16
	RetiredDomains []Domain `json:"retiredDomains,omitempty"`
	// NoticeUntil ends the announcement on the retired domains (the
	// policy's filing.domainChangeNoticeDays after the approval).
	// +optional
	NoticeUntil *metav1.Time `json:"noticeUntil,omitempty"`
}

// MaxIdentityChanges bounds status.identityChanges.
const MaxIdentityChanges = 16

// LaunchStatus records the site's first going live (S5).
type LaunchStatus struct {
	// PrelaunchRun is the InspectionRun that had to pass first.
	PrelaunchRun string `json:"prelaunchRun"`
	// LaunchedAt is when it passed and the site was routed.
	// +optional
	LaunchedAt *metav1.Time `json:"launchedAt,omitempty"`
	// AnnouncedUntil is the end of the opening announcement (开通公告) on
	// the parent portal's board (S5, the policy's filing.openingNoticeDays).
	// +optional
	AnnouncedUntil *metav1.Time `json:"announcedUntil,omitempty"`
}

// GovWebsiteStatus is what is true about the site right now.
type GovWebsiteStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions: Ready, Reconciling, Stalled, and the domain conditions
	// Approved (S1), Placed (S6), Isolated (S7), Serving, Compliant.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// State is a one-word summary.
	// +optional
	State SiteState `json:"state,omitempty"`
	// Endpoints the public reaches the site at.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	Endpoints []string `json:"endpoints,omitempty"`
	// Placement says where the site's pods run.
	// +optional
	Placement *PlacementReport `json:"placement,omitempty"`
	// Content reports the content volume.
	// +optional
	Content *ContentStatus `json:"content,omitempty"`
	// CurrentTakedown is the takedown in force, if any.
	// +optional
	CurrentTakedown *TakedownReference `json:"currentTakedown,omitempty"`
	// TakedownQuota is the temporary takedowns used this year (T3).
	// +optional
	TakedownQuota *TakedownQuota `json:"takedownQuota,omitempty"`
	// LastInspection is the latest completed InspectionRun.
	// +optional
	LastInspection *InspectionSummary `json:"lastInspection,omitempty"`
	// ConsecutiveFailingMonths counts months failed in a row (T8).
	// +optional
	ConsecutiveFailingMonths int32 `json:"consecutiveFailingMonths,omitempty"`
	// MonthlyResults, oldest first, at most 24 months (T8).
	// +optional
	// +kubebuilder:validation:MaxItems=24
	MonthlyResults []MonthlyResult `json:"monthlyResults,omitempty"`
	// MissingMonths are the complete months since launch with no result
	// (T8): a month nobody inspected, or a suspended site's month, is
	// missing, never passing.
	// +optional
	// +kubebuilder:validation:MaxItems=24
	MissingMonths []string `json:"missingMonths,omitempty"`
	// Tickets are the rectification tickets (T9): every open one and the newest closed.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	Tickets []RectificationTicket `json:"tickets,omitempty"`
	// Availability is the rolling 7-day probe record (V1).
	// +optional
	Availability *AvailabilityStatus `json:"availability,omitempty"`
	// Launch records the prelaunch inspection the site passed (S5).
	// +optional
	Launch *LaunchStatus `json:"launch,omitempty"`
	// ApprovedIdentity is the identity in force: the last one every level
	// signed (S1). A change of the spec's identity takes effect only once
	// it is signed in its turn (S8); until then this one is served.
	// +optional
	ApprovedIdentity *SiteIdentity `json:"approvedIdentity,omitempty"`
	// IdentityChanges are the approved S8 changes, newest last, bounded.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	IdentityChanges []IdentityChange `json:"identityChanges,omitempty"`
	// ComplianceHistory is the auditor's record, newest last, at most 24 entries.
	// +optional
	// +kubebuilder:validation:MaxItems=24
	ComplianceHistory []ComplianceRecord `json:"complianceHistory,omitempty"`
}

// GovWebsite is one hosted government site: a portal or a department site.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=gw,categories=sitegroup
// +kubebuilder:printcolumn:name="Domains",type=string,JSONPath=`.spec.domains`
// +kubebuilder:printcolumn:name="Kind",type=string,JSONPath=`.spec.siteKind`
// +kubebuilder:printcolumn:name="State",type=string,JSONPath=`.status.state`
// +kubebuilder:printcolumn:name="Score",type=integer,JSONPath=`.status.lastInspection.score`
// +kubebuilder:printcolumn:name="Verdict",type=string,JSONPath=`.status.lastInspection.verdict`,priority=1
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type GovWebsite struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   GovWebsiteSpec   `json:"spec,omitempty"`
	Status GovWebsiteStatus `json:"status,omitempty"`
}

// GovWebsiteList is a list of GovWebsites.
// +kubebuilder:object:root=true
type GovWebsiteList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []GovWebsite `json:"items"`
}

func init() {
	register(&GovWebsite{}, &GovWebsiteList{})
}
