package notice

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(19 * 24 * time.Hour)
	until := start.Add(30 * 24 * time.Hour)
	temporary := Page{SiteName: "天津市和平区教育局网站", Organizer: "天津市和平区教育局", Type: "temporary",
		Title: "临时关停公告", Text: "本网站临时关停改版。", Reason: "网站改版升级", Start: start, End: &end,
		Contact: "022-23456789", PortalURL: "https://www.tjhp.gov.cn/"}
	permanent := Page{SiteName: "天津市和平区某局网站", Organizer: "天津市和平区某局", Type: "permanent",
		Title: "关于网站关闭的公告", Text: "本网站已关闭。", Reason: "机构改革", Start: start, NoticeUntil: &until}
	moved := permanent
	moved.ContentMovedTo = "https://www.tjhp.gov.cn/jyxx/"
	domainChange := Page{SiteName: "天津市和平区教育局网站", Organizer: "天津市和平区教育局", Type: TypeDomainChange,
		Title: "网站域名变更公告", Text: "经审批备案，本网站域名已由 jyj.tjhp.gov.cn 变更为 edu.tjhp.gov.cn。", Start: start,
		NoticeUntil: &until, Domains: []string{"jyj.tjhp.gov.cn"}, NewDomains: []string{"edu.tjhp.gov.cn"}}

	tests := []struct {
		name       string
		page       Page
		now        time.Time
		wantCode   int
		wantHeader map[string]string
		wantBody   []string
	}{
		{"T5 temporary: 503 with Retry-After until the return", temporary, end.Add(-2 * time.Hour), 503,
			map[string]string{"Retry-After": "7200"}, []string{"临时关停公告", "网站改版升级", "2026年12月20日", "022-23456789", `lang="zh-CN"`, "https://www.tjhp.gov.cn/"}},
		{"T5 temporary past its end: Retry-After at least a minute", temporary, end.Add(time.Hour), 503,
			map[string]string{"Retry-After": "60"}, []string{"预计恢复"}},
		{"T7 permanent during the notice period: 200", permanent, until.Add(-time.Second), 200, nil, []string{"关于网站关闭的公告", "机构改革", "关闭时间"}},
		{"T7 permanent after the notice period: 410 Gone", permanent, until, 410, nil, []string{"关于网站关闭的公告"}},
		{"T7 content moved: 301 after the notice period", moved, until, 301, map[string]string{"Location": "https://www.tjhp.gov.cn/jyxx/"}, nil},
		{"T7 content moved: shown on the notice meanwhile", moved, start, 200, nil, []string{"原网站内容已迁移至", "https://www.tjhp.gov.cn/jyxx/"}},
		{"S8 domain change on the old domain: 200 with the new address", domainChange, until.Add(-time.Second), 200, nil,
			[]string{"网站域名变更公告", "变更时间", `<a href="https://edu.tjhp.gov.cn/">edu.tjhp.gov.cn</a>`}},
		{"S8 domain change after its period: 410 Gone", domainChange, until, 410, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Handler(func() (Page, error) { return tt.page, nil }, func() time.Time { return tt.now })
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://jyj.tjhp.gov.cn/news/1.html", nil))
			if rec.Code != tt.wantCode {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantCode)
			}
			for k, v := range tt.wantHeader {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			body := rec.Body.String()
			for _, w := range tt.wantBody {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
			if strings.Contains(body, "<script") || strings.Contains(body, "<link") || strings.Contains(body, "src=") {
				t.Error("the notice must not load external assets")
			}
		})
	}
}

func TestHandlerEscapesText(t *testing.T) {
	p := Page{Type: "permanent", Title: "<script>alert(1)</script>", Text: "x", Start: time.Now()}
	rec := httptest.NewRecorder()
	Handler(func() (Page, error) { return p, nil }, time.Now).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Error("notice text must be escaped")
	}
}
