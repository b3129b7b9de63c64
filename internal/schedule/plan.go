package schedule

import (
	"fmt"
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Entry is one recurring inspection of a site.
type Entry struct {
	Purpose sgv1.InspectionPurpose
	Cron    string
}

// EntriesFor lists a site's schedules (RULES.md §3 cadence): daily
// monitoring (the site's own schedule when set), the monthly full
// inspection, the patrol in early February, May, August and November, and
// the quarterly self-check, from the policy in force.
func EntriesFor(site *sgv1.GovWebsite, p sgv1.InspectionPolicy) []Entry {
	daily := p.Daily
	if site.Spec.Inspection.Schedule != "" {
		daily = site.Spec.Inspection.Schedule
	}
	return []Entry{
		{sgv1.PurposeDaily, daily},
		{sgv1.PurposeMonthly, p.Monthly},
		{sgv1.PurposePatrol, p.Patrol},
		{sgv1.PurposeSelfcheck, p.Selfcheck},
	}
}

// Due is a run to start now.
type Due struct {
	Purpose     sgv1.InspectionPurpose
	ScheduledAt time.Time
}

// Plan is what the scheduler does for a site at now.
type Plan struct {
	Due []Due
	// Missed counts skipped scheduled times per purpose (starting deadline passed).
	Missed map[sgv1.InspectionPurpose]int
	// NextAt is the earliest next scheduled time, for the requeue (zero
	// when no schedule fires again within cron's search horizon).
	NextAt time.Time
}

// PlanFor decides which runs are due. last holds each purpose's last
// scheduled time; a purpose never run counts from since (the site's launch).
func PlanFor(entries []Entry, last map[sgv1.InspectionPurpose]time.Time, since, now time.Time, timeZone string, deadline time.Duration) (Plan, error) {
	plan := Plan{Missed: map[sgv1.InspectionPurpose]int{}}
	for _, e := range entries {
		s, err := Parse(e.Cron, timeZone)
		if err != nil {
			return plan, fmt.Errorf("%s schedule: %w", e.Purpose, err)
		}
		from, ok := last[e.Purpose]
		if !ok || from.Before(since) {
			from = since
		}
		d := s.Decide(from, now, deadline)
		if d.Due {
			plan.Due = append(plan.Due, Due{Purpose: e.Purpose, ScheduledAt: d.ScheduledAt})
		}
		if d.Missed > 0 {
			plan.Missed[e.Purpose] = d.Missed
		}
		if !d.NextAt.IsZero() && (plan.NextAt.IsZero() || d.NextAt.Before(plan.NextAt)) {
			plan.NextAt = d.NextAt
		}
	}
	return plan, nil
}
