package console

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/identity"
)

var now = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(d)) }

func atp(d time.Duration) *metav1.Time { t := at(d); return &t }

func TestTicketOverdue(t *testing.T) {
	cases := []struct {
		name          string
		ticket        sgv1.RectificationTicket
		open, overdue bool
	}{
		{"open, within its day", sgv1.RectificationTicket{DueBy: at(time.Hour)}, true, false},
		{"open, due right now", sgv1.RectificationTicket{DueBy: at(0)}, true, false},
		{"open, past its day", sgv1.RectificationTicket{DueBy: at(-time.Second)}, true, true},
		{"fixed but not closed, past its day (T9: a fix alone does not close it)", sgv1.RectificationTicket{DueBy: at(-time.Hour), FixedAt: atp(-2 * time.Hour)}, true, true},
		{"closed after its day", sgv1.RectificationTicket{DueBy: at(-48 * time.Hour), ClosedAt: atp(-time.Hour)}, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := TicketOpen(c.ticket); got != c.open {
				t.Errorf("open = %v, want %v", got, c.open)
			}
			if got := TicketOverdue(c.ticket, now); got != c.overdue {
				t.Errorf("overdue = %v, want %v", got, c.overdue)
			}
		})
	}
	var all []sgv1.RectificationTicket
	for _, c := range cases {
		all = append(all, c.ticket)
	}
	if open, overdue := TicketCounts(all, now); open != 4 || overdue != 2 {
		t.Errorf("TicketCounts = %d open, %d overdue; want 4, 2", open, overdue)
	}
}

func gw(ns, name string, kind sgv1.SiteKind, state sgv1.SiteState) sgv1.GovWebsite {
	return sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Generation: 3},
		Spec: sgv1.GovWebsiteSpec{Organization: sgv1.Organization{Name: name + " bureau"}, SiteKind: kind,
			Domains: []sgv1.Domain{sgv1.Domain(name + ".tjhp.gov.cn")}},
		Status: sgv1.GovWebsiteStatus{State: state},
	}
}

func TestBuildOverview(t *testing.T) {
	edu := gw("tjhp-edu", "edu", sgv1.SiteKindDepartment, sgv1.StateServing)
	edu.Status.LastInspection = &sgv1.InspectionSummary{Run: "edu-monthly", Verdict: sgv1.VerdictFail, Score: ptr.To[int32](0), Time: atp(-time.Hour)}
	edu.Status.Tickets = []sgv1.RectificationTicket{{ID: "a", DueBy: at(-time.Hour)}, {ID: "b", DueBy: at(time.Hour)}, {ID: "c", DueBy: at(-time.Hour), ClosedAt: atp(0)}}
	edu.Status.Availability = &sgv1.AvailabilityStatus{Verdict: sgv1.VerdictPass, Warning: true, FailureRate: "3.2"}
	health := gw("tjhp-health", "health", sgv1.SiteKindDepartment, sgv1.StateTakenDown)
	health.Status.CurrentTakedown = &sgv1.TakedownReference{Name: "rebuild", Type: sgv1.TakedownTemporary, Phase: sgv1.TakedownActive}
	portal := gw("tjhp-portal", "portal", sgv1.SiteKindPortal, sgv1.StateServing)
	portal.Status.LastInspection = &sgv1.InspectionSummary{Run: "portal-monthly", Verdict: sgv1.VerdictPass, Score: ptr.To[int32](97)}
	culture := gw("tjhp-culture", "culture", sgv1.SiteKindDepartment, "")
	culture.Status.CurrentTakedown = &sgv1.TakedownReference{Name: "t", Type: sgv1.TakedownTemporary, Phase: sgv1.TakedownPending}
	sites := []sgv1.GovWebsite{portal, edu, culture, health}

	cases := []struct {
		name      string
		filter    Filter
		rows      []string
		counts    Counts
		namespace int
	}{
		{name: "everything, sorted", rows: []string{"tjhp-culture/culture", "tjhp-edu/edu", "tjhp-health/health", "tjhp-portal/portal"},
			counts: Counts{Sites: 4, ByState: map[sgv1.SiteState]int{sgv1.StateServing: 2, sgv1.StateTakenDown: 1, sgv1.StateProvisioning: 1},
				Failing: 1, OpenTickets: 2, OverdueTickets: 1, TakenDown: 1, AvailabilityWarnings: 1}},
		{name: "by namespace", filter: Filter{Namespace: "tjhp-edu"}, rows: []string{"tjhp-edu/edu"},
			counts: Counts{Sites: 1, ByState: map[sgv1.SiteState]int{sgv1.StateServing: 1}, Failing: 1, OpenTickets: 2, OverdueTickets: 1, AvailabilityWarnings: 1}},
		{name: "by kind", filter: Filter{Kind: "portal"}, rows: []string{"tjhp-portal/portal"},
			counts: Counts{Sites: 1, ByState: map[sgv1.SiteState]int{sgv1.StateServing: 1}}},
		{name: "by state: a pending takedown is not in force", filter: Filter{State: "Provisioning"}, rows: []string{"tjhp-culture/culture"},
			counts: Counts{Sites: 1, ByState: map[sgv1.SiteState]int{sgv1.StateProvisioning: 1}}},
		{name: "nothing matches", filter: Filter{Kind: "portal", State: "TakenDown"}, counts: Counts{ByState: map[sgv1.SiteState]int{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := BuildOverview(sites, c.filter, now)
			var rows []string
			for _, r := range o.Rows {
				rows = append(rows, r.Namespace+"/"+r.Name)
			}
			if strings.Join(rows, " ") != strings.Join(c.rows, " ") {
				t.Errorf("rows = %v, want %v", rows, c.rows)
			}
			if got, want := mustJSON(t, o.Counts), mustJSON(t, c.counts); got != want {
				t.Errorf("counts = %s\nwant %s", got, want)
			}
			if len(o.Namespaces) != 4 || strings.Join(o.Kinds, ",") != "department,portal" {
				t.Errorf("filter choices: namespaces %v, kinds %v", o.Namespaces, o.Kinds)
			}
		})
	}
	row := Row(&edu, now)
	if row.Verdict != sgv1.VerdictFail || *row.Score != 0 || row.OpenTickets != 2 || row.OverdueTickets != 1 || row.InspectedAt == nil {
		t.Errorf("Row(edu) = %+v", row)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func approved(level, who string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: who, Decision: sgv1.DecisionApproved, Time: atp(-time.Hour)}
}

func rejected(level, who string) sgv1.Approval {
	a := approved(level, who)
	a.Decision, a.Comment = sgv1.DecisionRejected, "材料不全"
	return a
}

// signedFor stamps approvals with the digest of the site's identity, as the webhook does.
func signedFor(site *sgv1.GovWebsite, approvals ...sgv1.Approval) []sgv1.Approval {
	d := identity.Digest(identity.Of(site))
	for i := range approvals {
		approvals[i].IdentityDigest = d
	}
	return approvals
}

func TestWaiting(t *testing.T) {
	levels := LevelsOf(sgv1.SiteGroupPolicySpec{}) // the defaults: unit, city, province; returns and results: unit, city
	if strings.Join(levels.Site, ",") != "unit,city,province" || strings.Join(levels.Return, ",") != "unit,city" || strings.Join(levels.Rectification, ",") != "unit,city" {
		t.Fatalf("default levels = %+v", levels)
	}

	newSite := gw("ns-new", "new", sgv1.SiteKindDepartment, sgv1.StateAwaitingApproval)
	cityWaits := gw("ns-city", "city", sgv1.SiteKindDepartment, sgv1.StateAwaitingApproval)
	cityWaits.Spec.Approvals = signedFor(&cityWaits, approved("unit", "chen.jing"))
	done := gw("ns-done", "done", sgv1.SiteKindDepartment, sgv1.StateServing)
	done.Spec.Approvals = signedFor(&done, approved("unit", "a"), approved("city", "b"), approved("province", "c"))
	done.Status.ApprovedIdentity = ptr.To(identity.Of(&done))
	rej := gw("ns-rej", "rej", sgv1.SiteKindDepartment, sgv1.StateRejected)
	rej.Spec.Approvals = signedFor(&rej, approved("unit", "a"), rejected("city", "b"))
	// S8: the served identity was signed; the spec now applies for a new domain, signed by nobody yet
	changed := gw("ns-s8", "s8", sgv1.SiteKindDepartment, sgv1.StateServing)
	changed.Spec.Approvals = signedFor(&changed, approved("unit", "a"), approved("city", "b"), approved("province", "c"))
	changed.Status.ApprovedIdentity = ptr.To(identity.Of(&changed))
	changed.Spec.Domains = []sgv1.Domain{"new.tjhp.gov.cn"}
	deleting := gw("ns-del", "del", sgv1.SiteKindDepartment, sgv1.StateAwaitingApproval)
	deleting.DeletionTimestamp = atp(0)
	// T9: results of an open ticket (waits for city), a closed one and an unknown one
	rect := gw("ns-rect", "rect", sgv1.SiteKindDepartment, sgv1.StateServing)
	rect.Spec.Approvals = signedFor(&rect, approved("unit", "a"), approved("city", "b"), approved("province", "c"))
	rect.Status.ApprovedIdentity = ptr.To(identity.Of(&rect))
	rect.Status.Tickets = []sgv1.RectificationTicket{{ID: "V2/open", Problem: "V2: 首页超过2周未更新", DueBy: at(-time.Hour)}, {ID: "V3/closed", ClosedAt: atp(0)}}
	rect.Spec.RectificationReports = []sgv1.RectificationReport{
		{Ticket: "V3/closed", Result: "done", Approvals: []sgv1.Approval{approved("unit", "a")}},
		{Ticket: "V2/open", Result: "首页已更新", Approvals: []sgv1.Approval{approved("unit", "a")}},
		{Ticket: "V9/unknown", Result: "?"},
	}

	td := func(name string, phase sgv1.TakedownPhase, approvals ...sgv1.Approval) sgv1.TakedownRequest {
		return sgv1.TakedownRequest{
			ObjectMeta: metav1.ObjectMeta{Namespace: "ns-td", Name: name, Generation: 2},
			Spec: sgv1.TakedownRequestSpec{SiteRef: sgv1.LocalObjectReference{Name: "edu"}, Type: sgv1.TakedownTemporary,
				Reason: "改版升级需临时关停", Start: at(24 * time.Hour), End: atp(10 * 24 * time.Hour), Approvals: approvals},
			Status: sgv1.TakedownRequestStatus{Phase: phase},
		}
	}
	pending := td("pending", sgv1.TakedownPending, approved("unit", "a"), approved("city", "b"))
	fresh := td("fresh", "")
	tdRejected := td("rejected", sgv1.TakedownRejected, rejected("unit", "a"))
	cancelled := td("cancelled", sgv1.TakedownPending)
	cancelled.Spec.Cancel = true
	returning := td("returning", sgv1.TakedownReturning, approved("unit", "a"), approved("city", "b"), approved("province", "c"))
	returning.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: at(0), SelfCheck: "自查完成，栏目链接正常", Approvals: []sgv1.Approval{approved("unit", "a")}}
	returned := td("returned", sgv1.TakedownRestored, approved("unit", "a"), approved("city", "b"), approved("province", "c"))
	returned.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: at(0), SelfCheck: "自查完成", Approvals: []sgv1.Approval{approved("unit", "a"), approved("city", "b")}}
	active := td("active", sgv1.TakedownActive, approved("unit", "a"), approved("city", "b"), approved("province", "c"))

	items := Waiting(
		[]sgv1.GovWebsite{done, rect, cityWaits, newSite, rej, changed, deleting},
		[]sgv1.TakedownRequest{pending, fresh, tdRejected, cancelled, returning, returned, active},
		levels)
	var got []string
	for _, it := range items {
		s := it.ID()
		if it.Resubmission {
			s += " (resubmission)"
		}
		got = append(got, s)
	}
	want := []string{
		"site/ns-city/city/city",
		"site/ns-new/new/unit",
		"site/ns-rej/rej/unit (resubmission)",
		"site/ns-s8/s8/unit",
		"takedown/ns-td/fresh/unit",
		"takedown/ns-td/pending/province",
		"return/ns-td/returning/city",
		"rectification/ns-rect/rect/city/1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Waiting =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	city, ok := Find(items, "site/ns-city/city/city")
	if !ok || city.Generation != 3 || city.Summary != "city bureau" || strings.Join(city.Signed, ",") != "unit chen.jing" || city.Kind != "GovWebsite" {
		t.Errorf("the city item = %+v", city)
	}
	r, _ := Find(items, "rectification/ns-rect/rect/city/1")
	if r.Ticket != "V2/open" || r.Report != 1 || r.Summary != "V2: 首页超过2周未更新" || r.Detail != "首页已更新" {
		t.Errorf("the rectification item = %+v", r)
	}
	if _, ok := Find(items, "site/ns-city/city/unit"); ok {
		t.Error("Find matched a level the site does not wait for")
	}
}

func TestSignPatch(t *testing.T) {
	site := Item{Chain: ChainSite, Namespace: "ns", Name: "edu", Level: "city", Generation: 7}
	cases := []struct {
		name      string
		item      Item
		had       bool
		decision  sgv1.ApprovalDecision
		comment   string
		want, err string
	}{
		{name: "the first signature creates the list", item: Item{Chain: ChainSite, Level: "unit", Generation: 1}, decision: sgv1.DecisionApproved,
			want: `[{"op":"test","path":"/metadata/generation","value":1},{"op":"add","path":"/spec/approvals","value":[{"level":"unit","decision":"Approved"}]}]`},
		{name: "a later one appends; an approval carries no comment", item: site, had: true, decision: sgv1.DecisionApproved, comment: "ignored",
			want: `[{"op":"test","path":"/metadata/generation","value":7},{"op":"add","path":"/spec/approvals/-","value":{"level":"city","decision":"Approved"}}]`},
		{name: "a rejection says why", item: site, had: true, decision: sgv1.DecisionRejected, comment: "  材料不全  ",
			want: `[{"op":"test","path":"/metadata/generation","value":7},{"op":"add","path":"/spec/approvals/-","value":{"level":"city","decision":"Rejected","comment":"材料不全"}}]`},
		{name: "a rejection without a comment", item: site, decision: sgv1.DecisionRejected, comment: " ", err: "S1: a rejection says why"},
		{name: "no such decision", item: site, decision: "Maybe", err: `decision "Maybe"`},
		{name: "a takedown's return", item: Item{Chain: ChainReturn, Level: "city", Generation: 4}, had: true, decision: sgv1.DecisionApproved,
			want: `[{"op":"test","path":"/metadata/generation","value":4},{"op":"add","path":"/spec/returnRequest/approvals/-","value":{"level":"city","decision":"Approved"}}]`},
		{name: "a rectification result tests its ticket too", item: Item{Chain: ChainRectification, Level: "unit", Generation: 9, Report: 2, Ticket: "V2/x"}, decision: sgv1.DecisionApproved,
			want: `[{"op":"test","path":"/metadata/generation","value":9},{"op":"test","path":"/spec/rectificationReports/2/ticket","value":"V2/x"},{"op":"add","path":"/spec/rectificationReports/2/approvals","value":[{"level":"unit","decision":"Approved"}]}]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SignPatch(c.item, c.had, c.decision, c.comment)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("patch =\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestHasApprovals(t *testing.T) {
	site := &sgv1.GovWebsite{Spec: sgv1.GovWebsiteSpec{Approvals: []sgv1.Approval{approved("unit", "a")},
		RectificationReports: []sgv1.RectificationReport{{Ticket: "a"}, {Ticket: "b", Approvals: []sgv1.Approval{approved("unit", "a")}}}}}
	td := &sgv1.TakedownRequest{Spec: sgv1.TakedownRequestSpec{ReturnRequest: &sgv1.ReturnRequest{}}}
	for _, c := range []struct {
		item Item
		want bool
	}{
		{Item{Chain: ChainSite}, true},
		{Item{Chain: ChainRectification, Report: 0}, false},
		{Item{Chain: ChainRectification, Report: 1}, true},
		{Item{Chain: ChainRectification, Report: 5}, false},
		{Item{Chain: ChainTakedown}, false},
		{Item{Chain: ChainReturn}, false},
	} {
		if got := HasApprovals(c.item, site, td); got != c.want {
			t.Errorf("HasApprovals(%s #%d) = %v, want %v", c.item.Chain, c.item.Report, got, c.want)
		}
	}
}

func TestChartsAndMonthly(t *testing.T) {
	a := gw("ns", "a", sgv1.SiteKindDepartment, sgv1.StateServing)
	a.Status.MonthlyResults = []sgv1.MonthlyResult{
		{Month: "2026-10", Verdict: sgv1.VerdictPass, Score: ptr.To[int32](91), Run: "a-202610", Time: at(-60 * 24 * time.Hour)},
		{Month: "2026-11", Verdict: sgv1.VerdictFail, Score: ptr.To[int32](0), Run: "a-202611", Time: at(-30 * 24 * time.Hour)},
	}
	a.Status.Availability = &sgv1.AvailabilityStatus{Days: []sgv1.AvailabilityDay{{Day: "2026-12-06", Probes: 24, Failed: 1}, {Day: "2026-12-07", Probes: 0}}}
	monthly, avail := Charts(a.Status)
	if len(monthly) != 2 || monthly[1].Verdict != "fail" || *monthly[1].Score != 0 {
		t.Errorf("monthly = %+v", monthly)
	}
	if len(avail) != 2 || avail[0].Rate != 4.2 || avail[1].Rate != 0 {
		t.Errorf("availability = %+v", avail)
	}

	b := gw("ns", "b", sgv1.SiteKindDepartment, sgv1.StateServing)
	b.Spec.Organization.Name = "b | bureau"
	b.Status.MonthlyResults = []sgv1.MonthlyResult{{Month: "2026-11", Verdict: sgv1.VerdictPass, Run: "b-202611", Time: at(-30 * 24 * time.Hour)}}
	months, rows := MonthlyTable([]sgv1.GovWebsite{b, a})
	if strings.Join(months, ",") != "2026-11,2026-10" || rows[0].Name != "a" {
		t.Fatalf("MonthlyTable = %v, %+v", months, rows)
	}
	var csv, md strings.Builder
	if err := MonthlyCSV(&csv, months, rows); err != nil {
		t.Fatal(err)
	}
	wantCSV := "namespace,site,organization,month,verdict,score,run,time\n" +
		"ns,a,a bureau,2026-11,fail,0,a-202611,2026-11-07T10:00:00Z\n" +
		"ns,a,a bureau,2026-10,pass,91,a-202610,2026-10-08T10:00:00Z\n" +
		"ns,b,b | bureau,2026-11,pass,,b-202611,2026-11-07T10:00:00Z\n"
	if csv.String() != wantCSV {
		t.Errorf("CSV =\n%s\nwant\n%s", csv.String(), wantCSV)
	}
	if err := MonthlyMarkdown(&md, months, rows, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| site | organization | 2026-11 | 2026-10 |", "| ns/a | a bureau | fail 0 | pass 91 |", `| ns/b | b \| bureau | pass | — |`} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md.String())
		}
	}
}
