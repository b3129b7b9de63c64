package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// An item is the innermost list entry (li, tr, dd, dl, or a div/p that
// repeats among its siblings) holding one to three title links, outside
// navigation, header, footer and breadcrumb. Longer blocks are article
// text, not list entries.
const (
	maxItemRunes   = 300
	maxItemAnchors = 3
	minTitleRunes  = 2
)

func (x *extractor) items(root *html.Node) []Item {
	var out []Item
	x.scanItems(root, false, &out)
	return out
}

// scanItems walks post-order so that only the innermost container of a
// link becomes an item; it reports whether n holds an item.
func (x *extractor) scanItems(n *html.Node, excluded bool, out *[]Item) bool {
	if n.Type != html.ElementNode && n.Type != html.DocumentNode {
		return false
	}
	if n.Type == html.ElementNode {
		if skipped(n) {
			return false
		}
		excluded = excluded || isNav(n) || isFooter(n) || isHeader(n) || isBreadcrumb(n) || n == x.fallbackNav
	}
	inner := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if x.scanItems(c, excluded, out) {
			inner = true
		}
	}
	if inner {
		return true
	}
	if excluded || !x.isContainer(n) {
		return false
	}
	item, ok := x.makeItem(n)
	if ok {
		*out = append(*out, item)
	}
	return ok
}

func (x *extractor) isContainer(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Li, atom.Tr, atom.Dd, atom.Dl:
		return true
	case atom.Div, atom.P, atom.Article:
		return x.repeats(n)
	}
	return false
}

// repeats says a div or p has a sibling of the same tag and class that
// also holds a link: a list built of divs, not a single paragraph. The
// siblings are counted once per parent, so a page of 50,000 paragraphs
// stays linear.
func (x *extractor) repeats(n *html.Node) bool {
	if n.Parent == nil {
		return false
	}
	counts, ok := x.siblings[n.Parent]
	if !ok {
		counts = map[string]int{}
		for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode && hasDescendant(s, atom.A) {
				counts[siblingKey(s)]++
			}
		}
		x.siblings[n.Parent] = counts
	}
	others := counts[siblingKey(n)]
	if hasDescendant(n, atom.A) {
		others--
	}
	return others > 0
}

func siblingKey(n *html.Node) string { return n.Data + "." + attr(n, "class") }

// hasDescendant stops at the first match.
func hasDescendant(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !skipped(c) && (c.DataAtom == a || hasDescendant(c, a)) {
			return true
		}
	}
	return false
}

func (x *extractor) makeItem(n *html.Node) (Item, bool) {
	all := boundedText(n, 4*maxItemRunes)
	if runes(all) > maxItemRunes || containsAny(all, breadcrumbText) {
		return Item{}, false
	}
	var best *html.Node // the title: the longest title link's text
	var title string
	titles := 0
	for _, a := range descendants(n, atom.A) {
		t, ok := x.titleOf(a)
		if !ok {
			continue
		}
		if titles++; titles > maxItemAnchors {
			return Item{}, false
		}
		if best == nil || runes(t) > runes(title) {
			best, title = a, t
		}
	}
	if best == nil {
		return Item{}, false
	}
	item := Item{Title: title, Date: itemDate(n)}
	if u := x.readAnchor(best).u; u != nil {
		item.URL = u.String()
	}
	return item, true
}

// titleOf is a link's text when the link could be an item's title: not
// a pager or "more" link, not a column name, not a blank-column text.
func (x *extractor) titleOf(a *html.Node) (string, bool) {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return "", false
	}
	t := x.readAnchor(a).text
	ok := runes(t) >= minTitleRunes && !isPagerOrMore(t) && !x.navNames[t] && !x.opt.ColumnNames[t] &&
		!containsAny(t, x.opt.BlankMarkers)
	return t, ok
}

// itemDate prefers a date outside the title link (the usual
// <a>title</a><span>date</span>), then a date element inside the link,
// then a date inside the title text itself.
func itemDate(n *html.Node) time.Time {
	var outside, standalone, inTitle time.Time
	var visit func(*html.Node, bool)
	visit = func(n *html.Node, inAnchor bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				noteDate(c.Data, inAnchor, &outside, &standalone, &inTitle)
			case html.ElementNode:
				if !skipped(c) {
					visit(c, inAnchor || c.DataAtom == atom.A)
				}
			}
		}
	}
	visit(n, false)
	for _, d := range []time.Time{outside, standalone, inTitle} {
		if !d.IsZero() {
			return d
		}
	}
	return time.Time{}
}

func noteDate(s string, inAnchor bool, outside, standalone, inTitle *time.Time) {
	d, ok := FindDate(s)
	if !ok {
		return
	}
	switch {
	case !inAnchor:
		setOnce(outside, d)
	case IsDateOnly(s):
		setOnce(standalone, d)
	default:
		setOnce(inTitle, d)
	}
}

func setOnce(t *time.Time, d time.Time) {
	if t.IsZero() {
		*t = d
	}
}
