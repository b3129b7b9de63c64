package inspector

import (
	"context"
	"io"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector/crawl"
	"sitegroup.io/operator/internal/inspector/extract"
	"sitegroup.io/operator/internal/inspector/scoring"
)

// maxDeadLinks bounds the report's list of dead links (the count is kept).
const maxDeadLinks = 1000

// postCrawlBudget bounds the probes and admin checks after the crawl, so
// the run ends well within the Job's deadline (the crawl's timeout + 2 min).
const postCrawlBudget = 45 * time.Second

// Run inspects one site and reports what it found. It always returns a
// report: a site that cannot be reached fails V1, it is not an error.
func Run(ctx context.Context, cfg Config) findings.Report {
	began := time.Now()
	cfg = cfg.withDefaults()
	site := crawl.NewSite(cfg.URL, cfg.HostHeader)
	fc := crawl.FetchConfig{Rate: cfg.Rate, PageTimeout: cfg.PageTimeout, Retries: cfg.Retries, Backoff: cfg.Backoff,
		Connections: cfg.Concurrency, UserAgent: cfg.UserAgent, Transport: cfg.Transport}
	fetcher := crawl.NewFetcher(site, fc)
	defer fetcher.Close()
	fc.Retries = 0 // a probe is one attempt (V1)
	prober := crawl.NewFetcher(site, fc)
	defer prober.Close()

	col := newCollector(site, cfg.Profile, cfg.ColumnHints, cfg.Now)
	o := &observation{today: today(cfg.Now), messages: &col.messages, security: &col.security}
	probes := 0
	if cfg.runs(FamilyAvailability) {
		probes = max(cfg.Probes, 0)
		if probes > 0 {
			o.probe(ctx, prober, site.Start())
		}
	}
	crawlCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	res := crawl.Crawl(crawlCtx, site, fetcher, crawl.Config{Concurrency: cfg.Concurrency, MaxPages: cfg.MaxPages,
		MaxDepth: cfg.MaxDepth, MaxLinks: cfg.MaxLinks, CheckLinks: cfg.runs(FamilyDeadLinks),
		CheckExternal: cfg.checkExternal()}, col.visit)
	cancel()

	post, cancelPost := context.WithTimeout(ctx, postCrawlBudget)
	defer cancelPost()
	for o.probes < probes && post.Err() == nil {
		o.probe(post, prober, site.Start()) // spaced by the crawl itself: no sleeping
	}
	if cfg.runs(FamilyAdminExposure) && res.HomeOpened() {
		col.admin = append(col.admin, probeAdmin(post, prober, site, cfg.Profile.AdminPaths, cfg.Concurrency)...)
	}

	r := newReport(cfg, res)
	r.Stats.Probes, r.Stats.ProbesFailed = o.probes, o.probesFailed
	j := &judgement{}
	if !res.HomeOpened() {
		// Nothing else can be judged: V1 whatever the probes said.
		o.homeErr = homeFailure(res)
		if len(o.vetoes(cfg, j)) == 0 {
			j.veto("V1", "site unreachable: the homepage did not open (%s)", o.homeErr)
		} else {
			j.vetoes[0].Reason += "; the crawl could not open it either: " + o.homeErr
		}
	} else {
		o.fill(cfg, site, col, res, &r)
		o.judge(cfg, j)
	}
	scored := cfg.Profile.Score(j.vetoes, j.found)
	r.Vetoes, r.Deductions, r.Verdict, r.Score = nonNil(j.vetoes), scored.Deductions, scored.Verdict, scored.Score
	r.Warnings = nonNil(j.warnings)
	r.Stats.Requests = fetcher.Requests() + prober.Requests()
	r.Stats.DurationSeconds = time.Since(began).Round(time.Millisecond).Seconds()
	return r
}

func newReport(cfg Config, res crawl.Result) findings.Report {
	ext := "checked"
	if !cfg.checkExternal() {
		ext = "skipped"
	}
	if !cfg.runs(FamilyDeadLinks) {
		ext = ""
	}
	return findings.Report{URL: cfg.URL.String(), Now: cfg.Now, Profile: cfg.Profile.ID(),
		Vetoes: []findings.Veto{}, Deductions: []findings.Deduction{}, DeadLinks: []findings.DeadLink{},
		Columns: []findings.Column{}, Warnings: []findings.Warning{},
		Stats: findings.Stats{Pages: res.Pages, Links: res.Links, LinksChecked: res.Checked,
			BudgetExhausted: crawl.JoinBudgets(res.Budgets), ExternalLinks: ext}}
}

// vetoes runs V1 alone (the homepage did not open).
func (o *observation) vetoes(cfg Config, j *judgement) []findings.Veto {
	checkAvailability(j, o, cfg.Profile.Warnings)
	return j.vetoes
}

func homeFailure(res crawl.Result) string {
	switch {
	case res.HomeErr != nil:
		return res.HomeErr.Error()
	case res.HomeStatus >= 400:
		return "HTTP " + strconv.Itoa(res.HomeStatus)
	}
	return "no HTML page"
}

// fill reduces the crawl to what the checks read, and the report's lists.
func (o *observation) fill(cfg Config, site *crawl.Site, col *collector, res crawl.Result, r *findings.Report) {
	o.home = col.home
	if o.home == nil {
		o.home = &extract.Page{} // the homepage was not HTML
	}
	o.columns = col.reportColumns(o.today)
	r.Columns = o.columns
	id := o.home.Identity
	r.Identity = findings.Identity{Organizer: id.Organizer, Host: id.Host, SiteCode: id.SiteCode, ICP: id.ICP,
		PublicSecurity: id.PublicSecurity}
	o.channel = hasChannel(col, cfg.Profile)
	o.admin = col.admin
	o.https = httpsOf(cfg)
	for _, d := range res.Dead {
		if len(o.dead) == maxDeadLinks {
			r.Stats.DeadLinksOmitted++
			continue
		}
		dl := findings.DeadLink{URL: site.Public(d.URL), Status: d.Status, Homepage: d.Homepage}
		if d.FoundOn != nil {
			dl.FoundOn = site.Public(d.FoundOn)
		}
		o.dead = append(o.dead, dl)
	}
	r.DeadLinks = nonNil(o.dead)
}

// judge runs the families asked for.
func (o *observation) judge(cfg Config, j *judgement) {
	w := cfg.Profile.Warnings
	for _, f := range []struct {
		family string
		check  func()
	}{
		{FamilyAvailability, func() { checkAvailability(j, o, w) }},
		{FamilyHomepage, func() { checkHomepage(j, o, w) }},
		{FamilyColumns, func() { checkColumns(j, o, w) }},
		{FamilyInteraction, func() { checkInteraction(j, o) }},
		{FamilySecurity, func() { checkSecurity(j, o) }},
		{FamilyDeadLinks, func() { checkDeadLinks(j, o) }},
		{FamilyIdentity, func() { checkIdentity(j, o) }},
		{FamilyAdminExposure, func() { checkAdmin(j, o) }},
	} {
		if cfg.runs(f.family) {
			f.check()
		}
	}
	sort.SliceStable(j.vetoes, func(a, b int) bool { return j.vetoes[a].ID < j.vetoes[b].ID })
}

// probe fetches the homepage once: it fails when it has not opened
// (status, whole body) within the page timeout (V1: 15 s).
func (o *observation) probe(ctx context.Context, f *crawl.Fetcher, home *url.URL) {
	o.probes++
	resp, err := f.Get(ctx, home)
	if err != nil {
		o.probesFailed++
		return
	}
	defer resp.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 8<<20)); err != nil || resp.StatusCode >= 400 {
		o.probesFailed++
	}
}

// probeAdmin asks the site for the usual admin paths: a login form there
// means the back office is exposed (S7). The paths are asked at once (at
// most the crawl's concurrency; the fetcher's rate limit still holds):
// one after the other they would add a round trip each to the run.
func probeAdmin(ctx context.Context, f *crawl.Fetcher, site *crawl.Site, paths []string, concurrency int) []string {
	var targets []*url.URL
	for _, p := range paths {
		if ref, err := url.Parse(p); err == nil {
			targets = append(targets, site.Start().ResolveReference(ref))
		}
	}
	exposed := make([]bool, len(targets))
	slots := make(chan struct{}, max(concurrency, 1))
	var wg sync.WaitGroup
	for i, u := range targets {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			exposed[i] = hasLoginForm(ctx, f, u)
		}()
	}
	wg.Wait()
	var out []string // in the profile's order, whichever answered first
	for i, u := range targets {
		if exposed[i] {
			out = append(out, site.Public(u))
		}
	}
	return out
}

// hasLoginForm says u answers 200 with a password field.
func hasLoginForm(ctx context.Context, f *crawl.Fetcher, u *url.URL) bool {
	if ctx.Err() != nil {
		return false
	}
	resp, err := f.Get(ctx, u)
	if err != nil {
		return false
	}
	defer resp.Close()
	if resp.StatusCode != 200 {
		return false
	}
	page, err := extract.Parse(resp.Body, resp.Request.URL, extract.Options{})
	return err == nil && page.PasswordForm
}

// hasChannel says the site has a consultation channel: a column of that
// kind, or any homepage link to one (a 市长信箱 on another platform counts).
func hasChannel(col *collector, p *scoring.Profile) bool {
	for _, c := range col.columns {
		if c.Kind == scoring.KindInteraction {
			return true
		}
	}
	for _, l := range col.home.Links {
		if l.Kind == extract.Anchor && p.GuessKind(l.Text) == scoring.KindInteraction {
			return true
		}
	}
	return false
}

func httpsOf(cfg Config) httpsState {
	switch {
	case cfg.URL.Scheme == "https":
		return httpsServed
	case cfg.HostHeader != "":
		return httpsUnknown
	}
	return httpsMissing
}

// reportColumns judges each column from its list pages: blank (no items,
// 暂无信息 and the like are not items) or stale (newest item older than
// its kind allows; no dated item at all counts as stale).
func (c *collector) reportColumns(today time.Time) []findings.Column {
	out := []findings.Column{}
	for _, col := range c.columns {
		st := c.statsOf(col)
		fc := findings.Column{Name: col.Name, URL: c.site.Public(col.URL), Kind: col.Kind, Items: st.items,
			Pages: st.pages, NotReached: !st.reached}
		if !st.latest.IsZero() {
			latest := st.latest
			fc.Latest = &latest
		}
		if st.reached {
			fc.Blank = st.items == 0 && st.messages == 0 // a consultation column lists messages
			age := c.profile.MaxAge(col.Kind)
			fc.Stale = !fc.Blank && col.Kind != scoring.KindInteraction && age != nil &&
				(st.latest.IsZero() || st.latest.Before(age.Before(today)))
		}
		out = append(out, fc)
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
