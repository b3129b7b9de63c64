package inspector

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector/extract"
	"sitegroup.io/operator/internal/inspector/scoring"
	"sitegroup.io/operator/internal/workday"
)

var (
	testNow   = time.Date(2026, 11, 20, 9, 30, 0, 0, clock.Shanghai)
	testToday = today(testNow)
	warnings  = scoring.Default().Warnings
)

func daysAgo(n int) time.Time { return testToday.AddDate(0, 0, -n) }

func ptr(t time.Time) *time.Time { return &t }

func ids[T any](list []T, id func(T) string) string {
	var out []string
	for _, x := range list {
		out = append(out, id(x))
	}
	return strings.Join(out, ",")
}

func vetoIDs(j *judgement) string { return ids(j.vetoes, func(v findings.Veto) string { return v.ID }) }
func warnIDs(j *judgement) string {
	return ids(j.warnings, func(w findings.Warning) string { return w.ID })
}
func foundIDs(j *judgement) string {
	return ids(j.found, func(f scoring.Finding) string { return f.Indicator })
}

func TestToday(t *testing.T) {
	// 23:30 UTC on the 19th is already the 20th in the platform's calendar.
	if got := today(time.Date(2026, 11, 19, 23, 30, 0, 0, time.UTC)); got.Format(time.DateOnly) != "2026-11-20" {
		t.Errorf("today = %s", got)
	}
}

func TestAvailabilityV1(t *testing.T) {
	for _, tc := range []struct {
		probes, failed int
		veto, warn     string
	}{
		// A run's probes are evidence for V1's 7-day window, never a veto (issue 16).
		{0, 0, "", ""},
		{3, 0, "", ""},
		{3, 1, "", "V1-probes"}, // one of this run's three probes
		{3, 3, "", "V1-probes"},
		{20, 1, "", "V1-probes"},
	} {
		j := &judgement{}
		checkAvailability(j, &observation{probes: tc.probes, probesFailed: tc.failed}, warnings)
		if vetoIDs(j) != tc.veto || warnIDs(j) != tc.warn {
			t.Errorf("%d of %d probes failed: vetoes %q warnings %q, want %q %q", tc.failed, tc.probes, vetoIDs(j), warnIDs(j), tc.veto, tc.warn)
		}
	}
}

func homeWith(items ...extract.Item) *extract.Page { return &extract.Page{Items: items} }

func TestHomepageV2(t *testing.T) {
	for _, tc := range []struct {
		name       string
		home       *extract.Page
		columns    []findings.Column
		veto, warn string
	}{
		{"updated today", homeWith(extract.Item{Title: "a", Date: daysAgo(0)}), nil, "", ""},
		{"9 days", homeWith(extract.Item{Title: "a", Date: daysAgo(9)}), nil, "", ""},
		{"10 days: early warning", homeWith(extract.Item{Title: "a", Date: daysAgo(10)}), nil, "", "V2-homepage"},
		{"13 days", homeWith(extract.Item{Title: "a", Date: daysAgo(13)}), nil, "", "V2-homepage"},
		{"14 days", homeWith(extract.Item{Title: "a", Date: daysAgo(14)}), nil, "", "V2-homepage"},
		{"15 days: V2", homeWith(extract.Item{Title: "a", Date: daysAgo(15)}), nil, "V2", ""},
		{"the newest item counts", homeWith(extract.Item{Title: "a", Date: daysAgo(40)}, extract.Item{Title: "b", Date: daysAgo(2)}), nil, "", ""},
		{"undated items are not updates", homeWith(extract.Item{Title: "a"}, extract.Item{Title: "b"}), nil, "V2", ""},
		{"only navigation, fresh second-level pages", homeWith(),
			[]findings.Column{{Name: "a", Latest: ptr(daysAgo(3))}, {Name: "b", Latest: ptr(daysAgo(13))}}, "", "V2-homepage"},
		{"only navigation, one stale second-level page", homeWith(),
			[]findings.Column{{Name: "a", Latest: ptr(daysAgo(3))}, {Name: "b", Latest: ptr(daysAgo(15))}}, "V2", ""},
		{"only navigation, a blank second-level page", homeWith(),
			[]findings.Column{{Name: "a", Latest: ptr(daysAgo(3))}, {Name: "b", Blank: true}}, "V2", ""},
		{"only navigation, nothing reached", homeWith(), []findings.Column{{Name: "a", NotReached: true}}, "V2", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &judgement{}
			checkHomepage(j, &observation{today: testToday, home: tc.home, columns: tc.columns}, warnings)
			if vetoIDs(j) != tc.veto || warnIDs(j) != tc.warn {
				t.Errorf("vetoes %q warnings %q, want %q %q (%v)", vetoIDs(j), warnIDs(j), tc.veto, tc.warn, j.vetoes)
			}
		})
	}
}

func columnsOf(kind string, n int, blank, stale bool) []findings.Column {
	var out []findings.Column
	for i := 0; i < n; i++ {
		out = append(out, findings.Column{Name: kind + string(rune('A'+i)), Kind: kind, Blank: blank, Stale: stale})
	}
	return out
}

func TestColumnsV3(t *testing.T) {
	for _, tc := range []struct {
		name             string
		columns          []findings.Column
		vetoes, warnings string
		deductions       string
	}{
		{"healthy", columnsOf("news", 3, false, false), "", "", ""},
		{"(c) 2 blank", columnsOf("other", 2, true, false), "", "", "blank-column"},
		{"(c) 3 blank: early warning", columnsOf("other", 3, true, false), "", "V3-blank-columns", "blank-column"},
		{"(c) 4 blank", columnsOf("other", 4, true, false), "", "V3-blank-columns", "blank-column"},
		{"(c) 5 blank: V3", columnsOf("other", 5, true, false), "V3", "", "blank-column"},
		{"(a) 4 stale news and notice", append(columnsOf("news", 2, false, true), columnsOf("notice", 2, false, true)...), "", "", "news-column-stale,notice-column-stale"},
		{"(a) 5 stale news and notice: V3", append(columnsOf("news", 3, false, true), columnsOf("notice", 2, false, true)...), "V3", "", "news-column-stale,notice-column-stale"},
		{"(b) 6 stale", columnsOf("personnel", 6, false, true), "", "", "personnel-column-stale"},
		{"(b) 7 stale: early warning", columnsOf("personnel", 7, false, true), "", "V3-stale-columns", "personnel-column-stale"},
		{"(b) 9 stale", columnsOf("personnel", 9, false, true), "", "V3-stale-columns", "personnel-column-stale"},
		{"(b) 10 stale: V3", columnsOf("personnel", 10, false, true), "V3", "", "personnel-column-stale"},
		{"(a) and (c) both", append(columnsOf("news", 5, false, true), columnsOf("other", 5, true, false)...), "V3,V3", "", "news-column-stale,blank-column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &judgement{}
			checkColumns(j, &observation{today: testToday, columns: tc.columns}, warnings)
			if vetoIDs(j) != tc.vetoes || warnIDs(j) != tc.warnings || foundIDs(j) != tc.deductions {
				t.Errorf("vetoes %q warnings %q deductions %q, want %q %q %q", vetoIDs(j), warnIDs(j), foundIDs(j), tc.vetoes, tc.warnings, tc.deductions)
			}
		})
	}
}

func msg(asked, replied int, answered bool) extract.Message {
	m := extract.Message{Title: "留言", Asked: daysAgo(asked), Answered: answered}
	if replied >= 0 {
		m.Replied = daysAgo(replied)
	}
	return m
}

func TestInteractionV4(t *testing.T) {
	for _, tc := range []struct {
		name       string
		channel    bool
		messages   []extract.Message
		veto, cuts string
	}{
		{"no consultation channel", false, nil, "V4", ""},
		{"a channel without messages", true, nil, "", ""},
		{"answered in time", true, []extract.Message{msg(100, 95, true), msg(20, 10, true)}, "", ""},
		{"unanswered 89 days", true, []extract.Message{msg(89, -1, false), msg(20, 10, true)}, "", ""},
		{"unanswered 95 days: V4", true, []extract.Message{msg(95, -1, false), msg(20, 10, true)}, "V4", ""},
		{"unanswered but older than 12 months", true, []extract.Message{msg(400, -1, false), msg(20, 10, true)}, "", ""},
		{"answered after more than 3 months: V4, and late in working days", true, []extract.Message{msg(150, 40, true), msg(20, 10, true)}, "V4", "reply-late"},
		{"no reply in the last 2 months", true, []extract.Message{msg(80, 70, true)}, "", "no-recent-replies"},
		{"a reply 50 days ago", true, []extract.Message{msg(60, 50, true)}, "", ""},
		{"nothing answered at all", true, []extract.Message{msg(10, -1, false)}, "", "no-recent-replies"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &messageLog{seen: map[string]bool{}}
			for i := range tc.messages {
				tc.messages[i].Title += string(rune('a' + i))
			}
			log.add(tc.messages)
			j := &judgement{}
			checkInteraction(j, &observation{today: testToday, channel: tc.channel, messages: log})
			if vetoIDs(j) != tc.veto || foundIDs(j) != tc.cuts {
				t.Errorf("vetoes %q deductions %q, want %q %q", vetoIDs(j), foundIDs(j), tc.veto, tc.cuts)
			}
		})
	}
}

func TestSecurityV5(t *testing.T) {
	one := []finding{{page: "http://x/", detail: "d", count: 1}}
	for _, tc := range []struct {
		name       string
		log        securityLog
		https      httpsState
		veto, warn string
		cuts       string
	}{
		{"clean over HTTPS", securityLog{}, httpsServed, "", "", ""},
		{"plain HTTP", securityLog{}, httpsMissing, "", "", "https-missing"},
		{"in-cluster: HTTPS not judged", securityLog{}, httpsUnknown, "", "", ""},
		{"gambling link", securityLog{gambling: one}, httpsServed, "V5", "", ""},
		{"link farm", securityLog{linkFarms: one}, httpsServed, "V5", "", ""},
		{"defaced", securityLog{defacement: one}, httpsServed, "V5", "", ""},
		{"ID number", securityLog{idNumbers: one}, httpsServed, "V5", "", ""},
		{"future dates warn", securityLog{futureItems: one}, httpsServed, "", "V5-future-dates", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &judgement{}
			checkSecurity(j, &observation{security: &tc.log, https: tc.https})
			if vetoIDs(j) != tc.veto || warnIDs(j) != tc.warn || foundIDs(j) != tc.cuts {
				t.Errorf("vetoes %q warnings %q deductions %q, want %q %q %q", vetoIDs(j), warnIDs(j), foundIDs(j), tc.veto, tc.warn, tc.cuts)
			}
		})
	}
}

func TestLinkFarmThreshold(t *testing.T) {
	for _, tc := range []struct {
		hidden int
		farm   bool
	}{{2, false}, {3, true}} {
		page := &extract.Page{}
		for i := 0; i < tc.hidden; i++ {
			page.Security.HiddenExternal = append(page.Security.HiddenExternal, extract.Link{URL: mustURL("http://spam.example.com/")})
		}
		var log securityLog
		log.add(func() string { return "http://x/" }, page, testToday)
		if (len(log.linkFarms) > 0) != tc.farm {
			t.Errorf("%d hidden links: farm %v, want %v", tc.hidden, len(log.linkFarms) > 0, tc.farm)
		}
	}
}

func TestFutureItems(t *testing.T) {
	page := &extract.Page{Items: []extract.Item{{Title: "tomorrow", Date: daysAgo(-1)}, {Title: "next week", Date: daysAgo(-7)}}}
	var log securityLog
	log.add(func() string { return "http://x/" }, page, testToday)
	if len(log.futureItems) != 1 || log.futureItems[0].count != 1 {
		t.Errorf("future items %v: tomorrow is within the day's slack, next week is not", log.futureItems)
	}
}

func TestDeadLinksApart(t *testing.T) {
	j := &judgement{}
	checkDeadLinks(j, &observation{dead: []findings.DeadLink{{Homepage: true}, {Homepage: true}, {}, {}, {}}})
	if len(j.found) != 2 || j.found[0].Count != 2 || j.found[1].Count != 3 {
		t.Errorf("found %+v, want 2 homepage and 3 other dead links counted apart", j.found)
	}
}

func TestIdentityS4(t *testing.T) {
	full := extract.Identity{Organizer: "o", Host: "h", SiteCode: "1201000001", SiteCodeRaw: "1201000001", ICP: "i", PublicSecurity: "p"}
	for _, tc := range []struct {
		name    string
		page    extract.Page
		cuts    string
		missing int
	}{
		{"complete", extract.Page{Identity: full, Search: true, ErrorEntry: true}, "", 0},
		{"nothing", extract.Page{}, "identity-missing,error-entry-missing,search-missing", 5},
		{"malformed site code", extract.Page{Identity: extract.Identity{Organizer: "o", Host: "h", SiteCodeRaw: "12AB", ICP: "i", PublicSecurity: "p"},
			Search: true, ErrorEntry: true}, "identity-missing", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &judgement{}
			checkIdentity(j, &observation{home: &tc.page})
			if foundIDs(j) != tc.cuts || (tc.missing > 0 && j.found[0].Count != tc.missing) {
				t.Errorf("deductions %+v, want %q with %d missing", j.found, tc.cuts, tc.missing)
			}
		})
	}
}

func TestColumnKinds(t *testing.T) {
	p := scoring.Default()
	for name, want := range map[string]string{
		"要闻动态": "news", "部门动态": "news", "新闻中心": "news", "通知公告": "notice", "政策文件": "notice",
		"政策法规": "notice", "公告公示": "notice", "人事信息": "personnel", "规划计划": "personnel",
		"互动交流": "interaction", "在线咨询": "interaction", "局长信箱": "interaction", "留言板": "interaction",
		"在线访谈": "other", "信访举报": "other", "征集调查": "other", "机构职能": "other", "办件统计": "services",
	} {
		if got := p.GuessKind(name); got != want {
			t.Errorf("GuessKind(%s) = %s, want %s", name, got, want)
		}
	}
	if !slices.Contains(p.Kinds(), "other") {
		t.Error("other is always a kind")
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestReplyDeadlines: reply times judged in working days of the official
// calendar, across National Day 2026 (1–7 October off, Saturday 10
// October a make-up working day), at each deadline's boundary.
func TestReplyDeadlines(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, clock.Shanghai) }
	asked := day(9, 28) // a Monday, before the holiday
	answered := func(replied time.Time) extract.Message {
		return extract.Message{Title: "留言", Asked: asked, Replied: replied, Answered: true}
	}
	cases := []struct {
		name         string
		today        time.Time
		msg          extract.Message
		cuts, warned string
	}{
		{"4 working days across the holiday: on time", testToday, answered(day(10, 9)), "", ""},
		{"7 working days: on time", testToday, answered(day(10, 13)), "", ""},
		{"8 working days (the make-up Saturday counts): early warning", testToday, answered(day(10, 14)), "", "reply-slow"},
		{"15 working days: early warning (a complex message's limit)", testToday, answered(day(10, 23)), "", "reply-slow"},
		{"16 working days: deduction", testToday, answered(day(10, 26)), "reply-late", ""},
		{"unanswered 6 working days: nothing yet", testToday, extract.Message{Title: "留言", Asked: day(11, 12)}, "", ""},
		{"unanswered 9 working days: early warning", testToday, extract.Message{Title: "留言", Asked: day(11, 9)}, "", "reply-waiting"},
		{"a provisional year is said, never counted silently", time.Date(2027, 2, 20, 0, 0, 0, 0, clock.Shanghai),
			extract.Message{Title: "留言", Asked: time.Date(2027, 2, 17, 10, 0, 0, 0, clock.Shanghai)}, "", "workday-calendar"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := &messageLog{seen: map[string]bool{}}
			log.add([]extract.Message{tc.msg})
			j := &judgement{}
			checkReplyDeadlines(j, &observation{today: tc.today, channel: true, messages: log}, workday.Embedded())
			var warned []string
			for _, w := range j.warnings {
				warned = append(warned, w.ID)
			}
			if foundIDs(j) != tc.cuts || strings.Join(warned, ",") != tc.warned || vetoIDs(j) != "" {
				t.Errorf("deductions %q warnings %v vetoes %q; want %q %q and no veto", foundIDs(j), warned, vetoIDs(j), tc.cuts, tc.warned)
			}
		})
	}
}

func TestStateCouncilColumn(t *testing.T) {
	column := func(name string, daysAgo int) findings.Column {
		c := findings.Column{Name: name, Kind: "news"}
		if daysAgo >= 0 {
			latest := testToday.AddDate(0, 0, -daysAgo)
			c.Latest = &latest
		}
		return c
	}
	for _, tc := range []struct {
		name    string
		portal  bool
		columns []findings.Column
		cuts    string
	}{
		{"a department site needs none", false, []findings.Column{column("要闻动态", 1)}, ""},
		{"a portal without it", true, []findings.Column{column("要闻动态", 1)}, "state-council-column-missing"},
		{"a portal's column with no dated item", true, []findings.Column{column("国务院信息", -1)}, "state-council-column-stale"},
		{"updated 14 days ago: fresh", true, []findings.Column{column("国务院信息", 14)}, ""},
		{"updated 15 days ago: stale", true, []findings.Column{column("国务院要闻", 15)}, "state-council-column-stale"},
		{"only a sub-column of another section does not count", true,
			[]findings.Column{func() findings.Column { c := column("国务院文件", 1); c.Parent = "政府信息公开"; return c }()}, "state-council-column-missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &judgement{}
			checkStateCouncilColumn(j, &observation{today: testToday, portal: tc.portal, columns: tc.columns})
			if foundIDs(j) != tc.cuts {
				t.Errorf("deductions %q, want %q", foundIDs(j), tc.cuts)
			}
		})
	}
}

func TestAdvertising(t *testing.T) {
	link := func(raw string) extract.Link { u, _ := url.Parse(raw); return extract.Link{URL: u} }
	ads := scoring.Default().AdHosts
	for _, tc := range []struct {
		name  string
		links []extract.Link
		count int
	}{
		{"no advertising", []extract.Link{link("https://www.gov.cn/"), link("https://www.baidu.com/s?wd=x")}, 0},
		{"an ad network's script host", []extract.Link{link("https://pos.baidu.com/s?di=1")}, 1},
		{"a subdomain of an ad network, twice, counted once", []extract.Link{link("https://pagead2.googlesyndication.com/a"), link("https://pagead2.googlesyndication.com/b")}, 1},
		{"a host that only ends like one is not one", []extract.Link{link("https://notdoubleclick.net/")}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &judgement{}
			checkAdvertising(j, &observation{home: &extract.Page{Links: tc.links}}, ads)
			count := 0
			for _, f := range j.found {
				if f.Indicator == "commercial-ads" {
					count = f.Count
				}
			}
			if count != tc.count {
				t.Errorf("commercial-ads count %d, want %d (%v)", count, tc.count, j.found)
			}
		})
	}
}
