package crawl

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// Config bounds a crawl.
type Config struct {
	Fetch       FetchConfig
	Concurrency int
	MaxPages    int // pages fetched and parsed
	MaxDepth    int // link hops from the homepage (pager links do not count)
	MaxLinks    int // links checked (resources, external links, pages past the depth)
	// CheckLinks checks links that are not crawled; CheckExternal also
	// those to other sites (off where the network allows only the site).
	CheckLinks    bool
	CheckExternal bool
}

// Kind says what the crawler does with a link.
type Kind int

const (
	// PageLink is a link to a page: the site's own are crawled.
	PageLink Kind = iota
	// ResourceLink is an image or attachment: only checked.
	ResourceLink
)

// Out is a link a visitor found on a page.
type Out struct {
	URL  *url.URL
	Kind Kind
	// Next marks a pager link (下一页): the list goes on at the same depth.
	Next bool
	// Tag is the visitor's own mark, handed back with the page it leads to.
	Tag int
	// Key is Site.Key(URL) when the visitor already has it (cached for
	// links every page repeats); computed here when empty.
	Key string
}

// Page is a fetched HTML page, its body decoded to UTF-8.
type Page struct {
	URL   *url.URL // the canonical URL requested
	Final *url.URL // after redirects
	Depth int
	Tag   int
	// Pager says the page was reached by a pager link (下一页): the rest
	// of a list.
	Pager bool
	Body  io.Reader
	// LastModified is the server's Last-Modified for the page (zero when
	// it sends none): a publish date later than it is faked (V5).
	LastModified time.Time
}

// Visitor reads a page and appends its links to outs, which it returns.
// outs is the calling worker's buffer, reused from page to page (a crawl
// reads thousands), so a visitor must not keep it. It is called from
// several goroutines at once and must read Body before it returns.
type Visitor func(p Page, outs []Out) []Out

// Dead is a link that did not open.
type Dead struct {
	URL      *url.URL
	Status   int    // 0 when there was no response
	Err      string // the error when there was no response
	FoundOn  *url.URL
	Homepage bool // found on the homepage (counted apart)
}

// Budgets that can run out.
const (
	BudgetPages = "pages"
	BudgetDepth = "depth"
	BudgetLinks = "links"
	BudgetTime  = "time"
)

// Result is what the crawl saw.
type Result struct {
	Pages   int // pages fetched and parsed
	Links   int // distinct URLs found (pages, resources, external links)
	Checked int // links checked without being crawled
	// Refused counts links the address guard refused (loopback,
	// link-local, the cluster's ranges): neither checked nor dead.
	Refused  int
	Requests int
	Dead     []Dead
	// Budgets lists the budgets that ran out, in a fixed order.
	Budgets []string
	// HomeStatus and HomeErr tell how the homepage answered: the crawl
	// stops there when it did not open.
	HomeStatus int
	HomeErr    error
	Duration   time.Duration
}

// HomeOpened says the homepage opened.
func (r Result) HomeOpened() bool { return r.HomeErr == nil && r.HomeStatus > 0 && r.HomeStatus < 400 }

// Crawl fetches the site from its homepage until the frontier is empty or
// a budget runs out (ctx's deadline is the time budget).
func Crawl(ctx context.Context, site *Site, f *Fetcher, cfg Config, visit Visitor) Result {
	began := time.Now()
	c := &crawler{site: site, f: f, cfg: cfg, visit: visit, links: map[string]*link{},
		home: site.Start().String(), budgets: map[string]bool{}}
	c.cond = sync.NewCond(&c.mu)
	c.links[c.home] = &link{url: site.Start()}
	c.admitted = 1
	c.push(task{url: site.Start(), key: c.home, page: true})
	stop := context.AfterFunc(ctx, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer stop()
	var wg sync.WaitGroup
	for i := 0; i < max(cfg.Concurrency, 1); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.work(ctx)
		}()
	}
	wg.Wait()
	return c.result(ctx, time.Since(began))
}

type task struct {
	url   *url.URL
	key   string
	depth int
	tag   int
	page  bool // crawl it; otherwise only check it
	pager bool // reached by a pager link
}

// link is what the crawl knows of one URL.
type link struct {
	url      *url.URL
	status   int
	err      string
	failed   bool
	foundOn  string // the smallest referrer, so reports do not depend on timing
	homepage bool
}

type crawler struct {
	site  *Site
	f     *Fetcher
	cfg   Config
	visit Visitor
	home  string

	mu       sync.Mutex
	cond     *sync.Cond
	levels   [][]task // page tasks by depth: shallow pages first
	checks   []task
	busy     int
	links    map[string]*link
	admitted int // page tasks admitted (the page budget)
	pages    int
	checked  int
	// untracked counts URLs found after the link table was full.
	untracked int
	refused   int
	budgets   map[string]bool
	homeDone  bool
	homeCode  int
	homeErr   error
}

func (c *crawler) push(t task) {
	if !t.page {
		c.checks = append(c.checks, t)
		c.cond.Signal()
		return
	}
	for len(c.levels) <= t.depth {
		c.levels = append(c.levels, nil)
	}
	c.levels[t.depth] = append(c.levels[t.depth], t)
	c.cond.Signal()
}

// next hands out the shallowest page first, then link checks; it returns
// false when the crawl is over: nothing queued and nobody busy, or ctx done.
// The homepage is crawled alone: nothing else is known before it.
func (c *crawler) next(ctx context.Context) (task, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return task{}, false
		}
		if c.homeDone || c.busy == 0 {
			if t, ok := c.pop(); ok {
				c.busy++
				return t, true
			}
		}
		if c.busy == 0 {
			c.cond.Broadcast()
			return task{}, false
		}
		c.cond.Wait()
	}
}

func (c *crawler) pop() (task, bool) {
	for d, level := range c.levels {
		if len(level) > 0 {
			t := level[0]
			level[0] = task{}
			c.levels[d] = level[1:]
			return t, true
		}
	}
	if len(c.checks) > 0 {
		t := c.checks[0]
		c.checks[0] = task{}
		c.checks = c.checks[1:]
		return t, true
	}
	return task{}, false
}

func (c *crawler) work(ctx context.Context) {
	var buf []Out // this worker's, for every page it reads
	for {
		t, ok := c.next(ctx)
		if !ok {
			return
		}
		var outs []Out
		if t.page {
			outs = c.crawlPage(ctx, t, buf[:0])
			buf = outs
		} else {
			c.checkLink(ctx, t)
		}
		c.mu.Lock()
		c.merge(t, outs)
		if t.key == c.home {
			c.homeDone = true
			c.cond.Broadcast()
		}
		c.busy--
		if c.busy == 0 {
			c.cond.Broadcast()
		}
		c.mu.Unlock()
	}
}

// crawlPage fetches and parses one of the site's pages; its links are
// appended to outs.
func (c *crawler) crawlPage(ctx context.Context, t task, outs []Out) []Out {
	resp, err := c.f.Get(ctx, t.url)
	if err != nil {
		c.record(ctx, t, 0, err)
		return outs
	}
	defer resp.Close()
	c.record(ctx, t, resp.StatusCode, nil)
	final := resp.Request.URL
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// A redirect off the site (the client follows the site's own):
		// where it leads is checked as a link, not crawled.
		if loc, err := resp.Location(); err == nil {
			outs = append(outs, Out{URL: loc, Kind: PageLink, Tag: t.tag})
		}
		return outs
	}
	if resp.StatusCode >= 400 || !c.site.SameSite(final) {
		return outs
	}
	br := bodyReaders.Get().(*bufio.Reader)
	defer bodyReaders.Put(br) // after visit: it reads the body before it returns
	br.Reset(resp.Body)
	body, ok := htmlBody(resp.Response, br)
	if !ok {
		return outs
	}
	c.mu.Lock()
	c.pages++
	c.mu.Unlock()
	var modified time.Time
	if lm := resp.Header.Get("Last-Modified"); lm != "" {
		modified, _ = http.ParseTime(lm)
	}
	return c.visit(Page{URL: t.url, Final: final, Depth: t.depth, Tag: t.tag, Pager: t.pager, Body: body, LastModified: modified}, outs)
}

// DecodedBody is a response's body decoded to UTF-8 when it is HTML (or
// XML), as the crawl reads its pages; false for other types.
func DecodedBody(resp *http.Response) (io.Reader, bool) {
	return htmlBody(resp, bufio.NewReaderSize(resp.Body, 1024))
}

// bodyReaders are the buffers pages are read through, reused: a crawl
// reads thousands of pages.
var bodyReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 1024) }}

// htmlBody decodes an HTML body, read through br, to UTF-8 (GB2312/GBK
// pages included, from the Content-Type or the page's <meta charset>);
// not for other types.
func htmlBody(resp *http.Response, br *bufio.Reader) (io.Reader, bool) {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		head, _ := br.Peek(512)
		ct = http.DetectContentType(head)
	}
	if !isHTML(ct) {
		return nil, false
	}
	head, _ := br.Peek(1024)
	if strings.EqualFold(ct, "text/html; charset=utf-8") && !utf16BOM(head) {
		return br, true // what DetermineEncoding would say, without parsing the type for every page
	}
	enc, name, _ := charset.DetermineEncoding(head, ct)
	if name == "utf-8" || name == "windows-1252" && utf8.Valid(head) {
		// UTF-8 needs no decoding. windows-1252 is only the fallback
		// when nothing declares a charset; valid UTF-8 is read as such.
		return br, true
	}
	return transform.NewReader(br, enc.NewDecoder()), true
}

// utf16BOM says a body starts with a UTF-16 byte order mark, which
// overrides the charset a Content-Type declares.
func utf16BOM(head []byte) bool {
	return len(head) >= 2 && (head[0] == 0xFE && head[1] == 0xFF || head[0] == 0xFF && head[1] == 0xFE)
}

// isHTML reads the media type of a Content-Type ("text/html; charset=GBK").
// XML is read too: a list's further pages may come as XML (Hanweb's jpage
// proxy answers with a data store of records).
func isHTML(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml") ||
		strings.EqualFold(mt, "text/xml") || strings.EqualFold(mt, "application/xml")
}

func (c *crawler) checkLink(ctx context.Context, t task) {
	status, err := c.f.Check(ctx, t.url)
	c.record(ctx, t, status, err)
	if !errors.Is(err, ErrRefused) {
		c.mu.Lock()
		c.checked++
		c.mu.Unlock()
	}
}

// record notes how a URL answered. Failures caused by the crawl's own
// end (its time budget) are not the site's fault and are not recorded.
func (c *crawler) record(ctx context.Context, t task, status int, err error) {
	if err != nil && ctx.Err() != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.links[t.key]
	if errors.Is(err, ErrRefused) {
		c.refused++ // not the site's dead link: a link the guard kept us from
		return
	}
	l.status = status
	if err != nil {
		l.err = shortErr(err)
	}
	l.failed = err != nil || status >= 400
	if t.key == c.home {
		c.homeCode, c.homeErr = status, err
	}
}

func shortErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// merge adds a page's links to the frontier (under c.mu).
func (c *crawler) merge(from task, outs []Out) {
	for _, o := range outs {
		key := o.Key
		if key == "" {
			key = c.site.Key(o.URL)
		}
		l, seen := c.links[key]
		if !seen {
			if len(c.links) >= c.maxTracked() {
				c.untracked++ // memory stays bounded whatever the site's size
				continue
			}
			l = &link{url: c.site.Canonical(o.URL)}
			c.links[key] = l
		}
		c.noteReferrer(l, from)
		if !seen {
			c.admit(l.url, key, from, o)
		}
	}
}

func (c *crawler) noteReferrer(l *link, from task) {
	switch {
	case from.key == c.home:
		l.homepage, l.foundOn = true, from.key
	case l.homepage:
	case l.foundOn == "" || from.key < l.foundOn:
		l.foundOn = from.key
	}
}

// admit decides what a new URL gets: a crawl (the site's pages within the
// budgets), a check (everything else, when links are checked), or nothing.
func (c *crawler) admit(u *url.URL, key string, from task, o Out) {
	sameSite := c.site.SameSite(u)
	if sameSite && o.Kind == PageLink {
		depth := from.depth + 1
		if o.Next {
			depth = from.depth
		}
		switch {
		case depth > c.cfg.MaxDepth:
			c.budgets[BudgetDepth] = true
		case c.admitted >= c.cfg.MaxPages:
			c.budgets[BudgetPages] = true
			return // the budget is spent: not even checked
		default:
			c.admitted++
			c.push(task{url: u, key: key, depth: depth, tag: o.Tag, page: true, pager: o.Next})
			return
		}
	}
	if !c.cfg.CheckLinks || !sameSite && !c.cfg.CheckExternal {
		return
	}
	if len(c.checks)+c.checked >= c.cfg.MaxLinks {
		c.budgets[BudgetLinks] = true
		return
	}
	c.push(task{url: u, key: key, depth: from.depth + 1, tag: o.Tag})
}

func (c *crawler) result(ctx context.Context, d time.Duration) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := Result{Pages: c.pages, Links: len(c.links) - 1 + c.untracked, Checked: c.checked, Refused: c.refused, Requests: c.f.Requests(),
		HomeStatus: c.homeCode, HomeErr: c.homeErr, Duration: d}
	if ctx.Err() != nil && (c.queued() > 0 || c.busy > 0 || !c.homeDone) {
		c.budgets[BudgetTime] = true
	}
	if !c.homeDone && r.HomeErr == nil {
		r.HomeErr = ctx.Err()
	}
	for _, b := range []string{BudgetTime, BudgetPages, BudgetDepth, BudgetLinks} {
		if c.budgets[b] {
			r.Budgets = append(r.Budgets, b)
		}
	}
	for key, l := range c.links {
		if !l.failed || key == c.home {
			continue
		}
		r.Dead = append(r.Dead, Dead{URL: l.url, Status: l.status, Err: l.err, FoundOn: c.links[l.foundOn].url, Homepage: l.homepage})
	}
	sort.Slice(r.Dead, func(i, j int) bool {
		a, b := r.Dead[i], r.Dead[j]
		if a.Homepage != b.Homepage {
			return a.Homepage
		}
		return a.URL.String() < b.URL.String()
	})
	return r
}

// maxTracked bounds the table of known URLs: enough for every page and
// check the budgets allow, with room for the links that are only counted.
func (c *crawler) maxTracked() int { return 2*(c.cfg.MaxPages+c.cfg.MaxLinks) + 10000 }

func (c *crawler) queued() int {
	n := len(c.checks)
	for _, l := range c.levels {
		n += len(l)
	}
	return n
}

// JoinBudgets names the budgets for a report: "pages,depth".
func JoinBudgets(b []string) string { return strings.Join(b, ",") }
