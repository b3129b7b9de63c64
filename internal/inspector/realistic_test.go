package inspector

import (
	"context"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"sitegroup.io/operator/test/fixturesite"
)

// TestRealisticSite crawls the benchmark's site of realistic page weight
// (issue 16: 2,000 pages of 25–30 KB, a 60-link menu, a 40-link footer)
// with all checks at 16 workers: every page is reached and the site,
// which has no defect, passes. (go test -run Realistic -cpuprofile is
// how the crawl's cost was profiled.)
func TestRealisticSite(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls 2,000 pages")
	}
	site := fixturesite.NewRealistic(testNow, 2000)
	site.Render()
	srv := httptest.NewServer(site)
	defer srv.Close()
	cpu0 := cpuSeconds()
	r := Run(context.Background(), Config{URL: mustURL(srv.URL + "/"), Now: testNow, Concurrency: 16, MaxPages: 100000,
		MaxDepth: 50, Probes: 3, External: ExternalCheck})
	if r.Stats.Pages != 2000 || r.Stats.BudgetExhausted != "" || len(r.DeadLinks) != 0 {
		t.Errorf("pages %d budget %q dead %v", r.Stats.Pages, r.Stats.BudgetExhausted, r.DeadLinks)
	}
	// Its menu is columns and topics (59 columns); it has no consultation
	// channel (V4): a benchmark site, judged like any other.
	if c := columnNamed(r, "要闻动态"); c.Items == 0 || c.Stale || c.Blank || c.Pages < 2 {
		t.Errorf("要闻动态 %+v", c)
	}
	if vetoes(r) != "V4" || len(r.Columns) != 59 {
		t.Errorf("verdict %s vetoes %v columns %d", r.Verdict, r.Vetoes, len(r.Columns))
	}
	t.Logf("%d pages, %d requests in %.2fs, %.2f CPU seconds (the site's server included)", r.Stats.Pages, r.Stats.Requests,
		r.Stats.DurationSeconds, cpuSeconds()-cpu0)
}

// cpuSeconds is this process's user and system time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
