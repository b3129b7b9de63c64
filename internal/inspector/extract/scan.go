package extract

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"sync"

	tparse "github.com/tdewolff/parse/v2"
	thtml "github.com/tdewolff/parse/v2/html"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Scan is the light reading of a page for the crawl's bulk (article
// pages): links, the pager, hidden links, password fields and the text
// V5 looks at, read without building a tree by tdewolff/parse's HTML
// lexer, which hands out slices of the page itself and allocates nothing
// per token (issue 16: x/net/html's tokenizer allocated for every
// attribute and every page, and was the crawl's main cost).
// It does not read items, navigation, messages or the identity footer:
// pages that need those (the homepage, column lists, consultation pages)
// go through Parse. It is several times faster than Parse and Extract.
//
// A page Scan returns may be handed back with Release once nothing reads
// it any more: the next Scan reuses its link slice.
func Scan(r io.Reader, base *url.URL, opt Options) (*Page, error) {
	s := scanners.Get().(*scanner)
	defer s.release()
	return s.scan(r, base, opt)
}

// ScanOrParse scans a page and, when it shows message records (留言时间:
// a consultation's messages, which only a tree reads), reads it again as
// a tree (Parse) from the bytes Scan read. tree says which it did. For
// the pages that are not a column's list but may hold messages: most
// are articles, read at Scan's cost.
func ScanOrParse(r io.Reader, base *url.URL, opt Options) (page *Page, tree bool, err error) {
	s := scanners.Get().(*scanner)
	defer s.release()
	page, err = s.scan(r, base, opt)
	if err != nil || !page.asksMessages {
		return page, false, err
	}
	Release(page)
	page, err = Parse(bytes.NewReader(s.src), base, opt)
	return page, true, err
}

func (s *scanner) scan(r io.Reader, base *url.URL, opt Options) (*Page, error) {
	x := &s.extractor
	*x = extractor{opt: opt, base: base, page: scanPages.Get().(*Page), baseKey: s.baseKeyOf(base), newLinks: x.newLinks, local: &s.local}
	if opt.SameSite == nil {
		x.opt.SameSite = func(u *url.URL) bool { return strings.EqualFold(u.Host, base.Host) }
	}
	s.body = io.LimitedReader{R: r, N: maxBody}
	if err := s.read(); err != nil {
		Release(x.page)
		return nil, err
	}
	s.reset(x, newTextChecks(opt))
	err := s.run()
	x.cacheNewLinks()
	if err != nil {
		Release(x.page)
		return nil, err
	}
	s.checks.add(s.visible) // once per page: far cheaper than once per text
	x.page.Security = x.security(&s.checks)
	x.page.Placeholder = s.checks.placeholder
	x.page.asksMessages = s.checks.asked
	x.finish(&s.checks, s.visibleBytes)
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

// maxVisibleBuffer bounds the text kept for the checks: past it, the
// text so far is checked and dropped (a hostile page's 2 MiB of text
// would otherwise be held, and grown, per worker).
const maxVisibleBuffer = 64 << 10

// maxKeptSource bounds the page buffer a pooled scanner keeps (a page
// is 20–300 KiB; a hostile one of 2 MiB is not kept for the next).
const maxKeptSource = 512 << 10

// maxKeptBuffer bounds a buffer a pooled scanner keeps.
const maxKeptBuffer = 64 << 10

// read reads the page (at most maxBody) into the scanner's buffer, with
// room for the NUL the lexer puts after it.
func (s *scanner) read() error {
	buf := bytes.NewBuffer(s.src[:0])
	_, err := buf.ReadFrom(&s.body)
	s.src = buf.Bytes()
	if len(s.src) == cap(s.src) {
		s.src = append(s.src, 0)[:len(s.src)]
	}
	return err
}

func (s *scanner) reset(x *extractor, checks textChecks) {
	s.lex = thtml.NewLexer(tparse.NewInputBytes(s.src))
	s.x, s.checks = x, checks
	s.node = html.Node{Attr: s.node.Attr[:0]}
	s.open, s.skip, s.title = s.open[:0], 0, false
	s.a = openAnchor{href: s.a.href[:0], text: s.a.text[:0], title: s.a.title[:0]}
	s.key, s.name, s.visible, s.visibleBytes = s.key[:0], s.name[:0], s.visible[:0], 0
}

// release returns the scanner to the pool, holding nothing of the page.
func (s *scanner) release() {
	s.x, s.lex, s.checks = nil, nil, textChecks{}
	s.src = kept(s.src, maxKeptSource)
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
	case atom.Meta:
		return metaAttrs
	}
	return nil
}

var (
	linkAttrs    = []string{"href", "title"}
	imgAttrs     = []string{"src", "alt", "title"}
	inputAttrs   = []string{"type", "name", "id", "class", "placeholder", "value"}
	baseAttrs    = []string{"href"}
	marqueeAttrs = []string{"width", "height"}
	metaAttrs    = []string{"name", "content", "http-equiv"}
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
	// local: this scanner's copy of the shared cache's links
	local localLinks

	// body is the page's reader, bounded (maxBody); src the page read
	// from it, which every slice the lexer hands out points into.
	body   io.LimitedReader
	src    []byte
	node   html.Node
	checks textChecks
	x      *extractor
	lex    *thtml.Lexer
	open   []openElement
	// the start tag being read: its name, atom, the attributes it keeps
	tagName   []byte
	tag       atom.Atom
	keep      []string
	isAnchor  bool
	hrefSeen  bool
	unescaped []byte // scratch: a text or value with its character references resolved
	skip      int    // inside script, style, ...: not text a reader sees
	title     bool
	a         openAnchor
	key       []byte // scratch: a link text reduced to compare with pager words
	name      []byte // scratch: the current tag's name
	// visible is the page's text a reader sees, each text ended by a NUL
	// (which no phrase or number holds, so none is found across two).
	visible      []byte
	visibleBytes int // all the page's, checked or not
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
		tt, _ := s.lex.Next()
		switch tt {
		case thtml.ErrorToken:
			s.closeAnchor()
			if err := s.lex.Err(); err != io.EOF {
				return err
			}
			return nil
		case thtml.TextToken:
			s.text(s.resolve(s.lex.Text()))
		case thtml.StartTagToken:
			s.beginTag(s.lex.Text())
		case thtml.AttributeToken:
			s.attr(s.lex.AttrKey(), s.lex.AttrVal())
		case thtml.StartTagCloseToken:
			s.start(false)
		case thtml.StartTagVoidToken:
			s.start(true)
		case thtml.EndTagToken:
			s.end(s.lex.Text())
		}
	}
}

// resolve is b with its character references (&amp; &gt; &nbsp; …)
// resolved, as x/net/html's tokenizer gives text: the lexer gives the
// page's bytes as they are. Most texts have none and cost nothing.
func (s *scanner) resolve(b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	s.unescaped = append(s.unescaped[:0], html.UnescapeString(string(b))...)
	return s.unescaped
}

// value is an attribute's value without its quotes, references resolved.
func (s *scanner) value(v []byte) []byte {
	if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
		q := v[0]
		v = v[1:]
		if len(v) > 0 && v[len(v)-1] == q {
			v = v[:len(v)-1]
		}
	}
	return s.resolve(v)
}

func (s *scanner) text(t []byte) {
	switch {
	case s.title && s.x.page.Title == "":
		s.x.page.Title = clean(string(t))
	case s.skip > 0:
	default:
		if !blank(t) {
			if len(s.visible)+len(t) >= maxVisibleBuffer {
				s.checks.add(s.visible) // texts end at a NUL: no phrase spans two checks
				s.visible = s.visible[:0]
			}
			s.visible = append(append(s.visible, t...), 0)
			s.visibleBytes += len(t)
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

// beginTag starts reading a start tag. HTML ends a tag's name at a "/"
// ("<div/hidden>" is a div with the attribute hidden); the lexer reads
// on to white space, so what follows the slash is read as attributes.
func (s *scanner) beginTag(name []byte) {
	i := bytes.IndexByte(name, '/')
	if i <= 0 {
		s.begin(name)
		return
	}
	rest := name[i+1:]
	s.begin(name[:i])
	for _, a := range bytes.Split(rest, []byte("/")) {
		if len(a) > 0 {
			k, v, _ := bytes.Cut(a, []byte("="))
			s.attr(k, v)
		}
	}
}

// begin starts reading a start tag (its name, lower-cased by the lexer).
func (s *scanner) begin(name []byte) {
	// One scratch node for every tag: nothing is allocated for the many
	// tags that keep no attribute.
	n := &s.node
	s.tagName, s.tag = name, atom.Lookup(name)
	n.Type, n.DataAtom, n.Attr = html.ElementNode, s.tag, n.Attr[:0]
	s.keep = keptAttrs(s.tag)
	s.isAnchor = (s.tag == atom.A || s.tag == atom.Area) && s.skip == 0
	s.hrefSeen = false
	if s.isAnchor {
		s.closeAnchor()
		s.a.href, s.a.title = s.a.href[:0], s.a.title[:0]
	}
}

// attr reads one attribute of the start tag (its name lower-cased by the
// lexer): only the attributes the checks read are kept, and a link's
// href and title are kept as bytes (most links are found in the cache).
func (s *scanner) attr(k, v []byte) {
	n := &s.node
	switch { // string(k) in a comparison allocates nothing
	case s.isAnchor && string(k) == "href":
		if !s.hrefSeen { // the first of a repeated attribute counts, as in a tree
			s.a.href, s.hrefSeen = append(s.a.href[:0], s.value(v)...), true
		}
	case s.isAnchor && string(k) == "title":
		if len(s.a.title) == 0 {
			s.a.title = append(s.a.title, s.value(v)...)
		}
	case len(n.Attr) < maxScanAttrs:
		if name := keptName(s.keep, k); name != "" {
			n.Attr = append(n.Attr, html.Attribute{Key: name, Val: string(s.value(v))})
		}
	}
}

// start reads the start tag whose attributes were read.
func (s *scanner) start(selfClosing bool) {
	n, tag, name := &s.node, s.tag, s.tagName
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
	case atom.Meta:
		s.x.readMeta(attr(n, "name"), attr(n, "http-equiv"), attr(n, "content"))
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
	for i := len(s.open) - 1; i >= max(len(s.open)-maxEndSearch, 0); i-- {
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
	if x.full() {
		return
	}
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
	x.addLink(l)
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
