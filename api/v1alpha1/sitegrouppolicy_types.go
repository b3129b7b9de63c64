package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PolicyName is the name of the one SiteGroupPolicy the operator reads.
const PolicyName = "default"

// PlacementPolicy keeps every site pod on domestic nodes (S6) and the front
// end and admin on different hosts (S7).
type PlacementPolicy struct {
	// NodeLabelKey holds a node's region.
	// +kubebuilder:default="topology.kubernetes.io/region"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=317
	// +optional
	NodeLabelKey string `json:"nodeLabelKey,omitempty"`
	// AllowedRegions are the domestic regions site pods may run in (S6).
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	// +listType=set
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:items:MinLength=1
	AllowedRegions []string `json:"allowedRegions"`
	// HostSeparation of front end and admin (S7): Required keeps them on
	// different nodes always; Preferred lets a single-node cluster (a test
	// bed) run both, and the site's Isolated condition says so.
	// +kubebuilder:default=Required
	// +kubebuilder:validation:Enum=Required;Preferred
	// +optional
	HostSeparation string `json:"hostSeparation,omitempty"`
	// FrontendNodeSelector optionally pins front ends to a node pool (S7).
	// +optional
	// +kubebuilder:validation:MaxProperties=8
	FrontendNodeSelector map[string]string `json:"frontendNodeSelector,omitempty"`
	// AdminNodeSelector optionally pins admins to a node pool (S7).
	// +optional
	// +kubebuilder:validation:MaxProperties=8
	AdminNodeSelector map[string]string `json:"adminNodeSelector,omitempty"`
}

// TakedownPolicy holds the takedown limits; defaults are the strictest
// city's (RULES.md: the stricter value is the default).
type TakedownPolicy struct {
	// MaxTemporaryDays a temporary takedown may last (T4: 30; Tianjin allows 60).
	// +kubebuilder:default=30
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 60",message="T4: takedown.maxTemporaryDays must be 1 to 60 days (30 by default; no city allows more than 60)"
	MaxTemporaryDays int32 `json:"maxTemporaryDays,omitempty"`
	// TemporaryPerYear is how many temporary takedowns a site may have in a
	// calendar year (T3: 1; 0 forbids them).
	// +kubebuilder:default=1
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 0 && self <= 1",message="T3: takedown.temporaryPerYear must be 0 or 1 (at most one temporary takedown a year)"
	TemporaryPerYear *int32 `json:"temporaryPerYear,omitempty"`
	// ReturnWindowDays before the planned return in which the return is
	// applied for (T6: 7).
	// +kubebuilder:default=7
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 7",message="T6: takedown.returnWindowDays must be 1 to 7 (the return is applied for within the 7 days before going live)"
	ReturnWindowDays int32 `json:"returnWindowDays,omitempty"`
	// PermanentNoticeDays the closure notice stays on the homepage (T7: a month).
	// +kubebuilder:default=30
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 30 && self <= 365",message="T7: takedown.permanentNoticeDays must be 30 to 365 (the closure notice stays at least a month)"
	PermanentNoticeDays int32 `json:"permanentNoticeDays,omitempty"`
	// DeregistrationDays to cancel domain and ICP filing after closure (T7: 3 months).
	// +kubebuilder:default=90
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 90",message="T7: takedown.deregistrationDays must be 1 to 90 (domain and ICP cancelled within 3 months)"
	DeregistrationDays int32 `json:"deregistrationDays,omitempty"`
}

// ApprovalScope says which approval chain a level signs in.
// +kubebuilder:validation:Enum=site;takedown;return;rectification
type ApprovalScope string

const (
	ScopeSite     ApprovalScope = "site"
	ScopeTakedown ApprovalScope = "takedown"
	ScopeReturn   ApprovalScope = "return"
	// ScopeRectification signs a rectification ticket's result (T9).
	ScopeRectification ApprovalScope = "rectification"
)

// ApprovalLevel is one level of the approval chain (S1, T1, T6). Who may
// sign at it is RBAC: the approve verb on signers/<name> (the shipped
// ClusterRoles sitegroup-unit-head, sitegroup-city-office and
// sitegroup-province-office), asked by the webhook with a
// SubjectAccessReview in the object's namespace.
type ApprovalLevel struct {
	// Name of the level, used in approvals' level field.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`
	// Scopes this level signs in.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=4
	// +listType=set
	Scopes []ApprovalScope `json:"scopes"`
}

// RoutingPolicy is the platform's default routing.
type RoutingPolicy struct {
	// GatewayRef is the Gateway sites attach their HTTPRoutes to.
	// +optional
	GatewayRef *GatewayParentRef `json:"gatewayRef,omitempty"`
	// IngressClassName routes sites with Ingresses instead of HTTPRoutes.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	IngressClassName *string `json:"ingressClassName,omitempty"`
	// TLSIssuerRef issues every site's certificate.
	// +optional
	TLSIssuerRef *IssuerReference `json:"tlsIssuerRef,omitempty"`
}

// NetworkPolicyDefaults names the namespaces allowed into the sites (S7).
type NetworkPolicyDefaults struct {
	// GatewayNamespace runs the gateway: the only source the front ends accept.
	// +kubebuilder:default="sitegroup-gateway"
	// +kubebuilder:validation:MaxLength=63
	// +optional
	GatewayNamespace string `json:"gatewayNamespace,omitempty"`
	// AdminAccessNamespace runs the platform's admin access (bastion, VPN):
	// allowed into every admin besides the site's own CIDRs.
	// +kubebuilder:default="sitegroup-admin-access"
	// +kubebuilder:validation:MaxLength=63
	// +optional
	AdminAccessNamespace string `json:"adminAccessNamespace,omitempty"`
	// AdminAccessNetworks are the networks admin access may ever come from
	// (the government extranet, 政务外网; the platform's VPN): every CIDR a
	// site lists in admin.allowedSourceCIDRs must lie inside one of them
	// (S7). Empty allows no site CIDR at all: the admin-access namespace is
	// then the only way in.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:XValidation:rule="isCIDR(self)",message="S7: network.adminAccessNetworks entries must be valid CIDRs"
	// +kubebuilder:validation:items:XValidation:rule="!isCIDR(self) || cidr(self).prefixLength() >= 8",message="S7: an admin access network is a private network, never a /0 to /7"
	AdminAccessNetworks []CIDR `json:"adminAccessNetworks,omitempty"`
	// ClusterNetworks are the cluster's own address ranges (its Service
	// and Pod CIDRs): an inspection, which reads hostile pages, never
	// reaches them (issue 16). The inspector also refuses loopback,
	// link-local, cloud metadata and the API server on its own.
	// +optional
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:XValidation:rule="isCIDR(self)",message="network.clusterNetworks entries must be valid CIDRs"
	ClusterNetworks []CIDR `json:"clusterNetworks,omitempty"`
}

// FilingPolicy holds the rules of basic-information filing (S8).
type FilingPolicy struct {
	// DomainChangeNoticeDays the retired domains of an approved domain
	// change announce the new address (S8: announced on the old site).
	// +kubebuilder:default=30
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 30 && self <= 365",message="S8: filing.domainChangeNoticeDays must be 30 to 365 (the old domain announces the change for at least a month)"
	DomainChangeNoticeDays int32 `json:"domainChangeNoticeDays,omitempty"`
	// OpeningNoticeDays a new site's opening announcement (开通公告) stays
	// on its parent portal's board (S5).
	// +kubebuilder:default=30
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 7 && self <= 365",message="S5: filing.openingNoticeDays must be 7 to 365 (the opening announcement stays at least a week)"
	OpeningNoticeDays int32 `json:"openingNoticeDays,omitempty"`
}

// HistoryPolicy bounds what the operator keeps.
type HistoryPolicy struct {
	// ComplianceEntries kept in a site's status (at most 24).
	// +kubebuilder:default=24
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 24",message="history.complianceEntries must be 1 to 24 (bounded so no site outgrows etcd)"
	ComplianceEntries int32 `json:"complianceEntries,omitempty"`
	// SuccessfulRuns kept per site and purpose.
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	SuccessfulRuns *int32 `json:"successfulRuns,omitempty"`
	// FailedRuns kept per site and purpose.
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	FailedRuns *int32 `json:"failedRuns,omitempty"`
}

// InspectionPolicy is the default inspection cadence (RULES.md §3), cron in TimeZone.
type InspectionPolicy struct {
	// TimeZone of the schedules.
	// +kubebuilder:default="Asia/Shanghai"
	// +kubebuilder:validation:MaxLength=64
	// +optional
	TimeZone string `json:"timeZone,omitempty"`
	// Daily monitoring (日监测).
	// +kubebuilder:default="0 6 * * *"
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Daily string `json:"daily,omitempty"`
	// Monthly full inspection.
	// +kubebuilder:default="0 2 1 * *"
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Monthly string `json:"monthly,omitempty"`
	// Patrol in early February, May, August and November.
	// +kubebuilder:default="0 3 2 2,5,8,11 *"
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Patrol string `json:"patrol,omitempty"`
	// Selfcheck at least quarterly.
	// +kubebuilder:default="0 4 15 1,4,7,10 *"
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Selfcheck string `json:"selfcheck,omitempty"`
	// ProbesPerDay for availability (V1: at least 20).
	// +kubebuilder:default=24
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 20 && self <= 1440",message="V1: inspection.probesPerDay must be 20 to 1440 (at least 20 spaced probes a day)"
	ProbesPerDay int32 `json:"probesPerDay,omitempty"`
	// StartingDeadlineSeconds after which a missed run is skipped.
	// +kubebuilder:default=3600
	// +kubebuilder:validation:Minimum=60
	// +optional
	StartingDeadlineSeconds int64 `json:"startingDeadlineSeconds,omitempty"`
	// SpotCheckSites is how many launched sites the city office's
	// quarterly spot check samples (003 §五: 按季度抽查, reported at the
	// quarter's end).
	// +kubebuilder:default=5
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 1000",message="inspection.spotCheckSites must be 1 to 1000 (003 §五: every quarter samples sites)"
	SpotCheckSites int32 `json:"spotCheckSites,omitempty"`
}

// SiteGroupPolicySpec is the platform's policy. Every field has the strict
// default from RULES.md; status shows the values in force.
type SiteGroupPolicySpec struct {
	// Placement of site pods (S6, S7).
	Placement PlacementPolicy `json:"placement"`
	// Takedown limits (T2–T7).
	// +optional
	Takedown TakedownPolicy `json:"takedown,omitempty"`
	// ApprovalLevels of the chain, in signing order (S1, T1, T6).
	// +optional
	// +kubebuilder:validation:MaxItems=8
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:XValidation:rule="['site', 'takedown', 'return', 'rectification'].all(s, self.exists(l, s in l.scopes))",message="S1, T1, T6, T9: approvalLevels must give every chain (site, takedown, return, rectification) at least one level that signs it"
	// +kubebuilder:default={{name: unit, scopes: {site, takedown, return, rectification}}, {name: city, scopes: {site, takedown, return, rectification}}, {name: province, scopes: {site, takedown}}}
	ApprovalLevels []ApprovalLevel `json:"approvalLevels,omitempty"`
	// Routing defaults for sites.
	// +optional
	Routing RoutingPolicy `json:"routing,omitempty"`
	// Network names the namespaces allowed into sites.
	// +optional
	Network NetworkPolicyDefaults `json:"network,omitempty"`
	// ScoringProfileRef is the scoring profile inspections use; the
	// inspector's embedded profile when empty.
	// +optional
	ScoringProfileRef *ScoringProfileReference `json:"scoringProfileRef,omitempty"`
	// Filing of basic-information changes (S8).
	// +optional
	Filing FilingPolicy `json:"filing,omitempty"`
	// History retention.
	// +optional
	History HistoryPolicy `json:"history,omitempty"`
	// Inspection defaults.
	// +optional
	Inspection InspectionPolicy `json:"inspection,omitempty"`
}

// SiteGroupPolicyStatus shows the values in force.
type SiteGroupPolicyStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions: Ready.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// InForce is the policy as the operator applies it, defaults filled in.
	// +optional
	InForce *SiteGroupPolicySpec `json:"inForce,omitempty"`
}

// SiteGroupPolicy is the platform's policy: one cluster-scoped object named default.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=sgp,categories=sitegroup
// +kubebuilder:validation:XValidation:rule="self.metadata.name == 'default'",message="the SiteGroupPolicy is one object named default"
// +kubebuilder:printcolumn:name="Regions",type=string,JSONPath=`.spec.placement.allowedRegions`
// +kubebuilder:printcolumn:name="Max-Temp-Days",type=integer,JSONPath=`.spec.takedown.maxTemporaryDays`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type SiteGroupPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SiteGroupPolicySpec   `json:"spec,omitempty"`
	Status SiteGroupPolicyStatus `json:"status,omitempty"`
}

// SiteGroupPolicyList is a list of SiteGroupPolicies.
// +kubebuilder:object:root=true
type SiteGroupPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SiteGroupPolicy `json:"items"`
}

func init() {
	register(&SiteGroupPolicy{}, &SiteGroupPolicyList{})
}
