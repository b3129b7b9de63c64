// Package notice renders and serves the closure-notice page (T5, T7) that
// replaces a taken-down site: Chinese, accessible, self-contained (no
// external assets), with the status codes crawlers and browsers expect.
package notice

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"os"
	"time"

	"sitegroup.io/operator/internal/clock"
)

// Page is what the notice says; the operator renders it from the
// TakedownRequest into a ConfigMap the notice pods mount.
type Page struct {
	SiteName       string     `json:"siteName"`
	Organizer      string     `json:"organizer"`
	Domains        []string   `json:"domains"`
	Type           string     `json:"type"` // temporary, permanent, or domain-change (S8)
	Title          string     `json:"title"`
	Text           string     `json:"text"`
	Reason         string     `json:"reason"`
	Start          time.Time  `json:"start"`
	End            *time.Time `json:"end,omitempty"`         // temporary: the expected return
	NoticeUntil    *time.Time `json:"noticeUntil,omitempty"` // permanent: end of the notice period
	Contact        string     `json:"contact,omitempty"`
	ContentMovedTo string     `json:"contentMovedTo,omitempty"`
	PortalURL      string     `json:"portalURL,omitempty"`
	// NewDomains of a domain change (S8): where the site now answers.
	NewDomains []string `json:"newDomains,omitempty"`
}

// TypeDomainChange is a Page announcing a domain change on the old
// domains (S8): 200 with the new address, for the policy's period.
const TypeDomainChange = "domain-change"

// Load reads a Page from a JSON file.
func Load(path string) (Page, error) {
	var p Page
	data, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Handler answers every path of the site with the notice:
//   - temporary: 503 Service Unavailable with Retry-After (the expected return);
//   - permanent, during the notice period: 200 with the closure notice;
//   - permanent, after it: 301 to where the content moved, or 410 Gone.
//
// page is called per request so a changed ConfigMap is served without a restart.
func Handler(page func() (Page, error), now func() time.Time) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p, err := page()
		if err != nil {
			http.Error(w, "notice unavailable", http.StatusInternalServerError)
			return
		}
		t := now()
		status := http.StatusOK
		switch {
		case p.Type == "temporary":
			status = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", retryAfter(p, t))
		case p.NoticeUntil != nil && !t.Before(*p.NoticeUntil) && p.ContentMovedTo != "":
			http.Redirect(w, r, p.ContentMovedTo, http.StatusMovedPermanently)
			return
		case p.NoticeUntil != nil && !t.Before(*p.NoticeUntil):
			status = http.StatusGone
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_ = pageTemplate.Execute(w, view{Page: p})
		}
	})
	return mux
}

// retryAfter is the seconds until the expected return, at least a minute.
func retryAfter(p Page, now time.Time) string {
	secs := 3600.0
	if p.End != nil {
		secs = math.Max(60, math.Ceil(p.End.Sub(now).Seconds()))
	}
	return fmt.Sprintf("%.0f", secs)
}

// view adds formatting to a Page for the template.
type view struct{ Page }

func (v view) Date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(clock.Shanghai).Format("2006年1月2日")
}

func (v view) StartDate() string  { return v.Date(&v.Start) }
func (v view) Temporary() bool    { return v.Type == "temporary" }
func (v view) DomainChange() bool { return v.Type == TypeDomainChange }

var pageTemplate = template.Must(template.New("notice").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f5;color:#1a1a1a;line-height:1.8}
main{max-width:44rem;margin:3rem auto;background:#fff;padding:2rem 2.5rem;border-top:6px solid #b30000}
h1{font-size:1.6rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:8rem 1fr;gap:.3rem 1rem}
dt{font-weight:bold}
a{color:#0645ad}
footer{margin-top:2rem;font-size:.9rem;color:#555}
</style>
</head>
<body>
<main role="main" aria-labelledby="notice-title">
<h1 id="notice-title">{{.Title}}</h1>
<p>{{.Text}}</p>
<dl>
<dt>网站名称</dt><dd>{{.SiteName}}</dd>
<dt>主办单位</dt><dd>{{.Organizer}}</dd>
{{if .DomainChange}}<dt>变更时间</dt><dd>{{.StartDate}}</dd>
<dt>新域名</dt><dd>{{range .NewDomains}}<a href="https://{{.}}/">{{.}}</a> {{end}}</dd>
{{else}}<dt>关停原因</dt><dd>{{.Reason}}</dd>
{{end}}{{if .DomainChange}}{{else if .Temporary}}<dt>关停时间</dt><dd>{{.StartDate}} 至 {{.Date .End}}</dd>
<dt>预计恢复</dt><dd>{{.Date .End}}</dd>
{{else}}<dt>关闭时间</dt><dd>{{.StartDate}}</dd>
{{end}}{{if .Contact}}<dt>联系方式</dt><dd>{{.Contact}}</dd>
{{end}}</dl>
{{if .ContentMovedTo}}<p>原网站内容已迁移至：<a href="{{.ContentMovedTo}}">{{.ContentMovedTo}}</a></p>
{{end}}{{if .PortalURL}}<p>相关信息请访问：<a href="{{.PortalURL}}">政府门户网站</a></p>
{{end}}<footer>{{.Organizer}} 发布</footer>
</main>
</body>
</html>
`))
