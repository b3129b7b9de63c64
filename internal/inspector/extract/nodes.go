package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns an attribute's value ("" when absent).
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// skipped elements hold no content a reader sees.
func skipped(n *html.Node) bool { return skippedTag(n.DataAtom) }

// skippedTag is skipped for a tag (the scanner has no node).
func skippedTag(tag atom.Atom) bool {
	switch tag {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Select, atom.Textarea:
		return true
	}
	return false
}

// classIDHas says an element's class or id, lower-cased, holds one of
// the marks: the region heuristics below. It runs several times for every
// element of a page read in full, so nothing is copied unless a name has
// capitals.
func classIDHas(n *html.Node, marks []string) bool {
	for _, a := range n.Attr {
		if (a.Key == "class" || a.Key == "id") && a.Val != "" && containsAny(asciiLower(a.Val), marks) {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only: class names, addresses and
// the English phrases searched for are ASCII, and strings.ToLower is slow
// on pages of Chinese text.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if c := b[j]; c >= 'A' && c <= 'Z' {
			b[j] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Class and id fragments that mark a site's navigation, footer and
// breadcrumb: the names CMS templates use (daohang and lmdh are pinyin for
// 导航 and 栏目导航; banquan for 版权).
var (
	navMarks       = []string{"nav", "menu", "daohang", "lmdh", "sidebar"}
	footerMarks    = []string{"foot", "bottom", "copyright", "banquan"}
	headerMarks    = []string{"header"}
	breadcrumbMark = []string{"crumb", "position", "location", "dqwz", "weizhi"}
	breadcrumbText = []string{"当前位置", "您的位置", "你的位置", "所在位置", "您现在的位置"}
)

func isNav(n *html.Node) bool {
	return n.DataAtom == atom.Nav || classIDHas(n, navMarks)
}

func isFooter(n *html.Node) bool {
	return n.DataAtom == atom.Footer || classIDHas(n, footerMarks)
}

func isHeader(n *html.Node) bool {
	return n.DataAtom == atom.Header || classIDHas(n, headerMarks)
}

func isBreadcrumb(n *html.Node) bool {
	return classIDHas(n, breadcrumbMark)
}

// Inline styles that hide an element: how injected link farms are hidden
// from a reader while search engines still see them (V5).
var (
	offscreenRE = regexp.MustCompile(`(left|top|text-indent|margin-left|margin-top):-\d{3,}`)
	zeroFontRE  = regexp.MustCompile(`font-size:0(px|pt|em|rem)?(;|!|$)`)
	zeroBoxRE   = regexp.MustCompile(`(height|width):[01](px)?(;|!|$)`)
)

func isHidden(n *html.Node) bool {
	if len(n.Attr) == 0 {
		return false // most elements: nothing below can hide them
	}
	if hasAttr(n, "hidden") {
		return true
	}
	if n.DataAtom == atom.Marquee && (tiny(attr(n, "height")) || tiny(attr(n, "width"))) {
		return true
	}
	style := strings.ToLower(strings.Join(strings.Fields(attr(n, "style")), ""))
	if style == "" {
		return false
	}
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden") ||
		offscreenRE.MatchString(style) || zeroFontRE.MatchString(style) ||
		strings.Contains(style, "overflow:hidden") && zeroBoxRE.MatchString(style)
}

func tiny(v string) bool {
	v = strings.TrimSuffix(strings.TrimSpace(v), "px")
	return v == "0" || v == "1" || v == "2"
}

// text is the visible text under n, text nodes joined by a space so that
// table cells and spans stay apart ("留言时间 2026-01-05").
func text(n *html.Node) string { return boundedText(n, -1) }

// boundedText stops reading after about limit bytes (no limit when
// negative): enough to tell a list entry from a block of content without
// reading the block once for each of its ancestors.
func boundedText(n *html.Node, limit int) string {
	var b strings.Builder
	appendText(&b, n, limit)
	return collapseSpace(b.String())
}

func appendText(b *strings.Builder, n *html.Node, limit int) {
	if limit >= 0 && b.Len() > limit {
		return
	}
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		b.WriteByte(' ')
		return
	case html.ElementNode:
		if skipped(n) {
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c, limit)
	}
}

// clean collapses white space, including the ideographic and no-break
// spaces CMS templates pad with.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	return collapseSpace(s)
}

// collapseSpace is strings.Join(strings.Fields(s), " ") in one pass and
// one allocation: every list entry and link text of a page goes through it.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(c) {
			gap = b.Len() > 0
		} else {
			if gap {
				b.WriteByte(' ')
				gap = false
			}
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isClean: no leading, trailing or repeated white space, and no white
// space but plain spaces (the common case, which then costs nothing).
func isClean(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			return false
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false // U+3000, U+00A0, ...
			}
			i += size - 1
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// maxPagerBytes: longer link texts are never pager words; most links are
// titles, and they skip the work below.
const maxPagerBytes = 32

// pagerKey reduces a link text to compare it with pager words:
// "下一页>>" and " 下一页 " are both 下一页.
func pagerKey(s string) string {
	if len(s) > maxPagerBytes {
		return "-"
	}
	return asciiLower(strings.Map(func(r rune) rune {
		if isPagerDecoration(r) {
			return -1
		}
		return r
	}, s))
}

func isPagerDecoration(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\u00a0', '\u3000', '>', '<', '»', '«', '›', '‹', '[', ']', '【', '】', '|':
		return true
	}
	return false
}

// isNextWord says a pager key (pagerKey) is the next page's link. A
// switch, not a map: it is asked for every link of every page.
func isNextWord(k string) bool {
	switch k {
	case "下一页", "下页", "next", "nextpage":
		return true
	}
	return false
}

// Link texts that are not item titles: pagers, "more" and home links.
var notTitle = map[string]bool{
	"下一页": true, "下页": true, "上一页": true, "上页": true, "首页": true, "尾页": true, "末页": true,
	"更多": true, "more": true, "详细": true, "详情": true, "查看": true, "go": true, "跳转": true, "返回": true,
	"网站首页": true, "返回首页": true, "next": true, "prev": true, "": true,
}

// isPagerWord says a pager key is one of a pager's words.
func isPagerWord(k string) bool {
	switch k {
	case "下一页", "下页", "上一页", "上页", "首页", "尾页", "末页", "next", "prev", "nextpage", "最后一页", "第一页":
		return true
	}
	return false
}

// isPager says a link text is a list's pager: a pager word or a page number.
func isPager(t string) bool { return isPagerKey([]byte(pagerKey(t))) }

func isPagerKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	if isPagerWord(string(k)) {
		return true
	}
	for _, c := range k {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(k) <= 4
}

// pagerKeyBytes is pagerKey for bytes, appended to dst (no allocation).
func pagerKeyBytes(dst, s []byte) []byte {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		switch {
		case isPagerDecoration(r):
		case r >= 'A' && r <= 'Z':
			dst = append(dst, byte(r+'a'-'A'))
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

func isPagerOrMore(t string) bool {
	k := pagerKey(t)
	if notTitle[k] || strings.HasPrefix(k, "更多") || strings.HasPrefix(k, "more") {
		return true
	}
	for _, r := range k {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true // a page number
}
