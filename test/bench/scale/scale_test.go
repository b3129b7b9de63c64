// Package scale is the operator's scale benchmark (issue 17), run by `make
// bench-scale`; `go test ./...` skips it (it needs SITEGROUP_BENCH_SCALE=1)
// and only runs the small checks of its own parsing.
//
// For each size of SCALE_SITES (default 250,500,1000,2000) it runs two
// phases, each on a fresh control plane brought up by hack/bench/scale-up.sh
// (etcd, kube-apiserver, kube-controller-manager and kube-scheduler as
// `make test` builds them, kwok nodes in domestic front-end and admin pools
// and one overseas node, the CRDs, the operator's RBAC, the admission
// policies and the sample policy):
//
//   - the floor: N GovWebsites in namespaces floor-NNNN, and every child
//     the pure builders compute for them (internal/builders.Desired, the
//     function the manager plans with) applied with server-side apply by
//     SCALE_WORKERS loops (4, the manager's --site-workers default; the
//     measured manager gets the same number), timed: the API server's own
//     rate for those objects at the manager's concurrency;
//   - the manager: N GovWebsites in namespaces site-NNNN, created by the
//     platform engineer and signed by the signers themselves (S1: the unit
//     head bound in the site's namespace, then the city and province
//     offices, impersonated with the admin's token) while a webhook-only
//     instance of the manager holds no lease; then the measured manager
//     (bin/sitegroup manager as its ServiceAccount, no leader election, like
//     the demo) starts and finds them all at once. Measured: the time until
//     every site's status.observedGeneration is current and its children
//     exist; the operator's API requests per site by verb (the API server's
//     audit log, which logs the operator's user only); its peak RSS
//     (VmHWM) and CPU seconds; then, once the cluster is quiet (or
//     SCALE_SETTLE passed), a steady-state window of SCALE_STEADY counting
//     its writes per minute by verb, resource and subresource; and the
//     "Reconciler error" lines of its log.
//
// The run ends with a table of every size and one line for scripts, for
// the largest size:
//
//	scale: sites=2000 converge-x-of-floor=R steady-writes-per-min=W manager-peak-MiB=M errors=E
//
// Goals of issue 17: convergence at least half the floor's rate, no write at
// steady state, the manager under 300 MiB at 2,000 sites, no reconcile error.
package scale

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"sitegroup.io/operator/internal/testenv"
)

const (
	enableEnv = "SITEGROUP_BENCH_SCALE"
	// Goals of issue 17.
	goalOfFloor   = 0.5
	goalPeakMiB   = 300.0
	goalPeakSites = 2000
)

// config is the run's shape, from the environment.
type config struct {
	sizes []int
	// steady is the steady-state window; settle bounds the wait for a quiet
	// cluster before it, quiet is how long nothing must change.
	steady, settle, quiet time.Duration
	// converge bounds the wait for convergence: a base plus a time per site.
	convergeBase, convergePerSite time.Duration
	workers, submitWorkers        int
	portalEvery                   int
	// keep leaves the last manager phase's control plane running, to look
	// at (SCALE_KEEP=1 with go test; hack/bench/scale-down.sh stops it).
	keep bool
}

func loadConfig() (config, error) {
	c := config{steady: 10 * time.Minute, settle: 10 * time.Minute, quiet: 30 * time.Second,
		convergeBase: 20 * time.Minute, convergePerSite: 2 * time.Second,
		workers: 4, submitWorkers: 16, portalEvery: 50}
	var err error
	if c.sizes, err = parseSizes(envOr("SCALE_SITES", "250,500,1000,2000")); err != nil {
		return c, err
	}
	for _, d := range []struct {
		env string
		to  *time.Duration
	}{{"SCALE_STEADY", &c.steady}, {"SCALE_SETTLE", &c.settle}, {"SCALE_QUIET", &c.quiet},
		{"SCALE_CONVERGE_BASE", &c.convergeBase}, {"SCALE_CONVERGE_PER_SITE", &c.convergePerSite}} {
		if v := os.Getenv(d.env); v != "" {
			if *d.to, err = time.ParseDuration(v); err != nil {
				return c, fmt.Errorf("%s: %w", d.env, err)
			}
		}
	}
	for _, n := range []struct {
		env string
		to  *int
	}{{"SCALE_WORKERS", &c.workers}, {"SCALE_SUBMIT_WORKERS", &c.submitWorkers}, {"SCALE_PORTAL_EVERY", &c.portalEvery}} {
		if v := os.Getenv(n.env); v != "" {
			if *n.to, err = strconv.Atoi(v); err != nil || *n.to < 1 {
				return c, fmt.Errorf("%s: a positive number, not %q", n.env, v)
			}
		}
	}
	c.keep = os.Getenv("SCALE_KEEP") == "1"
	return c, nil
}

// parseSizes reads SCALE_SITES: positive site counts, comma-separated, at
// most 9,999 (the sites' codes have four digits).
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 9999 {
			return nil, fmt.Errorf("SCALE_SITES: %q is not a site count from 1 to 9999", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// bench is where the benchmark runs: the repository and the state
// directory of hack/bench/lib.sh.
type bench struct {
	t        *testing.T
	cfg      config
	root     string
	dir      string // bin/bench-scale
	runsDir  string // bin/bench-scale/runs: each phase's logs
	operator string // the operator's user
}

// sizeResult is one size's figures.
type sizeResult struct {
	sites int
	floor floorResult
	mgr   managerResult
	wall  time.Duration
}

func TestScale(t *testing.T) {
	if os.Getenv(enableEnv) != "1" {
		t.Skipf("the scale benchmark starts control planes and runs for an hour or more: `make bench-scale` (or %s=1)", enableEnv)
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	// The benchmark's clients and informers log nothing of their own.
	ctrllog.SetLogger(logr.Discard())
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{t: t, cfg: cfg, root: root, dir: filepath.Join(root, "bin", "bench-scale"), operator: testenv.OperatorUser}
	b.runsDir = filepath.Join(b.dir, "runs")
	for _, bin := range []string{"bin/sitegroup", "bin/kwok-v0.8.0"} {
		if _, err := os.Stat(filepath.Join(root, bin)); err != nil {
			t.Fatalf("%s is missing: run `make bench-scale`, which builds it", bin)
		}
	}
	t.Cleanup(func() {
		if !cfg.keep || t.Failed() {
			_ = b.script(2*time.Minute, "scale-down.sh")
		}
	})
	t.Logf("sizes %v; steady window %s (settle up to %s, quiet %s); floor loops and manager site workers %d; one portal per %d sites; each phase on a fresh control plane",
		cfg.sizes, cfg.steady, cfg.settle, cfg.quiet, cfg.workers, cfg.portalEvery)

	var results []sizeResult
	for _, n := range cfg.sizes {
		start := time.Now()
		r := sizeResult{sites: n}
		r.floor = b.floorPhase(n)
		r.mgr = b.managerPhase(n, cfg.keep && n == cfg.sizes[len(cfg.sizes)-1])
		r.wall = time.Since(start)
		t.Logf("size %d done in %s", n, r.wall.Round(time.Second))
		results = append(results, r)
		b.writeResults(results)
	}
	b.writeResults(results)
	t.Logf("the table of every size and the line for scripts: %s", filepath.Join(b.dir, "results.txt"))
	largest := results[0]
	for _, r := range results {
		if r.sites > largest.sites {
			largest = r
		}
	}
	goals(t, largest)
}

// goals logs each goal of issue 17 as met or missed; a missed goal is a
// finding of the benchmark, not a failed run.
func goals(t *testing.T, r sizeResult) {
	t.Helper()
	check := func(met bool, format string, args ...any) {
		if met {
			t.Logf("goal met: "+format, args...)
		} else {
			t.Logf("GOAL MISSED: "+format, args...)
		}
	}
	ratio := r.mgr.sitesPerSecond() / r.floor.sitesPerSecond()
	check(ratio >= goalOfFloor, "convergence at least half the floor's rate at %d sites: %.2f×", r.sites, ratio)
	check(r.mgr.steadyWrites() == 0, "no write at steady state: %.1f writes/min", r.mgr.steadyWritesPerMin())
	if r.sites >= goalPeakSites {
		check(r.mgr.peakMiB < goalPeakMiB, "manager under 300 MiB at %d sites: %.0f MiB", r.sites, r.mgr.peakMiB)
	}
	check(r.mgr.reconcileErrors == 0, "no reconcile error: %d", r.mgr.reconcileErrors)
}

// script runs hack/bench/<name> with a bound, its output in the test log.
func (b *bench) script(limit time.Duration, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(b.root, "hack", "bench", name), args...)
	cmd.Dir = b.root
	out, err := cmd.CombinedOutput()
	if s := strings.TrimSpace(string(out)); s != "" {
		b.t.Logf("%s %s: %s", name, strings.Join(args, " "), s)
	}
	if err != nil {
		return fmt.Errorf("hack/bench/%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

// up brings a fresh control plane up with nodes enough for n sites: two
// front-end pods a site, and an admin and an inspection Job's pod, at most
// 200 a node (250 allowed).
func (b *bench) up(n int) {
	b.t.Helper()
	perPool := max(2, (2*n+199)/200+1)
	if err := b.script(5*time.Minute, "scale-up.sh", strconv.Itoa(perPool), strconv.Itoa(perPool)); err != nil {
		b.t.Fatal(err)
	}
}

// down stops the control plane and keeps its logs under runs/<name>.
func (b *bench) down(name string) string {
	b.t.Helper()
	if err := b.script(3*time.Minute, "scale-down.sh"); err != nil {
		b.t.Fatal(err)
	}
	dst := filepath.Join(b.runsDir, name)
	_ = os.RemoveAll(dst)
	if err := os.MkdirAll(b.runsDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(b.dir, "logs"), dst); err != nil {
		b.t.Fatal(err)
	}
	return dst
}

// writeResults writes the table of every size so far, with the breakdown
// of the largest size's steady-state writes and the line for scripts last,
// to bin/bench-scale/results.txt, and returns it.
func (b *bench) writeResults(results []sizeResult) string {
	var s strings.Builder
	fmt.Fprintf(&s, "\nscale benchmark (issue 17): each phase on a fresh control plane; floor = server-side apply of the builders' children, %d loop(s), as many as the manager's site workers\n", b.cfg.workers)
	fmt.Fprintf(&s, "%6s %9s %9s %9s %11s %9s %8s %9s %11s %9s %9s %7s %9s %11s\n", "sites", "submit-s", "floor-s", "floor/s", "conv-s", "mgr/s",
		"x-floor", "req/site", "writes/site", "peak-MiB", "cpu-s", "errors", "steady/m", "other-cores")
	largest := results[0]
	for _, r := range results {
		m := r.mgr
		conv := fmt.Sprintf("%.1f", m.converge.Seconds())
		if m.converged < r.sites {
			conv = fmt.Sprintf(">%.0f(%d)", m.converge.Seconds(), m.converged)
		}
		fmt.Fprintf(&s, "%6d %9.1f %9.1f %9.2f %11s %9.2f %8.2f %9.1f %11.1f %9.0f %9.1f %7d %9.1f %5.2f/%-5.2f\n", r.sites, m.submit.Seconds(),
			r.floor.elapsed.Seconds(), r.floor.sitesPerSecond(), conv, m.sitesPerSecond(), m.sitesPerSecond()/r.floor.sitesPerSecond(),
			m.convergeRequestsPerSite(), m.convergeWritesPerSite(), m.peakMiB, m.cpuEnd, m.reconcileErrors, m.steadyWritesPerMin(),
			r.floor.otherCores, m.otherCores)
		if r.sites > largest.sites {
			largest = r
		}
	}
	fmt.Fprintf(&s, "(submit-s: creating and signing the sites, before the measured manager starts; conv-s: from its start until every site is converged; req/site and writes/site: its API requests and writes per site until then; cpu-s: its user+system seconds to the end of the steady window; steady/m: its writes per minute in the steady window; other-cores: CPU other work on this machine used during the floor / during convergence, which slows that side and skews x-floor; sizes below 2,000 are measured against the same goals but the memory goal is for 2,000)\n")
	for _, r := range results {
		fmt.Fprintf(&s, "\n%d sites (wall %s): %s\n", r.sites, r.wall.Round(time.Second), r.mgr.details())
	}
	m := largest.mgr
	fmt.Fprintf(&s, "scale: sites=%d converge-x-of-floor=%.2f steady-writes-per-min=%.1f manager-peak-MiB=%.0f errors=%d\n",
		largest.sites, m.sitesPerSecond()/largest.floor.sitesPerSecond(), m.steadyWritesPerMin(), m.peakMiB, m.reconcileErrors)
	out := s.String()
	if err := os.WriteFile(filepath.Join(b.dir, "results.txt"), []byte(out), 0o644); err != nil {
		b.t.Log(err)
	}
	return out
}

// sortedKeys returns a count map's keys, largest count first.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
