package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TakedownType is temporary (rebuilding, at most once a year) or permanent (closure).
// +kubebuilder:validation:Enum=temporary;permanent
type TakedownType string

const (
	TakedownTemporary TakedownType = "temporary"
	TakedownPermanent TakedownType = "permanent"
)

// TakedownPhase is where a takedown stands.
// +kubebuilder:validation:Enum=Pending;Approved;Active;Returning;Restored;Overdue;Archiving;Closed;Rejected;Cancelled
type TakedownPhase string

const (
	TakedownPending   TakedownPhase = "Pending"
	TakedownApproved  TakedownPhase = "Approved"
	TakedownActive    TakedownPhase = "Active"
	TakedownReturning TakedownPhase = "Returning"
	TakedownRestored  TakedownPhase = "Restored"
	TakedownOverdue   TakedownPhase = "Overdue"
	TakedownArchiving TakedownPhase = "Archiving"
	TakedownClosed    TakedownPhase = "Closed"
	TakedownRejected  TakedownPhase = "Rejected"
	TakedownCancelled TakedownPhase = "Cancelled"
)

// NoticeContent is what the closure-notice page (T5) tells the public.
type NoticeContent struct {
	// Title of the notice (关停公告).
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=128
	Title string `json:"title"`
	// Text of the notice.
	// +kubebuilder:validation:MinLength=10
	// +kubebuilder:validation:MaxLength=4096
	Text string `json:"text"`
	// Contact for the public while the site is down (phone, e-mail).
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Contact string `json:"contact,omitempty"`
	// ContentMovedTo is where the site's content now lives (T7), e.g. the
	// parent portal's column.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() in ['http', 'https']",message="T7: notice.contentMovedTo must be an http or https URL"
	ContentMovedTo string `json:"contentMovedTo,omitempty"`
}

// ReturnRequest applies for a temporary takedown's return (T6): filed within
// the 7 days before going live, then the self-check, the supervising unit's
// and the city office's checks must all pass.
type ReturnRequest struct {
	// FiledAt is when the return was applied for.
	FiledAt metav1.Time `json:"filedAt"`
	// SelfCheck summarises the department's own check (自查).
	// +kubebuilder:validation:MinLength=10
	// +kubebuilder:validation:MaxLength=2048
	SelfCheck string `json:"selfCheck"`
	// Approvals of the supervising unit and the city office. Append-only.
	// +optional
	// +kubebuilder:validation:MaxItems=8
	Approvals []Approval `json:"approvals,omitempty"`
}

// DeregistrationRecord is filled by an engineer once a permanently closed
// site's domain and ICP filing are cancelled (T7, within 90 days).
type DeregistrationRecord struct {
	// DomainCancelledAt is when the domain was cancelled.
	// +optional
	DomainCancelledAt *metav1.Time `json:"domainCancelledAt,omitempty"`
	// ICPCancelledAt is when the ICP filing was cancelled.
	// +optional
	ICPCancelledAt *metav1.Time `json:"icpCancelledAt,omitempty"`
}

// TakedownRequestSpec is a department's request to take its site down.
// +kubebuilder:validation:XValidation:rule="self.type != 'temporary' || has(self.end)",message="T4: a temporary takedown needs an end (planned return)"
// +kubebuilder:validation:XValidation:rule="!has(self.end) || timestamp(self.end) > timestamp(self.start)",message="T4: end must be after start"
// +kubebuilder:validation:XValidation:rule="self.type != 'permanent' || !has(self.end)",message="T7: a permanent takedown has no end"
// +kubebuilder:validation:XValidation:rule="self.type != 'permanent' || !has(self.returnRequest)",message="T6: a permanent takedown cannot return"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.approvals) || (has(self.approvals) && oldSelf.approvals.all(o, self.approvals.exists(n, n == o)))",message="T1: approvals are append-only; a recorded approval cannot be edited or removed"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.returnRequest) || !has(oldSelf.returnRequest.approvals) || (has(self.returnRequest) && has(self.returnRequest.approvals) && oldSelf.returnRequest.approvals.all(o, self.returnRequest.approvals.exists(n, n == o)))",message="T6: return approvals are append-only; a recorded approval cannot be edited or removed"
type TakedownRequestSpec struct {
	// SiteRef is the GovWebsite taken down, in the same namespace.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="T1: siteRef is immutable"
	SiteRef LocalObjectReference `json:"siteRef"`
	// Type of takedown.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="T1: type is immutable"
	Type TakedownType `json:"type"`
	// Reason for the takedown, in writing (T1).
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.size() >= 10",message="T1: reason is required and must be at least 10 characters"
	Reason string `json:"reason"`
	// Start of the takedown.
	Start metav1.Time `json:"start"`
	// End is the planned return of a temporary takedown (T4: at most the
	// policy's maximum days after start, 30 by default).
	// +optional
	End *metav1.Time `json:"end,omitempty"`
	// Notice shown in place of the site (T5).
	Notice NoticeContent `json:"notice"`
	// Approvals of the takedown, up the chain (T1). Append-only.
	// +optional
	// +kubebuilder:validation:MaxItems=8
	Approvals []Approval `json:"approvals,omitempty"`
	// ReturnRequest applies for the return of a temporary takedown (T6).
	// +optional
	ReturnRequest *ReturnRequest `json:"returnRequest,omitempty"`
	// Deregistration records the domain and ICP cancellation (T7).
	// +optional
	Deregistration *DeregistrationRecord `json:"deregistration,omitempty"`
	// Cancel withdraws a takedown that has not gone live.
	// +optional
	Cancel bool `json:"cancel,omitempty"`
}

// ArchiveStatus records the archive made before a permanent closure (T7).
type ArchiveStatus struct {
	// ClaimName of the retained volume holding the archive.
	// +optional
	ClaimName string `json:"claimName,omitempty"`
	// Path of the tarball on it.
	// +optional
	Path string `json:"path,omitempty"`
	// SHA256 of the tarball.
	// +optional
	SHA256 string `json:"sha256,omitempty"`
	// SizeBytes of the tarball.
	// +optional
	SizeBytes int64 `json:"sizeBytes,omitempty"`
	// VerifiedAt is when the archive was read back and its digest matched.
	// +optional
	VerifiedAt *metav1.Time `json:"verifiedAt,omitempty"`
	// Attempt is the archive attempt in progress or done, from 1: a failed
	// write or read-back is retried with backoff as a new attempt (T7).
	// +optional
	Attempt int32 `json:"attempt,omitempty"`
	// WrittenBy is the pod that wrote the archive.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	WrittenBy string `json:"writtenBy,omitempty"`
	// VerifiedBy is the pod that read the archive back and matched its
	// digest: a pod of another Job than the writer's (T7).
	// +optional
	// +kubebuilder:validation:MaxLength=253
	VerifiedBy string `json:"verifiedBy,omitempty"`
	// VolumeName is the volume the archive claim is bound to.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	VolumeName string `json:"volumeName,omitempty"`
	// Retained says the operator set that volume's reclaim policy to Retain:
	// the archive outlives its claim and its namespace (T7).
	// +optional
	Retained bool `json:"retained,omitempty"`
	// LastFailure says why the last attempt failed, if one did.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	LastFailure string `json:"lastFailure,omitempty"`
	// RetryAt is when the next attempt starts after a failure.
	// +optional
	RetryAt *metav1.Time `json:"retryAt,omitempty"`
}

// DeregistrationStatus tracks the T7 deadlines.
type DeregistrationStatus struct {
	// DueBy is the deadline for cancelling domain and ICP filing (T7: 90 days).
	DueBy metav1.Time `json:"dueBy"`
	// DomainDone says the domain was cancelled.
	// +optional
	DomainDone bool `json:"domainDone,omitempty"`
	// ICPDone says the ICP filing was cancelled.
	// +optional
	ICPDone bool `json:"icpDone,omitempty"`
}

// MaxTimelineEntries bounds status.timeline.
const MaxTimelineEntries = 32

// TakedownRequestStatus is where the takedown stands.
type TakedownRequestStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Phase of the takedown.
	// +optional
	Phase TakedownPhase `json:"phase,omitempty"`
	// Conditions: Ready, Reconciling, Stalled and the takedown's own.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// ActivatedAt is when the site went down.
	// +optional
	ActivatedAt *metav1.Time `json:"activatedAt,omitempty"`
	// RestoredAt is when a temporary takedown's site came back.
	// +optional
	RestoredAt *metav1.Time `json:"restoredAt,omitempty"`
	// NoticeUntil is the end of a permanent closure's notice period (T7).
	// +optional
	NoticeUntil *metav1.Time `json:"noticeUntil,omitempty"`
	// PrereturnRun is the InspectionRun checking the return (T6).
	// +optional
	PrereturnRun string `json:"prereturnRun,omitempty"`
	// Archive made before a permanent closure (T7).
	// +optional
	Archive *ArchiveStatus `json:"archive,omitempty"`
	// Deregistration deadlines of a permanent closure (T7).
	// +optional
	Deregistration *DeregistrationStatus `json:"deregistration,omitempty"`
	// Timeline of the takedown, newest last, bounded.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	Timeline []TimelineEntry `json:"timeline,omitempty"`
}

// TakedownRequest asks for a site's temporary or permanent takedown (T1–T7).
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=tdr,categories=sitegroup
// +kubebuilder:printcolumn:name="Site",type=string,JSONPath=`.spec.siteRef.name`
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Until",type=string,format=date-time,JSONPath=`.spec.end`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type TakedownRequest struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   TakedownRequestSpec   `json:"spec,omitempty"`
	Status TakedownRequestStatus `json:"status,omitempty"`
}

// TakedownRequestList is a list of TakedownRequests.
// +kubebuilder:object:root=true
type TakedownRequestList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []TakedownRequest `json:"items"`
}

func init() {
	register(&TakedownRequest{}, &TakedownRequestList{})
}
