package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// InspectionPurpose says why a run happens; the cadence is in RULES.md §3.
// +kubebuilder:validation:Enum=daily;monthly;patrol;selfcheck;prelaunch;prereturn;external;spotcheck
type InspectionPurpose string

const (
	PurposeDaily     InspectionPurpose = "daily"
	PurposeMonthly   InspectionPurpose = "monthly"
	PurposePatrol    InspectionPurpose = "patrol"
	PurposeSelfcheck InspectionPurpose = "selfcheck"
	PurposePrelaunch InspectionPurpose = "prelaunch"
	PurposePrereturn InspectionPurpose = "prereturn"
	// PurposeExternal records a national or provincial check's result
	// (T8): no Job runs; the result is what spec.external says, entered by
	// the city office or the platform, never by the department checked.
	PurposeExternal InspectionPurpose = "external"
	// PurposeSpotcheck is the city office's quarterly spot check of a
	// sample of sites (003 §五), run by the operator.
	PurposeSpotcheck InspectionPurpose = "spotcheck"
)

// ExternalCheckLevel is who ran an external check.
// +kubebuilder:validation:Enum=national;provincial
type ExternalCheckLevel string

const (
	ExternalNational   ExternalCheckLevel = "national"
	ExternalProvincial ExternalCheckLevel = "provincial"
)

// ExternalCheck is the result of a national or provincial check of a site
// (国务院办公厅, 省政府办公厅 抽查), as its notice states it (T8).
type ExternalCheck struct {
	// Level of the check.
	Level ExternalCheckLevel `json:"level"`
	// Inspector is the body that checked (国务院办公厅, 省政府办公厅).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Inspector string `json:"inspector"`
	// DocumentNumber of the notice that published the result (国办函〔2026〕12号).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	DocumentNumber string `json:"documentNumber"`
	// CheckedAt is the date of the check.
	CheckedAt metav1.Time `json:"checkedAt"`
	// Verdict of the check.
	Verdict Verdict `json:"verdict"`
	// Score, when the notice gives one.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=130
	Score *int32 `json:"score,omitempty"`
	// Problems the notice names, each starting with its rule id where it
	// has one (V1–V5).
	// +optional
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=512
	Problems []string `json:"problems,omitempty"`
}

// InspectionCheck is one family of checks the inspector can run.
// +kubebuilder:validation:Enum=availability;homepage;columns;interaction;security;deadlinks;identity;admin-exposure
type InspectionCheck string

// CrawlBudget bounds one run.
type CrawlBudget struct {
	// MaxPages crawled.
	// +kubebuilder:default=500
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100000
	// +optional
	MaxPages int32 `json:"maxPages,omitempty"`
	// MaxDepth of links followed from the homepage.
	// +kubebuilder:default=5
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=20
	// +optional
	MaxDepth int32 `json:"maxDepth,omitempty"`
	// RequestsPerSecond per host; 0 means unlimited.
	// +kubebuilder:default=5
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000
	// +optional
	RequestsPerSecond int32 `json:"requestsPerSecond,omitempty"`
	// Timeout of the whole run.
	// +kubebuilder:default="10m"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

// ScoringProfileRecord is the scoring profile a run used.
type ScoringProfileRecord struct {
	// Source is the ConfigMap key the profile was read from (namespace/name:key).
	Source string `json:"source"`
	// Digest is the profile's sha256.
	Digest string `json:"digest"`
	// ConfigMap is the run's own copy, mounted into the inspection Job.
	ConfigMap string `json:"configMap"`
}

// ScoringProfileReference names a ConfigMap key holding a scoring profile.
type ScoringProfileReference struct {
	// Name of the ConfigMap.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the ConfigMap; the run's when empty.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace,omitempty"`
	// Key in the ConfigMap.
	// +kubebuilder:default="profile.yaml"
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key,omitempty"`
}

// InspectionRunSpec is one inspection. A run is a record: its spec never changes.
// +kubebuilder:validation:XValidation:rule="has(self.siteRef) || has(self.targetURL)",message="set siteRef or targetURL: an inspection needs a site to inspect"
// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="an InspectionRun's spec is immutable: it is a record; create a new run instead"
// +kubebuilder:validation:XValidation:rule="(self.purpose == 'external') == has(self.external)",message="T8: spec.external is the result of a national or provincial check: set it exactly when purpose is external"
// +kubebuilder:validation:XValidation:rule="self.purpose != 'external' || has(self.siteRef)",message="T8: an external check's result names the site checked (spec.siteRef)"
type InspectionRunSpec struct {
	// SiteRef is the GovWebsite inspected, in the same namespace.
	// +optional
	SiteRef *LocalObjectReference `json:"siteRef,omitempty"`
	// TargetURL overrides the address inspected (the site's own when empty).
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https']",message="targetURL must be an http or https URL"
	TargetURL string `json:"targetURL,omitempty"`
	// Purpose of the run.
	Purpose InspectionPurpose `json:"purpose"`
	// Checks to run; all when empty.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=8
	Checks []InspectionCheck `json:"checks,omitempty"`
	// Budget bounds the crawl.
	// +optional
	Budget CrawlBudget `json:"budget,omitempty"`
	// ScoringProfileRef overrides the policy's scoring profile.
	// +optional
	ScoringProfileRef *ScoringProfileReference `json:"scoringProfileRef,omitempty"`
	// External is a national or provincial check's result (purpose external, T8).
	// +optional
	External *ExternalCheck `json:"external,omitempty"`
}

// InspectionPhase is where a run stands.
// +kubebuilder:validation:Enum=Pending;Running;Succeeded;Failed
type InspectionPhase string

const (
	InspectionPending   InspectionPhase = "Pending"
	InspectionRunning   InspectionPhase = "Running"
	InspectionSucceeded InspectionPhase = "Succeeded"
	// InspectionFailed means the run itself failed (image, memory,
	// deadline): an infrastructure failure, never a site verdict.
	InspectionFailed InspectionPhase = "Failed"
)

// DeductionTotal is the points one indicator group took off (capped at its points).
type DeductionTotal struct {
	// Group of the 2019 indicators.
	Group string `json:"group"`
	// Points deducted.
	Points int32 `json:"points"`
}

// InspectionCounts are the run's sizes and findings.
type InspectionCounts struct {
	Pages             int32 `json:"pages,omitempty"`
	Links             int32 `json:"links,omitempty"`
	DeadLinks         int32 `json:"deadLinks,omitempty"`
	HomepageDeadLinks int32 `json:"homepageDeadLinks,omitempty"`
	Columns           int32 `json:"columns,omitempty"`
	BlankColumns      int32 `json:"blankColumns,omitempty"`
	StaleColumns      int32 `json:"staleColumns,omitempty"`
}

// ReportReference names the ConfigMap holding the full report.
type ReportReference struct {
	// ConfigMap name, owned by the run.
	ConfigMap string `json:"configMap"`
	// Key holding the JSON report.
	Key string `json:"key"`
	// Truncated says the report was cut to fit.
	// +optional
	Truncated bool `json:"truncated,omitempty"`
}

// InspectionRunStatus is the run's outcome.
type InspectionRunStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Phase of the run.
	// +optional
	Phase InspectionPhase `json:"phase,omitempty"`
	// Conditions: Ready, Reconciling, Stalled.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// StartTime of the run.
	// +optional
	StartTime *metav1.Time `json:"startTime,omitempty"`
	// CompletionTime of the run.
	// +optional
	CompletionTime *metav1.Time `json:"completionTime,omitempty"`
	// JobName of the Job running the inspector.
	// +optional
	JobName string `json:"jobName,omitempty"`
	// Verdict against the national indicators.
	// +optional
	Verdict Verdict `json:"verdict,omitempty"`
	// Score out of 100 (plus a portal's bonus).
	// +optional
	Score *int32 `json:"score,omitempty"`
	// Vetoes found (V1–V5).
	// +optional
	// +kubebuilder:validation:MaxItems=5
	Vetoes []Veto `json:"vetoes,omitempty"`
	// Deductions per indicator group.
	// +optional
	// +kubebuilder:validation:MaxItems=8
	Deductions []DeductionTotal `json:"deductions,omitempty"`
	// Counts of the crawl.
	// +optional
	Counts *InspectionCounts `json:"counts,omitempty"`
	// ScoringProfile records the profile that scored the run: where it came
	// from and its digest, so an auditor can tell which rules a score used.
	// Empty when the inspector's embedded profile applied.
	// +optional
	ScoringProfile *ScoringProfileRecord `json:"scoringProfile,omitempty"`
	// ReportRef names the full report.
	// +optional
	ReportRef *ReportReference `json:"reportRef,omitempty"`
	// Warnings are the early warnings (a veto close to firing).
	// +optional
	// +kubebuilder:validation:MaxItems=16
	Warnings []string `json:"warnings,omitempty"`
	// BudgetExhausted names the crawl budget that ran out (pages, depth, time).
	// +optional
	BudgetExhausted string `json:"budgetExhausted,omitempty"`
	// FailureReason explains an infrastructure failure (phase Failed).
	// +optional
	FailureReason string `json:"failureReason,omitempty"`
}

// AnnotationScheduledAt is the scheduled time a scheduled run stands for
// (RFC 3339): the scheduler's memory of what it already started.
const AnnotationScheduledAt = "sitegroup.io/scheduled-at"

// InspectionRun is one inspection of a site, run as a Job by the inspector.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=insp,categories=sitegroup
// +kubebuilder:printcolumn:name="Site",type=string,JSONPath=`.spec.siteRef.name`
// +kubebuilder:printcolumn:name="Purpose",type=string,JSONPath=`.spec.purpose`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Verdict",type=string,JSONPath=`.status.verdict`
// +kubebuilder:printcolumn:name="Score",type=integer,JSONPath=`.status.score`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type InspectionRun struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   InspectionRunSpec   `json:"spec,omitempty"`
	Status InspectionRunStatus `json:"status,omitempty"`
}

// InspectionRunList is a list of InspectionRuns.
// +kubebuilder:object:root=true
type InspectionRunList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []InspectionRun `json:"items"`
}

func init() {
	register(&InspectionRun{}, &InspectionRunList{})
}
