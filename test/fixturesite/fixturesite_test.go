package fixturesite

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func get(t *testing.T, s *Server, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func TestSizedSitesHaveExactlyNPages(t *testing.T) {
	for _, n := range []int{1, 2, 12, 106, 200, 5000} {
		spec := Sized(now, n)
		if got := len(spec.PagePaths()); got != n {
			t.Errorf("Sized(%d) has %d pages", n, got)
		}
	}
	s := Start(Sized(now, 200))
	defer s.Close()
	for _, p := range s.Spec.PagePaths() {
		if code, _, _ := get(t, s, p); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}
}

func TestDefects(t *testing.T) {
	spec := Default(now)
	spec.HomeDeadLinks, spec.AdminExposed, spec.IDNumber = 1, true, true
	s := Start(spec)
	defer s.Close()
	_, home, _ := get(t, s, "/")
	if code, _, _ := get(t, s, "/missing/home-1.html"); code != 404 || !strings.Contains(home, "/missing/home-1.html") {
		t.Error("the homepage's dead link")
	}
	if _, admin, _ := get(t, s, "/admin/"); !strings.Contains(admin, `type="password"`) {
		t.Error("the exposed admin login")
	}
	if _, article, _ := get(t, s, "/c0/a1.html"); !strings.Contains(article, "身份证号：120101199003071235") {
		t.Error("the ID number")
	}
	if ValidID("11010519491231002") != "11010519491231002X" {
		t.Error("ValidID: the GB 11643 example")
	}
}

func TestEncodings(t *testing.T) {
	for enc, header := range map[string]string{"gbk": "text/html; charset=GBK", "gb2312": "text/html"} {
		spec := Default(now)
		spec.Encoding = enc
		s := Start(spec)
		_, body, h := get(t, s, "/")
		s.Close()
		utf8, err := simplifiedchinese.GBK.NewDecoder().String(body)
		if err != nil || h.Get("Content-Type") != header || !strings.Contains(utf8, "主办单位") || strings.Contains(body, "主办单位") {
			t.Errorf("%s: Content-Type %q, decoded %v", enc, h.Get("Content-Type"), err)
		}
	}
}

func TestDomainRequiresHost(t *testing.T) {
	spec := Default(now)
	spec.Domain = "www.example.gov.cn"
	s := Start(spec)
	defer s.Close()
	if code, _, _ := get(t, s, "/"); code != http.StatusMisdirectedRequest || s.BadHost.Load() != 1 {
		t.Errorf("a request without the site's Host: %d", code)
	}
}

// TestRealisticSite: exactly the pages asked for, every page answers, and
// they weigh what issue 16 says real portal pages weigh.
func TestRealisticSite(t *testing.T) {
	for _, n := range []int{200, 2000, 2017} {
		r := NewRealistic(now, n)
		paths := r.PagePaths()
		if len(paths) != n {
			t.Errorf("NewRealistic(%d) has %d pages", n, len(paths))
		}
		seen := map[string]bool{}
		for _, p := range paths {
			if seen[p] {
				t.Fatalf("%s twice", p)
			}
			seen[p] = true
			body, ok := r.page(p)
			if !ok {
				t.Fatalf("%s does not answer", p)
			}
			if strings.Contains(p, "/t") && (len(body) < 25<<10 || len(body) > 30<<10) {
				t.Errorf("%s weighs %d bytes, want 25–30 KB", p, len(body))
			}
		}
	}
}
