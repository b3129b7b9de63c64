package takedown

import (
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/notice"
)

// NoticePage renders what a takedown's notice page says (T5, T7).
func NoticePage(t *sgv1.TakedownRequest, site *sgv1.GovWebsite, l Limits, portalURL string) notice.Page {
	p := notice.Page{
		SiteName:       site.Spec.Organization.Name + "网站",
		Organizer:      site.Spec.Organization.Name,
		Type:           string(t.Spec.Type),
		Title:          t.Spec.Notice.Title,
		Text:           t.Spec.Notice.Text,
		Reason:         t.Spec.Reason,
		Start:          liveSince(t).UTC(),
		Contact:        t.Spec.Notice.Contact,
		ContentMovedTo: t.Spec.Notice.ContentMovedTo,
		PortalURL:      portalURL,
	}
	for _, d := range site.Spec.Domains {
		p.Domains = append(p.Domains, string(d))
	}
	if t.Spec.End != nil {
		end := t.Spec.End.UTC()
		p.End = &end
	}
	if t.Spec.Type == sgv1.TakedownPermanent {
		until := NoticeUntil(t, l).UTC()
		p.NoticeUntil = &until
	}
	return p
}

// LimitsFrom reads the limits of the policy in force.
func LimitsFrom(p sgv1.SiteGroupPolicySpec, levelsFor func(sgv1.ApprovalScope) []string) Limits {
	return Limits{
		MaxTemporaryDays:    p.Takedown.MaxTemporaryDays,
		ReturnWindowDays:    p.Takedown.ReturnWindowDays,
		PermanentNoticeDays: p.Takedown.PermanentNoticeDays,
		DeregistrationDays:  p.Takedown.DeregistrationDays,
		TakedownLevels:      levelsFor(sgv1.ScopeTakedown),
		ReturnLevels:        levelsFor(sgv1.ScopeReturn),
	}
}

// CalendarYear is the year of t on the platform's calendar (T3).
func CalendarYear(t time.Time) int { return t.In(clock.Shanghai).Year() }
