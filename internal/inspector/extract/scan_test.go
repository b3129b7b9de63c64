package extract

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// scanAndParse reads a page both ways.
func scanAndParse(t *testing.T, body string, opt Options) (scanned, parsed *Page) {
	t.Helper()
	var err error
	if scanned, err = Scan(strings.NewReader(body), testBase, opt); err != nil {
		t.Fatal(err)
	}
	return scanned, parse(t, body, opt)
}

func linkSet(p *Page) []string {
	var out []string
	for _, l := range p.Links {
		s := l.URL.String()
		if l.Hidden {
			s += " hidden"
		}
		if l.Pager {
			s += " pager"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestScanAgreesWithParse: the light reading finds the links, pager,
// hidden links and V5 findings the tree finds.
func TestScanAgreesWithParse(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		errorEntry bool // besides agreeing, both find the 找错 entry
	}{
		{"article", `<html><head><title>文章</title><base href="/list/"></head><body>
			<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xw/">要闻动态</a></li></ul></div>
			<div class="article"><h1>标题</h1><p>联系人身份证号：11010519491231002X。</p>
			<p><a href="doc.pdf">附件</a> <a href=" /x.html#frag ">相关</a> <img src="/img/a.png"></p>
			<div class="pager"><a href="list_1.html">上一页</a><a href="list_3.html">下一页</a><a href="list_9.html">9</a></div></div>
			<div style="display:none"><a href="http://spam.example.com/1">a</a><a href="http://spam.example.com/2">b</a><a href="http://spam.example.com/3">c</a></div>
			<p><a href="http://bad.example.com/">澳门娱乐城</a></p>
			<div class="footer"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html"><img src="/jc.png" alt="我为政府网站找错"></a></div>
			</body></html>`, true},
		{"unclosed markup", `<ul><li><a href="a.html">一<li><a href="b.html">二</ul><p><a href="c.html">三<p>四`, false},
		{"hidden by an unclosed ancestor", `<div style="visibility:hidden"><p><a href="http://x.example.com/">x</a></div><a href="http://y.example.com/">y</a>`, false},
		{"scripts and noscript are not read", `<script>var a='<a href="http://x.example.com/">x</a> 11010519491231002X';</script><noscript><a href="/ns.html">ns</a></noscript><a href="/ok.html">ok</a>`, false},
		{"defaced", `<h1>HACKED BY somebody</h1>`, false},
		{"a placeholder", `<div class="list"><p>正在建设中</p></div>`, false},
		{"upper-case tags and entities", `<A HREF="/a.html?x=1&amp;y=2">甲</A><IMG SRC="/b.png">`, false},
		{"hidden after a slash", `<div/hidden><a href="http://x.example.com/">x</a></div><p	style="display:none"><a href="http://y.example.com/">y</a></p>`, false},
		{"找错 entry by its address alone", `<a href="https://zfwzgl.www.gov.cn/exposure/JiuCuo.html">纠错</a>`, true},
		{"找错 entry by a script address", `<a href=" javascript:openZhaocuo() ">纠错</a>`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, p := scanAndParse(t, tc.body, testOptions)
			if got, want := linkSet(s), linkSet(p); !slices.Equal(got, want) {
				t.Errorf("links\n scan %v\nparse %v", got, want)
			}
			if (s.Next == nil) != (p.Next == nil) || s.Next != nil && s.Next.String() != p.Next.String() {
				t.Errorf("next: scan %v parse %v", s.Next, p.Next)
			}
			ss, ps := s.Security, p.Security
			if !slices.Equal(ss.IDNumbers, ps.IDNumbers) || len(ss.Gambling) != len(ps.Gambling) ||
				len(ss.HiddenExternal) != len(ps.HiddenExternal) || ss.Defacement != ps.Defacement {
				t.Errorf("security\n scan %+v\nparse %+v", ss, ps)
			}
			if tc.errorEntry && !s.ErrorEntry {
				t.Error("the 找错 entry was not found")
			}
			if s.Placeholder != p.Placeholder || s.ErrorEntry != p.ErrorEntry || s.PasswordForm != p.PasswordForm {
				t.Errorf("placeholder/errorEntry/password: scan %v %v %v parse %v %v %v", s.Placeholder, s.ErrorEntry, s.PasswordForm,
					p.Placeholder, p.ErrorEntry, p.PasswordForm)
			}
		})
	}
}

func TestResolveCacheSharesKeys(t *testing.T) {
	opt := testOptions
	opt.Cache = NewResolveCache()
	opt.Key = func(u *url.URL) string { return "key:" + u.Path }
	body := `<a href="/a.html">a</a><a href="b.html">b</a>`
	for i := 0; i < 2; i++ { // the second page is served from the cache
		p, err := Scan(strings.NewReader(body), testBase, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Links) != 2 || p.Links[0].Key != "key:/a.html" || p.Links[1].Key != "key:/list/b.html" {
			t.Fatalf("round %d: links %+v", i, p.Links)
		}
	}
	if opt.Cache.size != 1 {
		t.Errorf("cache holds %d links, want 1: /a.html, added once its page was read (b.html is relative)", opt.Cache.size)
	}
	// A relative link depends on the page: it is not cached.
	other := mustURL("http://www.example.gov.cn/other/page.html")
	p, _ := Scan(strings.NewReader(body), other, opt)
	if p.Links[1].URL.Path != "/other/b.html" {
		t.Errorf("relative link resolved against another page: %s", p.Links[1].URL)
	}
}

// TestScanNamesAnyCase: tag and attribute names are read whatever
// their case or separator; values with or without quotes, with character
// references resolved; texts with theirs.
func TestScanNamesAnyCase(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`<A HREF="/x">甲</A>`, "http://www.example.gov.cn/x"},
		{"<a\nhref='/y'>乙</a>", "http://www.example.gov.cn/y"},
		{"<a\thref=/z>丙</a>", "http://www.example.gov.cn/z"},
		{`<a href="/q?a=1&amp;b=2">丁</a>`, "http://www.example.gov.cn/q?a=1&b=2"},
		{`<a href="/first" href="/second">戊</a>`, "http://www.example.gov.cn/first"},
	} {
		p := scan(t, tc.doc, testOptions)
		if len(p.Links) != 1 || p.Links[0].URL.String() != tc.want {
			t.Errorf("%q: links %v, want %s", tc.doc, p.Links, tc.want)
		}
	}
	p := scan(t, `<div class="pager"><a href="/list_2.html">下一页&gt;&gt;</a></div>`, testOptions)
	if p.Next == nil || p.Next.Path != "/list_2.html" {
		t.Errorf("a pager written with references: next %v", p.Next)
	}
}

// Scanners are pooled: a page left half-read (an open link, an open
// <script>, a title, text) must leave nothing to the next page scanned.
func TestScanLeavesNothingToTheNextPage(t *testing.T) {
	next := `<html><head><title>第二页</title></head><body><a href="/b.html">乙</a> 正文</body></html>`
	want, err := Scan(strings.NewReader(next), testBase, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, release := range []bool{false, true} { // released: the crawl's way, its links reused
		for _, first := range []string{
			`<a href="/dangling.html">未闭合的链接`,
			`<script>var x = "<a href='/s.html'>"`,
			`<title>未闭合的标题`,
			`<div style="display:none"><a href="http://x.example/">隐藏</a>`,
			`暂无信息 hacked by 110101199003074514`,
		} {
			p, err := Scan(strings.NewReader(first), testBase, testOptions)
			if err != nil {
				t.Fatal(err)
			}
			if release {
				Release(p)
			}
			got, err := Scan(strings.NewReader(next), testBase, testOptions)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Errorf("after %q (released %v), the next page read differently:\nfresh %+v\nafter %+v", first, release, want, got)
			}
		}
	}
}
