package crawl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"sitegroup.io/operator/test/fixturesite"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCanonical(t *testing.T) {
	site := NewSite(mustURL(t, "http://svc.ns.svc/"), "www.example.gov.cn")
	for in, want := range map[string]string{
		"http://SVC.ns.svc:80/a/b.html#top":    "http://svc.ns.svc/a/b.html",
		"https://www.example.gov.cn/a/":        "http://svc.ns.svc/a/", // the public domain, fetched through --url
		"http://WWW.EXAMPLE.GOV.CN:80":         "http://svc.ns.svc/",
		"http://www.example.gov.cn/a/./b/../c": "http://svc.ns.svc/a/c",
		"http://www.example.gov.cn/a/../":      "http://svc.ns.svc/",
		"http://other.gov.cn:8080/x?b=1&a=2":   "http://other.gov.cn:8080/x?b=1&a=2",
		"https://other.gov.cn:443/":            "https://other.gov.cn/",
		"http://svc.ns.svc/list?":              "http://svc.ns.svc/list",
	} {
		if got := site.Canonical(mustURL(t, in)).String(); got != want {
			t.Errorf("Canonical(%s) = %s, want %s", in, got, want)
		}
	}
	if !site.SameSite(mustURL(t, "https://www.example.gov.cn/x")) || site.SameSite(mustURL(t, "http://example.gov.cn/")) {
		t.Error("SameSite: the public domain is the site's, its parent domain is not")
	}
	if got := site.Public(mustURL(t, "http://svc.ns.svc/a/")); got != "http://www.example.gov.cn/a/" {
		t.Errorf("Public = %s", got)
	}
}

// testSite serves pages from a map; paths not in it are 404.
type testSite struct {
	mu       sync.Mutex
	pages    map[string]string
	hits     map[string]int
	inFlight atomic.Int32
	peak     atomic.Int32
	handle   func(w http.ResponseWriter, r *http.Request) bool // may take over a request
}

// hang makes the matching paths answer nothing until the client gives up
// or the returned release is called (deferred by the test).
func (s *testSite) hang(match func(path string) bool) (release func()) {
	block := make(chan struct{})
	s.handle = func(w http.ResponseWriter, r *http.Request) bool {
		if !match(r.URL.Path) {
			return false
		}
		select {
		case <-block:
		case <-r.Context().Done():
		}
		return true
	}
	return func() { close(block) }
}

func (s *testSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	s.mu.Lock()
	if s.hits == nil {
		s.hits = map[string]int{}
	}
	s.hits[r.Method+" "+r.URL.Path]++
	body, ok := s.pages[r.URL.Path]
	s.mu.Unlock()
	if s.handle != nil && s.handle(w, r) {
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, body)
}

func (s *testSite) hit(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[key]
}

var hrefRE = regexp.MustCompile(`(href|src)="([^"]*)"`)

// linkVisitor reads links with a regexp: the crawl package does not parse
// HTML itself, and these tests are about the crawl. It records the body.
func linkVisitor(seen *sync.Map) Visitor {
	return func(p Page, outs []Out) []Out {
		body, _ := io.ReadAll(p.Body)
		if seen != nil {
			seen.Store(p.URL.String(), string(body))
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(body), -1) {
			u, err := p.Final.Parse(m[2])
			if err != nil {
				continue
			}
			kind := PageLink
			if m[1] == "src" || strings.HasSuffix(u.Path, ".pdf") {
				kind = ResourceLink
			}
			outs = append(outs, Out{URL: u, Kind: kind, Next: strings.HasPrefix(p.URL.Path, "/list") && strings.HasPrefix(u.Path, "/list")}) // a pager in these tests
		}
		return outs
	}
}

func config() Config {
	return Config{Concurrency: 4, MaxPages: 100, MaxDepth: 5, MaxLinks: 100, CheckLinks: true, CheckExternal: true,
		Fetch: FetchConfig{PageTimeout: 5 * time.Second, Retries: 2, Backoff: time.Millisecond, Connections: 4}}
}

func crawlSite(t *testing.T, srv *httptest.Server, host string, cfg Config, seen *sync.Map) Result {
	t.Helper()
	site := NewSite(mustURL(t, srv.URL+"/"), host)
	return Crawl(context.Background(), site, NewFetcher(site, cfg.Fetch), cfg, linkVisitor(seen))
}

func deadURLs(r Result) []string {
	var out []string
	for _, d := range r.Dead {
		s := fmt.Sprintf("%s %d", d.URL.Path, d.Status)
		if d.Homepage {
			s += " home"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestCrawlDeduplicatesAndChecks(t *testing.T) {
	ts := &testSite{pages: map[string]string{
		"/":       `<a href="/a.html">a</a> <a href="/a.html#x">a again</a> <a href="./b/../a.html">a, dotted</a> <a href="/gone.html">gone</a> <img src="/logo.png">`,
		"/a.html": `<a href="/">home</a> <a href="/doc.pdf">doc</a> <a href="/missing.pdf">missing</a>`,
	}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	ts.pages["/logo.png"] = "png"
	ts.pages["/doc.pdf"] = "pdf"
	r := crawlSite(t, srv, "", config(), nil)
	if r.Pages != 2 || ts.hit("GET /a.html") != 1 {
		t.Errorf("pages %d, /a.html fetched %d times; want 2 pages, /a.html once", r.Pages, ts.hit("GET /a.html"))
	}
	want := []string{"/gone.html 404 home", "/missing.pdf 404"}
	if got := deadURLs(r); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("dead %v, want %v", got, want)
	}
	if ts.hit("HEAD /doc.pdf") != 1 || ts.hit("GET /doc.pdf") != 0 {
		t.Errorf("a resource that answers HEAD is not fetched: HEAD %d GET %d", ts.hit("HEAD /doc.pdf"), ts.hit("GET /doc.pdf"))
	}
	if r.Dead[0].FoundOn.Path != "/" || r.Dead[1].FoundOn.Path != "/a.html" {
		t.Errorf("found on %v %v", r.Dead[0].FoundOn, r.Dead[1].FoundOn)
	}
}

func TestHeadThenGet(t *testing.T) {
	ts := &testSite{pages: map[string]string{"/": `<img src="/img.png">`, "/img.png": "png"}}
	ts.handle = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodHead {
			http.Error(w, "no HEAD here", http.StatusMethodNotAllowed)
			return true
		}
		return false
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	r := crawlSite(t, srv, "", config(), nil)
	if len(r.Dead) != 0 || ts.hit("GET /img.png") != 1 {
		t.Errorf("a server refusing HEAD: dead %v, GET %d; want the GET to decide", deadURLs(r), ts.hit("GET /img.png"))
	}
}

func TestExternalLinksAreCheckedNotCrawled(t *testing.T) {
	other := &testSite{pages: map[string]string{"/x.html": `<a href="/y.html">y</a>`}}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	ts := &testSite{pages: map[string]string{"/": `<a href="` + otherSrv.URL + `/x.html">x</a><a href="` + otherSrv.URL + `/dead">dead</a>`}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.Fetch.Allow = []string{otherSrv.Listener.Addr().String()} // another site, on loopback too
	r := crawlSite(t, srv, "", cfg, nil)
	if other.hit("HEAD /x.html") != 1 || other.hit("GET /y.html")+other.hit("HEAD /y.html") != 0 {
		t.Errorf("external page: HEAD %d, its links followed %d times", other.hit("HEAD /x.html"), other.hit("GET /y.html"))
	}
	if got := deadURLs(r); len(got) != 1 || got[0] != "/dead 404 home" {
		t.Errorf("dead %v", got)
	}
	cfg.CheckExternal = false
	crawlSite(t, srv, "", cfg, nil)
	if other.hit("HEAD /x.html") != 1 {
		t.Error("external links were checked with CheckExternal off")
	}
}

func TestHostHeader(t *testing.T) {
	ts := &testSite{pages: map[string]string{
		"/":  `<a href="http://www.example.gov.cn/a">public address</a> <a href="https://www.example.gov.cn/b">https</a>`,
		"/a": "a", "/b": "b",
	}}
	var badHost atomic.Int32
	ts.handle = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Host != "www.example.gov.cn" {
			badHost.Add(1)
			http.Error(w, "wrong host", http.StatusMisdirectedRequest)
			return true
		}
		return false
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	r := crawlSite(t, srv, "www.example.gov.cn", config(), nil)
	if r.Pages != 3 || badHost.Load() != 0 || len(r.Dead) != 0 {
		t.Errorf("pages %d, requests with the wrong Host %d, dead %v: want 3 pages through --url with Host www.example.gov.cn", r.Pages, badHost.Load(), deadURLs(r))
	}
}

func TestConcurrencyBound(t *testing.T) {
	ts := &testSite{pages: map[string]string{}}
	var home strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&home, `<a href="/p%d">p</a>`, i)
		ts.pages[fmt.Sprintf("/p%d", i)] = "leaf"
	}
	ts.pages["/"] = home.String()
	release := make(chan struct{})
	var waiting atomic.Int32
	ts.handle = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/" {
			// Hold requests until three more than the bound could be in flight.
			if waiting.Add(1) == 3 {
				close(release)
			}
			<-release
		}
		return false
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.Concurrency = 3
	r := crawlSite(t, srv, "", cfg, nil)
	if r.Pages != 41 || ts.peak.Load() > 3 {
		t.Errorf("pages %d, peak in flight %d; want 41 pages, at most 3 at once", r.Pages, ts.peak.Load())
	}
}

func TestBudgets(t *testing.T) {
	// A chain /1 → /2 → … → /10, each page also linking /x<n>.
	ts := &testSite{pages: map[string]string{"/": `<a href="/1">1</a>`}}
	for i := 1; i <= 10; i++ {
		ts.pages[fmt.Sprintf("/%d", i)] = fmt.Sprintf(`<a href="/%d">next</a>`, i+1)
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	for _, tc := range []struct {
		name            string
		maxPages, depth int
		pages           int
		budgets         string
	}{
		{"everything fits", 100, 20, 11, ""},
		{"page budget", 4, 20, 4, "pages"},
		{"depth budget", 100, 3, 4, "depth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config()
			cfg.MaxPages, cfg.MaxDepth = tc.maxPages, tc.depth
			r := crawlSite(t, srv, "", cfg, nil)
			if r.Pages != tc.pages || JoinBudgets(r.Budgets) != tc.budgets {
				t.Errorf("pages %d budgets %q, want %d %q", r.Pages, JoinBudgets(r.Budgets), tc.pages, tc.budgets)
			}
		})
	}
}

func TestPagerKeepsDepth(t *testing.T) {
	ts := &testSite{pages: map[string]string{"/": `<a href="/list1">list</a>`}}
	for i := 1; i <= 6; i++ {
		ts.pages[fmt.Sprintf("/list%d", i)] = fmt.Sprintf(`<a class="next" href="/list%d">next</a> <a href="/article%d">article</a>`, i+1, i)
		ts.pages[fmt.Sprintf("/article%d", i)] = "article"
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.MaxDepth = 1
	if r := crawlSite(t, srv, "", cfg, nil); r.Pages != 7 || JoinBudgets(r.Budgets) != "depth" {
		t.Errorf("pages %d budgets %v, want the homepage and the 6 pages of the list at depth 1, not their articles", r.Pages, r.Budgets)
	}
}

func TestTimeBudget(t *testing.T) {
	ts := &testSite{pages: map[string]string{"/": `<a href="/slow">slow</a><a href="/slow2">slow</a>`}}
	defer ts.hang(func(path string) bool { return strings.HasPrefix(path, "/slow") })()
	srv := httptest.NewServer(ts)
	defer srv.Close()
	site := NewSite(mustURL(t, srv.URL+"/"), "")
	cfg := config()
	ctx, cancel := context.WithCancel(context.Background())
	visit := func(p Page, outs []Out) []Out {
		outs = linkVisitor(nil)(p, outs)
		cancel() // the time budget runs out while /slow is being fetched
		return outs
	}
	r := Crawl(ctx, site, NewFetcher(site, cfg.Fetch), cfg, visit)
	if JoinBudgets(r.Budgets) != "time" || len(r.Dead) != 0 || r.Pages != 1 {
		t.Errorf("budgets %q dead %v pages %d; want the time budget, and pages cut off by it not dead", JoinBudgets(r.Budgets), deadURLs(r), r.Pages)
	}
}

func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int32
		retries  int
		dead     bool
		attempts int
	}{
		{"a transient 503 is retried", 2, 2, false, 3},
		{"retries are bounded", 100, 2, true, 3},
		{"no retries", 1, 0, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := &testSite{pages: map[string]string{"/": `<a href="/flaky">f</a>`, "/flaky": "ok"}}
			var failed atomic.Int32
			ts.handle = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path == "/flaky" && failed.Add(1) <= tc.failures {
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return true
				}
				return false
			}
			srv := httptest.NewServer(ts)
			defer srv.Close()
			cfg := config()
			cfg.Fetch.Retries = tc.retries
			r := crawlSite(t, srv, "", cfg, nil)
			if (len(r.Dead) > 0) != tc.dead || ts.hit("GET /flaky") != tc.attempts {
				t.Errorf("dead %v after %d attempts; want dead=%v after %d", deadURLs(r), ts.hit("GET /flaky"), tc.dead, tc.attempts)
			}
		})
	}
}

func TestHomepageDown(t *testing.T) {
	ts := &testSite{pages: map[string]string{}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	r := crawlSite(t, srv, "", config(), nil)
	if r.HomeOpened() || r.HomeStatus != 404 || r.Pages != 0 {
		t.Errorf("home opened %v status %d pages %d", r.HomeOpened(), r.HomeStatus, r.Pages)
	}
	srv.Close()
	r = crawlSite(t, srv, "", config(), nil)
	if r.HomeOpened() || r.HomeErr == nil {
		t.Errorf("a closed server: home opened %v err %v", r.HomeOpened(), r.HomeErr)
	}
}

func TestCharsets(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("<p>通知公告</p>")
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("<p>通知公告</p>")
	for _, tc := range []struct {
		name, contentType, body string
	}{
		{"GBK in the header", "text/html; charset=GBK", gbk},
		{"GB2312 only in <meta>", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` + gbk},
		{"<meta charset>", "text/html", `<meta charset="gbk">` + gbk},
		{"UTF-8", "text/html; charset=utf-8", "<p>通知公告</p>"},
		{"UTF-8 in capitals", "text/html; charset=UTF-8", "<p>通知公告</p>"},
		{"a UTF-16 byte order mark overrides the header", "text/html; charset=utf-8", utf16},
		{"no Content-Type", "", "<html><p>通知公告</p></html>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = []string{tc.contentType}
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			var seen sync.Map
			crawlSite(t, srv, "", config(), &seen)
			body, _ := seen.Load(srv.URL + "/")
			if s, _ := body.(string); !strings.Contains(s, "通知公告") {
				t.Errorf("decoded body %q", s)
			}
		})
	}
}

func TestNonHTMLIsNotParsed(t *testing.T) {
	ts := &testSite{pages: map[string]string{"/": `<a href="/data.json">data</a>`}}
	ts.handle = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/data.json" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"href":"/secret"}`)
			return true
		}
		return false
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	if r := crawlSite(t, srv, "", config(), nil); r.Pages != 1 || ts.hit("GET /secret") != 0 {
		t.Errorf("pages %d, /secret %d", r.Pages, ts.hit("GET /secret"))
	}
}

// TestRateLimit: n requests to one host at r per second take at least
// (n-1)/r: the limiter's guarantee, so the bound cannot flake. The site's
// two names (its address and --host-header) share the one limit.
func TestRateLimit(t *testing.T) {
	ts := &testSite{pages: map[string]string{"/": `<a href="/a">a</a><a href="http://www.example.gov.cn/b">b</a><a href="/c">c</a><a href="/d">d</a>`,
		"/a": "a", "/b": "b", "/c": "c", "/d": "d"}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.Fetch.Rate = 40
	start := time.Now()
	r := crawlSite(t, srv, "www.example.gov.cn", cfg, nil)
	if elapsed, least := time.Since(start), time.Duration(r.Requests-1)*time.Second/40; r.Pages != 5 || elapsed < least {
		t.Errorf("%d requests in %v at 40/s, want at least %v", r.Requests, elapsed, least)
	}
}

func TestPageTimeout(t *testing.T) {
	ts := &testSite{pages: map[string]string{"/": `<a href="/slow">slow</a>`}}
	defer ts.hang(func(path string) bool { return path == "/slow" })()
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.Fetch.PageTimeout, cfg.Fetch.Retries = 20*time.Millisecond, 1
	r := crawlSite(t, srv, "", cfg, nil)
	if len(r.Dead) != 1 || r.Dead[0].Status != 0 || !strings.Contains(r.Dead[0].Err, "deadline") || ts.hit("GET /slow") != 2 {
		t.Errorf("dead %+v after %d attempts; want no answer within the page timeout, retried once", r.Dead, ts.hit("GET /slow"))
	}
}

func TestLinkBudget(t *testing.T) {
	var home strings.Builder
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&home, `<img src="/img%d.png">`, i)
	}
	ts := &testSite{pages: map[string]string{"/": home.String()}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.MaxLinks = 4
	if r := crawlSite(t, srv, "", cfg, nil); r.Checked != 4 || JoinBudgets(r.Budgets) != "links" || r.Links != 10 {
		t.Errorf("checked %d of %d links, budgets %v", r.Checked, r.Links, r.Budgets)
	}
}

// TestCloseEndsConnections: once a fetcher is closed, the site holds no
// connection of it open (a crawl's connections end with the crawl), for
// the site's public name too (the host mapping passes Close on).
func TestCloseEndsConnections(t *testing.T) {
	srv := fixturesite.StartConnCounted(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<p>ok</p>")
	}))
	defer srv.Close()
	site := NewSite(mustURL(t, srv.URL+"/"), "www.example.gov.cn")
	f := NewFetcher(site, FetchConfig{PageTimeout: 5 * time.Second, Connections: 4})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := f.Get(context.Background(), mustURL(t, fmt.Sprintf("http://www.example.gov.cn/%d.html", i)))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Close()
		}()
	}
	wg.Wait()
	if srv.Open() == 0 {
		t.Fatal("no connection was opened")
	}
	f.Close()
	if n := srv.WaitClosed(5 * time.Second); n != 0 {
		t.Errorf("%d connections still open after Close", n)
	}
}
