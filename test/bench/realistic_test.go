package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sitegroup.io/operator/internal/memsample"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector"
	"sitegroup.io/operator/test/fixturesite"
)

// The realistic comparison (issue 16): a 2,000-page site whose pages
// weigh what real portal pages weigh (25–30 KB of UTF-8 HTML, a 60-link
// menu, a 40-link footer, 12 KB of article text, lists of 20 a page),
// served by a process of its own so that each side's CPU time is its
// own; crawled in the same run by the inspector with all checks, by
// Debian's wget2 (wget2 --spider -r --max-threads=16) and by the raw
// fetch floor, all at 16.
const (
	realPages   = 2000
	realThreads = 16
	realRounds  = 3
	// Goals of issue 16.
	goalVsWget2    = 1.5
	goalRealOfRaw  = 0.35
	serveEnv       = "SITEGROUP_BENCH_SERVE"
	statsPath      = "/__stats"
	serverDeadline = 30 * time.Second
)

// TestMain serves the realistic site when the benchmark starts this
// binary as its server (serveEnv set): it prints the address and serves
// until its standard input closes (the benchmark ended).
func TestMain(m *testing.M) {
	if n := os.Getenv(serveEnv); n != "" {
		serve(n)
		return
	}
	os.Exit(m.Run())
}

func serve(n string) {
	pages, _ := strconv.Atoi(n)
	site := fixturesite.NewRealistic(now, pages)
	site.Render()
	var mu sync.Mutex
	distinct := map[string]bool{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == statsPath {
			mu.Lock()
			fmt.Fprintf(w, "%d %d", site.Requests.Load(), len(distinct))
			if r.URL.Query().Get("reset") != "" {
				site.Requests.Store(0)
				clear(distinct)
			}
			mu.Unlock()
			return
		}
		site.ServeHTTP(w, r)
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html") {
			mu.Lock()
			distinct[r.URL.Path] = true
			mu.Unlock()
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("http://%s\n", ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin) // until the benchmark closes it
}

// realServer runs the realistic site in a process of its own.
type realServer struct {
	URL   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startRealServer(b *testing.B, pages int) *realServer {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+strconv.Itoa(pages))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http://") {
		_ = cmd.Process.Kill()
		b.Fatalf("the site's server did not start: %q %v", line, err)
	}
	s := &realServer{URL: strings.TrimSpace(line), cmd: cmd, stdin: stdin}
	b.Cleanup(func() {
		_ = s.stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				b.Logf("the site's server exited: %v", err)
			}
		case <-time.After(serverDeadline):
			_ = cmd.Process.Kill()
		}
	})
	return s
}

// stats reads and resets the server's counts: requests, distinct pages fetched with GET.
func (s *realServer) stats(b *testing.B) (requests, distinct int) {
	b.Helper()
	resp, err := http.Get(s.URL + statsPath + "?reset=1")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = fmt.Fscan(resp.Body, &requests, &distinct)
	return requests, distinct
}

// cpuSeconds is this process's user and system time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// side is one crawler's sum over the rounds.
type side struct {
	pages   int
	elapsed time.Duration
	cpu     float64
}

func (s side) rate() float64 { return float64(s.pages) / s.elapsed.Seconds() }

// cpuPer1000 is CPU seconds per 1,000 pages.
func (s side) cpuPer1000() float64 { return s.cpu / float64(s.pages) * 1000 }

// BenchmarkRealistic compares the inspector (all checks, 16 workers)
// with wget2's recursive spider at 16 threads and the raw fetch floor
// (16 workers fetching the page list), on the realistic site.
func BenchmarkRealistic(b *testing.B) {
	srv := startRealServer(b, realPages)
	paths := fixturesite.NewRealistic(now, realPages).PagePaths()
	wget2, err := exec.LookPath("wget2")
	if err != nil {
		b.Log("wget2 is not installed (Debian: apt-get install wget2); skipping the comparison with it")
	}
	u, _ := url.Parse(srv.URL + "/")
	// Warm both sides up (connections, the server's caches).
	rawFetchPaths(b, srv.URL, paths, realThreads)
	runInspector(u)
	srv.stats(b)

	var raw, insp, wg side
	var peak float64
	var wgErr error
	b.ResetTimer()
	for i := 0; i < b.N*realRounds; i++ {
		runtime.GC()
		start := time.Now()
		rawFetchPaths(b, srv.URL, paths, realThreads)
		raw.elapsed += time.Since(start)
		raw.pages += len(paths)
		srv.stats(b)

		if wget2 != "" && wgErr == nil {
			var r side
			r, wgErr = runWget2(b, wget2, srv)
			wg.pages, wg.elapsed, wg.cpu = wg.pages+r.pages, wg.elapsed+r.elapsed, wg.cpu+r.cpu
		}

		runtime.GC()
		stop, peakCh := make(chan struct{}), make(chan uint64)
		go memsample.Peak(stop, peakCh)
		cpu0, start := cpuSeconds(), time.Now()
		r := runInspector(u)
		insp.elapsed += time.Since(start)
		insp.cpu += cpuSeconds() - cpu0
		close(stop)
		peak = max(peak, float64(<-peakCh)/(1<<20))
		insp.pages += r.Stats.Pages
		if r.Stats.Pages != realPages || r.Stats.BudgetExhausted != "" {
			b.Fatalf("the inspector reached %d of %d pages (budget %q)", r.Stats.Pages, realPages, r.Stats.BudgetExhausted)
		}
		srv.stats(b)
	}
	b.StopTimer()
	ofRaw := insp.rate() / raw.rate()
	b.ReportMetric(insp.rate(), "pages/s")
	b.ReportMetric(raw.rate(), "raw-pages/s")
	b.ReportMetric(ofRaw, "x-of-raw")
	b.ReportMetric(insp.cpuPer1000(), "cpu-s/1k-pages")
	b.ReportMetric(peak, "peak-MiB")
	b.ReportMetric(float64(insp.pages/(b.N*realRounds)), "pages")
	goal(b, ofRaw >= goalRealOfRaw, "at least 0.35 of the raw fetch rate on realistic pages: %.2f×", ofRaw)
	goal(b, peak < goalPeakMiB, "peak memory under 100 MiB: %.1f MiB", peak)
	switch {
	case wgErr != nil:
		b.Logf("wget2 failed: %v", wgErr)
	case wg.pages > 0:
		vs := insp.rate() / wg.rate()
		b.ReportMetric(wg.rate(), "wget2-pages/s")
		b.ReportMetric(vs, "x-vs-wget2")
		b.ReportMetric(wg.cpuPer1000(), "wget2-cpu-s/1k-pages")
		b.ReportMetric(float64(wg.pages/(b.N*realRounds)), "wget2-pages")
		goal(b, vs >= goalVsWget2, "at least 1.5× wget2's rate at %d threads: %.2f×", realThreads, vs)
		goal(b, wg.pages/(b.N*realRounds) >= realPages, "wget2 reached every page too: %d", wg.pages/(b.N*realRounds))
	}
}

// runInspector runs an inspection as the Job's process does: with its
// collector pace and memory limit (inspector.TuneRuntime), which the raw
// fetch does not get.
func runInspector(u *url.URL) findings.Report {
	defer inspector.TuneRuntime()()
	return inspector.Run(context.Background(), realConfig(u))
}

func realConfig(u *url.URL) inspector.Config {
	return inspector.Config{URL: u, Now: now, Concurrency: realThreads, Rate: 0, MaxPages: 100000, MaxDepth: 100,
		Probes: 3, External: inspector.ExternalCheck}
}

// runWget2 spiders the site recursively (no depth limit, robots.txt
// ignored, nothing saved) and returns what it reached, its time and its
// CPU time (user and system, from the kernel).
func runWget2(b *testing.B, bin string, srv *realServer) (side, error) {
	dir := b.TempDir()
	cmd := exec.Command(bin, "--spider", "-r", "-l", "inf", "--max-threads="+strconv.Itoa(realThreads), "--robots=off",
		"--no-config", "-q", srv.URL+"/")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	if cmd.ProcessState == nil {
		return side{}, fmt.Errorf("%v: %s", err, out)
	}
	_, pages := srv.stats(b)
	if pages < realPages/2 {
		return side{}, fmt.Errorf("wget2 reached %d pages (exit %v): %s", pages, err, out)
	}
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return side{pages: pages, elapsed: elapsed, cpu: cpu}, nil
}

// rawFetchPaths is the floor: every page fetched by workers from a
// list, bodies read and dropped, nothing parsed.
func rawFetchPaths(b *testing.B, base string, paths []string, workers int) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxIdleConns: 4 * workers}}
	defer client.CloseIdleConnections()
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(paths)); i = next.Add(1) - 1 {
				resp, err := client.Get(base + paths[i])
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		b.Fatalf("the raw fetch failed %d times", failed.Load())
	}
}
