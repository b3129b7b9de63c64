// Package bench measures the inspector's crawler on generated loopback
// sites against yardsticks taken in the same run (issues 7 and 16):
//
//   - Debian's linkchecker on a 200-page site, both at concurrency 10
//     (skipped with a message when linkchecker is not installed);
//   - the raw fetch floor of a 5,000-page site of light pages: 16 workers
//     fetching every page from a list, parsing nothing, against the
//     crawler at 16;
//   - on a 2,000-page site of realistic page weight (realistic_test.go),
//     served by a process of its own: Debian's wget2 recursive spider at
//     16 threads and the raw fetch floor at 16, with CPU seconds per
//     1,000 pages for the inspector and wget2.
//
// Goals: at least 100× linkchecker's URLs per second, at least half the
// raw fetch rate on light pages; on realistic pages at least 1.5×
// wget2's rate and 0.35 of the raw fetch floor; peak memory under 100
// MiB, every page reached. Run it with `make bench` (go test -run '^$'
// -bench . -benchtime 1x ./test/bench/).
package bench

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"sitegroup.io/operator/internal/memsample"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector"
	"sitegroup.io/operator/test/fixturesite"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Goals of issue 7.
const (
	goalVsLinkchecker = 100.0
	goalOfRaw         = 0.5
	goalPeakMiB       = 100.0
)

// crawl runs the inspector the way the command does, without rate limit
// (loopback), and measures it: how long it ran, URLs per second (pages
// crawled plus links checked) and the Go runtime's peak memory while it
// ran. The garbage collection before it (a clean start for the peak) is
// not timed.
func crawl(b *testing.B, site *fixturesite.Server, concurrency int) (findings.Report, time.Duration, float64, float64) {
	b.Helper()
	u, _ := url.Parse(site.URL + "/")
	cfg := inspector.Config{URL: u, Now: now, Concurrency: concurrency, Rate: 0, MaxPages: 100000, MaxDepth: 20,
		Probes: 3, External: inspector.ExternalCheck}
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go memsample.Peak(stop, peak)
	start := time.Now()
	r := inspector.Run(context.Background(), cfg)
	elapsed := time.Since(start)
	close(stop)
	urls := float64(r.Stats.Pages + r.Stats.LinksChecked)
	return r, elapsed, urls / elapsed.Seconds(), float64(<-peak) / (1 << 20)
}

// rawFetch is the floor: every page fetched by workers from a list,
// bodies read and dropped, nothing parsed. Its client keeps as many
// connections as the crawler's.
func rawFetch(b *testing.B, site *fixturesite.Server, workers int) {
	b.Helper()
	rawFetchPaths(b, site.URL, site.Spec.PagePaths(), workers)
}

// rounds of the raw-fetch comparison: raw and crawl alternate, so that
// the load of a shared machine falls on both alike.
const rounds = 5

// BenchmarkVsRawFetch crawls a 5,000-page site at concurrency 16 and
// compares it with 16 workers fetching the same pages from a list.
func BenchmarkVsRawFetch(b *testing.B) {
	const pages, workers = 5000, 16
	site := fixturesite.Start(fixturesite.Sized(now, pages))
	defer site.Close()
	rawFetch(b, site, workers) // warm both sides up: connections, caches
	crawl(b, site, workers)
	var rawTime, crawlTime time.Duration
	var rawURLs, crawlURLs, peak float64
	b.ResetTimer()
	for i := 0; i < b.N*rounds; i++ {
		runtime.GC() // each side starts from a collected heap, untimed (crawl does the same)
		start := time.Now()
		rawFetch(b, site, workers)
		rawTime += time.Since(start)
		rawURLs += pages
		r, elapsed, _, mib := crawl(b, site, workers)
		crawlTime += elapsed
		crawlURLs += float64(r.Stats.Pages + r.Stats.LinksChecked)
		if r.Stats.Pages != pages || r.Stats.BudgetExhausted != "" {
			b.Fatalf("reached %d of %d pages (budget %q)", r.Stats.Pages, pages, r.Stats.BudgetExhausted)
		}
		peak = max(peak, mib)
	}
	b.StopTimer()
	rate, raw := crawlURLs/crawlTime.Seconds(), rawURLs/rawTime.Seconds()
	ratio := rate / raw
	b.ReportMetric(rate, "urls/s")
	b.ReportMetric(raw, "raw-urls/s")
	b.ReportMetric(ratio, "x-of-raw")
	b.ReportMetric(peak, "peak-MiB")
	b.ReportMetric(pages, "pages")
	goal(b, ratio >= goalOfRaw, "at least half the raw fetch rate: %.2f×", ratio)
	goal(b, peak < goalPeakMiB, "peak memory under 100 MiB: %.1f MiB", peak)
}

var linkcheckerOnce struct {
	sync.Once
	rate float64
	urls int
	err  error
}

// BenchmarkVsLinkchecker crawls a 200-page site at concurrency 10 with
// the inspector and with Debian's linkchecker (its per-host limit raised).
func BenchmarkVsLinkchecker(b *testing.B) {
	const pages, threads = 200, 10
	bin, err := exec.LookPath("linkchecker")
	if err != nil {
		b.Skip("linkchecker is not installed (Debian: apt-get install linkchecker); skipping the comparison with it")
	}
	site := fixturesite.Start(fixturesite.Sized(now, pages))
	defer site.Close()
	linkcheckerOnce.Do(func() {
		linkcheckerOnce.rate, linkcheckerOnce.urls, linkcheckerOnce.err = linkchecker(b, bin, site.URL+"/", threads)
	})
	if linkcheckerOnce.err != nil {
		b.Fatal(linkcheckerOnce.err)
	}
	var rate float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, _, urlsPerSec, _ := crawl(b, site, threads)
		if r.Stats.Pages != pages {
			b.Fatalf("reached %d of %d pages", r.Stats.Pages, pages)
		}
		rate = urlsPerSec
	}
	b.StopTimer()
	ratio := rate / linkcheckerOnce.rate
	b.ReportMetric(rate, "urls/s")
	b.ReportMetric(linkcheckerOnce.rate, "linkchecker-urls/s")
	b.ReportMetric(float64(linkcheckerOnce.urls), "linkchecker-urls")
	b.ReportMetric(ratio, "x-vs-linkchecker")
	goal(b, ratio >= goalVsLinkchecker, "at least 100× linkchecker's URLs per second: %.0f×", ratio)
}

var checkedRE = regexp.MustCompile(`(\d+) links? in (\d+) URLs? checked`)

// linkchecker checks a site and returns its URLs per second. Its per-host
// limit (maxrequestspersecond, 10 by default) is raised so that it is
// bound by its own speed.
func linkchecker(b *testing.B, bin, site string, threads int) (float64, int, error) {
	dir := b.TempDir()
	rc := filepath.Join(dir, "linkcheckerrc")
	config := fmt.Sprintf("[checking]\nthreads=%d\nmaxrequestspersecond=10000\n", threads)
	if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
		return 0, 0, err
	}
	cmd := exec.Command(bin, "-f", rc, "--no-status", "--no-warnings", "-t", strconv.Itoa(threads), site)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	m := checkedRE.FindSubmatch(out)
	if m == nil {
		return 0, 0, fmt.Errorf("linkchecker: %v\n%s", err, out)
	}
	urls, _ := strconv.Atoi(string(m[2]))
	return float64(urls) / elapsed.Seconds(), urls, nil
}

func goal(b *testing.B, met bool, format string, args ...any) {
	b.Helper()
	if met {
		b.Logf("goal met: "+format, args...)
	} else {
		b.Logf("GOAL MISSED: "+format, args...)
	}
}
