package controllers

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/identity"
)

// observeIdentity reads S1 and S8: whether every level signed the identity
// the spec applies for. When they have, that identity is the one in force
// (status.approvedIdentity); an approved change of it is filed in the
// site's record (status.identityChanges, the compliance history, an event).
// While a change waits for its signatures the approved identity stays in
// force and the site keeps serving under it.
func (r *GovWebsiteReconciler) observeIdentity(site *sgv1.GovWebsite, levels []sgv1.ApprovalLevel, historyLimit int) verdict {
	v := approvalVerdict(identity.Signatures(site), levels)
	st := &site.Status
	applied := identity.Of(site)
	switch {
	case v.ok() && st.ApprovedIdentity == nil:
		st.ApprovedIdentity = &applied
	case v.ok() && identity.Pending(site):
		change := sgv1.IdentityChange{ApprovedAt: metav1.NewTime(r.Clock.Now().UTC().Truncate(1e9)),
			Changes: identity.Changes(*st.ApprovedIdentity, applied), Signers: signersOf(identity.Signatures(site))}
		st.IdentityChanges = append(st.IdentityChanges, change)
		if n := len(st.IdentityChanges); n > sgv1.MaxIdentityChanges {
			st.IdentityChanges = st.IdentityChanges[n-sgv1.MaxIdentityChanges:]
		}
		summary := truncate("S8: basic information changed, signed by "+strings.Join(change.Signers, ", ")+": "+strings.Join(change.Changes, "; "), 500)
		st.ComplianceHistory = mergeHistory(st.ComplianceHistory, []sgv1.ComplianceRecord{
			{Time: change.ApprovedAt, Kind: "Approval", Ref: site.Name, Summary: summary}}, historyLimit)
		r.Recorder.Eventf(site, nil, corev1.EventTypeNormal, "IdentityChanged", "Approval", summary)
		st.ApprovedIdentity = &applied
	case !v.ok() && identity.Pending(site):
		return verdict{metav1.ConditionTrue, "IdentityChangePending", fmt.Sprintf(
			"S8: the approved identity stays in force; the change (%s) is not in force yet: %s",
			strings.Join(identity.Changes(*st.ApprovedIdentity, applied), "; "), v.message)}
	}
	return v
}

// signersOf names who signed, level by level: "unit chen.jing".
func signersOf(approvals []sgv1.Approval) []string {
	out := make([]string, 0, len(approvals))
	for _, a := range approvals {
		if a.Decision == sgv1.DecisionApproved {
			out = append(out, a.Level+" "+a.Approver)
		}
	}
	return out
}
