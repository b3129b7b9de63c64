package fixturesite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Realistic is a site whose pages weigh what a real portal's pages weigh
// (issue 16's speed measure): 25–30 KB of UTF-8 HTML each, a 60-link
// menu, a 40-link footer, 12 KB of article text, inline script and
// style as templates carry them, lists paginated 20 to a page with
// 下一页 and page numbers. Every link is one of the site's own pages, so
// a crawler that follows them reaches exactly Pages pages.
type Realistic struct {
	Now   time.Time
	Pages int
	// Requests counts the requests answered.
	Requests *atomic.Int64

	columns, articles, lastArticles, specials, abouts int
	pages                                             sync.Map // path → rendered page
}

const (
	realColumns  = 10
	realSpecials = 50 // menu links besides the columns
	realAbouts   = 40 // footer links
	realPerPage  = 20
)

// NewRealistic lays out a site of exactly pages pages (at least 200):
// the homepage, 50 topic pages (the menu), 40 or 41 footer pages, and 10
// columns sharing the rest between their list pages and articles.
func NewRealistic(now time.Time, pages int) *Realistic {
	r := &Realistic{Now: now, Pages: pages, Requests: new(atomic.Int64), columns: realColumns, specials: realSpecials, abouts: realAbouts}
	size := func(a int) int { return a + (a+realPerPage-1)/realPerPage } // a column of a articles
	rest := pages - 1 - realSpecials - realAbouts
	for size(r.articles+1) <= rest/realColumns {
		r.articles++
	}
	last := rest - (realColumns-1)*size(r.articles)
	for {
		for r.lastArticles = 0; size(r.lastArticles) < last; r.lastArticles++ {
		}
		if size(r.lastArticles) == last {
			return r
		}
		r.abouts++ // no column has that many pages: one footer page more
		last--
	}
}

func (r *Realistic) colArticles(c int) int {
	if c == r.columns-1 {
		return r.lastArticles
	}
	return r.articles
}

func (r *Realistic) colLists(c int) int {
	return (r.colArticles(c) + realPerPage - 1) / realPerPage
}

// PagePaths lists every page (the raw fetch floor's list).
func (r *Realistic) PagePaths() []string {
	paths := []string{"/"}
	for k := 1; k <= r.specials; k++ {
		paths = append(paths, fmt.Sprintf("/zt/%d.html", k))
	}
	for k := 1; k <= r.abouts; k++ {
		paths = append(paths, fmt.Sprintf("/about/%d.html", k))
	}
	for c := 0; c < r.columns; c++ {
		for n := 1; n <= r.colLists(c); n++ {
			paths = append(paths, r.listPath(c, n))
		}
		for k := 1; k <= r.colArticles(c); k++ {
			paths = append(paths, r.articlePath(c, k))
		}
	}
	return paths
}

var realColumnNames = []string{"要闻动态", "通知公告", "政策文件", "部门动态", "区县动态", "政策解读", "人事信息", "规划计划", "财政信息", "统计数据"}

func (r *Realistic) listPath(c, n int) string {
	if n == 1 {
		return fmt.Sprintf("/col%d/index.html", c)
	}
	return fmt.Sprintf("/col%d/index_%d.html", c, n-1)
}

func (r *Realistic) articlePath(c, k int) string {
	return fmt.Sprintf("/col%d/%s/t%d_%d.html", c, r.date(c, k).Format("200601"), c, k)
}

func (r *Realistic) date(c, k int) time.Time { return r.Now.AddDate(0, 0, -(k/3 + c)) }

// ServeHTTP serves the site.
func (r *Realistic) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.Requests.Add(1)
	switch req.URL.Path { // the two resources every page names
	case "/img/logo.png":
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n"))
		return
	case "/css/style.css":
		w.Header().Set("Content-Type", "text/css")
		_, _ = w.Write([]byte("body{margin:0}"))
		return
	}
	body, ok := r.cached(req.URL.Path)
	if !ok {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if req.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// Render renders every page ahead (a server that has them all in memory).
func (r *Realistic) Render() {
	for _, p := range r.PagePaths() {
		r.cached(p)
	}
}

// cached is a page rendered once, then served from memory, as a web
// server serves a static CMS's files (the CMSes publish static pages).
func (r *Realistic) cached(p string) ([]byte, bool) {
	if b, ok := r.pages.Load(p); ok {
		return b.([]byte), true
	}
	b, ok := r.page(p)
	if ok {
		r.pages.Store(p, b)
	}
	return b, ok
}

func (r *Realistic) page(p string) ([]byte, bool) {
	var c, n, k int
	switch {
	case p == "/" || p == "/index.html":
		return r.doc("某某市人民政府门户网站", r.home()), true
	case scan(p, "/zt/%d.html", &k) && k >= 1 && k <= r.specials:
		return r.doc(fmt.Sprintf("专题%d", k), r.prose(fmt.Sprintf("专题专栏%d", k), 4)), true
	case scan(p, "/about/%d.html", &k) && k >= 1 && k <= r.abouts:
		return r.doc(fmt.Sprintf("关于我们%d", k), r.prose(fmt.Sprintf("网站信息%d", k), 2)), true
	case scan(p, "/col%d/index.html", &c) && c >= 0 && c < r.columns:
		return r.doc(realColumnNames[c], r.list(c, 1)), true
	case scan(p, "/col%d/index_%d.html", &c, &n) && c >= 0 && c < r.columns && n >= 1 && n < r.colLists(c):
		return r.doc(realColumnNames[c], r.list(c, n+1)), true
	case strings.HasPrefix(p, "/col"):
		var ym int
		if scan(p[strings.LastIndex(p, "/"):], "/t%d_%d.html", &c, &k) && c >= 0 && c < r.columns && k >= 1 && k <= r.colArticles(c) &&
			scan(p, "/col%d/%d/", &c, &ym) && p == r.articlePath(c, k) {
			return r.doc(realColumnNames[c], r.article(c, k)), true
		}
	}
	return nil, false
}

func scan(s, format string, args ...any) bool {
	_, err := fmt.Sscanf(s, format, args...)
	return err == nil
}

// head carries what templates carry: meta tags, a style sheet and a
// script inline (about 5 KB).
const realHead = `<meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="某某市人民政府"><meta name="SiteDomain" content="www.example.gov.cn"><meta name="SiteIDCode" content="1201000001">
<link rel="stylesheet" href="/css/style.css" type="text/css">
<style type="text/css">body{margin:0;padding:0;font-family:"Microsoft YaHei",SimSun,Arial;font-size:14px;color:#333}a{color:#333;text-decoration:none}a:hover{color:#c00}
.header{width:1200px;margin:0 auto;height:120px;background:#fff}.nav{width:100%;background:#b40000}.nav ul{width:1200px;margin:0 auto}.nav li{float:left;width:120px;text-align:center;line-height:46px}
.nav li a{color:#fff;font-size:16px}.main{width:1200px;margin:20px auto;overflow:hidden}.list li{line-height:36px;border-bottom:1px dashed #ddd;overflow:hidden}.list li span{float:right;color:#999}
.article h1{font-size:26px;text-align:center;line-height:40px}.article .info{text-align:center;color:#666;border-bottom:1px solid #ddd;padding:10px 0}.article .text p{text-indent:2em;line-height:32px;font-size:16px}
.footer{background:#f2f2f2;padding:20px 0;text-align:center;line-height:28px;color:#666}.footer a{margin:0 6px}.pager{text-align:center;padding:20px 0}.pager a{padding:4px 10px;border:1px solid #ddd;margin:0 3px}</style>
<script type="text/javascript">
var _hmt = _hmt || [];
function setTab(name, cursel, n) { for (var i = 1; i <= n; i++) { var menu = document.getElementById(name + i); var con = document.getElementById("con_" + name + "_" + i); menu.className = i == cursel ? "hover" : ""; con.style.display = i == cursel ? "block" : "none"; } }
function checkSearch(form) { if (form.searchword.value == "" || form.searchword.value == "请输入关键字") { alert("请输入搜索关键字"); return false; } return true; }
function addFavorite() { var url = window.location; var title = document.title; try { window.external.addFavorite(url, title); } catch (e) { try { window.sidebar.addPanel(title, url, ""); } catch (e) { alert("请使用Ctrl+D进行添加"); } } }
function setHome(obj, url) { try { obj.style.behavior = "url(#default#homepage)"; obj.setHomePage(url); } catch (e) { alert("您的浏览器不支持此操作"); } }
</script>
`

func (r *Realistic) doc(title, main string) []byte {
	var b strings.Builder
	b.Grow(30 << 10)
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>` + title + `_某某市人民政府</title>` + "\n")
	b.WriteString(realHead)
	b.WriteString("</head>\n<body>\n")
	b.WriteString(`<div class="header"><a href="/"><img src="/img/logo.png" alt="某某市人民政府"></a>` +
		`<form action="/search/" method="get" onsubmit="return checkSearch(this)"><input type="text" name="searchword" value="请输入关键字" class="search-input"><button type="submit">搜索</button></form></div>` + "\n")
	b.WriteString(r.menu())
	b.WriteString(main)
	b.WriteString(r.footer())
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// menu: 60 links, the 10 columns and 50 topic pages.
func (r *Realistic) menu() string {
	var b strings.Builder
	b.WriteString(`<div class="nav"><ul><li><a href="/">网站首页</a></li>`)
	for c := 0; c < r.columns; c++ {
		fmt.Fprintf(&b, `<li class="nav-item"><a href="%s" target="_self">%s</a></li>`, r.listPath(c, 1), realColumnNames[c])
	}
	b.WriteString("</ul>\n<div class=\"subnav\"><ul>")
	for k := 1; k < r.specials; k++ {
		fmt.Fprintf(&b, `<li><a href="/zt/%d.html" target="_blank" title="专题专栏%d">专题专栏%d</a></li>`, k, k, k)
	}
	b.WriteString("</ul></div></div>\n")
	return b.String()
}

// footer: 40 links and the identity.
func (r *Realistic) footer() string {
	var b strings.Builder
	b.WriteString(`<div class="footer"><div class="links">`)
	for k := 1; k <= r.abouts; k++ {
		fmt.Fprintf(&b, `<a href="/about/%d.html" target="_blank">网站信息%d</a>`, k, k)
	}
	fmt.Fprintf(&b, `<a href="/zt/%d.html">专题%d</a>`, r.specials, r.specials)
	b.WriteString(`</div><p>主办单位：某某市人民政府办公室　承办单位：某某市大数据管理中心　网站标识码：1201000001</p>` +
		`<p>津ICP备05004466号-1　津公网安备 12010102000123号　地址：某某市某某区某某路1号　邮编：300000　联系电话：022-12345678</p></div>` + "\n")
	return b.String()
}

func (r *Realistic) home() string {
	var b strings.Builder
	b.WriteString(`<div class="main">`)
	for c := 0; c < 4; c++ {
		fmt.Fprintf(&b, `<div class="block"><div class="title"><h3>%s</h3><a href="%s">更多&gt;&gt;</a></div><ul class="list">`, realColumnNames[c], r.listPath(c, 1))
		for k := 1; k <= 8; k++ {
			fmt.Fprintf(&b, `<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>`, r.articlePath(c, k), r.title(c, k), r.title(c, k), r.date(c, k).Format("2006-01-02"))
		}
		b.WriteString("</ul></div>\n")
	}
	b.WriteString(r.prose("市情概况", 2))
	b.WriteString("</div>\n")
	return b.String()
}

func (r *Realistic) title(c, k int) string {
	return fmt.Sprintf("%s：市政府召开第%d次常务会议研究部署近期重点工作", realColumnNames[c], k)
}

func (r *Realistic) list(c, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="%s">%s</a></div><ul class="list">`, r.listPath(c, 1), realColumnNames[c])
	for k := (n-1)*realPerPage + 1; k <= min(n*realPerPage, r.colArticles(c)); k++ {
		fmt.Fprintf(&b, "<li><a href=\"%s\" target=\"_blank\" title=\"%s\">%s</a><span>%s</span></li>\n", r.articlePath(c, k), r.title(c, k), r.title(c, k), r.date(c, k).Format("2006-01-02"))
	}
	b.WriteString(`</ul><div class="pager">`)
	pages := r.colLists(c)
	fmt.Fprintf(&b, "共%d页 ", pages)
	if n > 1 {
		fmt.Fprintf(&b, `<a href="%s">首页</a><a href="%s">上一页</a>`, r.listPath(c, 1), r.listPath(c, n-1))
	}
	for p := max(1, n-2); p <= min(pages, n+2); p++ {
		fmt.Fprintf(&b, `<a href="%s">%d</a>`, r.listPath(c, p), p)
	}
	if n < pages {
		fmt.Fprintf(&b, `<a href="%s">下一页</a><a href="%s">尾页</a>`, r.listPath(c, n+1), r.listPath(c, pages))
	}
	b.WriteString("</div></div>\n")
	return b.String()
}

// realParagraph is about 600 bytes of an article's text.
const realParagraph = "为深入贯彻落实党中央、国务院关于深化“放管服”改革优化营商环境的决策部署，进一步提升政务服务效能，" +
	"市政府办公室近日印发实施方案，明确了推进政务服务标准化、规范化、便利化的目标任务和具体措施。方案提出，" +
	"到年底前，全市政务服务事项全面实现“一网通办”，高频事项实现“跨省通办”，企业和群众办事更加便捷高效。" +
	"各区、各部门要高度重视，加强组织领导，细化工作措施，确保各项任务落到实处。"

// prose is about 600·n bytes of text.
func (r *Realistic) prose(title string, n int) string {
	var b strings.Builder
	b.WriteString(`<div class="intro"><h2>` + title + `</h2>`)
	for i := 0; i < n; i++ {
		b.WriteString("<p>" + realParagraph + "</p>\n")
	}
	b.WriteString("</div>\n")
	return b.String()
}

// article: 12 KB of text in 20 paragraphs, the article's metadata and
// a few related links.
func (r *Realistic) article(c, k int) string {
	var b strings.Builder
	d := r.date(c, k)
	fmt.Fprintf(&b, `<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="%s">%s</a> &gt; 正文</div>`, r.listPath(c, 1), realColumnNames[c])
	fmt.Fprintf(&b, `<div class="article"><h1>%s</h1><div class="info">发布时间：%s　来源：某某市人民政府办公室　<a href="javascript:window.print()">打印</a></div><div class="text">`+"\n",
		r.title(c, k), d.Format("2006-01-02"))
	for i := 0; i < 22; i++ {
		b.WriteString("<p>" + realParagraph + "</p>\n")
	}
	b.WriteString(`</div><div class="related"><h3>相关链接</h3><ul>`)
	for j := 1; j <= 8 && j <= r.colArticles(c); j++ {
		fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, r.articlePath(c, j), r.title(c, j))
	}
	b.WriteString("</ul></div></div></div>\n")
	b.WriteString(realTail)
	return b.String()
}

// realTail is the statistics and sharing script an article page ends with.
const realTail = `<script type="text/javascript">
(function () { var hm = document.createElement("script"); hm.src = "/js/stat.js?v=20261101"; var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); })();
function shareTo(site) { var url = encodeURIComponent(window.location.href); var title = encodeURIComponent(document.title); var targets = { weibo: "http://service.weibo.com/share/share.php?url=" + url + "&title=" + title, qzone: "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=" + url + "&title=" + title }; if (targets[site]) { window.open(targets[site], "_blank", "width=600,height=500"); } }
function fontSize(size) { var text = document.querySelector(".article .text"); if (text) { var ps = text.getElementsByTagName("p"); for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + "px"; } } }
document.addEventListener("DOMContentLoaded", function () { var imgs = document.querySelectorAll(".article .text img"); for (var i = 0; i < imgs.length; i++) { if (imgs[i].width > 800) { imgs[i].style.width = "100%"; imgs[i].style.height = "auto"; } } });
</script>
`
