package extract

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Scan is the light reading of a page for the crawl's bulk (article
// pages): links, the pager, hidden links, password fields and the text
// V5 looks at, read from x/net/html's tokenizer without building a tree.
// It does not read items, navigation, messages or the identity footer:
// pages that need those (the homepage, column lists, consultation pages)
// go through Parse. It is several times faster than Parse and Extract.
//
// A page Scan returns may be handed back with Release once nothing reads
// it any more: the next Scan reuses its link slice.
func Scan(r io.Reader, base *url.URL, opt Options) (*Page, error) {
	s := scanners.Get().(*scanner)
	defer s.release()
	x := &s.extractor
	*x = extractor{opt: opt, base: base, page: scanPages.Get().(*Page), baseKey: s.baseKeyOf(base), newLinks: x.newLinks}
	if opt.SameSite == nil {
		x.opt.SameSite = func(u *url.URL) bool { return strings.EqualFold(u.Host, base.Host) }
	}
	s.body = io.LimitedReader{R: r, N: maxBody}
	s.reset(x, html.NewTokenizer(&s.body), newTextChecks(opt))
	err := s.run()
	x.cacheNewLinks()
	if err != nil {
		Release(x.page)
		return nil, err
	}
	s.checks.add(s.visible) // once per page: far cheaper than once per text
	x.page.Security = x.security(&s.checks)
	x.page.Placeholder = s.checks.placeholder
	return x.page, nil
}

// scanPages are the pages Scan fills: a crawl reads thousands of
// articles, and their link slices were most of what reading one allocated.
var scanPages = sync.Pool{New: func() any { return &Page{Links: make([]Link, 0, 32)} }}

// maxKeptLinks bounds the link slice a released page keeps for the next.
const maxKeptLinks = 1024

// Release hands back a page that Scan returned, once nothing reads it or
// its Links any more (what was copied out of it stays valid: the URLs and
// strings are not reused).
func Release(p *Page) {
	clear(p.Links) // no page's links kept alive by the pool
	*p = Page{Links: kept(p.Links, maxKeptLinks)}
	scanPages.Put(p)
}

// kept is s emptied for reuse, or nil once it grew past most: a pooled
// object does not hold on to what one huge page needed.
func kept[T any](s []T, most int) []T {
	if cap(s) > most {
		return nil
	}
	return s[:0]
}

// baseKeyOf is the page's scheme://host, the ResolveCache's key: the
// scanner keeps the last one, which every page of a crawl shares.
func (s *scanner) baseKeyOf(u *url.URL) string {
	if u.Scheme != s.lastScheme || u.Host != s.lastHost {
		s.lastScheme, s.lastHost, s.lastBaseKey = u.Scheme, u.Host, u.Scheme+"://"+u.Host
	}
	return s.lastBaseKey
}

// scanners are reused between pages: their buffers (open elements, the
// anchor's href and text, names) would otherwise grow again on every page
// of a crawl, and that garbage was a good part of the collector's work.
var scanners = sync.Pool{New: func() any { return new(scanner) }}

// maxKeptBuffer bounds a buffer a pooled scanner keeps.
const maxKeptBuffer = 64 << 10

func (s *scanner) reset(x *extractor, z *html.Tokenizer, checks textChecks) {
	s.x, s.z, s.checks = x, z, checks
	s.node = html.Node{Attr: s.node.Attr[:0]}
	s.open, s.skip, s.title = s.open[:0], 0, false
	s.a = openAnchor{href: s.a.href[:0], text: s.a.text[:0], title: s.a.title[:0]}
	s.key, s.name, s.visible = s.key[:0], s.name[:0], s.visible[:0]
}

// release returns the scanner to the pool, holding nothing of the page.
func (s *scanner) release() {
	s.x, s.z, s.checks = nil, nil, textChecks{}
	s.extractor, s.body = extractor{newLinks: kept(s.extractor.newLinks, maxKeptLinks)}, io.LimitedReader{}
	clear(s.node.Attr[:cap(s.node.Attr)])
	clear(s.open[:cap(s.open)])
	for _, b := range []*[]byte{&s.a.href, &s.a.text, &s.a.title, &s.key, &s.name, &s.visible} {
		*b = kept(*b, maxKeptBuffer)
	}
	scanners.Put(s)
}

// keptAttrs are the attributes read of a tag besides style and hidden
// (which every tag may use to hide links); only these are copied. A
// switch, not a map: it is asked for every tag.
func keptAttrs(tag atom.Atom) []string {
	switch tag {
	case atom.A, atom.Area:
		return linkAttrs
	case atom.Img:
		return imgAttrs
	case atom.Input:
		return inputAttrs
	case atom.Base:
		return baseAttrs
	case atom.Marquee:
		return marqueeAttrs
	}
	return nil
}

var (
	linkAttrs    = []string{"href", "title"}
	imgAttrs     = []string{"src", "alt", "title"}
	inputAttrs   = []string{"type", "name", "id", "class", "placeholder", "value"}
	baseAttrs    = []string{"href"}
	marqueeAttrs = []string{"width", "height"}
)

// keptName is k's name when k is style, hidden or one of the names,
// else "": the name is one of these constants, so no string is made of k.
func keptName(names []string, k []byte) string {
	switch string(k) {
	case "style":
		return "style"
	case "hidden":
		return "hidden"
	}
	for _, name := range names {
		if string(k) == name {
			return name
		}
	}
	return ""
}

// maxScanAttrs bounds the attributes kept of one tag.
const maxScanAttrs = 8

type scanner struct {
	// extractor is the page's, kept here so that it is not allocated for
	// every page; x points to it while a page is read.
	extractor extractor
	// the last page's scheme and host, and their cache key
	lastScheme, lastHost, lastBaseKey string

	// body is the page's reader, bounded (maxBody).
	body   io.LimitedReader
	node   html.Node
	checks textChecks
	x      *extractor
	z      *html.Tokenizer
	open   []openElement
	skip   int // inside script, style, ...: not text a reader sees
	title  bool
	a      openAnchor
	key    []byte // scratch: a link text reduced to compare with pager words
	name   []byte // scratch: the current tag's name
	// visible is the page's text a reader sees, each text ended by a NUL
	// (which no phrase or number holds, so none is found across two).
	visible []byte
}

type openElement struct {
	tag    atom.Atom
	name   string
	hidden bool
}

// openAnchor is the <a> being read; one per scanner, its buffers reused.
type openAnchor struct {
	open   bool
	href   []byte
	text   []byte
	title  []byte
	hidden bool
}

func (s *scanner) run() error {
	for {
		switch s.z.Next() {
		case html.ErrorToken:
			s.closeAnchor()
			if err := s.z.Err(); err != io.EOF {
				return err
			}
			return nil
		case html.TextToken:
			s.text(s.z.Text())
		case html.StartTagToken:
			s.start(false)
		case html.SelfClosingTagToken:
			s.start(true)
		case html.EndTagToken:
			s.end(s.tagName())
		}
	}
}

func (s *scanner) text(t []byte) {
	switch {
	case s.title && s.x.page.Title == "":
		s.x.page.Title = clean(string(t))
	case s.skip > 0:
	default:
		if !blank(t) {
			s.visible = append(append(s.visible, t...), 0)
		}
		if s.a.open && len(s.a.text) < maxLinkTextBytes {
			s.a.text = append(append(s.a.text, t...), ' ')
		}
	}
}

// void elements never have children, so they are never open.
func void(tag atom.Atom) bool {
	switch tag {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link, atom.Meta,
		atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func (s *scanner) start(selfClosing bool) {
	name := s.tagName()
	hasAttr := true // TagAttr says when there are none
	// One scratch node for every tag: nothing is allocated for the many
	// tags that keep no attribute.
	n := &s.node
	tag := atom.Lookup(name)
	n.Type, n.DataAtom, n.Attr = html.ElementNode, tag, n.Attr[:0]
	keep := keptAttrs(tag)
	if keep == nil && !mayHide(s.z.Raw()) {
		hasAttr = false // class, id, ...: the tokenizer copies every attribute it is asked for
	}
	isAnchor := (n.DataAtom == atom.A || n.DataAtom == atom.Area) && s.skip == 0
	if isAnchor {
		s.closeAnchor()
		s.a.href, s.a.title = s.a.href[:0], s.a.title[:0]
	}
	for hasAttr && len(n.Attr) < maxScanAttrs {
		var k, v []byte
		k, v, hasAttr = s.z.TagAttr()
		switch {
		case k == nil: // no attribute at all // string(k) in a comparison allocates nothing
		case isAnchor && string(k) == "href":
			s.a.href = append(s.a.href, v...) // no string: most links are found in the cache
		case isAnchor && string(k) == "title":
			s.a.title = append(s.a.title, v...)
		default:
			if name := keptName(keep, k); name != "" {
				n.Attr = append(n.Attr, html.Attribute{Key: name, Val: string(v)})
			}
		}
	}
	hidden := len(s.open) > 0 && s.open[len(s.open)-1].hidden || isHidden(n)
	if s.skip > 0 {
		n.DataAtom = 0 // inside <noscript>, <template>, <select>: not links a reader can follow
	}
	switch n.DataAtom {
	case atom.Title:
		s.title = !selfClosing
	case atom.Base:
		if u, err := s.x.base.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && attr(n, "href") != "" {
			s.x.base = u
			s.x.baseKey = u.Scheme + "://" + u.Host
		}
	case atom.A, atom.Area:
		s.a.open, s.a.hidden, s.a.text = true, hidden, s.a.text[:0]
	case atom.Img:
		s.x.image(n, region{hidden: hidden})
		if s.a.open && len(s.a.title) == 0 {
			s.a.title = append(s.a.title, attr(n, "alt")...)
		}
	case atom.Input:
		s.x.input(n, region{})
	}
	if skippedTag(tag) && tag != atom.Head && !selfClosing {
		s.skip++
	}
	if !selfClosing && !void(tag) {
		e := openElement{tag: tag, hidden: hidden}
		if tag == 0 {
			e.name = string(name) // an unknown element: matched by name
		}
		s.open = append(s.open, e)
	}
	if n.DataAtom == atom.Area || selfClosing && n.DataAtom == atom.A {
		s.closeAnchor()
	}
}

// end closes the element and any left open inside it (an unclosed <li>
// or <p>); an end tag that matches nothing open is ignored.
func (s *scanner) end(name []byte) {
	tag := atom.Lookup(name)
	for i := len(s.open) - 1; i >= 0; i-- {
		if e := s.open[i]; e.tag != tag || tag == 0 && e.name != string(name) {
			continue
		}
		for _, e := range s.open[i:] {
			s.closed(e)
		}
		s.open = s.open[:i]
		return
	}
}

// tagName is the lower-cased name of the current tag token, read from
// the token the tokenizer delimited (its Raw: "<name ..." or "</name ..."),
// copied into a reused buffer only when it has capitals. The tokenizer's TagName copies every name to
// replace NULs; that copy was a good part of the crawl's allocations.
// A name with a NUL still goes through TagName.
func (s *scanner) tagName() []byte {
	raw := s.z.Raw()
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j, upper, nul := i, false, false
	for ; j < len(raw) && !isTagNameEnd(raw[j]); j++ { // one pass: the end, capitals, NULs
		c := raw[j]
		upper = upper || c >= 'A' && c <= 'Z'
		nul = nul || c == 0
	}
	if nul {
		name, _ := s.z.TagName()
		return name
	}
	if !upper {
		return raw[i:j] // valid until the next token, which is all it is used for
	}
	s.name = s.name[:0]
	for _, c := range raw[i:j] {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		s.name = append(s.name, c)
	}
	return s.name
}

// isTagNameEnd: where x/net/html's tokenizer ends a tag name.
func isTagNameEnd(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '/' || c == '>'
}

func (s *scanner) closed(e openElement) {
	switch {
	case e.tag == atom.A:
		s.closeAnchor()
	case e.tag == atom.Title:
		s.title = false
	case e.tag != atom.Head && skippedTag(e.tag) && s.skip > 0:
		s.skip--
	}
}

// closeAnchor notes the link just read. Its text becomes a string only
// where it is used: links to other sites (V5 reads their words) and the
// short texts of pagers; the many links to the site's own pages cost no
// allocation when they are in the cache.
func (s *scanner) closeAnchor() {
	a := &s.a
	if !a.open {
		return
	}
	a.open = false
	label := bytes.TrimSpace(a.text)
	if len(label) == 0 {
		label = bytes.TrimSpace(a.title)
	}
	x := s.x
	r := x.resolve(bytes.TrimSpace(a.href))
	if !x.page.ErrorEntry && (r.errorEntry || bytes.Contains(label, []byte("找错"))) {
		x.page.ErrorEntry = true
	}
	if r.u == nil {
		return
	}
	l := Link{URL: r.u, Key: r.key, Kind: r.kind, Hidden: a.hidden, OnSite: r.same}
	if len(label) <= maxPagerBytes {
		s.key = pagerKeyBytes(s.key[:0], label)
		l.Pager = isPagerKey(s.key)
		if x.page.Next == nil && isNextWord(string(s.key)) && !sameDoc(r.u, x.base) {
			x.page.Next = r.u
		}
	}
	if l.Pager || !r.same {
		l.Text = clean(string(label))
	}
	x.page.Links = append(x.page.Links, l)
}

// errorEntryHref is isErrorEntry's address test on bytes.
func errorEntryHref(href []byte) bool {
	for _, mark := range errorEntryMarks {
		if containsFold(href, mark) {
			return true
		}
	}
	return false
}

var (
	styleAttr  = []byte("style")
	hiddenAttr = []byte("hidden")
)

// mayHide says a start tag's source mentions style or hidden: only those
// attributes matter on tags that are not links, images or inputs. A tag
// with no white space or slash after its "<" ("<li>", most tags) has no
// attribute at all: the tokenizer starts one only after either.
func mayHide(raw []byte) bool {
	if !hasAttrSeparator(raw) {
		return false
	}
	return containsFold(raw, styleAttr) || containsFold(raw, hiddenAttr)
}

func hasAttrSeparator(raw []byte) bool {
	for _, c := range raw {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '/' {
			return true
		}
	}
	return false
}
