package inspector

import (
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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

	// trees bounds the pages read into a tree at once (treeSlots).
	trees chan struct{}

	mu       sync.Mutex
	opt      extract.Options
	home     *extract.Page
	columns  []*column
	colByKey map[string]int // a column's canonical URL → its tag (1 + index)
	pages    map[string]*pageSummary
	// pubDates are the publish dates article pages show (PubDate meta,
	// 发布时间 line), by canonical URL: an item its list shows undated is
	// dated by its page (V2, V3). One entry per page: the page budget
	// bounds it.
	pubDates map[string]time.Time
	messages messageLog
	security securityLog
	admin    []string // admin pages with a login form (S7)
}

// column is a column (栏目) of the homepage's navigation, or a
// sub-column of a column page's own (left-hand) navigation, and, after
// the crawl, what its list pages held.
type column struct {
	Name string
	URL  *url.URL // canonical
	Kind string
	// Parent is the tag of the column whose page listed it (0: the homepage's).
	Parent int
	// subColumns counts the columns its page listed (a parent column is
	// judged by them, not as a list of its own).
	subColumns int
}

// maxColumns bounds the columns a site may have (sub-columns included).
const maxColumns = 500

// pageSummary is what the checks need of one page.
type pageSummary struct {
	tag         int // 1 + the column the page was reached from; 0 for none
	items       int
	messages    int
	latest      time.Time
	placeholder bool
	prose, form bool
	next        string   // canonical key of the 下一页 page
	more        []string // canonical keys of the list's script pages (jpage)
	// undated are the canonical URLs of the items the list shows without
	// a date (at most maxUndatedKept): their pages may date them.
	undated []string
}

// maxUndatedKept bounds the undated items a list page remembers.
const maxUndatedKept = 200

func newCollector(site *crawl.Site, p *scoring.Profile, hints map[string]string, now time.Time) *collector {
	return &collector{site: site, profile: p, hints: hints, now: now, pages: map[string]*pageSummary{}, trees: make(chan struct{}, treeSlots),
		colByKey: map[string]int{}, pubDates: map[string]time.Time{},
		opt: extract.Options{SameSite: site.SameSite, BlankMarkers: p.BlankMarkers, Cache: extract.NewResolveCache(), Key: site.Key,
			GamblingWords: p.GamblingWords, DefacementPhrases: p.DefacementPhrases, WrongWords: p.WrongWords()},
		messages: messageLog{seen: map[string]bool{}}, security: securityLog{profile: p}}
}

// treeSlots is how many pages are read into a tree at once, whatever the
// crawl's concurrency: a tree costs ten to twenty times its page (up to
// 512 KiB of it), and list pages are a few of a site's pages; the other
// workers stream theirs meanwhile.
const treeSlots = 2

// visit reads one page (called by several crawl workers at once) and
// appends its links to out.
func (c *collector) visit(p crawl.Page, out []crawl.Out) []crawl.Out {
	c.mu.Lock()
	opt := c.opt
	mode := c.readMode(p)
	c.mu.Unlock()
	opt.Identity = p.Depth == 0 // S4 is read on the homepage
	var page *extract.Page
	var err error
	full := mode == readTree
	switch mode {
	case readTree:
		c.trees <- struct{}{} // issue 16: trees are bounded in size and in number
		page, err = extract.Parse(p.Body, p.Final, opt)
		<-c.trees
	case readScanOrTree:
		page, full, err = extract.ScanOrParse(p.Body, p.Final, opt)
	default:
		page, err = extract.Scan(p.Body, p.Final, opt)
	}
	if err != nil {
		return out
	}
	switch {
	case p.Depth == 0:
		c.readHome(page)
	case full:
		c.readSubColumns(p, page)
	}
	c.keep(p, page, full)
	out = c.outs(out, p, page, full)
	if !full {
		extract.Release(page) // its links are in out now; the next Scan reuses them
	}
	return out
}

// readMode says how a page is read: in full (its tree: items, navigation,
// messages) for the homepage, a column's list and its pager chain and
// the pages of a consultation channel; for pages reached from no column,
// streamed, and again as a tree only when they show messages. The bulk
// of a site, its articles, only needs links and text: extract.Scan,
// several times cheaper (under c.mu).
func (c *collector) readMode(p crawl.Page) int {
	switch {
	case p.Depth == 0 || p.Pager:
		return readTree
	case p.Tag == 0:
		// Reached from no column: a tree only when it shows messages
		// (the homepage's own blocks may lead to a consultation's).
		return readScanOrTree
	}
	col := c.columns[p.Tag-1]
	if col.Kind == scoring.KindInteraction || col.URL.String() == p.URL.String() {
		return readTree
	}
	return readScan
}

// How a page is read (readMode).
const (
	readScan = iota
	readTree
	readScanOrTree
)

// readHome takes the columns from the homepage's navigation, plus any
// homepage link to a consultation channel (V4), and tags their links so
// the pages under them are known to belong to them.
func (c *collector) readHome(page *extract.Page) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.home = page
	names := map[string]bool{}
	for _, l := range page.Nav {
		if c.addColumn(l, c.kindOf(l.Text), 0) {
			names[l.Text] = true
		}
	}
	for _, l := range page.Links {
		if l.Kind == extract.Anchor && c.profile.GuessKind(l.Text) == scoring.KindInteraction && c.addColumn(l, scoring.KindInteraction, 0) {
			names[l.Text] = true
		}
	}
	c.opt.ColumnNames = names
}

// addColumn adds a column unless it is known (by URL or name), off the
// site, the homepage, or one too many (under c.mu).
func (c *collector) addColumn(l extract.Link, kind string, parent int) bool {
	u := c.site.Canonical(l.URL)
	key := u.String()
	if _, dup := c.colByKey[key]; dup || c.opt.ColumnNames[l.Text] || c.hasName(l.Text) || !c.site.SameSite(u) ||
		isHomeLink(l.Text, u, c.site) || len(c.columns) >= maxColumns {
		return false
	}
	c.columns = append(c.columns, &column{Name: l.Text, URL: u, Kind: kind, Parent: parent})
	c.colByKey[key] = len(c.columns)
	return true
}

func (c *collector) hasName(name string) bool {
	for _, col := range c.columns {
		if col.Name == name {
			return true
		}
	}
	return false
}

// readSubColumns: a column's own page lists its sub-columns in a
// second-level (left-hand) navigation the homepage's bar never shows
// (政府信息公开's 机构职能, 政策文件, …): they are columns too, and V3
// counts over all of them (issue 16). Only a column's own page is read
// for them, not its articles.
func (c *collector) readSubColumns(p crawl.Page, page *extract.Page) {
	if p.Tag == 0 || len(page.Nav) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	parent := c.columns[p.Tag-1]
	if parent.URL.String() != p.URL.String() {
		return // a later page of its list, or an article read in full
	}
	for _, l := range page.Nav {
		if runes(l.Text) > maxColumnNameRunes || l.Kind != extract.Anchor {
			continue
		}
		if c.addColumn(l, c.kindOf(l.Text), p.Tag) {
			parent.subColumns++
		}
	}
}

// maxColumnNameRunes: longer navigation texts are not column names.
const maxColumnNameRunes = 16

func runes(s string) int { return utf8.RuneCountInString(s) }

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
		s = &pageSummary{tag: p.Tag, items: len(page.Items), messages: len(page.Messages), placeholder: page.Placeholder,
			prose: page.Prose, form: page.Form}
		for _, it := range page.Items {
			if it.Date.After(s.latest) {
				s.latest = it.Date
			}
			if !it.Dated() && it.URL != "" && len(s.undated) < maxUndatedKept {
				if u, err := url.Parse(it.URL); err == nil {
					s.undated = append(s.undated, c.site.Key(u))
				}
			}
		}
		if page.Next != nil {
			s.next = c.site.Key(page.Next)
		}
		for _, u := range page.ScriptPages {
			s.more = append(s.more, c.site.Key(u))
		}
	}
	where := func() string { return c.site.Public(p.URL) }
	c.mu.Lock()
	defer c.mu.Unlock()
	if s != nil {
		c.pages[p.URL.String()] = s
	}
	if !page.PubDate.IsZero() {
		c.pubDates[p.URL.String()] = page.PubDate
		c.security.fakedDate(where, page, p.LastModified, c.today())
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
// (so it is followed at the same depth), then the pages only script
// names (TRS's pager is Next; Hanweb's jpage requests), column links
// tagged with their column (on the pages read in full: the homepage and
// the column pages that list them), others inheriting the page's column.
func (c *collector) outs(out []crawl.Out, p crawl.Page, page *extract.Page, full bool) []crawl.Out {
	if page.Next != nil {
		out = append(out, crawl.Out{URL: page.Next, Next: true, Tag: p.Tag})
	}
	for _, u := range page.ScriptPages {
		out = append(out, crawl.Out{URL: u, Next: true, Tag: p.Tag})
	}
	if full {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	for _, l := range page.Links {
		// Pager links (尾页, page numbers) lead to the same list: its depth, its tree.
		o := crawl.Out{URL: l.URL, Key: l.Key, Kind: crawl.PageLink, Tag: p.Tag, Next: l.Pager}
		if l.Kind != extract.Anchor {
			o.Kind = crawl.ResourceLink
		}
		if full && l.Key != "" {
			if t, ok := c.colByKey[l.Key]; ok {
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
	prose, form bool
}

// maxChain bounds a pager chain (a loop, or a pager that never ends).
const maxChain = 10000

// statsOf follows a column's list from its page: the 下一页 chain and
// the pages only script names, as far as the crawl reached them. An item
// the list shows undated is dated by its own page's publish date.
func (c *collector) statsOf(col *column) columnStats {
	var st columnStats
	seen := map[string]bool{}
	queue := []string{col.URL.String()}
	for len(queue) > 0 && len(seen) < maxChain {
		key := queue[0]
		queue = queue[1:]
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		s, ok := c.pages[key]
		if !ok {
			continue
		}
		st.reached = true
		st.pages++
		st.items += s.items
		st.messages += s.messages
		st.placeholder = st.placeholder || s.placeholder
		st.prose, st.form = st.prose || s.prose, st.form || s.form
		if s.latest.After(st.latest) {
			st.latest = s.latest
		}
		for _, u := range s.undated {
			if d := c.pubDates[u]; d.After(st.latest) {
				st.latest = d
			}
		}
		queue = append(append(queue, s.next), s.more...)
	}
	return st
}

// dateItems dates the items a page shows undated from their own pages
// (V2 reads the homepage's).
func (c *collector) dateItems(items []extract.Item) {
	for i, it := range items {
		if it.Dated() || it.URL == "" {
			continue
		}
		if u, err := url.Parse(it.URL); err == nil {
			items[i].Date = c.pubDates[c.site.Key(u)]
		}
	}
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
