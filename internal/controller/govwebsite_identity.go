package controller

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/notice"
	"sitegroup.io/operator/internal/policy"
)

// observeIdentity reads S1 and S8: whether every level signed the identity
// the spec applies for. When they have, that identity is the one in force
// (status.approvedIdentity); an approved change of it is filed in the
// site's record (status.identityChanges, the compliance history, an event).
// While a change waits for its signatures the approved identity stays in
// force and the site keeps serving under it.
func observeIdentity(s *siteScope, p sgv1.SiteGroupPolicySpec) verdict {
	site := s.site
	levels, historyLimit := policy.LevelsFor(p, sgv1.ScopeSite), int(p.History.ComplianceEntries)
	v := approvalVerdict(identity.Signatures(site), levels)
	st := &site.Status
	applied := identity.Of(site)
	switch {
	case v.ok() && st.ApprovedIdentity == nil:
		st.ApprovedIdentity = &applied
	case v.ok() && identity.Pending(site):
		change := sgv1.IdentityChange{ApprovedAt: metav1.NewTime(s.now.UTC().Truncate(time.Second)),
			RequestedBy: site.Annotations[sgv1.AnnotationIdentityRequestedBy],
			Changes:     identity.Changes(*st.ApprovedIdentity, applied), Signers: signersOf(identity.Signatures(site)),
			RetiredDomains: identity.RetiredBy(*st.ApprovedIdentity, applied)}
		if len(change.RetiredDomains) > 0 {
			until := metav1.NewTime(change.ApprovedAt.Add(time.Duration(p.Filing.DomainChangeNoticeDays) * 24 * time.Hour))
			change.NoticeUntil = &until
		}
		st.IdentityChanges = append(st.IdentityChanges, change)
		if n := len(st.IdentityChanges); n > sgv1.MaxIdentityChanges {
			st.IdentityChanges = st.IdentityChanges[n-sgv1.MaxIdentityChanges:]
		}
		summary := truncate("S8: basic information changed at the request of "+orUnknown(change.RequestedBy)+", signed by "+
			strings.Join(change.Signers, ", ")+": "+strings.Join(change.Changes, "; "), 500)
		st.ComplianceHistory = mergeHistory(st.ComplianceHistory, []sgv1.ComplianceRecord{
			{Time: change.ApprovedAt, Kind: sgv1.RecordApproval, Ref: site.Name, Summary: summary}}, historyLimit)
		s.event(corev1.EventTypeNormal, sgv1.ReasonIdentityChanged, "Approval", summary)
		st.ApprovedIdentity = &applied
	case !v.ok() && identity.Pending(site):
		return pendingChange(identity.Changes(*st.ApprovedIdentity, applied), identity.Signatures(site), policy.LevelNames(p, sgv1.ScopeSite))
	}
	return v
}

// pendingChange: the approved identity stays in force while its change
// waits for signatures, or stands rejected (S8).
func pendingChange(changes []string, signatures []sgv1.Approval, levels []string) verdict {
	_, rejected, missing := policy.ReadChain(signatures, levels)
	state := "waits for approval at level " + strings.Join(missing, ", ")
	if rejected != nil {
		state = fmt.Sprintf("was rejected at level %s by %s: %s; revise it and re-submit", rejected.Level, rejected.Approver, rejected.Comment)
	}
	return verdict{metav1.ConditionTrue, sgv1.ReasonIdentityChangePending, fmt.Sprintf(
		"S8: the change (%s) %s; until every level signs it, the approved identity stays in force", strings.Join(changes, "; "), state)}
}

// domainNotice is the announcement on the retired domains of approved
// domain changes while their notice periods last (S8), and when the first
// of them ends; nil when there is none.
func domainNotice(site *sgv1.GovWebsite, now time.Time) (*builders.DomainNotice, time.Time) {
	inForce := identity.InForce(site)
	retired, until := identity.Retired(site.Status.IdentityChanges, inForce.Spec.Domains, now)
	if len(retired) == 0 {
		return nil, time.Time{}
	}
	var current []string
	for _, d := range inForce.Spec.Domains {
		current = append(current, string(d))
	}
	last := site.Status.IdentityChanges[len(site.Status.IdentityChanges)-1]
	org := inForce.Spec.Organization.Name
	return &builders.DomainNotice{Domains: retired, Page: notice.Page{
		SiteName: org + "网站", Organizer: org, Domains: retired, Type: notice.TypeDomainChange,
		Title: "网站域名变更公告",
		Text: fmt.Sprintf("经审批备案，本网站域名已由 %s 变更为 %s。原域名将于%s停止访问，请通过新域名访问本网站。",
			strings.Join(retired, "、"), strings.Join(current, "、"), until.In(clock.Shanghai).Format("2006年1月2日")),
		Start: last.ApprovedAt.UTC(), NoticeUntil: &until, NewDomains: current,
	}}, until
}

func orUnknown(user string) string {
	if user == "" {
		return "(not recorded)"
	}
	return user
}

// signersOf names who signed the current round, level by level: "unit
// chen.jing" (a rejected round before it is not this change's).
func signersOf(approvals []sgv1.Approval) []string {
	var out []string
	for _, a := range approvals {
		if a.Decision == sgv1.DecisionRejected {
			out = nil
			continue
		}
		out = append(out, a.Level+" "+a.Approver)
	}
	return out
}
