package schedule

import (
	"fmt"
	"strings"
	"testing"
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/policy"
)

var planZone = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// cst reads "2006-01-02 15:04" in Shanghai.
func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, planZone)
	if err != nil {
		panic(err)
	}
	return t
}

// defaultInspection is the policy in force with nothing set (RULES.md §3 cadence).
func defaultInspection() sgv1.InspectionPolicy {
	return policy.InForce(sgv1.SiteGroupPolicySpec{}).Inspection
}

func siteWithSchedule(daily string) *sgv1.GovWebsite {
	site := &sgv1.GovWebsite{}
	site.Spec.Inspection.Schedule = daily
	return site
}

func TestDefaultCadence(t *testing.T) {
	p := defaultInspection()
	want := map[string]string{"timeZone": "Asia/Shanghai", "daily": "0 6 * * *", "monthly": "0 2 1 * *",
		"patrol": "0 3 2 2,5,8,11 *", "selfcheck": "0 4 15 1,4,7,10 *"}
	got := map[string]string{"timeZone": p.TimeZone, "daily": p.Daily, "monthly": p.Monthly, "patrol": p.Patrol, "selfcheck": p.Selfcheck}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("default cadence %v, want %v", got, want)
	}
	if p.StartingDeadlineSeconds != 3600 {
		t.Errorf("starting deadline %ds, want 3600", p.StartingDeadlineSeconds)
	}
}

func TestEntriesFor(t *testing.T) {
	p := defaultInspection()
	cases := []struct {
		name  string
		site  *sgv1.GovWebsite
		daily string
	}{
		{"daily monitoring from the policy", siteWithSchedule(""), "0 6 * * *"},
		{"the site's own schedule overrides daily monitoring only", siteWithSchedule("30 8 * * *"), "30 8 * * *"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			want := []Entry{{sgv1.PurposeDaily, tt.daily}, {sgv1.PurposeMonthly, "0 2 1 * *"},
				{sgv1.PurposePatrol, "0 3 2 2,5,8,11 *"}, {sgv1.PurposeSelfcheck, "0 4 15 1,4,7,10 *"}}
			if got := EntriesFor(tt.site, p); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("entries %v, want %v", got, want)
			}
		})
	}
}

// settled: every purpose ran at its latest time before mid-November 2026.
func settled() map[sgv1.InspectionPurpose]time.Time {
	return map[sgv1.InspectionPurpose]time.Time{
		sgv1.PurposeDaily:     cst("2026-11-21 06:00"),
		sgv1.PurposeMonthly:   cst("2026-11-01 02:00"),
		sgv1.PurposePatrol:    cst("2026-11-02 03:00"),
		sgv1.PurposeSelfcheck: cst("2026-10-15 04:00"),
	}
}

// with returns settled() with some purposes' last times replaced.
func with(last map[sgv1.InspectionPurpose]time.Time, kv ...any) map[sgv1.InspectionPurpose]time.Time {
	for i := 0; i < len(kv); i += 2 {
		last[kv[i].(sgv1.InspectionPurpose)] = kv[i+1].(time.Time)
	}
	return last
}

// lastAt is each purpose's last scheduled time: daily, monthly, patrol, selfcheck.
func lastAt(daily, monthly, patrol, selfcheck string) map[sgv1.InspectionPurpose]time.Time {
	return map[sgv1.InspectionPurpose]time.Time{sgv1.PurposeDaily: cst(daily), sgv1.PurposeMonthly: cst(monthly),
		sgv1.PurposePatrol: cst(patrol), sgv1.PurposeSelfcheck: cst(selfcheck)}
}

func due(p sgv1.InspectionPurpose, at string) Due { return Due{Purpose: p, ScheduledAt: cst(at)} }

func TestPlanFor(t *testing.T) {
	launched := cst("2026-01-01 00:00")
	hour := time.Hour
	cases := []struct {
		name     string
		daily    string // the site's own schedule
		last     map[sgv1.InspectionPurpose]time.Time
		since    time.Time
		now      time.Time
		deadline time.Duration
		due      []Due
		missed   map[sgv1.InspectionPurpose]int
		next     time.Time
	}{
		{name: "daily monitoring due exactly at 06:00 Shanghai, 22:00Z the day before",
			last: settled(), since: launched, now: time.Date(2026, 11, 21, 22, 0, 0, 0, time.UTC), deadline: hour,
			due: []Due{due(sgv1.PurposeDaily, "2026-11-22 06:00")}, next: cst("2026-11-23 06:00")},
		{name: "not due a minute before 06:00 Shanghai",
			last: settled(), since: launched, now: time.Date(2026, 11, 21, 21, 59, 0, 0, time.UTC), deadline: hour,
			next: cst("2026-11-22 06:00")},
		{name: "not due a second before 06:00 Shanghai",
			last: settled(), since: launched, now: cst("2026-11-22 06:00").Add(-time.Second), deadline: hour,
			next: cst("2026-11-22 06:00")},
		{name: "still due at the end of the starting deadline",
			last: settled(), since: launched, now: cst("2026-11-22 07:00"), deadline: hour,
			due: []Due{due(sgv1.PurposeDaily, "2026-11-22 06:00")}, next: cst("2026-11-23 06:00")},
		{name: "a minute past the starting deadline: skipped and counted missed",
			last: settled(), since: launched, now: cst("2026-11-22 07:01"), deadline: hour,
			missed: map[sgv1.InspectionPurpose]int{sgv1.PurposeDaily: 1}, next: cst("2026-11-23 06:00")},
		{name: "three days down, past the deadline: three missed, none run late",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-11-19 06:00")), since: launched, now: cst("2026-11-22 07:30"), deadline: hour,
			missed: map[sgv1.InspectionPurpose]int{sgv1.PurposeDaily: 3}, next: cst("2026-11-23 06:00")},
		{name: "three days down, within the deadline: today's runs, two missed",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-11-19 06:00")), since: launched, now: cst("2026-11-22 06:30"), deadline: hour,
			due: []Due{due(sgv1.PurposeDaily, "2026-11-22 06:00")}, missed: map[sgv1.InspectionPurpose]int{sgv1.PurposeDaily: 2}},
		{name: "launched after 06:00: today's daily run is not due",
			last: nil, since: cst("2026-11-22 06:30"), now: cst("2026-11-22 06:40"), deadline: hour,
			next: cst("2026-11-23 06:00")},
		{name: "launched a minute before 06:00: the 06:00 run is due",
			last: nil, since: cst("2026-11-22 05:59"), now: cst("2026-11-22 06:00"), deadline: hour,
			due: []Due{due(sgv1.PurposeDaily, "2026-11-22 06:00")}},
		{name: "launched mid-month: the month's earlier runs are not missed",
			last: nil, since: cst("2026-11-20 12:00"), now: cst("2026-11-20 12:30"), deadline: hour,
			next: cst("2026-11-21 06:00")},
		{name: "a last run older than the launch counts from the launch",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-01-01 06:00")), since: cst("2026-11-22 06:30"), now: cst("2026-11-22 06:40"), deadline: hour,
			next: cst("2026-11-23 06:00")},
		{name: "monthly inspection due at 02:00 on the 1st",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-11-30 06:00")), since: launched, now: cst("2026-12-01 02:00"), deadline: hour,
			due: []Due{due(sgv1.PurposeMonthly, "2026-12-01 02:00")}, next: cst("2026-12-01 06:00")},
		{name: "monthly inspection not due at 01:59 on the 1st",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-11-30 06:00")), since: launched, now: cst("2026-12-01 01:59"), deadline: hour,
			next: cst("2026-12-01 02:00")},
		{name: "monthly and daily both due, in entry order",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-11-30 06:00")), since: launched, now: cst("2026-12-01 06:30"), deadline: 6 * hour,
			due: []Due{due(sgv1.PurposeDaily, "2026-12-01 06:00"), due(sgv1.PurposeMonthly, "2026-12-01 02:00")}},
		{name: "patrol: none in September or October",
			last: lastAt("2026-10-01 06:00", "2026-10-01 02:00", "2026-08-02 03:00", "2026-07-15 04:00"), since: launched, now: cst("2026-10-02 03:00"), deadline: hour,
			next: cst("2026-10-02 06:00")},
		{name: "patrol due in early November, nothing missed since August",
			last: lastAt("2026-11-01 06:00", "2026-11-01 02:00", "2026-08-02 03:00", "2026-10-15 04:00"), since: launched, now: cst("2026-11-02 03:00"), deadline: hour,
			due: []Due{due(sgv1.PurposePatrol, "2026-11-02 03:00")}, next: cst("2026-11-02 06:00")},
		{name: "patrol: none in December or January",
			last: lastAt("2027-01-01 06:00", "2027-01-01 02:00", "2026-11-02 03:00", "2026-10-15 04:00"), since: launched, now: cst("2027-01-02 03:00"), deadline: hour,
			next: cst("2027-01-02 06:00")},
		{name: "patrol due in early February",
			last: lastAt("2027-02-01 06:00", "2027-02-01 02:00", "2026-11-02 03:00", "2027-01-15 04:00"), since: launched, now: cst("2027-02-02 03:00"), deadline: hour,
			due: []Due{due(sgv1.PurposePatrol, "2027-02-02 03:00")}, next: cst("2027-02-02 06:00")},
		{name: "quarterly self-check due on January 15",
			last: lastAt("2027-01-14 06:00", "2027-01-01 02:00", "2026-11-02 03:00", "2026-10-15 04:00"), since: launched, now: cst("2027-01-15 04:00"), deadline: hour,
			due: []Due{due(sgv1.PurposeSelfcheck, "2027-01-15 04:00")}, next: cst("2027-01-15 06:00")},
		{name: "the site's own schedule overrides daily: not due at the policy's 06:00",
			daily: "30 8 * * *", last: with(settled(), sgv1.PurposeDaily, cst("2026-11-21 08:30")), since: launched, now: cst("2026-11-22 06:00"), deadline: hour,
			next: cst("2026-11-22 08:30")},
		{name: "the site's own schedule overrides daily: due at its 08:30",
			daily: "30 8 * * *", last: with(settled(), sgv1.PurposeDaily, cst("2026-11-21 08:30")), since: launched, now: cst("2026-11-22 08:30"), deadline: hour,
			due: []Due{due(sgv1.PurposeDaily, "2026-11-22 08:30")}, next: cst("2026-11-23 08:30")},
		{name: "NextAt is the earliest purpose's next time: the monthly run before daily",
			last: with(settled(), sgv1.PurposeDaily, cst("2026-11-30 06:00")), since: launched, now: cst("2026-11-30 07:00"), deadline: hour,
			next: cst("2026-12-01 02:00")},
		{name: "NextAt is the earliest purpose's next time: the self-check before daily",
			last: lastAt("2027-01-14 06:00", "2027-01-01 02:00", "2026-11-02 03:00", "2026-10-15 04:00"), since: launched, now: cst("2027-01-15 03:59"), deadline: hour,
			next: cst("2027-01-15 04:00")},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := PlanFor(EntriesFor(siteWithSchedule(tt.daily), defaultInspection()), tt.last, tt.since, tt.now, "Asia/Shanghai", tt.deadline)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Due) != len(tt.due) {
				t.Fatalf("due %v, want %v", plan.Due, tt.due)
			}
			for i := range tt.due {
				if plan.Due[i].Purpose != tt.due[i].Purpose || !plan.Due[i].ScheduledAt.Equal(tt.due[i].ScheduledAt) {
					t.Errorf("due %v, want %v", plan.Due, tt.due)
				}
			}
			missed := tt.missed
			if missed == nil {
				missed = map[sgv1.InspectionPurpose]int{}
			}
			if fmt.Sprint(plan.Missed) != fmt.Sprint(missed) {
				t.Errorf("missed %v, want %v", plan.Missed, missed)
			}
			if !tt.next.IsZero() && !plan.NextAt.Equal(tt.next) {
				t.Errorf("next %v, want %v", plan.NextAt.In(planZone), tt.next)
			}
			if plan.NextAt.IsZero() || !plan.NextAt.After(tt.now) {
				t.Errorf("next %v must be after now %v", plan.NextAt, tt.now)
			}
		})
	}
}

func TestPlanForRefusesInvalidSchedules(t *testing.T) {
	p := defaultInspection()
	badMonthly := p
	badMonthly.Monthly = "0 2 1 *"
	badPatrol := p
	badPatrol.Patrol = "0 3 2 13 *"
	cases := []struct {
		name     string
		site     *sgv1.GovWebsite
		p        sgv1.InspectionPolicy
		zone     string
		wantPart []string
	}{
		{"a four-field monthly cron names the monthly schedule", siteWithSchedule(""), badMonthly, "Asia/Shanghai", []string{"monthly schedule", `"0 2 1 *"`}},
		{"month 13 names the patrol schedule", siteWithSchedule(""), badPatrol, "Asia/Shanghai", []string{"patrol schedule", "0 3 2 13 *"}},
		{"a bad site schedule names the daily schedule", siteWithSchedule("every morning"), p, "Asia/Shanghai", []string{"daily schedule", "every morning"}},
		{"an unknown time zone is named", siteWithSchedule(""), p, "Mars/Olympus", []string{"daily schedule", "Mars/Olympus"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanFor(EntriesFor(tt.site, tt.p), nil, cst("2026-01-01 00:00"), cst("2026-11-22 06:00"), tt.zone, time.Hour)
			if err == nil {
				t.Fatal("no error")
			}
			for _, part := range tt.wantPart {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
		})
	}
}
