package inspector

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/test/fixturesite"
)

// inspectCMS serves a CMS fixture site (TRS- or Hanweb-built) and
// inspects it the way the command does.
func inspectCMS(t *testing.T, c fixturesite.CMS, tune ...func(*Config)) (findings.Report, *fixturesite.Server) {
	t.Helper()
	if c.Now.IsZero() {
		c.Now = testNow
	}
	site := fixturesite.StartCMS(c)
	t.Cleanup(site.Close)
	cfg := Config{URL: mustURL(site.URL + "/"), Now: testNow, Concurrency: 4, MaxPages: 500, MaxDepth: 5,
		Retries: 1, Backoff: 1, Probes: 3, External: ExternalCheck}
	for _, f := range tune {
		f(&cfg)
	}
	return Run(context.Background(), cfg), site
}

// TestCMSSites (issue 16): sites built the way TRS and Hanweb build them
// are read whole: the forwarding root is not judged, the page it
// forwards to is; lists paged only in script (TRS createPageHTML, Hanweb
// jpage) and held as data (Hanweb's datastore records) are counted to
// their end; undated items are dated by their articles' PubDate meta and
// 发布时间 line; the 政府信息公开 sub-columns of the left-hand navigation
// are columns; a prose page and a form are not blank; the site code is
// read from the SiteIDCode meta tag (S4).
func TestCMSSites(t *testing.T) {
	for _, tc := range []struct {
		kind, by, home string
	}{
		{"trs", "script", "/zwgk/index.shtml"},
		{"hanweb", "meta-refresh", "/col/col1/index.html"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			r, site := inspectCMS(t, fixturesite.CMS{Kind: tc.kind})
			if r.Verdict != findings.Pass || vetoes(r) != "" || deductionIDs(r) != "https-missing" {
				t.Errorf("verdict %s vetoes %v deductions %v", r.Verdict, r.Vetoes, r.Deductions)
			}
			f := r.Forwarded
			if f == nil || !f.Followed || f.By != tc.by || f.To != site.URL+tc.home || f.From != site.URL+"/" {
				t.Errorf("forwarded %+v: want / forwarded by %s to %s", f, tc.by, tc.home)
			}
			for _, want := range []struct {
				name        string
				items       int
				latest      string
				sub         int
				content     string
				parent      string
				blank, stal bool
			}{
				{name: "要闻动态", items: 55, latest: "2026-11-19"},                  // three pages, two named only in script
				{name: "通知公告", items: 8, latest: "2026-10-31"},                   // undated on the list, dated by the articles
				{name: "政府信息公开", sub: 4},                                         // a parent: judged by its sub-columns
				{name: "机构职能", content: "prose"},                                 // not blank
				{name: "我要留言", content: "form"},                                  // not blank
				{name: "领导信箱", items: 50, latest: "2026-11-18"},                  // messages on every page
				{name: "人事信息", items: 6, latest: "2026-08-12", parent: "政府信息公开"}, // a sub-column
			} {
				c := columnNamed(r, want.name)
				got := "-"
				if c.Latest != nil {
					got = c.Latest.Format("2006-01-02")
				}
				if want.latest == "" {
					want.latest = "-"
				}
				if c.Items != want.items || got != want.latest || c.SubColumns != want.sub || c.Content != want.content ||
					c.Parent != want.parent || c.Blank || c.Stale || c.NotReached {
					t.Errorf("%s: %+v (latest %s), want %+v", want.name, c, got, want)
				}
			}
			if len(r.Columns) != 10 {
				t.Errorf("%d columns, want 10 (6 in the top bar, 4 sub-columns)", len(r.Columns))
			}
			if r.Identity.SiteCode != "1201000002" || r.Identity.SiteCodeFrom != "meta" {
				t.Errorf("identity %+v: the site code is the SiteIDCode meta's", r.Identity)
			}
		})
	}
}

func TestCMSForwardByHTTPRedirect(t *testing.T) {
	r, site := inspectCMS(t, fixturesite.CMS{Kind: "hanweb", RootRedirect: true})
	if f := r.Forwarded; f == nil || f.By != "http-redirect" || f.To != site.URL+"/col/col1/index.html" || !f.Followed || vetoes(r) != "" {
		t.Errorf("forwarded %+v vetoes %v", r.Forwarded, r.Vetoes)
	}
}

// TestCMSVetoes fires each veto on the CMS sites at its threshold and
// not a step before: over the sub-columns (V3), on a message only a
// script page lists (V4), on faked dates and wrong names (V5).
func TestCMSVetoes(t *testing.T) {
	for _, kind := range []string{"trs", "hanweb"} {
		for _, tc := range []struct {
			name     string
			cms      fixturesite.CMS
			vetoes   string
			warnings string
			reason   string
		}{
			{"V3(b): 9 stale sub-columns", fixturesite.CMS{StaleSubColumns: 9}, "", "V3-stale-columns", ""},
			{"V3(b): 10 stale sub-columns", fixturesite.CMS{StaleSubColumns: 10}, "V3", "", "10 columns that must be updated are stale"},
			{"V3(c): 4 blank sub-columns", fixturesite.CMS{BlankSubColumns: 4}, "", "V3-blank-columns", ""},
			{"V3(c): 5 blank sub-columns", fixturesite.CMS{BlankSubColumns: 5}, "V3", "", "5 blank columns"},
			{"V4: unanswered 4 months, on the list's last page", fixturesite.CMS{LateUnanswered: true}, "V4", "reply-waiting", "关于第50个问题的咨询"},
			{"V5: publish date 1 day after Last-Modified", fixturesite.CMS{FakedDays: 1}, "", "", ""},
			{"V5: publish date 2 days after Last-Modified", fixturesite.CMS{FakedDays: 2}, "V5", "", "the server says the page was last modified"},
			{"V5: a wrong office name", fixturesite.CMS{WrongName: true}, "V5", "", "人力资源与社会保障"},
		} {
			t.Run(kind+": "+tc.name, func(t *testing.T) {
				tc.cms.Kind = kind
				r, _ := inspectCMS(t, tc.cms)
				if vetoes(r) != tc.vetoes || warningIDs(r) != tc.warnings {
					t.Errorf("vetoes %q warnings %q, want %q %q\n%v\n%v", vetoes(r), warningIDs(r), tc.vetoes, tc.warnings, r.Vetoes, r.Warnings)
				}
				if tc.reason != "" && (len(r.Vetoes) == 0 || !strings.Contains(r.Vetoes[0].Reason, tc.reason)) {
					t.Errorf("vetoes %v: want the reason to say %q", r.Vetoes, tc.reason)
				}
			})
		}
	}
}

// TestScriptPagersAreBounded: a createPageHTML pager claiming 100,000
// pages is followed as far as the page budget, not further.
func TestScriptPagersAreBounded(t *testing.T) {
	pages := map[string]string{}
	for n := 0; n < 400; n++ {
		name := "/list/index.html"
		if n > 0 {
			name = fmt.Sprintf("/list/index_%d.html", n)
		}
		pages[name] = fmt.Sprintf(`<div class="nav"><a href="/list/index.html">工作动态</a></div><ul><li><a href="/a%d.html">第%d条工作动态消息</a> 2026-11-1%d</li></ul>`+
			`<script>var countPage = 100000; createPageHTML(countPage, %d, "index", "html");</script>`, n, n, n%10, n)
	}
	pages["/"] = `<div class="nav"><a href="/list/index.html">工作动态</a></div>`
	r := runOn(t, mapHandler(pages), func(c *Config) { c.MaxPages = 100; c.Checks = []string{FamilyColumns} })
	if r.Stats.Pages > 100 || !strings.Contains(r.Stats.BudgetExhausted, "pages") {
		t.Errorf("pages %d budget %q", r.Stats.Pages, r.Stats.BudgetExhausted)
	}
	if c := columnNamed(r, "工作动态"); c.Pages < 50 || c.Pages > 100 {
		t.Errorf("工作动态 %+v: its pager followed within the budget", c)
	}
}
