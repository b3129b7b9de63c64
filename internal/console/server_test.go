package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/findings"
)

func TestCheckListen(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8090":   "",
		"127.0.0.2:0":      "",
		"[::1]:8090":       "",
		"0.0.0.0:8090":     "loopback only",
		":8090":            "loopback only",
		"10.1.2.3:8090":    "loopback only",
		"[::]:8090":        "loopback only",
		"localhost:8090":   "not a name",
		"127.0.0.1":        "host:port",
		"console.gov:8090": "loopback only",
	} {
		err := CheckListen(addr)
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckListen(%q) = %v, want nil", addr, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("CheckListen(%q) = %v, want an error with %q", addr, err, want)
		}
	}
}

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1:8090": true, "localhost:8090": true, "LOCALHOST": true, "[::1]:8090": true, "127.0.0.1": true,
		"evil.example:8090": false, "10.0.0.1:8090": false, "": false, "127.0.0.1.nip.io:8090": false,
	} {
		if got := LoopbackHost(host); got != want {
			t.Errorf("LoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                               "",
		"zh-CN,zh;q=0.9,en;q=0.8":        LangZH,
		"en-US,en;q=0.9":                 LangEN,
		"fr-FR, en;q=0.5, zh-TW;q=0.8":   LangZH,
		"de-DE":                          "",
		"en;q=0, zh;q=0.1":               LangZH,
		"zh_CN":                          LangZH,
		"en-GB;q=0.7, zh-Hans-CN;q=0.71": LangZH,
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
	req := func(query, cookie, accept string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/?"+query, nil)
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: cookie})
		}
		r.Header.Set("Accept-Language", accept)
		return r
	}
	cases := []struct {
		r    *http.Request
		flag string
		want string
	}{
		{req("", "", ""), "", LangZH},
		{req("", "", "de"), "", LangZH},
		{req("", "", "en-US"), "", LangEN},
		{req("", "", "en-US"), "zh-CN", LangZH},
		{req("", "en", "zh-CN"), "zh-CN", LangEN},
		{req("lang=zh-CN", "en", "en"), "en", LangZH},
		{req("lang=xx", "", "en"), "", LangEN},
	}
	for i, c := range cases {
		if got := RequestLang(c.r, c.flag); got != c.want {
			t.Errorf("case %d: RequestLang = %q, want %q", i, got, c.want)
		}
	}
}

// TestMessagesComplete: every word of the console exists in both
// languages, and every key the templates use exists.
func TestMessagesComplete(t *testing.T) {
	used := regexp.MustCompile(`\.T "([a-z0-9.]+)"`)
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := templateFS.ReadFile("templates/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(data), -1) {
			if _, ok := messagesZH[m[1]]; !ok {
				t.Errorf("%s uses %q, which has no words", e.Name(), m[1])
			}
		}
	}
	for k := range messagesZH {
		if _, ok := messagesEN[k]; !ok {
			t.Errorf("%q has no English", k)
		}
	}
	for k := range messagesEN {
		if _, ok := messagesZH[k]; !ok {
			t.Errorf("%q has no Chinese", k)
		}
	}
	l := Lang{LangZH}
	if l.Word(sgv1.StateServing) != "运行中" || l.Word(sgv1.Verdict("")) != "无" || l.Word("SomethingNew") != "SomethingNew" {
		t.Error("Word does not translate API values")
	}
	if (Lang{LangEN}).Word(sgv1.StateAwaitingApproval) != "Awaiting approval" || (Lang{LangEN}).Word(sgv1.StateServing) != "Serving" {
		t.Error("English words")
	}
}

// newOffline is a console whose API server does not answer: enough for
// what happens before any API call.
func newOffline(t *testing.T) *Server {
	t.Helper()
	s, err := New(Options{Config: &rest.Config{Host: "https://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	s.user = "zhang.wei" // no SelfSubjectReview: the API server is not there
	return s
}

func TestRefusesBeforeTheAPI(t *testing.T) {
	s := newOffline(t)
	do := func(method, target, host string, form url.Values, header http.Header) *httptest.ResponseRecorder {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		r := httptest.NewRequest(method, target, body)
		r.Host = host
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range header {
			r.Header[k] = v
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	if w := do(http.MethodGet, "/", "evil.example:8090", nil, nil); w.Code != http.StatusForbidden {
		t.Errorf("a non-loopback Host: %d", w.Code)
	}
	form := url.Values{"item": {"site/ns/edu/city"}, "decision": {"Approved"}, "generation": {"1"}}
	if w := do(http.MethodPost, "/sign", "127.0.0.1:8090", form, nil); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "CSRF") {
		t.Errorf("a POST without the token: %d %s", w.Code, w.Body)
	}
	form.Set("csrf", strings.Repeat("0", len(s.csrf)))
	if w := do(http.MethodPost, "/sign", "127.0.0.1:8090", form, nil); w.Code != http.StatusForbidden {
		t.Errorf("a POST with a wrong token: %d", w.Code)
	}
	form.Set("csrf", s.csrf)
	if w := do(http.MethodPost, "/sign", "127.0.0.1:8090", form, http.Header{"Origin": {"http://evil.example"}}); w.Code != http.StatusForbidden {
		t.Errorf("a cross-origin POST with the token: %d", w.Code)
	}
	w := do(http.MethodGet, "/assets/echarts/echarts.min.js", "127.0.0.1:8090", nil, nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "javascript") || w.Body.Len() < 1_000_000 {
		t.Errorf("echarts.min.js: %d %s, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Body.Len())
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	if w := do(http.MethodGet, "/?lang=en", "127.0.0.1:8090", nil, nil); !strings.Contains(w.Header().Get("Set-Cookie"), langCookie+"=en") {
		t.Errorf("the language switch sets no cookie: %v", w.Header())
	}
}

// TestVendoredECharts: the file served is the one VERSION records.
func TestVendoredECharts(t *testing.T) {
	data, err := assetFS.ReadFile("assets/echarts/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	version, err := os.ReadFile("assets/echarts/VERSION")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(version), hex.EncodeToString(sum[:])) {
		t.Errorf("echarts.min.js has sha256 %x, not the one assets/echarts/VERSION records", sum)
	}
	for _, f := range []string{"LICENSE", "NOTICE", "LICENSE-d3"} {
		if _, err := assetFS.ReadFile("assets/echarts/" + f); err != nil {
			t.Errorf("the licence file %s is missing: %v", f, err)
		}
	}
}

// TestPagesRender renders every page with a full record, in both
// languages, and checks that what users wrote is escaped.
func TestPagesRender(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	site := gw("tjhp-edu", "edu", sgv1.SiteKindDepartment, sgv1.StateServing)
	site.Spec.Organization.Name = `<script>alert("x")</script>教育局`
	site.Spec.Approvals = []sgv1.Approval{approved("unit", "chen.jing"), rejected("city", "zhang.wei")}
	site.Status.MonthlyResults = []sgv1.MonthlyResult{{Month: "2026-11", Verdict: sgv1.VerdictPass, Score: ptr.To[int32](90), Run: "r", Time: at(0)}}
	site.Status.Availability = &sgv1.AvailabilityStatus{Days: []sgv1.AvailabilityDay{{Day: "2026-12-06", Probes: 24, Failed: 1}}, FailureRate: "4.2", Verdict: sgv1.VerdictPass}
	site.Status.Tickets = []sgv1.RectificationTicket{{ID: "V2/x", Problem: "V2: 首页超过2周未更新", DueBy: at(-1), ResultSigners: []string{"unit a"}}}
	site.Status.ComplianceHistory = []sgv1.ComplianceRecord{{Time: at(0), Kind: sgv1.RecordApproval, Summary: "S1: chen.jing approved"}}
	monthly, avail := Charts(site.Status)
	report := &findings.Report{Verdict: "pass", Score: 94, DeadLinks: []findings.DeadLink{{URL: "http://x/<b>", Status: 404}},
		Columns: []findings.Column{{Name: "要闻", Items: 3}}, Vetoes: []findings.Veto{{ID: "V2", Reason: "stale"}}}
	run := &sgv1.InspectionRun{Status: sgv1.InspectionRunStatus{Deductions: []sgv1.DeductionTotal{{Group: "可用性", Points: 2}}}}
	run.Name = "edu-prelaunch"
	td := sgv1.TakedownRequest{Spec: sgv1.TakedownRequestSpec{Type: sgv1.TakedownTemporary, Start: at(0), End: atp(1), Approvals: []sgv1.Approval{approved("unit", "a")},
		ReturnRequest: &sgv1.ReturnRequest{FiledAt: at(0), SelfCheck: "ok"}},
		Status: sgv1.TakedownRequestStatus{Phase: sgv1.TakedownReturning, Timeline: []sgv1.TimelineEntry{{Time: at(0), Phase: "Pending", Message: "T1"}}}}
	td.Name = "rebuild"
	item := Item{Chain: ChainSite, Namespace: "tjhp-edu", Name: "edu", Site: "edu", Level: "city", Generation: 3, Summary: `<img src=x onerror=alert(1)>`}
	months, rows := MonthlyTable([]sgv1.GovWebsite{site})

	for _, lang := range []string{LangZH, LangEN} {
		b := base{L: Lang{lang}, User: "zhang.wei", CSRF: "tok", Title: "t", Switch: "/?lang=en"}
		for name, data := range map[string]any{
			"overview": overviewPage{base: b, Overview: BuildOverview([]sgv1.GovWebsite{site}, Filter{}, now)},
			"site": sitePage{base: b, Site: &site, Row: Row(&site, now), Takedowns: []sgv1.TakedownRequest{td}, Run: run, Report: report,
				Charts: chartData{Lang: lang, Monthly: monthly, Availability: avail}, HasCharts: true, Mine: []Item{item}, Done: "x"},
			"sign":    signPage{base: b, Mine: []Item{item}, Others: []Item{item}, Refused: "T1: <no>"},
			"reports": reportsPage{base: b, Year: 2026, Years: []int{2026}, Markdown: "# 2026 <report>", Months: months, Monthly: rows},
			"error":   errorPage{base: b, Message: "forbidden <x>"},
		} {
			var out bytes.Buffer
			if err := pages[name].ExecuteTemplate(&out, "layout.html", data); err != nil {
				t.Fatalf("%s (%s): %v", name, lang, err)
			}
			html := out.String()
			for _, bad := range []string{"<script>alert", "<img src=x", "<no>", "<report>", "<x>", "http://x/<b>"} {
				if strings.Contains(html, bad) {
					t.Errorf("%s (%s): %q is not escaped", name, lang, bad)
				}
			}
			if !strings.Contains(html, `lang="`+lang+`"`) {
				t.Errorf("%s: no lang attribute %s", name, lang)
			}
		}
	}
}

func TestConditionClass(t *testing.T) {
	for _, c := range []struct {
		typ    string
		status metav1.ConditionStatus
		want   string
	}{
		{"Approved", metav1.ConditionTrue, "cond-good"},
		{"Approved", metav1.ConditionFalse, "cond-bad"},
		{"TicketsOverdue", metav1.ConditionTrue, "cond-bad"},
		{"TicketsOverdue", metav1.ConditionFalse, "cond-good"},
		{"Stalled", metav1.ConditionTrue, "cond-bad"},
		{"Reconciling", metav1.ConditionTrue, "cond-neutral"},
		{"Ready", metav1.ConditionUnknown, "cond-neutral"},
	} {
		if got := conditionClass(c.typ, c.status); got != c.want {
			t.Errorf("conditionClass(%s, %s) = %s, want %s", c.typ, c.status, got, c.want)
		}
	}
}
