package controller

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/compliance"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/takedown"
)

// siteTakedowns is what a site's TakedownRequests mean for the site.
type siteTakedowns struct {
	// inForce is the takedown whose notice replaces the site (T5), if any.
	inForce *builders.Takedown
	current *sgv1.TakedownReference
	quota   *sgv1.TakedownQuota
	history []sgv1.ComplianceRecord
}

// observeTakedowns reads the site's TakedownRequests: the one in force,
// the open one, the temporary takedowns that went live this calendar year
// (T3) and the records the auditor's history keeps of each.
func (r *GovWebsiteReconciler) observeTakedowns(ctx context.Context, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) (siteTakedowns, error) {
	var out siteTakedowns
	list := &sgv1.TakedownRequestList{}
	if err := r.List(ctx, list, client.InNamespace(site.Namespace)); err != nil {
		return out, err
	}
	year := takedown.CalendarYear(r.Clock.Now())
	out.quota = &sgv1.TakedownQuota{Year: int32(year), Allowed: *p.Takedown.TemporaryPerYear}
	limits := takedown.LimitsFrom(p, func(s sgv1.ApprovalScope) []string { return policy.LevelNames(p, s) })
	for i := range list.Items {
		t := &list.Items[i]
		if t.Spec.SiteRef.Name != site.Name {
			continue
		}
		if takedown.InForce(t.Status.Phase) && out.inForce == nil {
			portal, err := r.portalURL(ctx, site)
			if err != nil {
				return out, err
			}
			out.inForce = &builders.Takedown{Name: t.Name, Page: takedown.NoticePage(t, identity.InForce(site), limits, portal),
				Returning: t.Status.Phase == sgv1.TakedownReturning}
		}
		if takedown.Open(t.Status.Phase) && t.Status.Phase != "" && out.current == nil {
			out.current = &sgv1.TakedownReference{Name: t.Name, Type: t.Spec.Type, Phase: t.Status.Phase, Until: t.Spec.End}
		}
		if t.Spec.Type == sgv1.TakedownTemporary && t.Status.ActivatedAt != nil && takedown.CalendarYear(t.Status.ActivatedAt.Time) == year {
			out.quota.Used++
		}
		out.history = append(out.history, takedownRecords(t)...)
	}
	out.quota.Used = max(out.quota.Used, usedBefore(site.Status.TakedownQuota, year))
	return out, nil
}

// usedBefore is what the site's record already counted this year (T3): a
// deleted request does not give its takedown back.
func usedBefore(q *sgv1.TakedownQuota, year int) int32 {
	if q == nil || q.Year != int32(year) {
		return 0
	}
	return q.Used
}

// takedownRecords are the auditor's records of one takedown.
func takedownRecords(t *sgv1.TakedownRequest) []sgv1.ComplianceRecord {
	var out []sgv1.ComplianceRecord
	add := func(at *metav1.Time, summary string) {
		if at != nil {
			out = append(out, sgv1.ComplianceRecord{Time: *at, Kind: sgv1.RecordTakedown, Ref: t.Name, Summary: summary})
		}
	}
	out = append(out, compliance.ApprovalRecords("T1", t.Name, t.Spec.Approvals)...)
	if rr := t.Spec.ReturnRequest; rr != nil {
		out = append(out, compliance.ApprovalRecords("T6 return", t.Name, rr.Approvals)...)
	}
	add(t.Status.ActivatedAt, fmt.Sprintf("%s takedown went live: %s", t.Spec.Type, truncate(t.Spec.Reason, 200)))
	add(t.Status.RestoredAt, "restored after the return checks passed (T6)")
	if t.Status.Phase == sgv1.TakedownClosed && t.Status.Archive != nil && t.Status.Archive.VerifiedAt != nil {
		add(t.Status.Archive.VerifiedAt, "closed; content archived with sha256 "+t.Status.Archive.SHA256+" (T7)")
	}
	return out
}

// portalURL is the address of the site's parent portal, for the notice page.
func (r *GovWebsiteReconciler) portalURL(ctx context.Context, site *sgv1.GovWebsite) (string, error) {
	ref := site.Spec.ParentPortal
	if ref == nil {
		return "", nil
	}
	ns := ref.Namespace
	if ns == "" {
		ns = site.Namespace
	}
	portal := &sgv1.GovWebsite{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: ns, Name: ref.Name}, portal); err != nil {
		return "", client.IgnoreNotFound(err)
	}
	if len(portal.Spec.Domains) == 0 {
		return "", nil
	}
	return "https://" + string(portal.Spec.Domains[0]) + "/", nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// IndexParentPortal indexes department sites by their portal ("ns/name").
const IndexParentPortal = "spec.parentPortal"

// parentPortalKey is the index value of a site's parent portal.
func parentPortalKey(site *sgv1.GovWebsite) string {
	ref := site.Spec.ParentPortal
	if ref == nil {
		return ""
	}
	ns := ref.Namespace
	if ns == "" {
		ns = site.Namespace
	}
	return ns + "/" + ref.Name
}

// portalBoard is a portal's board: its sub-sites' takedowns in force, for
// the notice the portal posts (T5, Nanjing's rule), and their opening
// announcements while they last (S5), with the time the first of those
// ends (zero when none); nil for a department site.
func (r *GovWebsiteReconciler) portalBoard(ctx context.Context, site *sgv1.GovWebsite, now time.Time) (*builders.Board, time.Time, error) {
	var changes time.Time
	if site.Spec.SiteKind != sgv1.SiteKindPortal {
		return nil, changes, nil
	}
	subs := &sgv1.GovWebsiteList{}
	if err := r.List(ctx, subs, client.MatchingFields{IndexParentPortal: site.Namespace + "/" + site.Name}); err != nil {
		return nil, changes, err
	}
	var entries, openings []takedown.BoardEntry
	for i := range subs.Items {
		sub := identity.InForce(&subs.Items[i])
		if e, ok := openingEntry(sub, now); ok {
			openings = append(openings, e)
			if changes.IsZero() || e.Until.Before(changes) {
				changes = *e.Until
			}
		}
		list := &sgv1.TakedownRequestList{}
		if err := r.List(ctx, list, client.InNamespace(sub.Namespace)); err != nil {
			return nil, changes, err
		}
		for _, t := range list.Items {
			if t.Spec.SiteRef.Name != sub.Name || !takedown.InForce(t.Status.Phase) || t.Status.ActivatedAt == nil {
				continue
			}
			e := takedown.BoardEntry{Site: sub.Namespace + "/" + sub.Name, Organization: sub.Spec.Organization.Name,
				Type: string(t.Spec.Type), Phase: string(t.Status.Phase), Title: t.Spec.Notice.Title, Since: t.Status.ActivatedAt.UTC()}
			for _, d := range sub.Spec.Domains {
				e.Domains = append(e.Domains, string(d))
			}
			if t.Spec.End != nil {
				until := t.Spec.End.UTC()
				e.Until = &until
			}
			entries = append(entries, e)
		}
	}
	j, h, err := takedown.Board(entries, openings)
	if err != nil {
		return nil, changes, err
	}
	return &builders.Board{JSON: j, HTML: h}, changes, nil
}

// openingEntry is a sub-site's opening announcement while it lasts (S5).
func openingEntry(sub *sgv1.GovWebsite, now time.Time) (takedown.BoardEntry, bool) {
	l := sub.Status.Launch
	if l == nil || l.LaunchedAt == nil || l.AnnouncedUntil == nil || !now.Before(l.AnnouncedUntil.Time) {
		return takedown.BoardEntry{}, false
	}
	e := takedown.BoardEntry{Site: sub.Namespace + "/" + sub.Name, Organization: sub.Spec.Organization.Name, Type: "opening",
		Title: "网站开通公告", Since: l.LaunchedAt.UTC()}
	for _, d := range sub.Spec.Domains {
		e.Domains = append(e.Domains, string(d))
	}
	until := l.AnnouncedUntil.UTC()
	e.Until = &until
	return e, true
}
