// Package samplesite writes a small, realistic government website as static
// files: a homepage with a navigation bar of columns, dated item lists, a
// consultation channel with answered messages, a search box, the 找错
// entry and the identity footer (S4). The demo and the end-to-end suite
// serve it so that inspections crawl something that looks like a real
// department site. Dates are relative to now, so a fresh site passes the
// freshness checks (V2, V3) and a stale one does not.
package samplesite

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"time"
)

// Identity is the site's footer (S4).
type Identity struct {
	Organizer      string // 主办单位
	SiteCode       string // 网站标识码
	ICP            string // ICP备案号
	PublicSecurity string // 公网安备
}

// Options shape the site.
type Options struct {
	Identity Identity
	// StaleDays ages every item: 0 is a well-kept site; 60 makes news and
	// the homepage stale (V2, V3).
	StaleDays int
}

// column is one column (栏目) and how often it is updated.
type column struct {
	Name, Path string
	Every      int // days between items
	Items      int
}

// columns follow the national indicators' kinds: news every few days,
// notices and policies monthly, personnel quarterly.
var columns = []column{
	{"要闻动态", "yw", 2, 12},
	{"通知公告", "tzgg", 20, 8},
	{"政策文件", "zcwj", 30, 6},
	{"人事信息", "rsxx", 60, 4},
}

type item struct {
	Title, Href, Date string
}

type columnPage struct {
	Name, Path string
	Items      []item
}

type message struct {
	Title, Asked, Answered, State string
}

type page struct {
	Identity Identity
	Columns  []columnPage
	Column   *columnPage
	Item     *item
	Messages []message
}

// Write writes the site under dir, with dates counted back from now in
// the platform's calendar.
func Write(dir string, o Options, now time.Time) error {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	today := now.In(loc).AddDate(0, 0, -o.StaleDays)
	var cols []columnPage
	for _, c := range columns {
		cp := columnPage{Name: c.Name, Path: c.Path}
		for i := range c.Items {
			d := today.AddDate(0, 0, -i*c.Every-1)
			cp.Items = append(cp.Items, item{
				Title: fmt.Sprintf("%s第%d期", c.Name, c.Items-i),
				Href:  fmt.Sprintf("/%s/%s-%d.html", c.Path, d.Format("20060102"), i),
				Date:  d.Format("2006-01-02"),
			})
		}
		cols = append(cols, cp)
	}
	msgs := []message{
		{"关于学校招生咨询", today.AddDate(0, 0, -9).Format("2006-01-02"), today.AddDate(0, 0, -6).Format("2006-01-02"), "已回复"},
		{"关于校车线路的建议", today.AddDate(0, 0, -30).Format("2006-01-02"), today.AddDate(0, 0, -25).Format("2006-01-02"), "已回复"},
	}
	files := map[string]page{
		"index.html":      {Identity: o.Identity, Columns: cols},
		"hdjl/index.html": {Identity: o.Identity, Columns: cols, Messages: msgs},
	}
	for i := range cols {
		c := &cols[i]
		files[c.Path+"/index.html"] = page{Identity: o.Identity, Columns: cols, Column: c}
		for j := range c.Items {
			it := c.Items[j]
			files[it.Href[1:]] = page{Identity: o.Identity, Columns: cols, Column: c, Item: &it}
		}
	}
	for name, p := range files {
		if err := render(filepath.Join(dir, name), p); err != nil {
			return err
		}
	}
	return nil
}

func render(path string, p page) error {
	var buf bytes.Buffer
	if err := site.Execute(&buf, p); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

var site = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Identity.Organizer}}</title></head>
<body>
<div class="header"><h1>{{.Identity.Organizer}}</h1>
<form class="search" action="/search" method="get"><input type="text" name="q" placeholder="站内搜索"><button type="submit">搜索</button></form>
</div>
<ul class="nav"><li><a href="/">首页</a></li>{{range .Columns}}<li><a href="/{{.Path}}/">{{.Name}}</a></li>{{end}}<li><a href="/hdjl/">互动交流</a></li></ul>
{{if .Item}}<div class="article"><h2>{{.Item.Title}}</h2><p class="date">发布时间：{{.Item.Date}}</p><p>{{.Column.Name}}正文。</p></div>
{{else if .Column}}<div class="list"><h2>{{.Column.Name}}</h2><ul>{{range .Column.Items}}<li><a href="{{.Href}}">{{.Title}}</a><span>{{.Date}}</span></li>{{end}}</ul></div>
{{else if .Messages}}<div class="list"><h2>互动交流 · 留言</h2><table><tr><th>标题</th><th>留言时间</th><th>回复时间</th><th>状态</th></tr>{{range .Messages}}<tr><td>{{.Title}}</td><td>{{.Asked}}</td><td>{{.Answered}}</td><td>{{.State}}</td></tr>{{end}}</table></div>
{{else}}{{range .Columns}}<div class="column"><h2><a href="/{{.Path}}/">{{.Name}}</a></h2><ul>{{range .Items}}<li><a href="{{.Href}}">{{.Title}}</a><span>{{.Date}}</span></li>{{end}}</ul></div>{{end}}
{{end}}
<div class="footer">
<p><a href="/hdjl/">我为政府网站找错</a></p>
<p>主办单位：{{.Identity.Organizer}}　版权所有：{{.Identity.Organizer}}</p>
<p>网站标识码：{{.Identity.SiteCode}}　{{.Identity.ICP}}　{{.Identity.PublicSecurity}}</p>
</div>
</body></html>
`))
