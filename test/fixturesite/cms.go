package fixturesite

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// CMS sites (issue 16): sites built the way the CMSes of Chinese
// government sites build them, from their public templates:
//
//   - TRS WCM (海云): static .shtml pages under /zwgk/…, a root that
//     forwards by a window.location line, lists paginated only in script
//     (var countPage = 3; createPageHTML(countPage, currentPage, "index",
//     "shtml") names index_1.shtml, index_2.shtml that no <a> names),
//     articles at /zwgk/ywdt/202611/t20261118_345.shtml, content/post_N.html
//     and query-string pages;
//   - 大汉 Hanweb jcms: a root that forwards by <meta http-equiv="refresh">
//     to /col/col1/index.html, lists held as data (<script type="text/xml">
//     <datastore><recordset><record><![CDATA[<li>…</li>]]></record>…) and
//     paged by jpage ($('#id').jpage({totalRecord, perPage, proxyUrl, …}):
//     /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&…
//     answers an XML data store), articles at
//     /art/2026/11/18/art_12_345.html carrying the national standard's
//     meta tags (SiteIDCode, PubDate, …) and a 发布时间 line.
//
// Both have a 政府信息公开 column whose sub-columns are listed only in its
// own left-hand navigation, a prose column (机构职能) and a form column
// (我要留言), neither of which is blank.
type CMS struct {
	Now time.Time
	// Kind is "trs" or "hanweb".
	Kind string
	// RootRedirect forwards / by an HTTP redirect instead of the CMS's own way.
	RootRedirect bool
	// LateUnanswered puts a message unanswered for 4 months on the
	// consultation column's last page (script-paged).
	LateUnanswered bool
	// FakedDate: an article whose publish date is FakedDays days after the
	// server's Last-Modified for it.
	FakedDays int
	// WrongName: an article names an office wrongly (人力资源与社会保障局).
	WrongName bool
	// StaleSubColumns makes the 政府信息公开 sub-columns this many, all a
	// year and a half old (V3(b) counts over sub-columns).
	StaleSubColumns int
	// BlankSubColumns adds sub-columns showing 暂无信息 (V3(c)).
	BlankSubColumns int
}

const (
	cmsSiteCode = "1201000002"
	cmsSiteName = "某某市人民政府"
)

// StartCMS serves a CMS site on loopback; the caller closes it.
func StartCMS(c CMS) *Server {
	s := &Server{Spec: Spec{Now: c.Now}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Requests.Add(1)
		c.serve(w, r)
	}))
	return s
}

// column of a CMS site.
type cmsColumn struct {
	name, path string
	items      int
	ageDays    int // of the newest item; items a day apart
	undated    bool
	prose      bool
	form       bool
	messages   bool
	blank      bool
	sub        []cmsColumn
}

func (c CMS) columns() []cmsColumn {
	dir := func(s string) string {
		if c.Kind == "trs" {
			return "/zwgk/" + s + "/index.shtml"
		}
		return "/col/col" + s + "/index.html"
	}
	id := func(trs, hanweb string) string {
		if c.Kind == "trs" {
			return trs
		}
		return hanweb
	}
	sub := []cmsColumn{
		{name: "政策文件", path: dir(id("xxgk/zcwj", "141")), items: 12, ageDays: 40},
		{name: "人事信息", path: dir(id("xxgk/rsxx", "142")), items: 6, ageDays: 100},
		{name: "规划计划", path: dir(id("xxgk/ghjh", "143")), items: 4, ageDays: 200},
		{name: "财政预决算", path: dir(id("xxgk/czyjs", "144")), items: 3, ageDays: 150},
	}
	for i := 0; i < c.StaleSubColumns; i++ {
		sub = append(sub, cmsColumn{name: fmt.Sprintf("人事任免%d", i+1), path: dir(id(fmt.Sprintf("xxgk/rsrm%d", i), fmt.Sprintf("15%d", i))), items: 2, ageDays: 550})
	}
	for i := 0; i < c.BlankSubColumns; i++ {
		sub = append(sub, cmsColumn{name: fmt.Sprintf("专项信息%d", i+1), path: dir(id(fmt.Sprintf("xxgk/zxxx%d", i), fmt.Sprintf("16%d", i))), blank: true})
	}
	return []cmsColumn{
		{name: "要闻动态", path: dir(id("ywdt", "12")), items: 55, ageDays: 1},
		{name: "通知公告", path: dir(id("tzgg", "13")), items: 8, ageDays: 20, undated: true},
		{name: "政府信息公开", path: dir(id("xxgk", "14")), sub: sub},
		{name: "机构职能", path: dir(id("jgzn", "17")), prose: true},
		{name: "我要留言", path: dir(id("wyly", "18")), form: true},
		{name: "领导信箱", path: id("/hdjl/index.jhtml", "/col/col19/index.html"), messages: true},
	}
}

func (c CMS) home() string {
	if c.Kind == "trs" {
		return "/zwgk/index.shtml"
	}
	return "/col/col1/index.html"
}

func (c CMS) day(ago int) time.Time { return c.Now.AddDate(0, 0, -ago) }

// article path of item k (0 newest) of column ci, in the CMS's shape.
func (c CMS) article(ci, k int) string {
	d := c.day(c.flat()[ci].ageDays + k)
	if c.Kind == "hanweb" {
		return fmt.Sprintf("/art/%s/art_%d_%d.html", d.Format("2006/1/2"), 12+ci, 1000+k)
	}
	switch ci % 3 {
	case 1:
		return fmt.Sprintf("/content/post_%d.html", 100*ci+k)
	case 2:
		return fmt.Sprintf("/zwgk/detail.jsp?col=%d&id=%d", ci, k)
	}
	return fmt.Sprintf("/zwgk/c%d/%s/t%s_%d.shtml", ci, d.Format("200601"), d.Format("20060102"), k)
}

// all columns with their index in one flat list (sub-columns after theirs).
func (c CMS) flat() []cmsColumn {
	var out []cmsColumn
	for _, col := range c.columns() {
		out = append(out, col)
		out = append(out, col.sub...)
	}
	return out
}

func (c CMS) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	write := func(body string, modified time.Time) {
		ct := "text/html; charset=utf-8"
		if strings.HasSuffix(p, "dataproxy.jsp") {
			ct = "text/xml;charset=UTF-8"
		}
		w.Header().Set("Content-Type", ct)
		if !modified.IsZero() {
			w.Header().Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
		}
		if r.Method != http.MethodHead {
			_, _ = w.Write([]byte(body))
		}
	}
	switch {
	case p == "/" || p == "/index.html":
		switch {
		case c.RootRedirect:
			http.Redirect(w, r, c.home(), http.StatusFound)
		case c.Kind == "trs":
			write(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>`+cmsSiteName+`</title></head><body>`+
				`<script type="text/javascript">window.location.href="`+c.home()+`";</script></body></html>`, time.Time{})
		default:
			write(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=`+c.home()+`">`+
				`<title>`+cmsSiteName+`</title></head><body><p>正在跳转…</p></body></html>`, time.Time{})
		}
		return
	case p == c.home():
		write(c.homePage(), time.Time{})
		return
	case p == "/module/web/jpage/dataproxy.jsp":
		body, ok := c.dataproxy(r.URL.Query())
		if !ok {
			http.NotFound(w, r)
			return
		}
		write(body, time.Time{})
		return
	case p == "/img/logo.png", p == "/jiucuo/":
		write("", time.Time{})
		return
	}
	for ci, col := range c.flat() {
		if n, ok := c.listPage(col, p); ok {
			body, ok := c.list(ci, col, n)
			if !ok {
				break
			}
			write(body, time.Time{})
			return
		}
		for k := 0; k < col.items+c.messageCount(col); k++ {
			if c.matches(ci, k, r.URL) {
				body, modified := c.articlePage(ci, col, k)
				write(body, modified)
				return
			}
		}
	}
	http.NotFound(w, r)
}

func (c CMS) matches(ci, k int, u *url.URL) bool {
	want, _ := url.Parse(c.article(ci, k))
	return want.Path == u.Path && want.RawQuery == u.RawQuery
}

// listPage says p is page n (0 first) of the column's list.
func (c CMS) listPage(col cmsColumn, p string) (int, bool) {
	if p == col.path {
		return 0, true
	}
	prefix, ext := path.Dir(col.path)+"/index_", path.Ext(col.path)
	if c.Kind == "trs" && strings.HasPrefix(p, prefix) && strings.HasSuffix(p, ext) {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, prefix), ext))
		return n, err == nil && n > 0
	}
	return 0, false
}

const (
	trsPerPage  = 20
	hanPerPage  = 15
	hanGroup    = 3
	hanInPage   = hanPerPage * hanGroup
	cmsMessages = 50
)

func (c CMS) head(title, column string, meta bool) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + html.EscapeString(title) + `</title>`)
	fmt.Fprintf(&b, `<meta name="SiteName" content="%s"><meta name="SiteDomain" content="www.example.gov.cn"><meta name="SiteIDCode" content="%s">`, cmsSiteName, cmsSiteCode)
	if column != "" {
		fmt.Fprintf(&b, `<meta name="ColumnName" content="%s">`, column)
	}
	_ = meta
	b.WriteString("</head><body>\n")
	b.WriteString(`<div class="header"><img src="/img/logo.png" alt="` + cmsSiteName + `"><form action="/search/" id="searchform"><input type="text" name="searchword" placeholder="请输入关键字"></form></div>` + "\n")
	b.WriteString(`<div class="nav"><ul><li><a href="` + c.home() + `">首页</a></li>`)
	for _, col := range c.columns() {
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, col.path, col.name)
	}
	b.WriteString("</ul></div>\n")
	return b.String()
}

// footer: the identity, its site code only in the SiteIDCode meta (as
// many CMS templates leave it), the 找错 entry.
func (c CMS) footer() string {
	return `<div class="footer"><p>主办单位：某某市人民政府办公室 承办单位：某某市大数据管理中心 <span>津ICP备05004466号-2</span> 津公网安备 12010102000124号</p>` +
		`<a href="/jiucuo/"><img src="/img/logo.png" alt="我为政府网站找错"></a></div>` + "\n</body></html>\n"
}

func (c CMS) homePage() string {
	var b strings.Builder
	b.WriteString(c.head(cmsSiteName, "", true))
	b.WriteString(`<div class="main"><div class="block"><h3>要闻动态</h3>`)
	// The homepage's news block, undated: its articles date it (V2).
	if c.Kind == "hanweb" {
		b.WriteString(`<div id="4321"><script type="text/xml"><datastore><recordset>`)
		for k := 0; k < 6; k++ {
			fmt.Fprintf(&b, `<record><![CDATA[<li><a href="%s" target="_blank" title="%s">%s</a></li>]]></record>`+"\n", c.article(0, k), c.title(0, k), c.title(0, k))
		}
		b.WriteString(`</recordset></datastore></script></div>`)
	} else {
		b.WriteString(`<ul class="list">`)
		for k := 0; k < 6; k++ {
			fmt.Fprintf(&b, `<li><a href="%s" target="_blank">%s</a></li>`, c.article(0, k), c.title(0, k))
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString("</div></div>\n")
	b.WriteString(c.footer())
	return b.String()
}

func (c CMS) title(ci, k int) string {
	return fmt.Sprintf("%s：关于做好第%d项重点工作的通知", c.flat()[ci].name, k+1)
}

func (c CMS) messageCount(col cmsColumn) int {
	if col.messages {
		return cmsMessages
	}
	return 0
}

// entry is item k of a column, as its list shows it.
func (c CMS) entry(ci int, col cmsColumn, k int) string {
	if col.messages {
		asked, replied, status := c.day(3*k+2), c.day(3*k), "已回复"
		if c.LateUnanswered && k == cmsMessages-1 { // on the list's last page, which only script names
			asked, status = c.day(120), "未回复"
		}
		reply := `<span>回复时间：` + replied.Format("2006-01-02") + `</span>`
		if status == "未回复" {
			reply = ""
		}
		return fmt.Sprintf(`<li><a href="%s">关于第%d个问题的咨询</a> <span>留言时间：%s</span> %s <span>%s</span></li>`,
			c.article(ci, k), k+1, asked.Format("2006-01-02"), reply, status)
	}
	date := ""
	if !col.undated {
		date = `<span class="date">` + c.day(col.ageDays+k).Format("2006-01-02") + `</span>`
	}
	return fmt.Sprintf(`<li><a href="%s" title="%s">%s</a>%s</li>`, c.article(ci, k), c.title(ci, k), c.title(ci, k), date)
}

func (c CMS) left(col cmsColumn) string {
	if len(col.sub) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<div class="left-nav"><h2>` + col.name + `</h2><ul>`)
	for _, s := range col.sub {
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, s.path, s.name)
	}
	b.WriteString("</ul></div>\n")
	return b.String()
}

func (c CMS) parentOf(name string) cmsColumn {
	for _, col := range c.columns() {
		for _, s := range col.sub {
			if s.name == name {
				return col
			}
		}
	}
	return cmsColumn{}
}

// list is page n of a column's list.
func (c CMS) list(ci int, col cmsColumn, n int) (string, bool) {
	var b strings.Builder
	b.WriteString(c.head(col.name+"_"+cmsSiteName, col.name, false))
	b.WriteString(`<div class="position">当前位置：<a href="` + c.home() + `">首页</a> &gt; ` + col.name + "</div>\n")
	if parent := c.parentOf(col.name); parent.name != "" {
		b.WriteString(c.left(parent))
	}
	b.WriteString(c.left(col))
	b.WriteString(`<div class="content">`)
	total := col.items + c.messageCount(col)
	switch {
	case col.prose:
		b.WriteString(`<div class="article"><h1>机构职能</h1><p>` + strings.Repeat("贯彻执行国家和省、市关于政务公开工作的方针政策和法律法规，组织协调、指导推进全市政务公开工作，负责政府网站的建设和管理。", 3) + `</p></div>`)
	case col.form:
		b.WriteString(`<form action="/hdjl/submit.jsp" method="post"><p>标题：<input type="text" name="title"></p><p>内容：<textarea name="content"></textarea></p><p><input type="submit" value="提交"></p></form>`)
	case col.blank:
		b.WriteString(`<ul class="list"><li>暂无信息</li></ul>`)
	case len(col.sub) > 0:
		b.WriteString(`<p class="intro">请在左侧选择栏目。</p>`)
	case c.Kind == "trs":
		pages := (total + trsPerPage - 1) / trsPerPage
		if n >= pages {
			return "", false
		}
		b.WriteString(`<ul class="list">`)
		for k := n * trsPerPage; k < min((n+1)*trsPerPage, total); k++ {
			b.WriteString(c.entry(ci, col, k) + "\n")
		}
		b.WriteString("</ul>\n")
		fmt.Fprintf(&b, `<div class="page"><script type="text/javascript">
var currentPage = %d;//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = %d//共多少页
createPageHTML(countPage, currentPage, "index", "%s");
</script></div>`, n, pages, strings.TrimPrefix(path.Ext(col.path), "."))
	default:
		if n > 0 {
			return "", false
		}
		fmt.Fprintf(&b, `<div id="%d"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=%d&unitid=4321&webname=%s&permissiontype=0"></a>]]></nextgroup><recordset>`,
			4000+ci, ci, url.QueryEscape(cmsSiteName))
		for k := 0; k < min(hanInPage, total); k++ {
			b.WriteString(`<record><![CDATA[` + c.entry(ci, col, k) + "]]></record>\n")
		}
		fmt.Fprintf(&b, `</recordset></datastore></script></div>
<script type="text/javascript">
$(document).ready(function(){ $('#%d').jpage({ dataStore: dataStore, totalRecord: %d, perPage: %d, groupSize: %d, proxyUrl: '/module/web/jpage/dataproxy.jsp', barPosition: 'bottom', ajaxParam: {col: 1, appid: 1, webid: 1, path: '/', columnid: %d, sourceContentType: 1, unitid: '4321', webname: '%s', permissiontype: 0} }); });
</script>`, 4000+ci, total, hanPerPage, hanGroup, ci, cmsSiteName)
	}
	b.WriteString("</div>\n")
	b.WriteString(c.footer())
	return b.String(), true
}

// dataproxy answers jpage: records startrecord..endrecord of a column.
func (c CMS) dataproxy(q url.Values) (string, bool) {
	ci, err1 := strconv.Atoi(q.Get("columnid"))
	from, err2 := strconv.Atoi(q.Get("startrecord"))
	to, err3 := strconv.Atoi(q.Get("endrecord"))
	cols := c.flat()
	if err1 != nil || err2 != nil || err3 != nil || ci < 0 || ci >= len(cols) || from < 1 || to < from {
		return "", false
	}
	col := cols[ci]
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>`)
	for k := from - 1; k < min(to, col.items+c.messageCount(col)); k++ {
		b.WriteString("<record><![CDATA[" + c.entry(ci, col, k) + "]]></record>\n")
	}
	b.WriteString("</recordset></datastore>")
	return b.String(), true
}

// articlePage is item k of column ci: the national standard's meta tags,
// a 发布时间 line, and Last-Modified when it was published (FakedDays
// later for the faked one).
func (c CMS) articlePage(ci int, col cmsColumn, k int) (string, time.Time) {
	d := c.day(col.ageDays + k)
	pub := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, d.Location())
	modified := pub.Add(30 * time.Minute)
	if c.FakedDays > 0 && ci == 0 && k == 2 {
		modified = pub.AddDate(0, 0, -c.FakedDays)
	}
	var b strings.Builder
	h := c.head(c.title(ci, k), col.name, true)
	h = strings.Replace(h, "</head>", fmt.Sprintf(`<meta name="ArticleTitle" content="%s"><meta name="PubDate" content="%s"><meta name="ContentSource" content="某某市人民政府办公室"></head>`,
		c.title(ci, k), pub.Format("2006-01-02 15:04")), 1)
	b.WriteString(h)
	fmt.Fprintf(&b, `<div class="article"><h1>%s</h1><div class="info">发布时间：%s　来源：某某市人民政府办公室</div><div class="text">`, c.title(ci, k), pub.Format("2006-01-02 15:04"))
	b.WriteString(`<p>为深入贯彻落实党中央、国务院决策部署，进一步做好有关工作，现将有关事项通知如下。</p>`)
	if c.WrongName && ci == 0 && k == 1 {
		b.WriteString(`<p>请各单位于月底前将材料报送市人力资源与社会保障局。</p>`)
	}
	b.WriteString("</div></div>\n")
	b.WriteString(c.footer())
	return b.String(), modified
}
