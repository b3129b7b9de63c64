package yearreport

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mt(s string) metav1.Time   { return metav1.NewTime(utc(s)) }
func mtp(s string) *metav1.Time { t := mt(s); return &t }
func pscore(n int32) *int32     { return &n }

func site(ns, name string, mutate ...func(*sgv1.GovWebsite)) sgv1.GovWebsite {
	gw := sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, CreationTimestamp: mt("2025-03-01T00:00:00Z")},
		Spec: sgv1.GovWebsiteSpec{SiteKind: sgv1.SiteKindDepartment, Domains: []sgv1.Domain{sgv1.Domain(name + ".tjhp.gov.cn")},
			Organization: sgv1.Organization{Name: "天津市和平区" + name}, SiteCode: "1201010002"},
	}
	for _, m := range mutate {
		m(&gw)
	}
	return gw
}

func monthly(month, completed string, v sgv1.Verdict, score int32) func(*sgv1.GovWebsite) {
	return func(gw *sgv1.GovWebsite) {
		gw.Status.MonthlyResults = append(gw.Status.MonthlyResults, sgv1.MonthlyResult{Month: month, Verdict: v,
			Score: pscore(score), Run: gw.Name + "-monthly-" + month, Time: mt(completed)})
	}
}

func ticket(id, opened string, closed string) func(*sgv1.GovWebsite) {
	return func(gw *sgv1.GovWebsite) {
		t := sgv1.RectificationTicket{ID: id, Problem: "V2: 首页14天未更新", OpenedAt: mt(opened),
			DueBy: metav1.NewTime(utc(opened).Add(24 * time.Hour)), OpenedBy: "run-open"}
		if closed != "" {
			t.ClosedAt, t.ClosedBy = mtp(closed), "run-close"
		}
		gw.Status.Tickets = append(gw.Status.Tickets, t)
	}
}

func created(at string) func(*sgv1.GovWebsite) {
	return func(gw *sgv1.GovWebsite) { gw.CreationTimestamp = mt(at) }
}

func run(ns, site, name string, p sgv1.InspectionPurpose, phase sgv1.InspectionPhase, completed string, v sgv1.Verdict, score int32) sgv1.InspectionRun {
	r := sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:   sgv1.InspectionRunSpec{Purpose: p},
		Status: sgv1.InspectionRunStatus{Phase: phase, Verdict: v, Score: pscore(score)}}
	if site != "" {
		r.Spec.SiteRef = &sgv1.LocalObjectReference{Name: site}
	}
	if completed != "" {
		r.Status.CompletionTime = mtp(completed)
	}
	return r
}

func takedown(ns, site, name, start string, mutate ...func(*sgv1.TakedownRequest)) sgv1.TakedownRequest {
	t := sgv1.TakedownRequest{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.TakedownRequestSpec{SiteRef: sgv1.LocalObjectReference{Name: site}, Type: sgv1.TakedownTemporary,
			Reason: "网站改版升级，临时关停。", Start: mt(start)},
		Status: sgv1.TakedownRequestStatus{Phase: sgv1.TakedownPending}}
	for _, m := range mutate {
		m(&t)
	}
	return t
}

func wentDown(activated, restored string, phase sgv1.TakedownPhase) func(*sgv1.TakedownRequest) {
	return func(t *sgv1.TakedownRequest) {
		t.Status.Phase = phase
		t.Status.ActivatedAt = mtp(activated)
		if restored != "" {
			t.Status.RestoredAt = mtp(restored)
		}
	}
}

// months renders a site's months as "YYYY-MM verdict score source" for the non-empty ones.
func months(s Site) []string {
	var out []string
	for _, m := range s.Months {
		if m.Verdict != "" {
			out = append(out, m.Month+" "+string(m.Verdict)+" "+score(m.Score)+" "+m.Source)
		}
	}
	return out
}

func names[T any](items []T, name func(T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

func siteNames(r Report) []string {
	return names(r.Sites, func(s Site) string { return s.key() })
}

func findSite(t *testing.T, r Report, key string) Site {
	t.Helper()
	for _, s := range r.Sites {
		if s.key() == key {
			return s
		}
	}
	t.Fatalf("site %s not in the report; sites: %v", key, siteNames(r))
	return Site{}
}

var gen = utc("2027-01-05T01:00:00Z") // 2027-01-05 09:00 in Shanghai

func TestMonthsInShanghai(t *testing.T) {
	cases := []struct {
		name string
		year int
		in   Input
		want []string
	}{{
		name: "a run completing 2026-12-31T17:00Z belongs to January 2027",
		year: 2027,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")},
			Runs: []sgv1.InspectionRun{run("a", "edu", "late", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-12-31T17:00:00Z", sgv1.VerdictPass, 88)}},
		want: []string{"2027-01 pass 88 run"},
	}, {
		name: "so December 2026 has no result from it",
		year: 2026,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")},
			Runs: []sgv1.InspectionRun{run("a", "edu", "late", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-12-31T17:00:00Z", sgv1.VerdictPass, 88)}},
		want: nil,
	}, {
		name: "a run completing 2026-12-31T15:59Z is still December 2026",
		year: 2026,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")},
			Runs: []sgv1.InspectionRun{run("a", "edu", "dec", sgv1.PurposePatrol, sgv1.InspectionSucceeded, "2026-12-31T15:59:59Z", sgv1.VerdictFail, 55)}},
		want: []string{"2026-12 fail 55 run"},
	}, {
		name: "a run completing 2026-01-31T16:00Z is February",
		year: 2026,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")},
			Runs: []sgv1.InspectionRun{run("a", "edu", "feb", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-01-31T16:00:00Z", sgv1.VerdictPass, 90)}},
		want: []string{"2026-02 pass 90 run"},
	}, {
		name: "status months are taken as recorded, and only the year's",
		year: 2026,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu",
			monthly("2025-12", "2025-12-05T02:00:00Z", sgv1.VerdictFail, 50),
			monthly("2026-01", "2026-01-05T02:00:00Z", sgv1.VerdictPass, 91),
			monthly("2026-12", "2026-12-31T15:00:00Z", sgv1.VerdictFail, 58),
			monthly("2027-01", "2026-12-31T17:00:00Z", sgv1.VerdictPass, 93))}},
		want: []string{"2026-01 pass 91 status", "2026-12 fail 58 status"},
	}, {
		name: "status wins over a kept run of the same month; runs fill the months status lacks",
		year: 2026,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu", monthly("2026-03", "2026-03-05T02:00:00Z", sgv1.VerdictPass, 91))},
			Runs: []sgv1.InspectionRun{
				run("a", "edu", "mar-other", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-03-06T02:00:00Z", sgv1.VerdictFail, 40),
				run("a", "edu", "apr-1", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-04-05T02:00:00Z", sgv1.VerdictFail, 45),
				run("a", "edu", "apr-2", sgv1.PurposePatrol, sgv1.InspectionSucceeded, "2026-04-20T02:00:00Z", sgv1.VerdictPass, 82),
			}},
		want: []string{"2026-03 pass 91 status", "2026-04 pass 82 run"},
	}, {
		name: "daily, selfcheck and failed runs decide no month",
		year: 2026,
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")},
			Runs: []sgv1.InspectionRun{
				run("a", "edu", "d", sgv1.PurposeDaily, sgv1.InspectionSucceeded, "2026-05-05T02:00:00Z", sgv1.VerdictFail, 0),
				run("a", "edu", "s", sgv1.PurposeSelfcheck, sgv1.InspectionSucceeded, "2026-05-06T02:00:00Z", sgv1.VerdictPass, 99),
				run("a", "edu", "f", sgv1.PurposeMonthly, sgv1.InspectionFailed, "2026-05-07T02:00:00Z", "", 0),
			}},
		want: nil,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Build(c.in, Options{Year: c.year, Generated: gen})
			s := findSite(t, r, "a/edu")
			if got := months(s); !reflect.DeepEqual(got, c.want) {
				t.Errorf("months = %q, want %q", got, c.want)
			}
			if n := s.Totals.MonthsPassed + s.Totals.MonthsFailed + s.Totals.MonthsMissing; n != 12 {
				t.Errorf("totals count %d months, want 12", n)
			}
			for i, m := range s.Months {
				if want := time.Date(c.year, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"); m.Month != want {
					t.Errorf("month %d is %s, want %s", i, m.Month, want)
				}
			}
		})
	}
}

func TestYearFiltering(t *testing.T) {
	cases := []struct {
		name          string
		in            Input
		wantSites     []string
		wantTakedowns map[string][]string
		wantTickets   map[string][]string
		wantRuns      map[string][]string
	}{{
		name: "empty year: no objects, no sites",
		in:   Input{},
	}, {
		name:      "a site with nothing in the year is listed when it existed then",
		in:        Input{Sites: []sgv1.GovWebsite{site("a", "old", monthly("2025-06", "2025-06-05T02:00:00Z", sgv1.VerdictPass, 90))}},
		wantSites: []string{"a/old"},
	}, {
		name:      "a site created after the year with nothing in it is not",
		in:        Input{Sites: []sgv1.GovWebsite{site("a", "new", created("2026-12-31T16:00:00Z"))}},
		wantSites: nil,
	}, {
		name:      "a site created on the year's last evening (Shanghai) is",
		in:        Input{Sites: []sgv1.GovWebsite{site("a", "new", created("2026-12-31T15:59:59Z"))}},
		wantSites: []string{"a/new"},
	}, {
		name: "takedowns: asked for, in force or restored in the year",
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")}, Takedowns: []sgv1.TakedownRequest{
			takedown("a", "edu", "asked-2026", "2026-06-01T00:00:00Z"),
			takedown("a", "edu", "across", "2025-12-20T00:00:00Z", wentDown("2025-12-20T00:00:00Z", "2026-01-10T00:00:00Z", sgv1.TakedownRestored)),
			takedown("a", "edu", "over-2025", "2025-03-01T00:00:00Z", wentDown("2025-03-01T00:00:00Z", "2025-03-20T00:00:00Z", sgv1.TakedownRestored)),
			takedown("a", "edu", "closed-2024", "2024-03-01T00:00:00Z", wentDown("2024-03-01T00:00:00Z", "", sgv1.TakedownClosed)),
			takedown("a", "edu", "asked-2027", "2026-12-31T16:00:00Z"),
			takedown("a", "edu", "asked-dec", "2026-12-31T15:00:00Z"),
		}},
		wantSites:     []string{"a/edu"},
		wantTakedowns: map[string][]string{"a/edu": {"closed-2024", "across", "asked-2026", "asked-dec"}},
	}, {
		name: "tickets: open during the year",
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu",
			ticket("closed-2025", "2025-05-01T00:00:00Z", "2025-05-01T12:00:00Z"),
			ticket("across", "2025-12-31T10:00:00Z", "2026-01-02T00:00:00Z"),
			ticket("open-old", "2025-11-01T00:00:00Z", ""),
			ticket("in-year", "2026-04-01T00:00:00Z", "2026-04-01T08:00:00Z"),
			ticket("next-year", "2026-12-31T16:00:00Z", ""),
		)}},
		wantSites:   []string{"a/edu"},
		wantTickets: map[string][]string{"a/edu": {"open-old", "across", "in-year"}},
	}, {
		name: "runs of the year, by completion in Shanghai; runs of a deleted site still show",
		in: Input{Sites: []sgv1.GovWebsite{site("a", "edu")}, Runs: []sgv1.InspectionRun{
			run("a", "edu", "r2025", sgv1.PurposeDaily, sgv1.InspectionSucceeded, "2025-12-31T15:59:59Z", sgv1.VerdictPass, 90),
			run("a", "edu", "r-jan", sgv1.PurposeDaily, sgv1.InspectionSucceeded, "2025-12-31T16:00:00Z", sgv1.VerdictPass, 90),
			run("a", "edu", "r2027", sgv1.PurposeDaily, sgv1.InspectionSucceeded, "2026-12-31T16:00:00Z", sgv1.VerdictPass, 90),
			run("a", "gone", "r-gone", sgv1.PurposeSelfcheck, sgv1.InspectionSucceeded, "2026-03-01T00:00:00Z", sgv1.VerdictPass, 90),
			run("a", "", "adhoc", sgv1.PurposeSelfcheck, sgv1.InspectionSucceeded, "2026-03-01T00:00:00Z", sgv1.VerdictPass, 90),
		}},
		wantSites: []string{"a/edu", "a/gone"},
		wantRuns:  map[string][]string{"a/edu": {"r-jan"}, "a/gone": {"r-gone"}},
	}, {
		name: "sites sort by namespace, then name",
		in: Input{Sites: []sgv1.GovWebsite{site("b", "a"), site("a", "z"), site("a", "b"), site("aa", "a")},
			Takedowns: []sgv1.TakedownRequest{takedown("a", "c", "t", "2026-02-01T00:00:00Z")}},
		wantSites:     []string{"a/b", "a/c", "a/z", "aa/a", "b/a"},
		wantTakedowns: map[string][]string{"a/c": {"t"}},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Build(c.in, Options{Year: 2026, Generated: gen})
			if got := siteNames(r); !reflect.DeepEqual(got, c.wantSites) {
				t.Fatalf("sites = %q, want %q", got, c.wantSites)
			}
			if r.Summary.Sites != len(c.wantSites) {
				t.Errorf("summary counts %d sites, want %d", r.Summary.Sites, len(c.wantSites))
			}
			for _, s := range r.Sites {
				if got := names(s.Takedowns, func(t Takedown) string { return t.Name }); !reflect.DeepEqual(got, c.wantTakedowns[s.key()]) {
					t.Errorf("%s takedowns = %q, want %q", s.key(), got, c.wantTakedowns[s.key()])
				}
				if got := names(s.Tickets, func(t Ticket) string { return t.ID }); !reflect.DeepEqual(got, c.wantTickets[s.key()]) {
					t.Errorf("%s tickets = %q, want %q", s.key(), got, c.wantTickets[s.key()])
				}
				if got := names(s.Runs, func(r Run) string { return r.Name }); !reflect.DeepEqual(got, c.wantRuns[s.key()]) {
					t.Errorf("%s runs = %q, want %q", s.key(), got, c.wantRuns[s.key()])
				}
			}
		})
	}
}

func TestEmptyYear(t *testing.T) {
	r := Build(Input{}, Options{Year: 2026, Generated: gen})
	if len(r.Sites) != 0 || r.Summary != (Totals{}) {
		t.Fatalf("empty input gave %+v", r)
	}
	if r.Location != clock.Shanghai {
		t.Errorf("default calendar is %v, want Asia/Shanghai", r.Location)
	}

	r = Build(Input{Sites: []sgv1.GovWebsite{site("a", "edu")}}, Options{Year: 2026, Generated: gen})
	want := Totals{Sites: 1, MonthsMissing: 12}
	if r.Summary != want || r.Sites[0].Totals != want {
		t.Errorf("a quiet site's totals = %+v / %+v, want %+v", r.Summary, r.Sites[0].Totals, want)
	}
}

func TestTickets(t *testing.T) {
	in := Input{Sites: []sgv1.GovWebsite{site("a", "edu",
		ticket("on-time", "2026-03-01T00:00:00Z", "2026-03-01T20:00:00Z"),
		ticket("late", "2026-03-05T00:00:00Z", "2026-03-07T00:00:00Z"),
		ticket("open-overdue", "2026-11-01T00:00:00Z", ""),
		ticket("open", "2027-01-04T20:00:00Z", ""),
		ticket("late-from-2025", "2025-12-30T00:00:00Z", "2026-01-02T00:00:00Z"),
		ticket("due-in-2027", "2026-12-31T10:00:00Z", "2027-01-03T00:00:00Z"),
	)}}
	r := Build(in, Options{Year: 2026, Generated: gen})
	s := findSite(t, r, "a/edu")
	got := map[string][2]any{}
	for _, tk := range s.Tickets {
		got[tk.ID] = [2]any{tk.Status, tk.OverdueInYear}
	}
	want := map[string][2]any{
		"on-time":        {TicketClosed, false},
		"late":           {TicketClosedLate, true},
		"open-overdue":   {TicketOpenOverdue, true},
		"late-from-2025": {TicketClosedLate, true},
		"due-in-2027":    {TicketClosedLate, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tickets (status, overdue in year) = %v, want %v", got, want)
	}
	// opened in 2026: on-time, late, open-overdue, due-in-2027; closed in 2026: on-time, late, late-from-2025.
	if tot := s.Totals; tot.TicketsOpened != 4 || tot.TicketsClosed != 3 || tot.TicketsOverdue != 3 {
		t.Errorf("ticket totals = opened %d closed %d overdue %d, want 4 3 3", tot.TicketsOpened, tot.TicketsClosed, tot.TicketsOverdue)
	}

	// The ticket opened on 2027-01-04 belongs to 2027 and is open, not yet overdue.
	r = Build(in, Options{Year: 2027, Generated: gen})
	for _, tk := range findSite(t, r, "a/edu").Tickets {
		if tk.ID == "open" && (tk.Status != TicketOpen || tk.OverdueInYear) {
			t.Errorf("ticket open: %s overdue %v, want open and not overdue", tk.Status, tk.OverdueInYear)
		}
	}
}

func TestHistoryAndQuota(t *testing.T) {
	gw := site("a", "edu", func(gw *sgv1.GovWebsite) {
		gw.Status.TakedownQuota = &sgv1.TakedownQuota{Year: 2026, Used: 1, Allowed: 1}
		gw.Status.ComplianceHistory = []sgv1.ComplianceRecord{
			{Time: mt("2025-12-01T00:00:00Z"), Kind: "Inspection", Ref: "old-run", Summary: "last year"},
			{Time: mt("2026-02-01T00:00:00Z"), Kind: "Inspection", Ref: "kept-run", Summary: "listed as a run"},
			{Time: mt("2026-03-01T00:00:00Z"), Kind: "Takedown", Ref: "deleted-td", Summary: "temporary takedown went live"},
			{Time: mt("2026-01-15T00:00:00Z"), Kind: "Inspection", Ref: "deleted-run", Verdict: sgv1.VerdictFail, Score: pscore(40)},
		}
	})
	in := Input{Sites: []sgv1.GovWebsite{gw},
		Runs: []sgv1.InspectionRun{run("a", "edu", "kept-run", sgv1.PurposeDaily, sgv1.InspectionSucceeded, "2026-02-01T00:00:00Z", sgv1.VerdictFail, 40)}}
	s := findSite(t, Build(in, Options{Year: 2026, Generated: gen}), "a/edu")
	if got, want := names(s.History, func(h HistoryEntry) string { return h.Ref }), []string{"deleted-run", "deleted-td"}; !reflect.DeepEqual(got, want) {
		t.Errorf("history = %q, want %q", got, want)
	}
	if s.Quota == nil || s.Quota.Used != 1 {
		t.Errorf("quota = %+v, want the 2026 quota", s.Quota)
	}
	if s := findSite(t, Build(in, Options{Year: 2025, Generated: gen}), "a/edu"); s.Quota != nil {
		t.Errorf("2025 report shows the 2026 quota %+v", s.Quota)
	}
}

func TestBuildLeavesItsInputAlone(t *testing.T) {
	in := Input{
		Sites: []sgv1.GovWebsite{site("a", "edu", monthly("2026-01", "2026-01-05T02:00:00Z", sgv1.VerdictPass, 91),
			ticket("t", "2026-03-01T00:00:00Z", ""))},
		Takedowns: []sgv1.TakedownRequest{takedown("a", "edu", "t2", "2026-06-01T00:00:00Z"), takedown("a", "edu", "t1", "2026-05-01T00:00:00Z")},
		Runs: []sgv1.InspectionRun{run("a", "edu", "r2", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-02-05T02:00:00Z", sgv1.VerdictPass, 90),
			run("a", "edu", "r1", sgv1.PurposeMonthly, sgv1.InspectionSucceeded, "2026-02-04T02:00:00Z", sgv1.VerdictPass, 90)},
	}
	before := Input{}
	for _, s := range in.Sites {
		before.Sites = append(before.Sites, *s.DeepCopy())
	}
	for _, t := range in.Takedowns {
		before.Takedowns = append(before.Takedowns, *t.DeepCopy())
	}
	for _, r := range in.Runs {
		before.Runs = append(before.Runs, *r.DeepCopy())
	}
	a := Build(in, Options{Year: 2026, Generated: gen})
	if !reflect.DeepEqual(in, before) {
		t.Error("Build changed its input")
	}
	if b := Build(in, Options{Year: 2026, Generated: gen}); !reflect.DeepEqual(a, b) {
		t.Error("Build is not deterministic")
	}
}
