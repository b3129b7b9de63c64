package extract

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

var testBase = mustURL("http://www.example.gov.cn/list/index.html")

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

var testOptions = Options{
	BlankMarkers:      []string{"暂无信息", "暂无内容", "正在建设中"},
	GamblingWords:     []string{"博彩", "娱乐城", "百家乐", "casino"},
	DefacementPhrases: []string{"hacked by"},
	Identity:          true,
}

func parse(t *testing.T, body string, opt Options) *Page {
	t.Helper()
	p, err := Parse(strings.NewReader(body), testBase, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func dates(items []Item) []string {
	var out []string
	for _, it := range items {
		if it.Dated() {
			out = append(out, it.Date.Format(time.DateOnly))
		} else {
			out = append(out, "-")
		}
	}
	return out
}

func TestItems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		body  string
		dates string // the items' dates, "-" for undated, joined by spaces
	}{
		{"li with span", `<ul><li><a href="a1.html">关于做好冬季供暖工作的通知</a><span>2026-11-20</span></li>
			<li><a href="a2.html">市政府常务会议</a><span>2026/11/18</span></li></ul>`, "2026-11-20 2026-11-18"},
		{"date before the title", `<ul><li>[2026-11-20] <a href="a1.html">关于做好冬季供暖工作的通知</a></li></ul>`, "2026-11-20"},
		{"chinese and dotted dates", `<ul><li><a href="a1.html">标题一二三</a>2026年11月20日</li><li><a href="a2.html">标题四五六</a>(2026.11.19)</li></ul>`, "2026-11-20 2026-11-19"},
		{"table rows", `<table><tr><th>标题</th><th>日期</th></tr><tr><td><a href="a1.html">政策文件一</a></td><td>2026-11-20</td></tr>
			<tr><td><a href="a2.html">政策文件二</a></td><td>2026-10-01</td></tr></table>`, "2026-11-20 2026-10-01"},
		{"repeated divs", `<div class="list"><div class="item"><a href="a1.html">动态一号</a><span>2026-11-20</span></div>
			<div class="item"><a href="a2.html">动态二号</a><span>2026-11-19</span></div></div>`, "2026-11-20 2026-11-19"},
		{"a single div is not a list", `<div class="intro"><a href="about.html">机构简介页面</a> 2026-11-20</div>`, ""},
		{"undated items", `<ul><li><a href="a1.html">领导简介</a></li><li><a href="a2.html">机构职能</a></li></ul>`, "- -"},
		{"the date outside the title wins", `<ul><li><a href="a1.html">关于2026年12月1日停电的通知</a><span>2026-11-20</span></li></ul>`, "2026-11-20"},
		{"a date inside the link", `<ul><li><a href="a1.html">关于停电的通知<span>2026-11-20</span></a></li></ul>`, "2026-11-20"},
		{"pager and more links are not items", `<ul><li><a href="list_2.html">下一页</a></li><li><a href="more.html">更多&gt;&gt;</a></li><li><a href="list_3.html">3</a></li></ul>`, ""},
		{"navigation, footer and breadcrumb are not items", `<div class="nav"><ul><li><a href="/a/">要闻动态</a></li></ul></div>
			<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/a/">通知公告</a></div>
			<div class="footer"><ul><li><a href="/map.html">网站地图</a></li></ul></div>`, ""},
		{"placeholders are not items", `<ul><li><a href="x.html">暂无信息</a></li></ul>`, ""},
		{"javascript and fragment links are not titles", `<ul><li><a href="javascript:void(0)">标题甲乙</a></li><li><a href="#top">标题丙丁</a></li></ul>`, ""},
		{"nested lists count the inner entries", `<ul><li>分类<ul><li><a href="a1.html">内层一号</a>2026-11-20</li><li><a href="a2.html">内层二号</a>2026-11-19</li></ul></li></ul>`, "2026-11-20 2026-11-19"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(t, tc.body, testOptions)
			if got := strings.Join(dates(p.Items), " "); got != tc.dates {
				t.Errorf("items %q, want %q", got, tc.dates)
			}
		})
	}
}

func TestItemTitleAndURL(t *testing.T) {
	p := parse(t, `<ul><li>[<a href="/cat/">要闻</a>] <a href="a1.html">关于做好冬季供暖工作的通知</a> 2026-11-20</li></ul>`, testOptions)
	if len(p.Items) != 1 || p.Items[0].Title != "关于做好冬季供暖工作的通知" || p.Items[0].URL != "http://www.example.gov.cn/list/a1.html" {
		t.Fatalf("items = %+v", p.Items)
	}
}

func TestColumnNamesAreNotItems(t *testing.T) {
	body := `<div class="side"><ul><li><a href="/a/">要闻动态</a></li><li><a href="/b/">通知公告</a></li></ul></div>`
	if p := parse(t, body, testOptions); len(p.Items) != 2 {
		t.Fatalf("without column names: %d items, want 2", len(p.Items))
	}
	opt := testOptions
	opt.ColumnNames = map[string]bool{"要闻动态": true, "通知公告": true}
	if p := parse(t, body, opt); len(p.Items) != 0 {
		t.Fatalf("with the homepage's column names: %v, want none", p.Items)
	}
}

func TestNav(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"nav element", `<nav><a href="/">首页</a><a href="/xw/">新闻动态</a><a href="/tz/">通知公告</a></nav>`, "首页 新闻动态 通知公告"},
		{"menu class", `<div id="mainMenu"><ul><li><a href="/xw/">新闻动态</a></li><li><a href="/tz/">通知公告</a></li></ul></div>`, "新闻动态 通知公告"},
		{"unmarked bar of short links", `<div><ul><li><a href="/xw/">新闻动态</a></li><li><a href="/tz/">通知公告</a></li><li><a href="/hd/">互动交流</a></li></ul></div>
			<ul><li><a href="a1.html">市政府召开常务会议</a>2026-11-20</li></ul>`, "新闻动态 通知公告 互动交流"},
		{"a dated list is no bar", `<ul><li><a href="a1.html">一</a>2026-11-20</li><li><a href="a2.html">二</a>2026-11-19</li><li><a href="a3.html">三</a>2026-11-18</li></ul>`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range parse(t, tc.body, testOptions).Nav {
				got = append(got, l.Text)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("nav %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

func TestNextAndLinks(t *testing.T) {
	p := parse(t, `<base href="http://www.example.gov.cn/tzgg/">
		<div class="pager"><a href="list_1.html">上一页</a> <a href="list_3.html"> 下一页&gt;&gt; </a></div>
		<a href="doc.pdf">附件</a><img src="/img/a.png"><a href="mailto:x@y.cn">邮件</a><a href="https://other.example.com/x#frag">外链</a>`, testOptions)
	if p.Next == nil || p.Next.String() != "http://www.example.gov.cn/tzgg/list_3.html" {
		t.Fatalf("next = %v", p.Next)
	}
	kinds := map[string]LinkKind{}
	for _, l := range p.Links {
		kinds[l.URL.String()] = l.Kind
	}
	want := map[string]LinkKind{
		"http://www.example.gov.cn/tzgg/list_1.html": Anchor, "http://www.example.gov.cn/tzgg/list_3.html": Anchor,
		"http://www.example.gov.cn/tzgg/doc.pdf": Attachment, "http://www.example.gov.cn/img/a.png": Image,
		"https://other.example.com/x": Anchor,
	}
	if len(kinds) != len(want) {
		t.Fatalf("links %v, want %v", kinds, want)
	}
	for u, k := range want {
		if got, ok := kinds[u]; !ok || got != k {
			t.Errorf("link %s: kind %v (found %v), want %v", u, got, ok, k)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	if p := parse(t, `<div class="list"><p>暂无信息</p></div>`, testOptions); !p.Placeholder || len(p.Items) != 0 {
		t.Fatalf("placeholder %v items %v", p.Placeholder, p.Items)
	}
	if p := parse(t, `<div class="list"><p>本栏目信息</p></div>`, testOptions); p.Placeholder {
		t.Fatal("no placeholder expected")
	}
}

func TestSearchErrorEntryPassword(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		body                      string
		search, errorEntry, login bool
	}{
		{"search form", `<form action="/search/"><input type="text" name="q"></form>`, true, false, false},
		{"search input by placeholder", `<input placeholder="请输入关键字">`, true, false, false},
		{"type=search", `<input type="search">`, true, false, false},
		{"a form that is not a search", `<form action="/login"><input type="text" name="user"><input type="password"></form>`, false, false, true},
		{"找错 image", `<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1201000001"><img src="x.png" alt="我为政府网站找错"></a>`, false, true, false},
		{"找错 text", `<a href="/zc/">我为政府网站找错</a>`, false, true, false},
		{"nothing", `<p>hello</p>`, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(t, tc.body, testOptions)
			if p.Search != tc.search || p.ErrorEntry != tc.errorEntry || p.PasswordForm != tc.login {
				t.Errorf("search %v errorEntry %v login %v, want %v %v %v", p.Search, p.ErrorEntry, p.PasswordForm, tc.search, tc.errorEntry, tc.login)
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Identity
	}{
		{"labelled footer", `<div class="footer">主办单位：天津市人民政府办公厅　承办单位：天津市大数据管理中心 网站标识码：1200000001 津ICP备05004466号-1 津公网安备 12010102000123号</div>`,
			Identity{Organizer: "天津市人民政府办公厅", Host: "天津市大数据管理中心", SiteCode: "1200000001", SiteCodeRaw: "1200000001",
				ICP: "津ICP备05004466号-1", PublicSecurity: "津公网安备12010102000123号"}},
		{"glued labels, copyright owner, bm code", `<footer>主办：某某县人民政府版权所有：某某县政务服务中心网站标识码bm12000001 京ICP备 12345678号</footer>`,
			Identity{Organizer: "某某县人民政府", Host: "某某县政务服务中心", SiteCode: "bm12000001", SiteCodeRaw: "bm12000001", ICP: "京ICP备12345678号"}},
		{"owner before 版权所有", `<div id="bottom">Copyright © 2026 天水市人民政府办公室 版权所有</div>`, Identity{Host: "天水市人民政府办公室"}},
		{"malformed site code", `<div class="footer">网站标识码：12000A0001</div>`, Identity{SiteCodeRaw: "12000A0001"}},
		{"unmarked footer", `<div><p>主办单位：某某市交通运输委员会</p></div>`, Identity{Organizer: "某某市交通运输委员会"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parse(t, tc.body, testOptions).Identity; got != tc.want {
				t.Errorf("identity\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want string // asked/replied/answered per message
	}{
		{"labelled records", `<ul>
			<li><a href="m1.html">关于公交的建议</a> 留言时间：2026-05-01 回复时间：2026年05月03日 已回复</li>
			<li><a href="m2.html">咨询社保</a> 留言时间：2026-06-01 未回复</li>
			<li><a href="m3.html">咨询户籍</a> <span>留言时间</span><span>2026/07/01</span> <span>回复时间：</span> 待回复</li></ul>`,
			"2026-05-01/2026-05-03/true 2026-06-01/-/false 2026-07-01/-/false"},
		{"a table with a header row", `<table><tr><th>标题</th><th>留言时间</th><th>回复时间</th><th>办理状态</th></tr>
			<tr><td><a href="m1.html">建议一</a></td><td>2026-05-01</td><td>2026-05-02</td><td>已回复</td></tr>
			<tr><td><a href="m2.html">建议二</a></td><td>2026-06-01</td><td></td><td>待回复</td></tr></table>`,
			"2026-05-01/2026-05-02/true 2026-06-01/-/false"},
		{"a detail page", `<div class="msg"><h2>咨询事项</h2><p>留言时间：2026-05-01</p><p>内容……</p></div><div class="reply"><p>回复时间：2026-05-09</p><p>答复内容</p></div>`,
			"2026-05-01/2026-05-09/true"},
		{"a reply time without status is an answer", `<ul><li>留言时间：2026-05-01 回复时间：2026-05-02</li><li>留言时间：2026-05-03</li></ul>`,
			"2026-05-01/2026-05-02/true 2026-05-03/-/false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range parse(t, tc.body, testOptions).Messages {
				replied := "-"
				if !m.Replied.IsZero() {
					replied = m.Replied.Format(time.DateOnly)
				}
				got = append(got, m.Asked.Format(time.DateOnly)+"/"+replied+"/"+map[bool]string{true: "true", false: "false"}[m.Answered])
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("messages\n got %s\nwant %s", strings.Join(got, " "), tc.want)
			}
		})
	}
}

func TestIDNumbers(t *testing.T) {
	valid := "11010519491231002X" // the GB 11643 example
	for _, tc := range []struct {
		text string
		want int
	}{
		{"身份证号：" + valid, 1},
		{"身份证号：" + strings.ToLower(valid), 1},
		{"身份证号：110105194912310021", 0},             // wrong check digit
		{"编号：9" + valid, 0},                        // part of a longer number
		{"身份证号：990105194912310025", 0},             // no such province
		{"身份证号：110105194902300023", 0},             // no such birth date
		{"订单号 110105194912310021 无效", 0},           // check digit again
		{"身份证号：１１０１０５１９４９１２３１００２X", 1},             // full-width digits (a Chinese IME)
		{"（联系人：张某，电话：１２３４５）", 0},                   // full-width punctuation and a short number
		{"（见附件）" + valid[:9] + "，" + valid[9:], 0}, // split by a full-width comma
	} {
		if got := FindIDNumbers(tc.text, 10); len(got) != tc.want {
			t.Errorf("FindIDNumbers(%q) = %v, want %d", tc.text, got, tc.want)
		}
	}
	if got := FindIDNumbers(valid, 1); got[0] != "1101**********002X" {
		t.Errorf("masked %q", got[0])
	}
}

func TestSecurity(t *testing.T) {
	for _, tc := range []struct {
		name                          string
		body                          string
		gambling, hidden, ids, deface int
	}{
		{"injected gambling link", `<p><a href="http://bad.example.com/">澳门娱乐城</a></p>`, 1, 0, 0, 0},
		{"gambling words in the address", `<p><a href="http://casino.example.com/">优惠</a></p>`, 1, 0, 0, 0},
		{"news about gambling on the site itself", `<ul><li><a href="/a.html">严厉打击网络博彩活动</a></li></ul>`, 0, 0, 0, 0},
		{"a government site", `<a href="http://www.beijing.gov.cn/博彩">打击博彩</a>`, 0, 0, 0, 0},
		{"hidden links to other sites", `<div style="display: none"><a href="http://a.example.com/">a</a><a href="http://b.example.com/">b</a><a href="http://c.example.com/">c</a></div>`, 0, 3, 0, 0},
		{"off-screen", `<div style="position:absolute;left:-3000px"><a href="http://a.example.com/">a</a></div>`, 0, 1, 0, 0},
		{"a hidden menu of government sites", `<ul style="display:none"><li><a href="http://www.tj.gov.cn/">市政府</a></li></ul>`, 0, 0, 0, 0},
		{"an ID number", `<p>张三 11010519491231002X</p>`, 0, 0, 1, 0},
		{"an ID number in a script is not shown", `<script>var id="11010519491231002X"</script>`, 0, 0, 0, 0},
		{"defaced", `<h1>Hacked By someone</h1>`, 0, 0, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, tc.body, testOptions).Security
			deface := 0
			if s.Defacement != "" {
				deface = 1
			}
			if len(s.Gambling) != tc.gambling || len(s.HiddenExternal) != tc.hidden || len(s.IDNumbers) != tc.ids || deface != tc.deface {
				t.Errorf("gambling %d hidden %d ids %d defaced %d, want %d %d %d %d", len(s.Gambling), len(s.HiddenExternal), len(s.IDNumbers), deface,
					tc.gambling, tc.hidden, tc.ids, tc.deface)
			}
		})
	}
}

// FuzzExtract: any bytes as a page, read both ways (the tree and the
// light scan), never a panic, and what comes out is consistent (every
// item has a title; every link is absolute http(s)).
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`<ul><li><a href="a.html">标题一</a><span>2026-11-20</span></li></ul>`,
		`<table><tr><th>留言时间</th></tr><tr><td>2026-01-01</td></tr></table>`,
		`<div class="nav"><a href="/x">新闻</a></div><div class="footer">主办单位：某单位 网站标识码：1200000001</div>`,
		`<base href="::bad"><a href="下一页">下一页</a>`,
		`<div style="display:none"><a href="http://x.com">x</a></div>留言时间：2026-01-01`,
		"<li><a href=\"\x00\">\xff\xfe</a>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		p, err := Parse(strings.NewReader(body), testBase, testOptions)
		if err != nil {
			return
		}
		for _, it := range p.Items {
			if it.Title == "" {
				t.Fatalf("an item without a title in %q", body)
			}
		}
		s, err := Scan(strings.NewReader(body), testBase, testOptions)
		if err != nil {
			return
		}
		for _, l := range append(p.Links, s.Links...) {
			if !l.URL.IsAbs() || (l.URL.Scheme != "http" && l.URL.Scheme != "https") {
				t.Fatalf("link %q is not absolute http(s)", l.URL)
			}
		}
	})
}
