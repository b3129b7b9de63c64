package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestCollapseSpace: the one-pass reading agrees with Fields and Join,
// Chinese spaces, no-break spaces and broken UTF-8 included.
func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "通知公告", "  通知\t公告 \n", "a  b", "留言时间\u00a02026-01-05", "工作\u3000动态", "\xff \xfe\u3000x", " 2026年 11月 ",
	} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzCollapseSpace(f *testing.F) {
	f.Add("  通知\t公告 \n")
	f.Add("\xff\u3000\u00a0x")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// The region heuristics read an element's class and id, in any case, and
// nothing else: a mark in a title or href is not a region.
func TestRegionMarks(t *testing.T) {
	el := func(attrs ...string) *html.Node {
		n := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		for i := 0; i+1 < len(attrs); i += 2 {
			n.Attr = append(n.Attr, html.Attribute{Key: attrs[i], Val: attrs[i+1]})
		}
		return n
	}
	cases := []struct {
		name string
		n    *html.Node
		is   func(*html.Node) bool
		want bool
	}{
		{"nav by class", el("class", "main-nav"), isNav, true},
		{"nav by id, capitals", el("id", "TopMenu"), isNav, true},
		{"nav by pinyin", el("class", "lmdh"), isNav, true},
		{"nav element", &html.Node{Type: html.ElementNode, Data: "nav", DataAtom: atom.Nav}, isNav, true},
		{"mark in a title is no region", el("title", "nav"), isNav, false},
		{"no attributes", el(), isNav, false},
		{"footer by id", el("id", "Footer"), isFooter, true},
		{"footer by pinyin", el("class", "banquan"), isFooter, true},
		{"header", el("class", "site-header"), isHeader, true},
		{"breadcrumb", el("class", "position"), isBreadcrumb, true},
		{"class and id both plain", el("class", "content", "id", "main"), isNav, false},
		{"the mark in the id, not the class", el("class", "content", "id", "SIDEBAR"), isNav, true},
	}
	for _, c := range cases {
		if got := c.is(c.n); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
