// Package extract reads one parsed HTML page of a government site: its
// links, navigation (the columns), dated items, pager, consultation
// messages, identity footer, search box and 找错 entry, and what a crawler
// can see of V5 (injected links, hidden link farms, ID numbers). It holds
// no state between pages and never fetches anything.
package extract

import (
	"bytes"
	"io"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options carry what a page cannot tell about itself.
type Options struct {
	// SameSite says a URL is on the inspected site (nil: only the base's host).
	SameSite func(*url.URL) bool
	// ColumnNames are the homepage's column names: links with these texts
	// on other pages are navigation, not items.
	ColumnNames map[string]bool
	// BlankMarkers are the texts a blank column shows (暂无信息, ...).
	BlankMarkers []string
	// GamblingWords mark injected gambling links (V5).
	GamblingWords []string
	// DefacementPhrases mark a defaced page (V5).
	DefacementPhrases []string
	// WrongWords are serious wording errors: wrong names of state organs
	// and offices (V5, the profile's wordingErrors).
	WrongWords []string
	// Identity reads the identity footer (S4): only the homepage's counts,
	// and reading it is the costliest part of a page.
	Identity bool
	// Cache, when set, shares resolved links between the pages of a crawl.
	Cache *ResolveCache
	// Key, when set, is the crawl's de-duplication key of a link, kept in
	// Link.Key (and in the cache, so repeated links are keyed once).
	Key func(*url.URL) string
}

// LinkKind says how a link is checked.
type LinkKind int

const (
	// Anchor is a link to a page: same-site pages are crawled.
	Anchor LinkKind = iota
	// Image is an <img> (or a link to an image): checked, never parsed.
	Image
	// Attachment is a document (pdf, doc, xls, ...): checked, never parsed.
	Attachment
)

// Link is one link of the page.
type Link struct {
	URL    *url.URL
	Text   string
	Kind   LinkKind
	Hidden bool // inside an element hidden by its inline style
	// OnSite says the link is one of the inspected site's (Options.SameSite).
	OnSite bool
	// Pager: a list's pager (下一页, 尾页, a page number): the same list.
	Pager bool
	// Key is Options.Key of the URL ("" without it).
	Key string
}

// Item is one entry of a list: a title and, usually, a publish date.
type Item struct {
	Title string
	URL   string
	Date  time.Time // zero when the item shows no date
}

// Dated says the item shows a publish date.
func (i Item) Dated() bool { return !i.Date.IsZero() }

// Page is what one page says.
type Page struct {
	Title string
	Links []Link
	// Nav are the navigation links in page order; on the homepage their
	// texts are the site's column names.
	Nav   []Link
	Items []Item
	// Placeholder is a blank-column text (暂无信息, ...) on the page.
	Placeholder bool
	// Next is the 下一页 link of a paginated list, if any.
	Next     *url.URL
	Messages []Message
	Identity Identity
	// Search says the page has a search box; ErrorEntry a 找错 entry.
	Search     bool
	ErrorEntry bool
	// PasswordForm says the page asks for a password (an admin login, S7).
	PasswordForm bool
	Security     Security
	// LinksOmitted counts the links past maxPageLinks, not kept.
	LinksOmitted int

	// Article is the page's metadata (SiteIDCode, PubDate, …), and
	// PubDate its publish date: the PubDate meta, else its 发布时间 line
	// (zero when it shows none).
	Article ArticleMeta
	PubDate time.Time
	// Forward is where a page that only forwards sends its reader (a
	// meta refresh or a window.location line), ForwardBy how.
	Forward   *url.URL
	ForwardBy string
	// ScriptPages are the further pages of a list that only script names
	// (Hanweb jpage's proxy requests); TRS's createPageHTML pager is Next.
	ScriptPages []*url.URL
	// Prose: the page shows text of its own (an 机构职能 page), Form: a
	// form to write in (我要留言): a column showing either is not blank.
	Prose bool
	Form  bool
	// asksMessages: the page's text has a message record's label (留言时间).
	asksMessages bool
}

// proseMinRunes of text outside navigation, header, footer and
// breadcrumb make a page one of prose.
const proseMinRunes = 100

// maxBody bounds what is read of one page: government pages are well
// under it, and it bounds the reading's memory whatever a page holds.
const maxBody = 2 << 20

// maxTreeBody bounds the part of a page that is built into a tree
// (issue 16): a tree costs ten to twenty times its page, and a hostile
// page of 2 MiB of links would cost tens of MiB for each worker. A real
// homepage or list page is 20–300 KiB; the rest of a longer page is read
// by the streaming scan (its links and text), never kept as a tree.
const maxTreeBody = 512 << 10

// maxTreeDepth is how deep the elements of a page built into a tree may
// nest: x/net/html refuses a page past 512 open elements, and a page
// that does (a hostile one, or a CMS that never closes its <div>s) is
// read with the elements past this depth left out (flatten).
const maxTreeDepth = 400

// treeBuffers hold the part of a page that is built into a tree.
var treeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Parse reads an HTML page from r, already decoded to UTF-8, and
// extracts it: its first 512 KiB (maxTreeBody) as a tree, the rest (up
// to 2 MiB in all) streamed for its links and text.
func Parse(r io.Reader, base *url.URL, opt Options) (*Page, error) {
	buf := treeBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 2*maxTreeBody {
			treeBuffers.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(io.LimitReader(r, maxTreeBody)); err != nil {
		return nil, err
	}
	src := buf.Bytes()
	full := len(src) >= maxTreeBody
	if datastoreDocument(src) {
		src = datastoreAsHTML(src) // Hanweb's jpage proxy answers with its records
	}
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		// Nested past x/net/html's limit (512): parse it again with the
		// elements past maxTreeDepth left out.
		if doc, err = html.Parse(flatten(src, maxTreeDepth)); err != nil {
			return nil, err
		}
	}
	page := Extract(doc, base, opt)
	if !full {
		return page, nil
	}
	rest := opt
	rest.Identity = false
	tail, err := Scan(io.LimitReader(r, maxBody-maxTreeBody), base, rest)
	if err != nil {
		return page, nil // the tree's part was read
	}
	page.merge(tail)
	Release(tail)
	return page, nil
}

// merge adds what the streamed rest of a long page showed.
func (p *Page) merge(t *Page) {
	room := max(maxPageLinks-len(p.Links), 0)
	p.Links = append(p.Links, t.Links[:min(room, len(t.Links))]...)
	p.LinksOmitted += t.LinksOmitted + max(len(t.Links)-room, 0)
	if p.Next == nil {
		p.Next = t.Next
	}
	p.Placeholder = p.Placeholder || t.Placeholder
	p.PasswordForm = p.PasswordForm || t.PasswordForm
	p.Search = p.Search || t.Search
	p.ErrorEntry = p.ErrorEntry || t.ErrorEntry
	s, ts := &p.Security, t.Security
	s.IDNumbers = appendBounded(s.IDNumbers, ts.IDNumbers)
	s.Gambling = appendBounded(s.Gambling, ts.Gambling)
	s.HiddenExternal = appendBounded(s.HiddenExternal, ts.HiddenExternal)
	s.Wording = appendBounded(s.Wording, ts.Wording)
	if s.Defacement == "" {
		s.Defacement = ts.Defacement
	}
}

func appendBounded[T any](dst, src []T) []T {
	return append(dst, src[:min(len(src), max(maxSecurityFindings-len(dst), 0))]...)
}

// flatten copies a page so that it nests at most depth elements: a
// tokenizer pass, not a parser. A page nests that deep because elements
// are opened and never closed (600 <div>s, a CMS that forgets its end
// tags): those are left out first — start tags that no end tag of their
// own closes, but for the elements whose end tag HTML makes optional
// (li, p, td, …) and the document's own. Past depth, any element is left
// out (with its end tag). Start tags that are not void or self-closing
// are all counted as open, more than the tree builder keeps (it closes
// <p> and <li> on its own), so the tree stays within depth plus the few
// elements the tree builder adds (html, head, body, tbody).
func flatten(src []byte, depth int) io.Reader {
	closed := explicitlyClosed(src)
	var out bytes.Buffer
	out.Grow(len(src))
	z := html.NewTokenizer(bytes.NewReader(src))
	type open struct {
		name string
		left bool // left out of the copy
	}
	var stack []open
	kept := 0 // elements open and kept
	for k := 0; ; {
		switch z.Next() {
		case html.ErrorToken:
			return &out
		case html.StartTagToken:
			name, _ := z.TagName()
			tag := atom.Lookup(name)
			if void(tag) {
				break
			}
			leave := !closed[k] && !optionalEnd(tag) || kept >= depth
			k++
			stack = append(stack, open{string(name), leave})
			if leave {
				continue
			}
			kept++
		case html.EndTagToken:
			name, _ := z.TagName()
			i := len(stack) - 1
			for i >= max(len(stack)-maxEndSearch, 0) && stack[i].name != string(name) {
				i--
			}
			if i >= max(len(stack)-maxEndSearch, 0) {
				left := stack[i].left
				for _, e := range stack[i:] {
					if !e.left {
						kept--
					}
				}
				stack = stack[:i]
				if left {
					continue
				}
			}
		}
		out.Write(z.Raw())
	}
}

// maxEndSearch bounds how far down the open elements an end tag looks
// for its own: a hostile page of 50,000 open elements and as many stray
// end tags would otherwise take quadratic time.
const maxEndSearch = 1024

// explicitlyClosed says, for each start tag that opens an element (in
// order), whether an end tag of its name closes it.
func explicitlyClosed(src []byte) []bool {
	var closed []bool
	type open struct {
		name string
		idx  int
	}
	var stack []open
	z := html.NewTokenizer(bytes.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return closed
		case html.StartTagToken:
			name, _ := z.TagName()
			if void(atom.Lookup(name)) {
				continue
			}
			stack = append(stack, open{string(name), len(closed)})
			closed = append(closed, false)
		case html.EndTagToken:
			name, _ := z.TagName()
			for i := len(stack) - 1; i >= max(len(stack)-maxEndSearch, 0); i-- {
				if stack[i].name == string(name) {
					closed[stack[i].idx] = true
					stack = stack[:i]
					break
				}
			}
		}
	}
}

// optionalEnd: elements whose end tag HTML lets a page leave out, and
// the document's own.
func optionalEnd(tag atom.Atom) bool {
	switch tag {
	case atom.Html, atom.Head, atom.Body, atom.Li, atom.P, atom.Dt, atom.Dd, atom.Tr, atom.Td, atom.Th, atom.Tbody,
		atom.Thead, atom.Tfoot, atom.Option, atom.Optgroup, atom.Colgroup, atom.Caption, atom.Rb, atom.Rt, atom.Rp:
		return true
	}
	return false
}

// extractor holds one page's state while it is read.
type extractor struct {
	opt         Options
	base        *url.URL
	page        *Page
	fallbackNav *html.Node
	navNames    map[string]bool
	siblings    map[*html.Node]map[string]int // per parent: children holding links, by tag and class
	anchors     map[*html.Node]anchorRead     // each link, read once (readAnchor)
	newLinks    []newLink                     // resolved, for the cache when the page is read
	baseKey     string                        // scheme and host of the base, for the cache
	visible     bytes.Buffer                  // all text, for ID numbers and defacement
	footer      strings.Builder               // footer text, for the identity (S4)
	// local is the worker's own copy of the cache's links (Scan's), looked
	// up before the shared cache: no lock for the links every page repeats.
	local *localLinks
	// what the page's head and scripts said (cms.go)
	forward      *url.URL
	forwardBy    string
	nextgroup    string
	contentRunes int // text outside navigation, header, footer, breadcrumb
}

// Extract reads a parsed page.
func Extract(doc *html.Node, base *url.URL, opt Options) *Page {
	x := &extractor{opt: opt, base: base, page: &Page{Links: make([]Link, 0, 32)}, navNames: map[string]bool{},
		siblings: map[*html.Node]map[string]int{}, anchors: map[*html.Node]anchorRead{}}
	if opt.SameSite == nil {
		x.opt.SameSite = func(u *url.URL) bool { return strings.EqualFold(u.Host, base.Host) }
	}
	x.findBase(doc)
	x.baseKey = x.base.Scheme + "://" + x.base.Host
	x.readHead(doc)
	x.readScripts(doc) // before the walk: a data store's records become part of the page
	if !hasNavRegion(doc) {
		x.fallbackNav = findFallbackNav(doc)
	}
	x.walk(doc, region{})
	for _, l := range x.page.Nav {
		x.navNames[l.Text] = true
	}
	x.page.Items = x.items(doc)
	text := newTextChecks(opt)
	text.add(x.visible.Bytes())
	if text.asked { // messages are records labelled 留言时间: none without the label
		x.page.Messages = x.messages(doc)
	}
	if opt.Identity {
		x.page.Identity = readIdentity(x.footer.String(), x.visible.String())
	}
	x.page.Security = x.security(&text)
	x.page.Placeholder = text.placeholder
	x.finish(&text, utf8.RuneCount(x.visible.Bytes()))
	x.page.Prose = x.contentRunes >= proseMinRunes
	x.cacheNewLinks()
	return x.page
}

// findBase honours <base href>, which old CMSes use for every relative link.
func (x *extractor) findBase(n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Base {
		if u, err := x.base.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && attr(n, "href") != "" {
			x.base = u
		}
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.findBase(c)
	}
}

// region is where in the page's layout a node sits.
type region struct {
	nav, footer, hidden bool
	header, crumb       bool
	form                *html.Node
}

func (x *extractor) walk(n *html.Node, r region) {
	switch n.Type {
	case html.TextNode:
		x.visible.WriteString(n.Data)
		x.visible.WriteByte(' ')
		if r.footer {
			x.footer.WriteString(n.Data)
			x.footer.WriteByte(' ')
		}
		if !r.nav && !r.footer && !r.header && !r.crumb && x.contentRunes < proseMinRunes {
			x.contentRunes += runes(strings.TrimSpace(n.Data))
		}
		return
	case html.ElementNode:
		if n.DataAtom == atom.Title && x.page.Title == "" {
			x.page.Title = clean(text(n))
		}
		if n.DataAtom == atom.Textarea && r.form != nil {
			x.page.Form = true // a form to write in: 我要留言
		}
		if skipped(n) {
			return
		}
		r = x.enter(n, r)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.walk(c, r)
	}
}

// enter updates the region for an element and reads the element itself.
func (x *extractor) enter(n *html.Node, r region) region {
	r.nav = r.nav || isNav(n) || n == x.fallbackNav
	r.footer = r.footer || isFooter(n)
	r.header = r.header || isHeader(n)
	r.crumb = r.crumb || isBreadcrumb(n)
	r.hidden = r.hidden || isHidden(n)
	switch n.DataAtom {
	case atom.Form:
		r.form = n
	case atom.A, atom.Area:
		x.anchor(n, r)
	case atom.Img:
		x.image(n, r)
	case atom.Input:
		x.input(n, r)
	}
	return r
}

func (x *extractor) anchor(n *html.Node, r region) {
	text := linkText(n)
	u := x.link(attr(n, "href"), text, r.hidden, r.nav)
	if x.anchors != nil {
		x.anchors[n] = anchorRead{text: text, u: u}
	}
}

// anchorRead is what was read of a link: its text and where it leads
// (nil: nowhere a crawler follows).
type anchorRead struct {
	text string
	u    *url.URL
}

// readAnchor is a link's text and address, read once per link of the
// page: the walk reads every link, and the list entries read their title
// links again (a link new to the crawl would be resolved twice: the cache
// takes a page's new links only once the page is read).
func (x *extractor) readAnchor(a *html.Node) anchorRead {
	if r, ok := x.anchors[a]; ok {
		return r
	}
	return anchorRead{text: linkText(a), u: x.resolveString(attr(a, "href"))}
}

// link notes one link: the 找错 entry, the pager, navigation. It returns
// where the link leads (nil: nowhere a crawler follows).
func (x *extractor) link(href, label string, hidden, nav bool) *url.URL {
	if !x.page.ErrorEntry && isErrorEntry(label, href) {
		x.page.ErrorEntry = true
	}
	if x.full() {
		return nil
	}
	r := x.resolve([]byte(strings.TrimSpace(href)))
	if r.u == nil {
		return nil
	}
	l := Link{URL: r.u, Key: r.key, Text: label, Kind: r.kind, Hidden: hidden, OnSite: r.same, Pager: isPager(label)}
	if !x.addLink(l) {
		return r.u
	}
	if nav && l.Kind == Anchor && label != "" {
		x.page.Nav = append(x.page.Nav, l)
	}
	if x.page.Next == nil && isNextWord(pagerKey(label)) && !sameDoc(r.u, x.base) {
		x.page.Next = r.u
	}
	return r.u
}

func (x *extractor) image(n *html.Node, r region) {
	if isErrorEntry(attr(n, "alt")+attr(n, "title"), attr(n, "src")) {
		x.page.ErrorEntry = true
	}
	if x.full() {
		return
	}
	if res := x.resolve([]byte(strings.TrimSpace(attr(n, "src")))); res.u != nil {
		x.addLink(Link{URL: res.u, Text: attr(n, "alt"), Kind: Image, Hidden: r.hidden, OnSite: res.same})
	}
}

// maxPageLinks bounds the links kept of one page (issue 16): a real page
// has a few hundred; a hostile one of 2 MiB has 50,000, and each costs
// its URL, its key and a place in the crawl's frontier. The rest are
// counted (Page.LinksOmitted).
const maxPageLinks = 5000

// full says the page has all the links it may keep: the next is only
// counted, not even resolved (resolving is most of a link's cost).
func (x *extractor) full() bool {
	if len(x.page.Links) < maxPageLinks {
		return false
	}
	x.page.LinksOmitted++
	return true
}

// addLink keeps a link of the page unless it has maxPageLinks already.
func (x *extractor) addLink(l Link) bool {
	if len(x.page.Links) >= maxPageLinks {
		x.page.LinksOmitted++
		return false
	}
	x.page.Links = append(x.page.Links, l)
	return true
}

// linkText is what a reader sees of a link: its text, else its title or
// the alt of the image it wraps.
func linkText(n *html.Node) string {
	if t := clean(boundedText(n, maxLinkTextBytes)); t != "" {
		return t
	}
	if t := clean(attr(n, "title")); t != "" {
		return t
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Img {
			return clean(attr(c, "alt"))
		}
	}
	return ""
}

// maxLinkTextBytes bounds a link's text: titles are short, and an <a>
// wrapping a whole page must not be read once per link.
const maxLinkTextBytes = 1024

// resolve makes an href absolute; nil for links that lead nowhere a
// crawler can follow (javascript:, mailto:, in-page anchors).
func (x *extractor) resolve(href []byte) resolved {
	if len(href) == 0 || href[0] == '#' {
		return resolved{errorEntry: errorEntryHref(href)}
	}
	if x.local != nil {
		if r, ok := x.local.get(x.opt.Cache, x.baseKey, href); ok {
			return r
		}
	}
	if r, ok := x.opt.Cache.get(x.baseKey, href); ok {
		x.local.put(href, r)
		return r
	}
	r := resolved{errorEntry: errorEntryHref(href)}
	u, err := x.base.Parse(string(href))
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		u.Fragment, u.RawFragment = "", ""
		r.u, r.kind, r.same = u, kindOf(u), x.opt.SameSite(u)
		if x.opt.Key != nil {
			r.key = x.opt.Key(u)
		}
	}
	x.newLinks = x.opt.Cache.miss(x.newLinks, href, r)
	return r
}

// cacheNewLinks hands the page's new links to the cache, once it is read.
func (x *extractor) cacheNewLinks() {
	x.opt.Cache.putAll(x.baseKey, x.newLinks)
	clear(x.newLinks)
	x.newLinks = x.newLinks[:0]
}

// resolveString is resolve for the tree's attribute strings.
func (x *extractor) resolveString(href string) *url.URL {
	return x.resolve([]byte(strings.TrimSpace(href))).u
}

func sameDoc(a, b *url.URL) bool {
	return a.Host == b.Host && a.Path == b.Path && a.RawQuery == b.RawQuery
}

var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".zip": true, ".rar": true, ".7z": true, ".wps": true, ".et": true, ".ofd": true, ".txt": true,
	".csv": true, ".tif": true, ".mp4": true, ".mp3": true,
}

var imageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".bmp": true, ".webp": true, ".svg": true}

func kindOf(u *url.URL) LinkKind {
	ext := strings.ToLower(path.Ext(u.Path))
	switch {
	case attachmentExt[ext]:
		return Attachment
	case imageExt[ext]:
		return Image
	}
	return Anchor
}

// The national 找错 entry (我为政府网站找错) is an image link to the
// State Council's error-report service.
func isErrorEntry(label, href string) bool {
	return strings.Contains(label, "找错") || errorEntryHref([]byte(href))
}

var errorEntryMarks = [][]byte{[]byte("jiucuo"), []byte("zhaocuo"), []byte("errorinfo")}

// input notices search boxes and password fields.
func (x *extractor) input(n *html.Node, r region) {
	typ := strings.ToLower(attr(n, "type"))
	switch typ {
	case "password":
		x.page.PasswordForm = true
	case "search":
		x.page.Search = true
	case "", "text":
		if isSearchInput(n, r.form) {
			x.page.Search = true
		}
	}
}

var searchMarks = []string{"search", "sousuo", "搜索", "检索", "关键字", "关键词", "keyword", "query", "searchword"}

func isSearchInput(n, form *html.Node) bool {
	own := strings.ToLower(attr(n, "name") + " " + attr(n, "id") + " " + attr(n, "class") + " " + attr(n, "placeholder") + " " + attr(n, "value"))
	if containsAny(own, searchMarks) {
		return true
	}
	switch strings.ToLower(attr(n, "name")) {
	case "q", "wd", "kw", "key", "keys", "qt":
		return true
	}
	if form == nil {
		return false
	}
	f := strings.ToLower(attr(form, "action") + " " + attr(form, "id") + " " + attr(form, "class") + " " + attr(form, "name"))
	return containsAny(f, append(searchMarks, "/so", "sou"))
}

// hasNavRegion says the page marks its navigation (a <nav>, or a class or
// id like nav or menu).
func hasNavRegion(n *html.Node) bool {
	if n.Type == html.ElementNode {
		if skipped(n) {
			return false
		}
		if isNav(n) {
			return true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasNavRegion(c) {
			return true
		}
	}
	return false
}

// findFallbackNav finds an unmarked navigation bar: the first list (or
// table row) of at least three short, undated links outside the footer.
func findFallbackNav(n *html.Node) *html.Node {
	if n.Type == html.ElementNode {
		if skipped(n) || isFooter(n) {
			return nil
		}
		if (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol || n.DataAtom == atom.Tr) && looksLikeNav(n) {
			return n
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if found := findFallbackNav(c); found != nil {
			return found
		}
	}
	return nil
}

const maxNavTextRunes = 10

func looksLikeNav(list *html.Node) bool {
	const maxNavBytes = 4096 // a bar of short links; anything longer is content
	t := boundedText(list, maxNavBytes)
	if len(t) >= maxNavBytes {
		return false
	}
	if _, dated := FindDate(t); dated {
		return false
	}
	entries := 0
	for c := list.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		anchors := descendantsUpTo(c, atom.A, 2)
		if len(anchors) != 1 {
			return false
		}
		if t := linkText(anchors[0]); t == "" || runes(t) > maxNavTextRunes {
			return false
		}
		entries++
	}
	return entries >= 3
}

func descendants(n *html.Node, a atom.Atom) []*html.Node { return descendantsUpTo(n, a, -1) }

// descendantsUpTo stops after limit matches (no limit when negative).
func descendantsUpTo(n *html.Node, a atom.Atom, limit int) []*html.Node {
	var out []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) != limit; c = c.NextSibling {
			if c.Type != html.ElementNode || skipped(c) {
				continue
			}
			if c.DataAtom == a {
				out = append(out, c)
			}
			visit(c)
		}
	}
	visit(n)
	return out
}
