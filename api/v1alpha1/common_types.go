package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LocalObjectReference names an object in the same namespace.
type LocalObjectReference struct {
	// Name of the object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// NamespacedObjectReference names an object, in the same namespace when
// Namespace is empty.
type NamespacedObjectReference struct {
	// Name of the object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Namespace of the object; the referring object's namespace when empty.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace,omitempty"`
}

// ApprovalDecision is a signer's decision.
// +kubebuilder:validation:Enum=Approved;Rejected
type ApprovalDecision string

const (
	DecisionApproved ApprovalDecision = "Approved"
	DecisionRejected ApprovalDecision = "Rejected"
)

// Approval is one signature in an approval chain (S1, T1, T6). Approvals are
// append-only: once recorded, an approval can be neither edited nor removed.
type Approval struct {
	// Level is the approval level that signs, one of the policy's
	// approval levels (for example unit, city, province).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Level string `json:"level"`
	// Approver is who signed. The operator's webhook stamps it from the
	// request's authenticated user; a different name is refused.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Approver string `json:"approver,omitempty"`
	// Time the approval was given; stamped by the webhook when empty.
	// +optional
	Time *metav1.Time `json:"time,omitempty"`
	// Decision of the signer.
	Decision ApprovalDecision `json:"decision"`
	// Reference of the written approval (批复文号), for the record.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Reference string `json:"reference,omitempty"`
	// Comment of the signer.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Comment string `json:"comment,omitempty"`
	// IdentityDigest is the site identity this signature was given for
	// (S1, S8), stamped by the webhook on a GovWebsite's approvals: a
	// signature counts only for the identity it signed.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	IdentityDigest string `json:"identityDigest,omitempty"`
}

// Verdict of an inspection against the national indicators.
// +kubebuilder:validation:Enum=pass;fail
type Verdict string

const (
	VerdictPass Verdict = "pass"
	VerdictFail Verdict = "fail"
)

// Veto is one single-veto finding (单项否决, V1–V5): any one fails the site.
type Veto struct {
	// ID of the veto rule.
	// +kubebuilder:validation:Enum=V1;V2;V3;V4;V5
	ID string `json:"id"`
	// Reason as the inspector found it.
	// +kubebuilder:validation:MaxLength=512
	Reason string `json:"reason"`
}

// TimelineEntry is one step in an object's bounded history.
type TimelineEntry struct {
	// Time of the step.
	Time metav1.Time `json:"time"`
	// Phase entered, or the event recorded.
	// +kubebuilder:validation:MaxLength=63
	Phase string `json:"phase"`
	// Message for a person.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Message string `json:"message,omitempty"`
}
