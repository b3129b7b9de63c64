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
// report: a site whose homepage does not open is unjudged, not an error.
func Run(ctx context.Context, cfg Config) findings.Report {
	began := time.Now()
	cfg = cfg.withDefaults()
	site := crawl.NewSite(cfg.URL, cfg.HostHeader)
	fc := crawl.FetchConfig{Rate: cfg.Rate, PageTimeout: cfg.PageTimeout, Retries: cfg.Retries, Backoff: cfg.Backoff,
		Connections: cfg.Concurrency, UserAgent: cfg.UserAgent, Transport: cfg.Transport, Allow: cfg.AllowAddrs, Deny: cfg.DenyCIDRs}
	fetcher := crawl.NewFetcher(site, fc)
	defer fetcher.Close()
	fc.Retries = 0 // a probe is one attempt (V1)
	prober := crawl.NewFetcher(site, fc)
	defer prober.Close()

	o := &observation{today: today(cfg.Now), portal: cfg.Portal}
	probes := 0
	if cfg.runs(FamilyAvailability) {
		probes = max(cfg.Probes, 0)
	}
	// The first probe also finds the homepage: a root that only forwards
	// (HTTP redirect, meta refresh, window.location) is not judged, the
	// page it forwards to is (issue 16).
	home, forward := o.firstLook(ctx, prober, site, probes > 0)
	crawled := site
	if forward != nil && forward.Followed {
		crawled = crawl.NewSite(home, cfg.HostHeader)
	}
	col := newCollector(crawled, cfg.Profile, cfg.ColumnHints, cfg.Now)
	o.messages, o.security = &col.messages, &col.security
	crawlCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	res := crawl.Crawl(crawlCtx, crawled, fetcher, crawl.Config{Concurrency: cfg.Concurrency, MaxPages: cfg.MaxPages,
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
	r.Forwarded = forward
	r.Stats.Probes, r.Stats.ProbesFailed = o.probes, o.probesFailed
	j := &judgement{}
	if res.HomeOpened() {
		o.fill(cfg, crawled, col, res, &r)
		o.judge(cfg, j)
		scored := cfg.Profile.Score(j.vetoes, j.found)
		r.Vetoes, r.Deductions, r.Verdict, r.Score = nonNil(j.vetoes), scored.Deductions, scored.Verdict, scored.Score
	} else {
		// Nothing on the site can be judged, and one run's probes are no
		// V1 veto (the 7-day window is): no verdict (issue 16); the probes
		// stay as evidence for the window.
		checkAvailability(j, o, cfg.Profile.Warnings)
		r.Verdict, r.Unreachable = findings.Unjudged, homeFailure(res)
	}
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
		Stats: findings.Stats{Pages: res.Pages, Links: res.Links, LinksChecked: res.Checked, LinksRefused: res.Refused,
			BudgetExhausted: crawl.JoinBudgets(res.Budgets), ExternalLinks: ext}}
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
	col.dateItems(o.home.Items) // items the homepage shows undated, dated by their pages (V2)
	o.columns = col.reportColumns(o.today)
	r.Columns = o.columns
	id := o.home.Identity
	r.Identity = findings.Identity{Organizer: id.Organizer, Host: id.Host, SiteCode: id.SiteCode, ICP: id.ICP,
		PublicSecurity: id.PublicSecurity}
	if id.SiteCode != "" {
		r.Identity.SiteCodeFrom = "footer"
	} else if meta := o.home.Article.SiteIDCode; extract.ValidSiteCode(meta) && id.SiteCodeRaw == "" {
		// The national standard's SiteIDCode meta tag carries the code
		// where the footer does not (S4, issue 16).
		o.home.Identity.SiteCode, r.Identity.SiteCode, r.Identity.SiteCodeFrom = meta, meta, "meta"
	}
	o.channel = hasChannel(col, o.home, cfg.Profile)
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
		{FamilyColumns, func() { checkColumns(j, o, w); checkStateCouncilColumn(j, o) }},
		{FamilyInteraction, func() { checkInteraction(j, o) }},
		{FamilySecurity, func() { checkSecurity(j, o); checkAdvertising(j, o, cfg.Profile.AdHosts) }},
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
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxProbeBody)); err != nil || resp.StatusCode >= 400 {
		o.probesFailed++
	}
}

// maxProbeBody is what a probe reads of the homepage at most.
const maxProbeBody = 8 << 20

// maxForwards bounds a chain of forwarding pages.
const maxForwards = 3

// firstLook fetches the homepage (as the run's first probe when probe is
// set) and follows it while it only forwards: an HTTP redirect within the
// site, a <meta http-equiv="refresh"> or a window.location line on a page
// that shows little else (TRS and Hanweb sites forward / to
// /zwgk/index.shtml or /col/col123/index.html). It returns the page to
// judge and how the root forwarded to it (nil: it did not). A forward
// off the site's own domains is reported, not followed.
func (o *observation) firstLook(ctx context.Context, f *crawl.Fetcher, site *crawl.Site, probe bool) (*url.URL, *findings.Forward) {
	start := site.Start()
	u := start
	var fwd *findings.Forward
	for hop := 0; hop <= maxForwards; hop++ {
		resp, err := f.Get(ctx, u)
		first := hop == 0 && probe
		if first {
			o.probes++
		}
		if err != nil {
			if first {
				o.probesFailed++
			}
			break
		}
		final := resp.Request.URL
		var next *url.URL
		by := ""
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			if loc, err := resp.Location(); err == nil { // off the site: the client follows the site's own
				next, by = loc, "http-redirect"
			}
		case resp.StatusCode < 300 && site.Key(final) != site.Key(u):
			fwd = forwardTo(site, start, final, "http-redirect", true)
			u = site.Canonical(final)
		}
		if next == nil && resp.StatusCode < 300 {
			if body, ok := crawl.DecodedBody(resp.Response); ok {
				page, err := extract.Parse(body, final, extract.Options{SameSite: site.SameSite})
				if err == nil && page.Forward != nil {
					next, by = page.Forward, page.ForwardBy
				}
			}
		}
		if first {
			if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxProbeBody)); err != nil || resp.StatusCode >= 400 {
				o.probesFailed++
			}
		}
		resp.Close()
		if next == nil {
			break
		}
		if !site.SameSite(next) {
			fwd = forwardTo(site, start, next, by, false)
			break
		}
		if site.Key(next) == site.Key(u) || site.Key(next) == site.Key(start) {
			break // a page that forwards to itself
		}
		fwd = forwardTo(site, start, next, by, true)
		u = site.Canonical(next)
	}
	if fwd != nil && fwd.Followed {
		return u, fwd
	}
	return start, fwd
}

func forwardTo(site *crawl.Site, from, to *url.URL, by string, followed bool) *findings.Forward {
	return &findings.Forward{From: site.Public(from), To: site.Public(to), By: by, Followed: followed}
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
// home is never nil: a homepage that was not HTML is an empty page (the
// collector's own is nil then: issue 16's nil dereference).
func hasChannel(col *collector, home *extract.Page, p *scoring.Profile) bool {
	for _, c := range col.columns {
		if c.Kind == scoring.KindInteraction {
			return true
		}
	}
	for _, l := range home.Links {
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
			Pages: st.pages, NotReached: !st.reached, SubColumns: col.subColumns}
		if col.Parent > 0 {
			fc.Parent = c.columns[col.Parent-1].Name
		}
		if !st.latest.IsZero() {
			latest := st.latest
			fc.Latest = &latest
		}
		if st.items == 0 && st.messages == 0 {
			switch {
			case st.form:
				fc.Content = "form"
			case st.prose:
				fc.Content = "prose"
			}
		}
		if st.reached && col.subColumns == 0 { // a parent column is judged by its sub-columns
			// A consultation column lists messages; a page of prose (机构职能)
			// or a form (我要留言) is what the column is meant to hold.
			fc.Blank = st.items == 0 && st.messages == 0 && fc.Content == ""
			age := c.profile.MaxAge(col.Kind)
			fc.Stale = !fc.Blank && fc.Content == "" && col.Kind != scoring.KindInteraction && age != nil &&
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
