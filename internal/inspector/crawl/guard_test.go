package crawl

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestGuardRefusesWhatNoInspectionReaches (issue 16, SSRF): the site's
// own address (a loopback server here) is crawled; links to any other
// loopback server, to a name that resolves to loopback, to link-local
// (the cloud metadata service) and to the configured cluster ranges are
// refused after resolution, never connected to, and not counted dead.
func TestGuardRefusesWhatNoInspectionReaches(t *testing.T) {
	internal := &testSite{pages: map[string]string{"/secret": "internal"}}
	internalSrv := httptest.NewServer(internal)
	defer internalSrv.Close()
	port := internalSrv.Listener.Addr().String()
	port = port[strings.LastIndex(port, ":")+1:]
	ts := &testSite{pages: map[string]string{
		"/": `<a href="/a.html">a</a>` +
			`<a href="` + internalSrv.URL + `/secret">loopback</a>` +
			`<a href="http://localhost:` + port + `/secret">a name for loopback</a>` +
			`<img src="http://169.254.169.254/latest/meta-data/">` +
			`<a href="http://10.96.0.1:443/api">the API server</a>` +
			`<a href="http://10.244.3.7:8080/">a pod</a>`,
		"/a.html": "a",
	}}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.Fetch.Deny = mustCIDRs(t, "10.96.0.0/12", "10.244.0.0/16")
	r := crawlSite(t, srv, "", cfg, nil)
	if r.Pages != 2 {
		t.Errorf("the site's own pages on loopback: %d crawled, want 2", r.Pages)
	}
	if internal.hit("GET /secret")+internal.hit("HEAD /secret") != 0 {
		t.Errorf("another loopback server was reached: %d requests", internal.hit("GET /secret")+internal.hit("HEAD /secret"))
	}
	if r.Refused != 5 || r.Checked != 0 || len(r.Dead) != 0 {
		t.Errorf("refused %d checked %d dead %v: want 5 refused, none checked or dead", r.Refused, r.Checked, deadURLs(r))
	}

	// Allowed by its address: the same server under the name localhost is
	// still refused (the check is of the resolved address).
	cfg.Fetch.Allow = []string{internalSrv.Listener.Addr().String()}
	r = crawlSite(t, srv, "", cfg, nil)
	if internal.hit("HEAD /secret") != 1 || r.Refused != 4 {
		t.Errorf("an address allowed explicitly: HEAD %d, refused %d; want it checked once and the other 4 refused", internal.hit("HEAD /secret"), r.Refused)
	}
}

// TestRedirectsStayOnTheSiteForCrawling: a page that redirects to
// another site is not crawled there (no GET of the other site's page,
// whose links would be followed); the target is checked as a link.
func TestRedirectsStayOnTheSiteForCrawling(t *testing.T) {
	other := &testSite{pages: map[string]string{"/landing": `<a href="/deeper">deeper</a>`, "/deeper": "x"}}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	ts := &testSite{pages: map[string]string{"/": `<a href="/go">go</a> <a href="/moved">moved</a>`, "/new": "new"}}
	ts.handle = func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/go":
			http.Redirect(w, r, otherSrv.URL+"/landing", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		default:
			return false
		}
		return true
	}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	cfg := config()
	cfg.Fetch.Allow = []string{otherSrv.Listener.Addr().String()}
	r := crawlSite(t, srv, "", cfg, nil)
	if other.hit("GET /landing") != 0 || other.hit("HEAD /landing") != 1 || other.hit("GET /deeper")+other.hit("HEAD /deeper") != 0 {
		t.Errorf("the other site: GET %d HEAD %d, deeper %d; want only a check of the landing page",
			other.hit("GET /landing"), other.hit("HEAD /landing"), other.hit("GET /deeper"))
	}
	if ts.hit("GET /new") != 1 || r.Pages != 2 {
		t.Errorf("a redirect within the site is followed: GET /new %d, pages %d", ts.hit("GET /new"), r.Pages)
	}

	cfg.Fetch.Allow = nil // the same redirect to a loopback address that is not the site's
	r = crawlSite(t, srv, "", cfg, nil)
	if other.hit("HEAD /landing") != 1 || r.Refused != 1 {
		t.Errorf("a redirect to another loopback server: HEAD %d refused %d; want it refused", other.hit("HEAD /landing"), r.Refused)
	}
}

func TestGuardRanges(t *testing.T) {
	g := newGuard(NewSite(mustURL(t, "http://svc.ns.svc/"), ""), nil, mustCIDRs(t, "10.96.0.0/12", "10.244.0.0/16", "192.168.49.2"))
	for _, tc := range []struct {
		ip     string
		denied bool
	}{
		{"127.0.0.1", true}, {"127.255.255.254", true}, {"::1", true}, {"::ffff:127.0.0.1", true},
		{"169.254.169.254", true}, {"169.254.0.23", true}, {"fe80::1", true}, {"100.100.100.200", true},
		{"0.0.0.0", true}, {"224.0.0.1", true},
		{"10.96.0.1", true}, {"10.111.255.255", true}, {"10.112.0.0", false}, // the Service range's edge
		{"10.244.0.5", true}, {"10.245.0.5", false}, {"192.168.49.2", true}, {"192.168.49.3", false},
		{"202.96.64.68", false}, {"2400:da00::6666", false}, {"100.100.100.201", false},
	} {
		if got := g.denied(netip.MustParseAddr(tc.ip)); got != tc.denied {
			t.Errorf("%s denied %v, want %v", tc.ip, got, tc.denied)
		}
	}
	if !g.allow["svc.ns.svc:80"] || len(g.allow) != 1 {
		t.Errorf("allowed %v: want the site's own address only", g.allow)
	}
	if _, err := ParseCIDRs([]string{"10.0.0.0/8", "not-an-ip"}); err == nil {
		t.Error("a bad range was accepted")
	}
}

func mustCIDRs(t *testing.T, list ...string) []netip.Prefix {
	t.Helper()
	p, err := ParseCIDRs(list)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
