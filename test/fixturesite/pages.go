package fixturesite

import (
	"fmt"
	"net/http"
	"strings"
)

const homeItems = 6

func (s *Server) home() string {
	var b strings.Builder
	b.WriteString(s.header())
	b.WriteString(s.nav())
	b.WriteString(`<div class="main">` + "\n")
	if !s.Spec.NavOnly {
		b.WriteString(s.homeBlock())
	}
	for i, c := range s.Spec.Columns {
		if c.OffNav {
			fmt.Fprintf(&b, `<div class="entry"><a href="%s">%s</a></div>`+"\n", s.listURL(i, 1), c.Name)
		}
	}
	b.WriteString(s.homeDefects())
	b.WriteString("</div>\n")
	b.WriteString(s.footer())
	return s.doc("某某市人民政府门户网站", b.String())
}

// homeBlock is the homepage's news list: six items, the newest
// HomeAgeDays old, linking to the first column's articles.
func (s *Server) homeBlock() string {
	var b strings.Builder
	b.WriteString(`<div class="block"><div class="title"><h3>政务要闻</h3><a href="` + s.listURL(0, 1) + `">更多&gt;&gt;</a></div><ul class="list">` + "\n")
	if s.Spec.FutureItem {
		ahead := s.Spec.Now.AddDate(0, 1, 0)
		if s.Spec.FutureDays > 0 {
			ahead = s.Spec.Now.AddDate(0, 0, s.Spec.FutureDays)
		}
		fmt.Fprintf(&b, `<li><a href="%s">关于下月工作安排的通知</a><span>%s</span></li>`+"\n",
			s.href("/c0/a1.html"), ahead.Format("2006-01-02"))
	}
	for k := 0; k < homeItems; k++ {
		date := ""
		if !s.Spec.HomeUndated {
			date = "<span>" + formats[k%len(formats)](s.day(s.Spec.HomeAgeDays+k)) + "</span>"
		}
		fmt.Fprintf(&b, `<li><a href="%s">市政府召开第%d次常务会议研究部署重点工作</a>%s</li>`+"\n", s.href(fmt.Sprintf("/c0/a%d.html", k+1)), k+1, date)
	}
	b.WriteString("</ul></div>\n")
	return b.String()
}

func (s *Server) homeDefects() string {
	var b strings.Builder
	if n := s.Spec.HomeDeadLinks; n > 0 {
		b.WriteString(`<p class="links">`)
		for k := 1; k <= n; k++ {
			fmt.Fprintf(&b, `<a href="%s">失效链接%d</a> `, s.href(fmt.Sprintf("/missing/home-%d.html", k)), k)
		}
		b.WriteString("</p>\n")
	}
	for k := 1; k <= s.Spec.HomeDeadImages; k++ {
		fmt.Fprintf(&b, `<img src="%s" alt="图片%d">`, s.href(fmt.Sprintf("/img/missing-%d.png", k)), k)
	}
	if s.Spec.DeepChain > 0 {
		fmt.Fprintf(&b, `<p><a href="%s">专题专栏</a></p>`+"\n", s.href("/deep/1.html"))
	}
	if s.Spec.Elsewhere != "" && s.Spec.GamblingLink {
		fmt.Fprintf(&b, `<p><a href="%s/casino/">澳门葡京娱乐城 真人百家乐</a></p>`+"\n", s.Spec.Elsewhere)
	}
	if s.Spec.Elsewhere != "" && s.Spec.LinkFarm > 0 {
		b.WriteString(`<div style="position:absolute; left:-9999px; top:-9999px">`)
		for k := 1; k <= s.Spec.LinkFarm; k++ {
			fmt.Fprintf(&b, `<a href="%s/farm/%d.html">优惠信息%d</a>`, s.Spec.Elsewhere, k, k)
		}
		b.WriteString("</div>\n")
	}
	return b.String()
}

func (c Column) perPage() int {
	if c.PerPage > 0 {
		return c.PerPage
	}
	return 20
}

func (c Column) listPages() int {
	if c.Items == 0 {
		return 1
	}
	return (c.Items + c.perPage() - 1) / c.perPage()
}

func (s *Server) list(ci, n int) (string, int) {
	c := s.Spec.Columns[ci]
	if n > c.listPages() {
		return "", http.StatusNotFound
	}
	var b strings.Builder
	b.WriteString(s.header())
	b.WriteString(s.nav())
	fmt.Fprintf(&b, `<div class="position">当前位置：<a href="%s">首页</a> &gt; <a href="%s">%s</a></div>`+"\n", s.href("/"), s.listURL(ci, 1), c.Name)
	b.WriteString(`<div class="content">` + "\n")
	first, last := (n-1)*c.perPage(), min(n*c.perPage(), c.Items)
	switch {
	case c.Items == 0 && c.Placeholder != "":
		b.WriteString(`<div class="list"><p>` + c.Placeholder + "</p></div>\n")
	case c.Items > 0:
		b.WriteString(s.items(ci, first, last))
	}
	if len(c.Messages) > 0 {
		b.WriteString(s.messages(c))
	}
	b.WriteString(s.pager(ci, n))
	b.WriteString("</div>\n")
	b.WriteString(s.footer())
	return s.doc(c.Name, b.String()), http.StatusOK
}

// items renders items first..last-1; item k is AgeDays+k days old.
func (s *Server) items(ci, first, last int) string {
	c := s.Spec.Columns[ci]
	var b strings.Builder
	open, close := `<ul class="list">`, "</ul>"
	switch c.Style {
	case "table":
		open, close = `<table class="list"><tr><th>标题</th><th>发布日期</th></tr>`, "</table>"
	case "div":
		open, close = `<div class="list">`, "</div>"
	}
	b.WriteString(open + "\n")
	for k := first; k < last; k++ {
		title := fmt.Sprintf("%s第%d期工作信息", c.Name, k+1)
		link := fmt.Sprintf(`<a href="%s">%s</a>`, s.href(fmt.Sprintf("/c%d/a%d.html", ci, k+1)), title)
		date := ""
		if !c.Undated {
			date = formats[k%len(formats)](s.day(c.AgeDays + k))
		}
		switch c.Style {
		case "table":
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td></tr>\n", link, date)
		case "div":
			fmt.Fprintf(&b, `<div class="item">%s<span class="date">%s</span></div>`+"\n", link, date)
		default:
			fmt.Fprintf(&b, "<li>%s<span>%s</span></li>\n", link, date)
		}
	}
	b.WriteString(close + "\n")
	return b.String()
}

func (s *Server) pager(ci, n int) string {
	c := s.Spec.Columns[ci]
	if c.listPages() == 1 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<div class="pager">`)
	fmt.Fprintf(&b, "共%d页 ", c.listPages())
	if n > 1 {
		fmt.Fprintf(&b, `<a href="%s">上一页</a> `, s.listURL(ci, n-1))
	}
	if n < c.listPages() {
		fmt.Fprintf(&b, `<a href="%s">下一页</a> `, s.listURL(ci, n+1))
		fmt.Fprintf(&b, `<a href="%s">尾页</a>`, s.listURL(ci, c.listPages()))
	}
	b.WriteString("</div>\n")
	return b.String()
}

func (s *Server) messages(c Column) string {
	var b strings.Builder
	if c.MessageTable {
		b.WriteString(`<table class="msgs"><tr><th>标题</th><th>留言时间</th><th>回复时间</th><th>状态</th></tr>` + "\n")
		for _, m := range c.Messages {
			replied := ""
			if m.RepliedDay >= 0 {
				replied = s.day(m.RepliedDay).Format("2006-01-02")
			}
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", m.Title,
				s.day(m.AskedDays).Format("2006-01-02"), replied, m.status())
		}
		b.WriteString("</table>\n")
		return b.String()
	}
	b.WriteString(`<ul class="msgs">` + "\n")
	for _, m := range c.Messages {
		fmt.Fprintf(&b, `<li><span class="t">%s</span> <span>留言时间：%s</span>`, m.Title, s.day(m.AskedDays).Format("2006-01-02"))
		if m.RepliedDay >= 0 {
			fmt.Fprintf(&b, ` <span>回复时间：%s</span>`, s.day(m.RepliedDay).Format("2006年01月02日"))
		}
		fmt.Fprintf(&b, " <span>%s</span></li>\n", m.status())
	}
	b.WriteString("</ul>\n")
	return b.String()
}

func (m Message) status() string {
	switch {
	case m.Status != "":
		return m.Status
	case m.RepliedDay >= 0:
		return "已回复"
	}
	return "未回复"
}

func (s *Server) article(ci, n int) string {
	c := s.Spec.Columns[ci]
	var b strings.Builder
	b.WriteString(s.header())
	b.WriteString(s.nav())
	fmt.Fprintf(&b, `<div class="position">当前位置：<a href="%s">首页</a> &gt; <a href="%s">%s</a></div>`+"\n", s.href("/"), s.listURL(ci, 1), c.Name)
	fmt.Fprintf(&b, `<div class="article"><h1>%s第%d期工作信息</h1>`, c.Name, n)
	if !s.Spec.ArticlesUndated {
		fmt.Fprintf(&b, `<p>发布时间：%s</p>`, s.day(c.AgeDays+n-1).Format("2006-01-02"))
	}
	b.WriteString("<p>为进一步做好政务公开工作，现将有关事项通知如下。各单位要高度重视，认真组织落实。</p>")
	if ci == 0 && n == 1 {
		if s.Spec.IDNumber {
			fmt.Fprintf(&b, "<p>联系人：张三，身份证号：%s</p>", ValidID("12010119900307123"))
		}
		for k := 1; k <= s.Spec.PageDeadLinks; k++ {
			fmt.Fprintf(&b, `<p><a href="%s">附件%d：实施方案</a></p>`, s.href(fmt.Sprintf("/missing/page-%d.html", k)), k)
		}
	}
	b.WriteString("</div>\n")
	b.WriteString(s.footer())
	return s.doc(c.Name, b.String())
}

// ValidID completes 17 digits with their GB 11643 check digit.
func ValidID(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}
