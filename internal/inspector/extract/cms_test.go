package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestTRSScriptPager: createPageHTML(count, current, "index", ext) names
// the next page (index_1.ext after index.ext) until the last; the
// arguments are numbers or variables set above, as TRS templates write.
func TestTRSScriptPager(t *testing.T) {
	for _, tc := range []struct {
		script, next string
	}{
		{`createPageHTML(3, 0, "index", "html");`, "http://www.example.gov.cn/list/index_1.html"},
		{`createPageHTML(3, 1, "index", "shtml");`, "http://www.example.gov.cn/list/index_2.shtml"},
		{`createPageHTML(3, 2, "index", "html");`, ""}, // the last page
		{`createPageHTML(1, 0, "index", "html");`, ""}, // a single page
		{"var currentPage = 0;//所在页从0开始\nvar prevPage = currentPage-1//上一页\nvar countPage = 5//共多少页\ncreatePageHTML(countPage, currentPage, \"index\", \"shtml\");",
			"http://www.example.gov.cn/list/index_1.shtml"},
		{"var countPage = 5, currentPage = 4; createPageHTML(countPage, currentPage, 'index', 'htm');", ""},
		{`createPageHTML(100000, 199, "index", "html");`, ""}, // past maxScriptPages
		{`createPageHTML(100000, 198, "index", "html");`, "http://www.example.gov.cn/list/index_199.html"},
		{`createPageHTML(countPage, 0, "index", "html");`, ""}, // a count nobody sets
	} {
		p := parse(t, "<ul><li><a href=a.html>第一条消息标题</a> 2026-11-18</li></ul><script>"+tc.script+"</script>", testOptions)
		got := ""
		if p.Next != nil {
			got = p.Next.String()
		}
		if got != tc.next {
			t.Errorf("%s: next %q, want %q", tc.script, got, tc.next)
		}
	}
}

// TestHanwebDatastoreAndJpage: the records of a data store are the
// list's items (links, titles, dates) and links; jpage's proxy is asked
// for the records past those the page holds, perPage × groupSize at a
// time, with the pager's parameters.
func TestHanwebDatastoreAndJpage(t *testing.T) {
	var recs strings.Builder
	for k := 0; k < 45; k++ {
		fmt.Fprintf(&recs, "<record><![CDATA[\n<li><a href=\"/art/2026/11/%d/art_12_%d.html\" title=\"t\">第%d条工作动态标题</a><span>2026-11-%02d</span></li>\n]]></record>\n", 1+k%28, k, k, 1+k%28)
	}
	page := `<div id="4012"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=12&unitid=4321&webname=%E5%B8%82&permissiontype=0"></a>]]></nextgroup><recordset>` +
		recs.String() + `</recordset></datastore></script></div>
<script>$(document).ready(function(){ $('#4012').jpage({ dataStore: dataStore, totalRecord: 100, perPage: 15, groupSize: 3, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {col: 1, appid: 1, webid: 1, columnid: 12, sourceContentType: 1, unitid: '4321', permissiontype: 0} }); });</script>`
	p := parse(t, page, testOptions)
	if len(p.Items) != 45 || p.Items[0].Title != "第0条工作动态标题" || p.Items[0].Date.Format(time.DateOnly) != "2026-11-01" ||
		p.Items[0].URL != "http://www.example.gov.cn/art/2026/11/1/art_12_0.html" {
		t.Fatalf("%d items, first %+v", len(p.Items), p.Items)
	}
	if len(p.Links) != 45 {
		t.Errorf("%d links, want the 45 records' (dead links are checked on them)", len(p.Links))
	}
	var got []string
	for _, u := range p.ScriptPages {
		got = append(got, u.String())
	}
	want := []string{
		"http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?appid=1&col=1&columnid=12&endrecord=90&path=%2F&permissiontype=0&perpage=15&sourceContentType=1&startrecord=46&unitid=4321&webid=1&webname=%E5%B8%82",
		"http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?appid=1&col=1&columnid=12&endrecord=100&path=%2F&permissiontype=0&perpage=15&sourceContentType=1&startrecord=91&unitid=4321&webid=1&webname=%E5%B8%82",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("script pages:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// All records on the page: nothing to ask for.
	p = parse(t, strings.Replace(page, "totalRecord: 100", "totalRecord: 45", 1), testOptions)
	if len(p.ScriptPages) != 0 {
		t.Errorf("script pages %v for a list the page holds whole", p.ScriptPages)
	}

	// The proxy's answer, XML, read as the list's next items.
	xml := `<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>` + recs.String()[:2*len(recs.String())/45] + `</recordset></datastore>`
	p = parse(t, xml, testOptions)
	if len(p.Items) != 2 || !p.Items[1].Dated() {
		t.Errorf("the proxy's records: %+v", p.Items)
	}
}

// TestForwardingPage: a page that only forwards (meta refresh, a
// window.location line) says where; a homepage that also redirects
// mobiles in its script is a homepage.
func TestForwardingPage(t *testing.T) {
	var links strings.Builder
	for k := 0; k < 10; k++ {
		fmt.Fprintf(&links, `<li><a href="/c%d/">栏目%d</a></li>`, k, k)
	}
	for _, tc := range []struct {
		name, body, to, by string
	}{
		{"meta refresh", `<html><head><meta http-equiv="refresh" content="0;url=/zwgk/index.shtml"></head><body>正在跳转</body></html>`, "http://www.example.gov.cn/zwgk/index.shtml", "meta-refresh"},
		{"meta refresh, quoted URL", `<meta http-equiv="Refresh" content="0; URL='/col/col1/index.html'">`, "http://www.example.gov.cn/col/col1/index.html", "meta-refresh"},
		{"window.location.href", `<script>window.location.href="/zwgk/index.shtml";</script>`, "http://www.example.gov.cn/zwgk/index.shtml", "script"},
		{"location.replace", `<script type="text/javascript">location.replace('http://www.example.gov.cn/col/col1/index.html')</script>`, "http://www.example.gov.cn/col/col1/index.html", "script"},
		{"a homepage redirecting mobiles", `<ul class="nav">` + links.String() + `</ul><script>if (/Mobile/.test(navigator.userAgent)) { window.location = "/m/"; }</script>`, "", ""},
		{"a refresh to itself", `<meta http-equiv="refresh" content="300">`, "", ""},
	} {
		p := parse(t, tc.body, testOptions)
		got := ""
		if p.Forward != nil {
			got = p.Forward.String()
		}
		if got != tc.to || p.ForwardBy != tc.by {
			t.Errorf("%s: forward %q by %q, want %q by %q", tc.name, got, p.ForwardBy, tc.to, tc.by)
		}
	}
}

// TestArticleMetadata: the national standard's meta tags and the
// 发布时间 line date a page, in Parse and in Scan alike.
func TestArticleMetadata(t *testing.T) {
	meta := `<head><meta name="SiteName" content="某某市人民政府"><meta name="SiteDomain" content="www.example.gov.cn"><meta name="SiteIDCode" content="1201000002">` +
		`<meta name="ColumnName" content="通知公告"><meta name="ArticleTitle" content="关于做好工作的通知"><meta name="PubDate" content="2026-11-18 09:30"><meta name="ContentSource" content="市政府办公室"></head>`
	for _, tc := range []struct {
		name, body, date string
	}{
		{"PubDate meta", meta + `<body><p>正文</p></body>`, "2026-11-18"},
		{"PubDate meta before the line", meta + `<body><p>发布时间：2026-11-10</p></body>`, "2026-11-18"},
		{"发布时间 line", `<div class="info">发布时间：2026-11-17 10:00　来源：市政府</div>`, "2026-11-17"},
		{"发布日期, full-width", `<p>发布日期：２０２６年１１月１６日</p>`, "2026-11-16"},
		{"a date far from its label", `<p>发布时间：详见正文。本通知自2026-11-15起施行</p>`, ""},
		{"no date", `<p>正文</p>`, ""},
	} {
		for _, read := range []struct {
			name string
			fn   func(string) *Page
		}{
			{"Parse", func(b string) *Page { return parse(t, b, testOptions) }},
			{"Scan", func(b string) *Page { return scan(t, b, testOptions) }},
		} {
			p := read.fn(tc.body)
			got := ""
			if !p.PubDate.IsZero() {
				got = p.PubDate.Format(time.DateOnly)
			}
			if got != tc.date {
				t.Errorf("%s, %s: date %q, want %q", tc.name, read.name, got, tc.date)
			}
		}
	}
	p := scan(t, meta, testOptions)
	if a := p.Article; a.SiteIDCode != "1201000002" || a.ColumnName != "通知公告" || a.ContentSource != "市政府办公室" || a.SiteName != "某某市人民政府" {
		t.Errorf("article meta %+v", a)
	}
}

// TestProseAndForm: a page of prose or a form to write in is content,
// not a blank column; navigation, header and footer text do not count.
func TestProseAndForm(t *testing.T) {
	chrome := `<div class="header">` + strings.Repeat("某某市人民政府门户网站", 20) + `</div><div class="nav"><a href="/">首页</a></div><div class="footer">` + strings.Repeat("主办单位", 30) + `</div>`
	for _, tc := range []struct {
		name        string
		body        string
		prose, form bool
	}{
		{"blank", chrome + `<div class="list"><p>暂无信息</p></div>`, false, false},
		{"99 characters", chrome + `<p>` + strings.Repeat("职", 99) + `</p>`, false, false},
		{"100 characters", chrome + `<p>` + strings.Repeat("职", 100) + `</p>`, true, false},
		{"a message form", chrome + `<form action="/submit"><input name="title"><textarea name="content"></textarea></form>`, false, true},
		{"a search form", chrome + `<form action="/search"><input name="searchword"></form>`, false, false},
	} {
		p := parse(t, tc.body, testOptions)
		if p.Prose != tc.prose || p.Form != tc.form {
			t.Errorf("%s: prose %v form %v, want %v %v", tc.name, p.Prose, p.Form, tc.prose, tc.form)
		}
	}
}

// TestWordingErrors (V5): the profile's wrong names of state organs are
// found in a page's text with the text around them; the right names,
// and names that only share a part, are not.
func TestWordingErrors(t *testing.T) {
	opt := testOptions
	opt.WrongWords = []string{"国务院办公室", "人力资源与社会保障", "人民检查院"}
	for _, tc := range []struct {
		text, want string
	}{
		{"<p>请报送市人力资源和社会保障局。</p>", ""},
		{"<p>国务院办公厅印发通知</p>", ""},
		{"<p>国务院港澳事务办公室</p>", ""},
		{"<p>人民检察院</p>", ""},
		{"<p>请各单位于月底前将材料报送市人力资源与社会保障局。</p>", "人力资源与社会保障|单位于月底前将材料报送市人力资源与社会保障局。"}, // 12 characters (36 bytes) on each side
		{"<p>转发国务院办公室关于</p><p>某某工作的通知</p>", "国务院办公室|转发国务院办公室关于 某某工作的通知"},
		{"<p>最高人民检查院</p>", "人民检查院|最高人民检查院"},
	} {
		for _, p := range []*Page{parse(t, tc.text, opt), scan(t, tc.text, opt)} {
			got := ""
			if w := p.Security.Wording; len(w) > 0 {
				got = w[0].Wrong + "|" + w[0].Context
			}
			if got != tc.want {
				t.Errorf("%s: %q, want %q", tc.text, got, tc.want)
			}
		}
	}
}

// TestDeepNesting: a page nested past x/net/html's 512 open elements is
// still read as a tree, its content whole.
func TestDeepNesting(t *testing.T) {
	body := `<div class="nav"><ul><li><a href="/a/">要闻</a></li><li><a href="/b/">通知</a></li></ul></div>` +
		`<ul class="list"><li><a href="/a/1.html">第一条消息标题</a> 2026-11-18</li></ul>`
	for _, depth := range []int{100, 511, 600, 5000} {
		p := parse(t, "<html><body>"+strings.Repeat("<div>", depth)+body, testOptions)
		if len(p.Nav) != 2 || len(p.Items) != 1 {
			t.Errorf("depth %d: nav %d items %d", depth, len(p.Nav), len(p.Items))
		}
	}
	// Closed elements nested past the limit: the deepest are left out.
	p := parse(t, strings.Repeat("<span>", 700)+"深处的文字"+strings.Repeat("</span>", 700)+body, testOptions)
	if len(p.Items) != 1 {
		t.Errorf("closed elements 700 deep: items %d", len(p.Items))
	}
}

// TestPageLinksAreBounded: a page of 50,000 links keeps the first 5,000.
func TestPageLinksAreBounded(t *testing.T) {
	var b strings.Builder
	for k := 0; k < 50000; k++ {
		fmt.Fprintf(&b, `<a href="/x/%d.html">%d</a>`, k, k)
	}
	for _, p := range []*Page{parse(t, b.String(), testOptions), scan(t, b.String(), testOptions)} {
		if len(p.Links) != maxPageLinks || p.LinksOmitted != 50000-maxPageLinks {
			t.Errorf("links %d omitted %d", len(p.Links), p.LinksOmitted)
		}
	}
}

func scan(t *testing.T, body string, opt Options) *Page {
	t.Helper()
	p, err := Scan(strings.NewReader(body), testBase, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestScanOrParse: a page is read as a tree only when it shows message
// records (留言时间); its messages are then read as Parse reads them.
func TestScanOrParse(t *testing.T) {
	msgs := `<ul class="msgs"><li><a href="/m/1.html">关于公交线路的建议</a> <span>留言时间：2026-10-01</span> <span>回复时间：2026-10-03</span> <span>已回复</span></li></ul>`
	for _, tc := range []struct {
		body     string
		tree     bool
		messages int
	}{
		{`<div class="article"><h1>通知</h1><p>正文</p><a href="/a.html">上一篇</a></div>`, false, 0},
		{msgs, true, 1},
	} {
		p, tree, err := ScanOrParse(strings.NewReader(tc.body), testBase, testOptions)
		if err != nil || tree != tc.tree || len(p.Messages) != tc.messages || len(p.Links) != 1 {
			t.Errorf("%.40s…: tree %v messages %d links %d err %v", tc.body, tree, len(p.Messages), len(p.Links), err)
		}
	}
}
