// Package fixturesite builds government sites with known defects on
// loopback (httptest) for the inspector's tests and benchmarks. Dates
// are relative to Spec.Now, so a test that passes the same --now gets the
// same report every time.
package fixturesite

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Spec describes a site. The zero value of every defect field means "no
// such defect"; Default() is a site that passes every check.
type Spec struct {
	Now time.Time
	// Domain is the site's public domain: links are written absolute to
	// http://Domain/..., and every request must carry Host: Domain
	// (the in-cluster --host-header case). Empty: relative links, any Host.
	Domain string
	// Encoding of every page: "" (UTF-8), "gbk" (said in the Content-Type
	// header) or "gb2312" (said only in <meta>, as old CMSes do).
	Encoding string

	HomeAgeDays int  // age of the homepage's newest item
	HomeUndated bool // homepage items without dates
	NavOnly     bool // the homepage is only navigation
	PlainNav    bool // the navigation bar has no nav/menu class (found by its shape)
	Columns     []Column

	NoSearch, NoErrorEntry bool
	Footer                 Footer

	HomeDeadLinks  int // links on the homepage to pages that do not exist
	HomeDeadImages int // images on the homepage that do not exist
	PageDeadLinks  int // such links on an article page

	GamblingLink bool // an injected gambling link to another site (V5)
	LinkFarm     int  // hidden links to other sites on the homepage (V5 at 3)
	IDNumber     bool // a valid resident ID number in an article (V5)
	FutureItem   bool // a homepage item dated a month ahead (FutureDays ahead when set)
	FutureDays   int
	// ArticlesUndated: article pages show no 发布时间 line (an item a
	// list shows undated stays undated).
	ArticlesUndated bool
	AdminExposed    bool // /admin/ serves a login form (S7)

	// HomeStatus, when set, is the homepage's status (503: unreachable).
	HomeStatus int
	// DeepChain adds /deep/1.html → /deep/2.html → … linked from the homepage.
	DeepChain int
	// Elsewhere is another site's base URL (a second loopback server) that
	// external links point to; external links are left out when empty.
	Elsewhere string
}

// Column is one column of the navigation.
type Column struct {
	Name    string
	AgeDays int // age of the newest item
	Items   int // 0: a blank column
	// Placeholder is what a blank column shows (暂无信息); nothing when empty.
	Placeholder string
	PerPage     int    // items per list page; pages chained by 下一页 (default 20)
	Undated     bool   // items without dates
	Style       string // "li" (default), "table" or "div"
	// Messages make this a consultation column listing them.
	Messages []Message
	// MessageTable lists the messages in a table with a header row.
	MessageTable bool
	// OffNav: linked from the homepage body, not the navigation bar.
	OffNav bool
}

// Message is a public message of a consultation column.
type Message struct {
	Title      string
	AskedDays  int // days ago
	RepliedDay int // days ago; negative: no reply
	Status     string
}

// Footer is the identity footer (S4); Default fills every field.
type Footer struct {
	Organizer, Host, SiteCode, ICP, PublicSecurity string
	Omit                                           bool
}

// Default is a site that passes: homepage updated yesterday, fresh
// columns, a consultation channel with answered messages, a full footer.
func Default(now time.Time) Spec {
	return Spec{
		Now:         now,
		HomeAgeDays: 1,
		Columns: []Column{
			{Name: "要闻动态", AgeDays: 1, Items: 25},
			{Name: "通知公告", AgeDays: 10, Items: 12, Style: "table"},
			{Name: "政策文件", AgeDays: 40, Items: 8, Style: "div"},
			{Name: "人事信息", AgeDays: 90, Items: 5},
			{Name: "机构职能", Items: 3, Undated: true},
			{Name: "互动交流", Items: 0, Messages: []Message{
				{Title: "关于公交线路调整的建议", AskedDays: 20, RepliedDay: 15, Status: "已回复"},
				{Title: "咨询社保卡办理地点", AskedDays: 200, RepliedDay: 195, Status: "已回复"},
			}},
		},
		Footer: Footer{Organizer: "某某市人民政府办公室", Host: "某某市大数据管理中心", SiteCode: "1201000001",
			ICP: "津ICP备05004466号-1", PublicSecurity: "津公网安备 12010102000123号"},
	}
}

// Server is a running fixture site.
type Server struct {
	*httptest.Server
	Spec Spec
	// Requests counts the requests the site answered.
	Requests atomic.Int64
	// BadHost counts requests whose Host was not Spec.Domain.
	BadHost atomic.Int64
}

// Start serves a site on loopback; the caller closes it.
func Start(spec Spec) *Server {
	s := &Server{Spec: spec}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Handler serves the site without starting a server.
func Handler(spec Spec) http.Handler {
	s := &Server{Spec: spec}
	return http.HandlerFunc(s.serve)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.Requests.Add(1)
	if s.Spec.Domain != "" && r.Host != s.Spec.Domain {
		s.BadHost.Add(1)
		http.Error(w, "unknown site "+r.Host, http.StatusMisdirectedRequest)
		return
	}
	body, status := s.page(r.URL.Path)
	if status == http.StatusNotFound {
		http.NotFound(w, r)
		return
	}
	s.write(w, r, status, body)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, body string) {
	ct := "text/html; charset=utf-8"
	data := []byte(body)
	switch s.Spec.Encoding {
	case "gbk", "gb2312":
		enc, err := simplifiedchinese.GBK.NewEncoder().String(body)
		if err != nil {
			panic(err)
		}
		data = []byte(enc)
		ct = "text/html; charset=GBK"
		if s.Spec.Encoding == "gb2312" {
			ct = "text/html"
		}
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// page renders a path; 404 for anything the site does not have.
func (s *Server) page(path string) (string, int) {
	switch {
	case path == "/" || path == "/index.html":
		if s.Spec.HomeStatus != 0 {
			return "busy", s.Spec.HomeStatus
		}
		return s.home(), http.StatusOK
	case path == "/admin/" && s.Spec.AdminExposed:
		return s.doc("后台管理", `<form action="/admin/login" method="post"><input name="user"><input type="password" name="pw"></form>`), http.StatusOK
	case path == "/img/logo.png", path == "/img/jiucuo.png":
		return "", http.StatusOK
	case path == "/jiucuo/":
		return s.doc("我为政府网站找错", "<p>请填写错误信息</p>"), http.StatusOK
	case strings.HasPrefix(path, "/deep/"):
		return s.deep(path)
	case strings.HasPrefix(path, "/c"):
		return s.columnPath(path)
	}
	return "", http.StatusNotFound
}

func (s *Server) columnPath(path string) (string, int) {
	var ci, n int
	if _, err := fmt.Sscanf(path, "/c%d/list_%d.html", &ci, &n); err == nil && ci < len(s.Spec.Columns) && n >= 1 {
		return s.list(ci, n)
	}
	if _, err := fmt.Sscanf(path, "/c%d/a%d.html", &ci, &n); err == nil && ci < len(s.Spec.Columns) {
		return s.article(ci, n), http.StatusOK
	}
	return "", http.StatusNotFound
}

func (s *Server) deep(path string) (string, int) {
	var n int
	if _, err := fmt.Sscanf(path, "/deep/%d.html", &n); err != nil || n < 1 || n > s.Spec.DeepChain {
		return "", http.StatusNotFound
	}
	next := ""
	if n < s.Spec.DeepChain {
		next = fmt.Sprintf(`<p><a href="%s">继续阅读第%d篇</a></p>`, s.href(fmt.Sprintf("/deep/%d.html", n+1)), n+1)
	}
	return s.doc(fmt.Sprintf("专题%d", n), s.nav()+next+s.footer()), http.StatusOK
}

// href writes a site link: absolute under the public domain when there
// is one (the crawler must fetch it through --url with that Host).
func (s *Server) href(path string) string {
	if s.Spec.Domain != "" {
		return "http://" + s.Spec.Domain + path
	}
	return path
}

func (s *Server) doc(title, body string) string {
	meta := `<meta charset="utf-8">`
	if s.Spec.Encoding == "gb2312" || s.Spec.Encoding == "gbk" {
		meta = `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`
	}
	return "<!DOCTYPE html>\n<html><head>" + meta + "<title>" + html.EscapeString(title) + "</title></head>\n<body>\n" + body + "\n</body></html>\n"
}

func (s *Server) listURL(ci, n int) string { return s.href(fmt.Sprintf("/c%d/list_%d.html", ci, n)) }

func (s *Server) nav() string {
	var b strings.Builder
	class := ` class="nav"`
	if s.Spec.PlainNav {
		class = ""
	}
	fmt.Fprintf(&b, `<div%s><ul><li><a href="%s">首页</a></li>`, class, s.href("/"))
	for i, c := range s.Spec.Columns {
		if !c.OffNav {
			fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, s.listURL(i, 1), c.Name)
		}
	}
	b.WriteString("</ul></div>\n")
	return b.String()
}

func (s *Server) header() string {
	search := `<form action="/search/" method="get"><input type="text" name="searchword" placeholder="请输入关键字"><button type="submit">搜索</button></form>`
	if s.Spec.NoSearch {
		search = ""
	}
	return `<div class="header"><img src="` + s.href("/img/logo.png") + `" alt="logo">` + search + "</div>\n"
}

func (s *Server) footer() string {
	f := s.Spec.Footer
	if f.Omit {
		return `<div class="footer"><p>联系我们</p></div>`
	}
	var b strings.Builder
	b.WriteString(`<div class="footer"><p>`)
	for _, part := range []struct{ label, value string }{
		{"主办单位：", f.Organizer}, {"承办单位：", f.Host}, {"网站标识码：", f.SiteCode},
	} {
		if part.value != "" {
			fmt.Fprintf(&b, "<span>%s%s</span> ", part.label, part.value)
		}
	}
	if f.ICP != "" {
		fmt.Fprintf(&b, "<span>%s</span> ", f.ICP)
	}
	if f.PublicSecurity != "" {
		fmt.Fprintf(&b, "<span>%s</span>", f.PublicSecurity)
	}
	b.WriteString("</p>")
	if !s.Spec.NoErrorEntry {
		target := "/jiucuo/"
		if s.Spec.Elsewhere != "" {
			target = s.Spec.Elsewhere + "/exposure/jiucuo.html?site_code=" + f.SiteCode
		}
		fmt.Fprintf(&b, `<a href="%s"><img src="%s" alt="我为政府网站找错"></a>`, target, s.href("/img/jiucuo.png"))
	}
	b.WriteString("</div>")
	return b.String()
}

// Date formats real sites print (issue 7), used in turn.
var formats = []func(time.Time) string{
	func(t time.Time) string { return t.Format("2006-01-02") },
	func(t time.Time) string { return t.Format("2006/01/02") },
	func(t time.Time) string { return t.Format("2006年01月02日") },
	func(t time.Time) string { return "[" + t.Format("2006-01-02") + "]" },
	func(t time.Time) string { return "(" + t.Format("2006.01.02") + ")" },
}

func (s *Server) day(daysAgo int) time.Time { return s.Spec.Now.AddDate(0, 0, -daysAgo) }
