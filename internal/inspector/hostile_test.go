package inspector

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"sitegroup.io/operator/internal/memsample"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/test/fixturesite"
)

// runOn inspects a handler served on loopback.
func runOn(t *testing.T, h http.Handler, tune ...func(*Config)) findings.Report {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{URL: mustURL(srv.URL + "/"), Now: testNow, Concurrency: 4, MaxPages: 50, MaxDepth: 5,
		Retries: 1, Backoff: 1, Probes: 3, External: ExternalCheck}
	for _, f := range tune {
		f(&cfg)
	}
	return Run(context.Background(), cfg)
}

// TestHomepageNotHTML: a homepage that answers 200 with something that is
// not HTML is a verdict (nothing to judge the site by: V2, V4 and the S4
// footer fail), never a panic (issue 16: a nil dereference in hasChannel).
func TestHomepageNotHTML(t *testing.T) {
	for _, tc := range []struct{ name, ct, body string }{
		{"json", "application/json", `{"ok":true}`},
		{"png", "image/png", "\x89PNG\r\n\x1a\n"},
		{"no type, binary", "", "\x00\x01\x02\x03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runOn(t, fixturesite.NotHTMLHome(tc.ct, tc.body))
			if r.Verdict != findings.Fail || !strings.Contains(vetoes(r), "V2") || !strings.Contains(vetoes(r), "V4") || strings.Contains(vetoes(r), "V1") {
				t.Errorf("verdict %s vetoes %v: want a failing verdict on V2 and V4, not V1 (the homepage opened)", r.Verdict, r.Vetoes)
			}
			if r.Stats.Pages != 0 || r.Stats.ProbesFailed != 0 {
				t.Errorf("stats %+v", r.Stats)
			}
		})
	}
}

// TestDeeplyNestedHomepage: 600 open elements are past what x/net/html
// builds a tree of (512); the homepage is still read (streamed) and the
// site judged on what it shows.
func TestDeeplyNestedHomepage(t *testing.T) {
	for _, depth := range []int{500, 600, 5000} {
		r := runOn(t, fixturesite.DeepHome(fixturesite.Default(testNow), depth), func(c *Config) { c.MaxPages = 500 })
		if r.Verdict != findings.Pass || vetoes(r) != "" || len(r.Columns) != 6 || r.Identity.SiteCode != "1201000001" {
			t.Errorf("depth %d: verdict %s vetoes %v columns %d identity %+v", depth, r.Verdict, r.Vetoes, len(r.Columns), r.Identity)
		}
	}
}

// TestLinkHeavyRunStaysBounded: a 50-page daily run over 2 MiB pages of
// links (about 50,000 each) stays far under the Job's 256 MiB: the peak
// of the Go runtime's memory (the fixture server included) is measured.
func TestLinkHeavyRunStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MiB of pages")
	}
	const pages, size, limitMiB = 50, 2 << 20, 128 // half the Job's 256 MiB; it peaked at 158 MiB before issue 16
	srv := httptest.NewServer(fixturesite.LinkHeavy(pages, size))
	defer srv.Close()
	cfg := Config{URL: mustURL(srv.URL + "/"), Now: testNow, Concurrency: DefaultConcurrency, MaxPages: pages, MaxDepth: DefaultMaxDepth,
		Probes: 3, External: ExternalCheck}
	// The Job runs with a soft memory limit of three quarters of its
	// limit (TuneRuntime's MemoryLimit); the test holds the same ratio to
	// its own bound, so a busy machine's late collections do not count,
	// and the Job's collector pace (GCPercent).
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(limitMiB * 3 / 4 << 20))
	defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
	runtime.GC()
	stop, peak := make(chan struct{}), make(chan uint64)
	go memsample.Peak(stop, peak)
	r := Run(context.Background(), cfg)
	close(stop)
	mib := float64(<-peak) / (1 << 20)
	t.Logf("peak %.1f MiB over %d pages, %d links", mib, r.Stats.Pages, r.Stats.Links)
	if r.Stats.Pages != pages {
		t.Errorf("reached %d of %d pages", r.Stats.Pages, pages)
	}
	if mib >= limitMiB {
		t.Errorf("peak memory %.1f MiB, want under %d MiB (the Job's limit is 256 MiB)", mib, limitMiB)
	}
}

// mapHandler serves pages from a map (UTF-8 HTML); others are 404.
func mapHandler(pages map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	})
}
