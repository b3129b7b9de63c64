package inspector

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"sitegroup.io/operator/internal/inspector/crawl"
	"sitegroup.io/operator/internal/inspector/extract"
	"sitegroup.io/operator/internal/inspector/scoring"
)

// collector is the crawl's visitor: it reads each page and keeps a small
// summary of it (never the body or the tree), so memory grows with the
// number of pages only, and the page budget bounds that.
type collector struct {
	site    *crawl.Site
	profile *scoring.Profile
	hints   map[string]string
	now     time.Time

	mu       sync.Mutex
	opt      extract.Options
	home     *extract.Page
	columns  []*column
	pages    map[string]*pageSummary
	messages messageLog
	security securityLog
	admin    []string // admin pages with a login form (S7)
}

// column is a homepage column (栏目) and, after the crawl, what its list
// pages held.
type column struct {
	Name string
	URL  *url.URL // canonical
	Kind string
}

// pageSummary is what the checks need of one page.
type pageSummary struct {
	tag         int // 1 + the column the page was reached from; 0 for none
	items       int
	messages    int
	latest      time.Time
	placeholder bool
	next        string // canonical key of the 下一页 page
}

func newCollector(site *crawl.Site, p *scoring.Profile, hints map[string]string, now time.Time) *collector {
	return &collector{site: site, profile: p, hints: hints, now: now, pages: map[string]*pageSummary{},
		opt: extract.Options{SameSite: site.SameSite, BlankMarkers: p.BlankMarkers, Cache: extract.NewResolveCache(), Key: site.Key,
			GamblingWords: p.GamblingWords, DefacementPhrases: p.DefacementPhrases},
		messages: messageLog{seen: map[string]bool{}}}
}

// visit reads one page (called by several crawl workers at once) and
// appends its links to out.
func (c *collector) visit(p crawl.Page, out []crawl.Out) []crawl.Out {
	c.mu.Lock()
	opt := c.opt
	full := c.needsTree(p)
	c.mu.Unlock()
	opt.Identity = p.Depth == 0 // S4 is read on the homepage
	read := extract.Scan
	if full {
		read = extract.Parse
	}
	page, err := read(p.Body, p.Final, opt)
	if err != nil {
		return out
	}
	var tags map[string]int
	if p.Depth == 0 {
		tags = c.readHome(page)
	}
	c.keep(p, page, full)
	out = c.outs(out, p, page, tags)
	if !full {
		extract.Release(page) // its links are in out now; the next Scan reuses them
	}
	return out
}

// needsTree says a page is read in full (its tree: items, navigation,
// messages): the homepage, a column's list and its pager chain, the pages
// of a consultation channel and pages reached from no column. The bulk of
// a site, its articles, only needs links and text: extract.Scan, several
// times cheaper (under c.mu).
func (c *collector) needsTree(p crawl.Page) bool {
	if p.Depth == 0 || p.Tag == 0 || p.Pager {
		return true
	}
	col := c.columns[p.Tag-1]
	return col.Kind == scoring.KindInteraction || col.URL.String() == p.URL.String()
}

// readHome takes the columns from the homepage's navigation, plus any
// homepage link to a consultation channel (V4), and tags their links so
// the pages under them are known to belong to them.
func (c *collector) readHome(page *extract.Page) map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.home = page
	tags := map[string]int{}
	names := map[string]bool{}
	add := func(l extract.Link, kind string) {
		u := c.site.Canonical(l.URL)
		key := u.String()
		if _, dup := tags[key]; dup || names[l.Text] || !c.site.SameSite(u) || isHomeLink(l.Text, u, c.site) {
			return
		}
		c.columns = append(c.columns, &column{Name: l.Text, URL: u, Kind: kind})
		tags[key] = len(c.columns)
		names[l.Text] = true
	}
	for _, l := range page.Nav {
		add(l, c.kindOf(l.Text))
	}
	for _, l := range page.Links {
		if l.Kind == extract.Anchor && c.profile.GuessKind(l.Text) == scoring.KindInteraction {
			add(l, scoring.KindInteraction)
		}
	}
	c.opt.ColumnNames = names
	return tags
}

func isHomeLink(text string, u *url.URL, site *crawl.Site) bool {
	t := strings.TrimSpace(text)
	return u.String() == site.Start().String() || t == "首页" || t == "网站首页" || t == "返回首页" || strings.EqualFold(t, "home")
}

// kindOf is a column's kind: the site's hint, else the guess from its name.
func (c *collector) kindOf(name string) string {
	if k, ok := c.hints[name]; ok {
		return k
	}
	return c.profile.GuessKind(name)
}

// keep stores the page's summary and adds what it shows to the logs.
// Only pages read in full get a summary: the column checks follow list
// pages only, and an article's summary would be memory for nothing.
func (c *collector) keep(p crawl.Page, page *extract.Page, full bool) {
	var s *pageSummary
	if full {
		s = &pageSummary{tag: p.Tag, items: len(page.Items), messages: len(page.Messages), placeholder: page.Placeholder}
		for _, it := range page.Items {
			if it.Date.After(s.latest) {
				s.latest = it.Date
			}
		}
		if page.Next != nil {
			s.next = c.site.Key(page.Next)
		}
	}
	where := func() string { return c.site.Public(p.URL) }
	c.mu.Lock()
	defer c.mu.Unlock()
	if s != nil {
		c.pages[p.URL.String()] = s
	}
	if c.countsMessages(p.Tag) {
		c.messages.add(page.Messages)
	}
	c.security.add(where, page, c.today())
	if page.PasswordForm && looksAdmin(p.URL) {
		c.admin = append(c.admin, where())
	}
}

// countsMessages: messages count on consultation channels' pages and on
// pages reached from no column (the homepage's own blocks); not under
// interviews, surveys, petitions or discipline reports (V4 excludes them).
func (c *collector) countsMessages(tag int) bool {
	return tag == 0 || c.columns[tag-1].Kind == scoring.KindInteraction
}

var adminWords = []string{"admin", "manage", "login", "houtai", "system", "cms"}

func looksAdmin(u *url.URL) bool { return containsAny(strings.ToLower(u.Path), adminWords) }

// outs appends the page's links to out as the crawl's: the pager first
// (so it is followed at the same depth), column links tagged from the
// homepage, others inheriting the page's column.
func (c *collector) outs(out []crawl.Out, p crawl.Page, page *extract.Page, tags map[string]int) []crawl.Out {
	if page.Next != nil {
		out = append(out, crawl.Out{URL: page.Next, Next: true, Tag: p.Tag})
	}
	for _, l := range page.Links {
		// Pager links (尾页, page numbers) lead to the same list: its depth, its tree.
		o := crawl.Out{URL: l.URL, Key: l.Key, Kind: crawl.PageLink, Tag: p.Tag, Next: l.Pager}
		if l.Kind != extract.Anchor {
			o.Kind = crawl.ResourceLink
		}
		if len(tags) > 0 { // the homepage's column links
			if t, ok := tags[l.Key]; ok {
				o.Tag = t
			}
		}
		out = append(out, o)
	}
	return out
}

func (c *collector) today() time.Time { return today(c.now) }

// columnStats follows a column's pager (下一页) chain through the pages
// the crawl reached and adds up its items.
type columnStats struct {
	reached     bool
	pages       int
	items       int
	messages    int
	latest      time.Time
	placeholder bool
}

// maxChain bounds a pager chain (a loop, or a pager that never ends).
const maxChain = 10000

func (c *collector) statsOf(col *column) columnStats {
	var st columnStats
	seen := map[string]bool{}
	for key := col.URL.String(); key != "" && !seen[key] && len(seen) < maxChain; {
		seen[key] = true
		s, ok := c.pages[key]
		if !ok {
			break
		}
		st.reached = true
		st.pages++
		st.items += s.items
		st.messages += s.messages
		st.placeholder = st.placeholder || s.placeholder
		if s.latest.After(st.latest) {
			st.latest = s.latest
		}
		key = s.next
	}
	return st
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
