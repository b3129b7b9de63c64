package inspector

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/test/fixturesite"
)

// elsewhere is "another site" on loopback that external links point to:
// tests never leave the machine.
func elsewhere(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/dead") {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("<p>elsewhere</p>"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// inspect serves a fixture site and inspects it the way the command does,
// without the politeness delay (loopback).
func inspect(t *testing.T, spec fixturesite.Spec, tune ...func(*Config)) (findings.Report, *fixturesite.Server) {
	t.Helper()
	site := fixturesite.Start(spec)
	t.Cleanup(site.Close)
	cfg := Config{URL: mustURL(site.URL + "/"), Now: testNow, Concurrency: 4, MaxPages: 500, MaxDepth: 5,
		Retries: 1, Backoff: 1, Probes: 3, External: ExternalCheck}
	if spec.Domain != "" {
		cfg.HostHeader = spec.Domain
	}
	if spec.Elsewhere != "" { // another site, on loopback too: allowed explicitly (issue 16's guard)
		cfg.AllowAddrs = append(cfg.AllowAddrs, strings.TrimPrefix(spec.Elsewhere, "http://"))
	}
	for _, f := range tune {
		f(&cfg)
	}
	return Run(context.Background(), cfg), site
}

func vetoes(r findings.Report) string {
	return ids(r.Vetoes, func(v findings.Veto) string { return v.ID })
}

func warningIDs(r findings.Report) string {
	return ids(r.Warnings, func(w findings.Warning) string { return w.ID })
}

func deductionIDs(r findings.Report) string {
	return ids(r.Deductions, func(d findings.Deduction) string { return d.ID })
}

func columnNamed(r findings.Report, name string) findings.Column {
	for _, c := range r.Columns {
		if c.Name == name {
			return c
		}
	}
	return findings.Column{Name: "(missing " + name + ")"}
}

func TestDefaultSitePasses(t *testing.T) {
	r, site := inspect(t, fixturesite.Default(testNow))
	if r.Verdict != findings.Pass || vetoes(r) != "" || r.Score != 98 || deductionIDs(r) != "https-missing" {
		t.Fatalf("verdict %s score %d vetoes %v deductions %v", r.Verdict, r.Score, r.Vetoes, r.Deductions)
	}
	if r.Stats.Pages != 62 || r.Stats.Probes != 3 || r.Stats.ProbesFailed != 0 || r.Stats.BudgetExhausted != "" {
		t.Errorf("stats %+v", r.Stats)
	}
	if got := len(r.Columns); got != 6 {
		t.Errorf("%d columns, want 6", got)
	}
	if c := columnNamed(r, "要闻动态"); c.Items != 25 || c.Pages != 2 || c.Kind != "news" || c.Latest.Format("2006-01-02") != "2026-11-19" {
		t.Errorf("要闻动态 %+v: want 25 items over 2 pages, newest yesterday", c)
	}
	if c := columnNamed(r, "互动交流"); c.Kind != "interaction" || c.Blank {
		t.Errorf("互动交流 %+v: a consultation column with messages is not blank", c)
	}
	if r.Identity.SiteCode != "1201000001" || r.Identity.ICP != "津ICP备05004466号-1" {
		t.Errorf("identity %+v", r.Identity)
	}
	if site.Requests.Load() != int64(r.Stats.Requests) {
		t.Errorf("the site answered %d requests, the report counts %d", site.Requests.Load(), r.Stats.Requests)
	}
}

// TestVetoes fires each veto at its threshold and not one step before.
func TestVetoes(t *testing.T) {
	other := elsewhere(t)
	stale := func(kind string, n, age int) []fixturesite.Column {
		var out []fixturesite.Column
		names := map[string]string{"news": "动态", "notice": "通知公告", "personnel": "人事信息"}
		for i := 0; i < n; i++ {
			out = append(out, fixturesite.Column{Name: fmt.Sprintf("%s%d", names[kind], i+1), AgeDays: age, Items: 3})
		}
		return out
	}
	blank := func(n int) []fixturesite.Column {
		var out []fixturesite.Column
		for i := 0; i < n; i++ {
			out = append(out, fixturesite.Column{Name: fmt.Sprintf("专栏%d", i+1), Placeholder: []string{"暂无信息", "暂无内容", "正在建设中", ""}[i%4]})
		}
		return out
	}
	channel := func(msgs ...fixturesite.Message) fixturesite.Column {
		return fixturesite.Column{Name: "互动交流", Messages: msgs}
	}
	for _, tc := range []struct {
		name     string
		spec     func(*fixturesite.Spec)
		vetoes   string
		warnings string
	}{
		{"V2: homepage 13 days old", func(s *fixturesite.Spec) { s.HomeAgeDays = 13 }, "", "V2-homepage"},
		{"V2: homepage 15 days old", func(s *fixturesite.Spec) { s.HomeAgeDays = 15 }, "V2", ""},
		{"V2: homepage items without dates, nor on their pages", func(s *fixturesite.Spec) { s.HomeUndated, s.ArticlesUndated = true, true }, "V2", ""},
		// Issue 16: an item its list shows undated is dated by its page's 发布时间.
		{"V2: homepage items without dates, dated by their pages", func(s *fixturesite.Spec) { s.HomeUndated = true }, "", ""},
		{"V2: navigation-only homepage, fresh columns", func(s *fixturesite.Spec) {
			s.NavOnly = true
			s.Columns = []fixturesite.Column{{Name: "要闻", AgeDays: 2, Items: 3}, channel(fixturesite.Message{Title: "问", AskedDays: 5, RepliedDay: 1})}
		}, "", ""},
		{"V2: navigation-only homepage, a column 15 days old", func(s *fixturesite.Spec) {
			s.NavOnly = true
			s.Columns = []fixturesite.Column{{Name: "要闻", AgeDays: 15, Items: 3}, channel(fixturesite.Message{Title: "问", AskedDays: 5, RepliedDay: 1})}
		}, "V2", ""},
		{"V3(c): 4 blank columns", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, blank(4)...) }, "", "V3-blank-columns"},
		{"V3(c): 5 blank columns", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, blank(5)...) }, "V3", ""},
		{"V3(a): 4 news columns 15 days old", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, stale("news", 4, 15)...) }, "", ""},
		{"V3(a): 5 news columns 15 days old", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, stale("news", 5, 15)...) }, "V3", ""},
		{"V3(a): 5 news columns 14 days old", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, stale("news", 5, 14)...) }, "", ""},
		{"V3(a): 3 news and 2 notice columns stale", func(s *fixturesite.Spec) {
			s.Columns = append(append(s.Columns, stale("news", 3, 20)...), stale("notice", 2, 200)...)
		}, "V3", ""},
		{"V3(b): 9 stale personnel columns", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, stale("personnel", 9, 400)...) }, "", "V3-stale-columns"},
		{"V3(b): 10 stale personnel columns", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, stale("personnel", 10, 400)...) }, "V3", ""},
		{"V3(b): 10 personnel columns 300 days old", func(s *fixturesite.Spec) { s.Columns = append(s.Columns, stale("personnel", 10, 300)...) }, "", ""},
		{"V4: no consultation channel", func(s *fixturesite.Spec) { s.Columns = s.Columns[:5] }, "V4", ""},
		{"V4: a channel linked off the navigation", func(s *fixturesite.Spec) {
			s.Columns[5].OffNav, s.Columns[5].Name = true, "市长信箱"
		}, "", ""},
		{"V4: unanswered 89 days", func(s *fixturesite.Spec) {
			s.Columns[5].Messages = append(s.Columns[5].Messages, fixturesite.Message{Title: "未答复的咨询", AskedDays: 89, RepliedDay: -1})
		}, "", "reply-waiting"},
		{"V4: unanswered 95 days", func(s *fixturesite.Spec) {
			s.Columns[5].Messages = append(s.Columns[5].Messages, fixturesite.Message{Title: "未答复的咨询", AskedDays: 95, RepliedDay: -1})
		}, "V4", "reply-waiting"},
		{"V4: unanswered 95 days, in a table", func(s *fixturesite.Spec) {
			s.Columns[5].MessageTable = true
			s.Columns[5].Messages = append(s.Columns[5].Messages, fixturesite.Message{Title: "未答复的咨询", AskedDays: 95, RepliedDay: -1, Status: "待回复"})
		}, "V4", "reply-waiting"},
		{"V4: unanswered, 13 months ago", func(s *fixturesite.Spec) {
			s.Columns[5].Messages = append(s.Columns[5].Messages, fixturesite.Message{Title: "旧咨询", AskedDays: 400, RepliedDay: -1})
		}, "", ""},
		{"V5: injected gambling link", func(s *fixturesite.Spec) { s.Elsewhere, s.GamblingLink = other, true }, "V5", ""},
		{"V5: 2 hidden links", func(s *fixturesite.Spec) { s.Elsewhere, s.LinkFarm = other, 2 }, "", ""},
		{"V5: 3 hidden links, a link farm", func(s *fixturesite.Spec) { s.Elsewhere, s.LinkFarm = other, 3 }, "V5", ""},
		{"V5: an ID number in an article", func(s *fixturesite.Spec) { s.IDNumber = true }, "V5", ""},
		// Issue 16: an item dated after the crawl is a faked publish date
		// (V5) past a day ahead; a day ahead warns (a clock, a time zone).
		{"V5: an item dated tomorrow warns", func(s *fixturesite.Spec) { s.FutureItem, s.FutureDays = true, 1 }, "", "V5-future-dates"},
		{"V5: an item dated 2 days ahead", func(s *fixturesite.Spec) { s.FutureItem, s.FutureDays = true, 2 }, "V5", ""},
		{"V5: an item dated a month ahead", func(s *fixturesite.Spec) { s.FutureItem = true }, "V5", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := fixturesite.Default(testNow)
			tc.spec(&spec)
			r, _ := inspect(t, spec)
			if vetoes(r) != tc.vetoes || warningIDs(r) != tc.warnings {
				t.Errorf("vetoes %q warnings %q, want %q %q\n%v\n%v", vetoes(r), warningIDs(r), tc.vetoes, tc.warnings, r.Vetoes, r.Warnings)
			}
			wantVerdict := findings.Pass
			if tc.vetoes != "" {
				wantVerdict = findings.Fail
			}
			if r.Verdict != wantVerdict || (tc.vetoes != "" && r.Score != 0) {
				t.Errorf("verdict %s score %d", r.Verdict, r.Score)
			}
		})
	}
}

// TestUnreachableSiteIsUnjudged: a homepage that does not open leaves
// nothing to judge, and one run's probes are no V1 veto — V1 is the 7-day
// window's (issue 16). Every answer that is not an open homepage.
func TestUnreachableSiteIsUnjudged(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		want   string
	}{
		{"503", http.StatusServiceUnavailable, "HTTP 503"},
		{"404", http.StatusNotFound, "HTTP 404"},
		{"400, the first status that fails", http.StatusBadRequest, "HTTP 400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := fixturesite.Default(testNow)
			spec.HomeStatus = tc.status
			r, _ := inspect(t, spec)
			if r.Verdict != findings.Unjudged || len(r.Vetoes) != 0 || len(r.Deductions) != 0 || len(r.Columns) != 0 {
				t.Errorf("verdict %s vetoes %v deductions %v columns %d", r.Verdict, r.Vetoes, r.Deductions, len(r.Columns))
			}
			if r.Unreachable != tc.want || warningIDs(r) != "V1-probes" || r.Stats.ProbesFailed != 3 {
				t.Errorf("unreachable %q warnings %q probes failed %d", r.Unreachable, warningIDs(r), r.Stats.ProbesFailed)
			}
		})
	}
	t.Run("399 opens: judged", func(t *testing.T) {
		spec := fixturesite.Default(testNow)
		spec.HomeStatus = 399
		if r, _ := inspect(t, spec); r.Verdict == findings.Unjudged || r.Unreachable != "" {
			t.Errorf("verdict %s unreachable %q", r.Verdict, r.Unreachable)
		}
	})
}

func TestChineseEncodings(t *testing.T) {
	want, _ := inspect(t, fixturesite.Default(testNow))
	for _, enc := range []string{"gbk", "gb2312"} {
		t.Run(enc, func(t *testing.T) {
			spec := fixturesite.Default(testNow)
			spec.Encoding = enc
			got, _ := inspect(t, spec)
			if !slices.EqualFunc(got.Columns, want.Columns, sameColumn) || got.Identity != want.Identity || got.Score != want.Score {
				t.Errorf("%s pages read differently from UTF-8:\n got %+v %+v\nwant %+v %+v", enc, got.Columns, got.Identity, want.Columns, want.Identity)
			}
		})
	}
}

func sameColumn(a, b findings.Column) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.Items == b.Items && a.Blank == b.Blank && a.Stale == b.Stale &&
		(a.Latest == nil) == (b.Latest == nil) && (a.Latest == nil || a.Latest.Equal(*b.Latest))
}

func TestPagination(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.Columns = append(spec.Columns, fixturesite.Column{Name: "部门动态", AgeDays: 3, Items: 45, PerPage: 10, Style: "div"})
	r, _ := inspect(t, spec)
	if c := columnNamed(r, "部门动态"); c.Items != 45 || c.Pages != 5 || c.Latest.Format("2006-01-02") != "2026-11-17" {
		t.Errorf("部门动态 %+v: want 45 items on 5 pages", c)
	}
}

func TestBudgetRunsOut(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.DeepChain = 10
	r, _ := inspect(t, spec, func(c *Config) { c.MaxPages = 5 })
	if r.Stats.Pages != 5 || !strings.Contains(r.Stats.BudgetExhausted, "pages") {
		t.Errorf("pages %d budget %q", r.Stats.Pages, r.Stats.BudgetExhausted)
	}
	if c := columnNamed(r, "互动交流"); !c.NotReached || c.Blank || c.Stale {
		t.Errorf("a column the budget left out is not judged: %+v", c)
	}
	if strings.Contains(vetoes(r), "V3") || strings.Contains(vetoes(r), "V4") {
		t.Errorf("vetoes %v from columns the crawl never read", r.Vetoes)
	}

	r, _ = inspect(t, spec, func(c *Config) { c.MaxDepth = 3 })
	if r.Stats.BudgetExhausted != "depth" {
		t.Errorf("budget %q, want depth (the chain is 10 deep)", r.Stats.BudgetExhausted)
	}
}

func TestHostHeader(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.Domain = "www.example.gov.cn"
	r, site := inspect(t, spec, func(c *Config) { c.External = ExternalAuto })
	if site.BadHost.Load() != 0 || r.Stats.Pages != 62 || vetoes(r) != "" {
		t.Fatalf("requests with the wrong Host %d, pages %d, vetoes %v", site.BadHost.Load(), r.Stats.Pages, r.Vetoes)
	}
	if c := columnNamed(r, "通知公告"); c.URL != "http://www.example.gov.cn/c1/list_1.html" {
		t.Errorf("the report names pages under the public domain: %s", c.URL)
	}
	if r.Stats.ExternalLinks != "skipped" || strings.Contains(deductionIDs(r), "https") {
		t.Errorf("in-cluster: external links %q, deductions %v", r.Stats.ExternalLinks, r.Deductions)
	}
}

func TestDeadLinks(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.HomeDeadLinks, spec.HomeDeadImages, spec.PageDeadLinks = 2, 1, 5
	r, _ := inspect(t, spec)
	home := 0
	for _, d := range r.DeadLinks {
		if d.Homepage {
			home++
			if !strings.HasSuffix(d.FoundOn, "/") {
				t.Errorf("a homepage dead link found on %s", d.FoundOn)
			}
		} else if !strings.HasSuffix(d.FoundOn, "/c0/a1.html") {
			t.Errorf("dead link %s found on %s", d.URL, d.FoundOn)
		}
	}
	if len(r.DeadLinks) != 8 || home != 3 {
		t.Fatalf("dead links %v, want 3 on the homepage and 5 elsewhere", r.DeadLinks)
	}
	if deductionIDs(r) != "https-missing,homepage-dead-link,dead-link" || r.Score != 100-2-3-1 {
		t.Errorf("deductions %v score %d", r.Deductions, r.Score)
	}
}

func TestIdentityFooter(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.Footer = fixturesite.Footer{Omit: true}
	spec.NoSearch, spec.NoErrorEntry = true, true
	r, _ := inspect(t, spec)
	if deductionIDs(r) != "https-missing,identity-missing,error-entry-missing,search-missing" || r.Score != 100-2-5-2-2 {
		t.Errorf("deductions %v score %d", r.Deductions, r.Score)
	}
}

func TestAdminExposure(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.AdminExposed = true
	r, _ := inspect(t, spec)
	if !strings.Contains(deductionIDs(r), "admin-exposed") {
		t.Errorf("deductions %v", r.Deductions)
	}
	r, _ = inspect(t, spec, func(c *Config) { c.Checks = []string{FamilyIdentity} })
	if strings.Contains(deductionIDs(r), "admin-exposed") {
		t.Errorf("admin-exposure was not asked for: %v", r.Deductions)
	}
}

func TestPlainNavigationBar(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.PlainNav = true
	r, _ := inspect(t, spec)
	if len(r.Columns) != 6 || vetoes(r) != "" {
		t.Errorf("columns %d vetoes %v: an unmarked navigation bar is found by its shape", len(r.Columns), r.Vetoes)
	}
}

func TestChecksRestrictFamilies(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.HomeAgeDays = 30
	spec.Footer = fixturesite.Footer{Omit: true}
	for _, tc := range []struct {
		checks           []string
		vetoes, cuts     string
		probes, external bool
	}{
		{nil, "V2", "https-missing,identity-missing,error-entry-missing", true, true},
		{[]string{FamilyIdentity}, "", "identity-missing,error-entry-missing", false, false},
		{[]string{FamilyHomepage}, "V2", "", false, false},
	} {
		r, _ := inspect(t, spec, func(c *Config) { c.Checks = tc.checks })
		if vetoes(r) != tc.vetoes || deductionIDs(r) != tc.cuts || (r.Stats.Probes > 0) != tc.probes || (r.Stats.LinksChecked > 0) != tc.external {
			t.Errorf("checks %v: vetoes %q deductions %q probes %d checked %d", tc.checks, vetoes(r), deductionIDs(r), r.Stats.Probes, r.Stats.LinksChecked)
		}
	}
}

func TestColumnHints(t *testing.T) {
	spec := fixturesite.Default(testNow)
	spec.Columns = append(spec.Columns, fixturesite.Column{Name: "工作简报", AgeDays: 30, Items: 3})
	r, _ := inspect(t, spec)
	if c := columnNamed(r, "工作简报"); c.Kind != "other" || c.Stale {
		t.Fatalf("工作简报 %+v", c)
	}
	r, _ = inspect(t, spec, func(c *Config) { c.ColumnHints = map[string]string{"工作简报": "news"} })
	if c := columnNamed(r, "工作简报"); c.Kind != "news" || !c.Stale {
		t.Errorf("with a hint: %+v", c)
	}
}

// TestRunLeavesNoConnectionOpen: an inspection closes the connections it
// opened (the crawl's and the probes'), so a process that runs many (the
// benchmark, the tests) does not keep them, and their goroutines on both
// ends, for the idle timeout.
func TestRunLeavesNoConnectionOpen(t *testing.T) {
	srv := fixturesite.StartConnCounted(fixturesite.Handler(fixturesite.Default(testNow)))
	defer srv.Close()
	r := Run(context.Background(), Config{URL: mustURL(srv.URL + "/"), Now: testNow, Concurrency: 4, MaxPages: 50, Probes: 3})
	if r.Stats.Pages == 0 {
		t.Fatalf("nothing was crawled: %+v", r.Stats)
	}
	if n := srv.WaitClosed(5 * time.Second); n != 0 {
		t.Errorf("%d connections still open after the inspection", n)
	}
}
