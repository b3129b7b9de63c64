package scale

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/testenv"
)

// managerResult is the measured manager's figures at one size.
type managerResult struct {
	sites int
	// submit is the time to create and sign the sites (before the manager starts).
	submit time.Duration
	// ready is the time from the manager's start to its readiness.
	ready time.Duration
	// converge is the time from its start until every site converged, or
	// until the bound when converged < sites.
	converge  time.Duration
	converged int
	// peakMiB is VmHWM at the end of the steady window; peakMiBConverged at convergence.
	peakMiB, peakMiBConverged float64
	cpuConverged, cpuEnd      float64
	// cpuSteady is its CPU seconds within the steady window.
	cpuSteady float64
	// settled says the cluster went quiet before the steady window, after settleTook.
	settled    bool
	settleTook time.Duration
	// conv, settle and steady are the audit log's tallies of the operator's
	// requests in each window.
	conv, settle, steady tally
	steadyWindow         time.Duration
	// otherCores is the CPU other work on the machine used while the sites
	// converged, in cores (cpuSample).
	otherCores      float64
	reconcileErrors int
	errorSamples    map[string]int
}

func (m managerResult) sitesPerSecond() float64 {
	if m.converge <= 0 {
		return 0
	}
	return float64(m.converged) / m.converge.Seconds()
}

func (m managerResult) convergeRequestsPerSite() float64 {
	return float64(m.conv.requests) / float64(max(m.sites, 1))
}

func (m managerResult) convergeWritesPerSite() float64 {
	return float64(m.conv.writeCount()) / float64(max(m.sites, 1))
}

func (m managerResult) steadyWrites() int { return m.steady.writeCount() }

func (m managerResult) steadyWritesPerMin() float64 {
	if m.steadyWindow <= 0 {
		return 0
	}
	return float64(m.steadyWrites()) / m.steadyWindow.Minutes()
}

// details is the size's paragraph of the report.
func (m managerResult) details() string {
	var s strings.Builder
	perSite := func(t tally) string {
		var parts []string
		for _, v := range sortedKeys(t.byVerb) {
			parts = append(parts, fmt.Sprintf("%s %.2f", v, float64(t.byVerb[v])/float64(max(m.sites, 1))))
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(&s, "\n  sites created and signed (create + 3 signatures through the webhooks) in %.1fs", m.submit.Seconds())
	fmt.Fprintf(&s, "\n  manager ready %.1fs after its start; %d of %d sites converged in %.1fs (%.2f sites/s; other work on the machine meanwhile: %.2f cores)",
		m.ready.Seconds(), m.converged, m.sites, m.converge.Seconds(), m.sitesPerSecond(), m.otherCores)
	fmt.Fprintf(&s, "\n  requests per site until then (%d in all): %s", m.conv.requests, perSite(m.conv))
	fmt.Fprintf(&s, "\n  by verb and resource: %s", top(m.conv.byKey, 14))
	if len(m.conv.failed) > 0 {
		fmt.Fprintf(&s, "\n  answered with an error: %s", top(m.conv.failed, 8))
	}
	fmt.Fprintf(&s, "\n  manager: peak RSS %.0f MiB (%.0f MiB at convergence); CPU %.1fs to convergence, %.1fs to the end",
		m.peakMiB, m.peakMiBConverged, m.cpuConverged, m.cpuEnd)
	quiet := "the cluster went quiet"
	if !m.settled {
		quiet = "the cluster was still changing"
	}
	fmt.Fprintf(&s, "\n  settle: %s after %.0fs; the operator's writes meanwhile: %d (%s)", quiet, m.settleTook.Seconds(),
		m.settle.writeCount(), top(m.settle.writes, 6))
	fmt.Fprintf(&s, "\n  steady window %s: %d writes, %.1f/min; per minute %v; manager CPU %.1fs in it", m.steadyWindow.Round(time.Second),
		m.steadyWrites(), m.steadyWritesPerMin(), m.steady.perMinute, m.cpuSteady)
	if m.steadyWrites() > 0 {
		fmt.Fprintf(&s, "\n  steady writes by verb, resource, subresource: %s", top(m.steady.writes, 20))
	}
	fmt.Fprintf(&s, "\n  steady reads: %d requests (%s)", m.steady.requests-m.steadyWrites(), perVerb(m.steady.byVerb))
	fmt.Fprintf(&s, "\n  \"Reconciler error\" lines in the manager's log: %d", m.reconcileErrors)
	for _, k := range sortedKeys(m.errorSamples) {
		fmt.Fprintf(&s, "\n    %d× %s", m.errorSamples[k], k)
	}
	return s.String()
}

func top(m map[string]int, n int) string {
	keys := sortedKeys(m)
	var parts []string
	for i, k := range keys {
		if i == n {
			parts = append(parts, fmt.Sprintf("… %d more", len(keys)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func perVerb(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		if !writeVerbs[k] {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	return strings.Join(parts, ", ")
}

// childKey names one child a site must have.
type childKey struct {
	gvk  schema.GroupVersionKind
	name string
}

// observer watches, from the benchmark's own informers, the sites, their
// children (metadata only) and what moves while the cluster settles
// (pods, Jobs, InspectionRuns); last is when anything last changed.
type observer struct {
	cache cache.Cache
	last  atomic.Int64
	stop  context.CancelFunc
}

func (b *bench) observe(cfg *rest.Config, children []schema.GroupVersionKind) *observer {
	b.t.Helper()
	c, err := cache.New(cfg, cache.Options{Scheme: testenv.Scheme()})
	if err != nil {
		b.t.Fatal(err)
	}
	o := &observer{cache: c}
	o.last.Store(time.Now().UnixNano())
	ctx, cancel := context.WithCancel(context.Background())
	o.stop = cancel
	touch := func() { o.last.Store(time.Now().UnixNano()) }
	handler := toolscache.ResourceEventHandlerFuncs{AddFunc: func(any) { touch() }, UpdateFunc: func(any, any) { touch() },
		DeleteFunc: func(any) { touch() }}
	objs := []client.Object{&sgv1.GovWebsite{}}
	moving := []schema.GroupVersionKind{{Version: "v1", Kind: "Pod"}, {Group: "batch", Version: "v1", Kind: "Job"},
		sgv1.GroupVersion.WithKind("InspectionRun")}
	for _, gvk := range append(append([]schema.GroupVersionKind{}, children...), moving...) {
		pm := &metav1.PartialObjectMetadata{}
		pm.SetGroupVersionKind(gvk)
		objs = append(objs, pm)
	}
	for _, obj := range objs {
		inf, err := c.GetInformer(ctx, obj)
		if err != nil {
			b.t.Fatalf("informer of %T %s: %v", obj, obj.GetObjectKind().GroupVersionKind(), err)
		}
		if _, err := inf.AddEventHandler(handler); err != nil {
			b.t.Fatal(err)
		}
	}
	go func() { _ = c.Start(ctx) }()
	syncCtx, cancelSync := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelSync()
	if !c.WaitForCacheSync(syncCtx) {
		b.t.Fatal("the benchmark's informers did not sync in 2 minutes")
	}
	return o
}

// converged: the site's status describes its generation and every child
// the manager plans for it exists.
func (o *observer) converged(ctx context.Context, site *sgv1.GovWebsite, children []childKey) bool {
	live := &sgv1.GovWebsite{}
	if err := o.cache.Get(ctx, client.ObjectKeyFromObject(site), live); err != nil {
		return false
	}
	if live.Generation == 0 || live.Status.ObservedGeneration != live.Generation {
		return false
	}
	for _, c := range children {
		pm := &metav1.PartialObjectMetadata{}
		pm.SetGroupVersionKind(c.gvk)
		if err := o.cache.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: c.name}, pm); err != nil {
			return false
		}
	}
	return true
}

// quietFor is how long nothing the observer watches has changed.
func (o *observer) quietFor() time.Duration { return time.Since(time.Unix(0, o.last.Load())) }

// managerPhase runs the measured manager on n sites created and signed
// before it starts (see the package comment); keep leaves the control
// plane and the manager running.
func (b *bench) managerPhase(n int, keep bool) managerResult {
	t := b.t
	b.up(n)
	ctx := context.Background()
	cfg := b.restConfig()
	p := b.policyInForce()
	if err := b.script(3*time.Minute, "scale-manager.sh", "hold"); err != nil {
		t.Fatal(err)
	}
	r := managerResult{sites: n}
	start := time.Now()
	sites, err := b.submit(ctx, cfg, n)
	if err != nil {
		t.Fatal(err)
	}
	r.submit = time.Since(start)
	t.Logf("manager: %d sites created and signed in %s", n, r.submit.Round(time.Millisecond))

	expected := make([][]childKey, n)
	kinds := map[schema.GroupVersionKind]bool{}
	for i, site := range sites {
		pl, err := plan(site, p)
		if err != nil {
			t.Fatalf("planning %s: %v", site.Name, err)
		}
		for _, obj := range pl.Apply {
			gvk := obj.GetObjectKind().GroupVersionKind()
			kinds[gvk] = true
			expected[i] = append(expected[i], childKey{gvk, obj.GetName()})
		}
	}
	var gvks []schema.GroupVersionKind
	for gvk := range kinds {
		gvks = append(gvks, gvk)
	}
	obs := b.observe(cfg, gvks)
	defer obs.stop()

	// The webhook-only instance goes; the measured manager starts with
	// every site there, signed, none reconciled.
	if err := b.script(time.Minute, "scale-manager.sh", "stop"); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	cpu0 := b.sampleCPU()
	if err := b.script(3*time.Minute, "scale-manager.sh", "run", strconv.Itoa(b.cfg.workers)); err != nil {
		t.Fatal(err)
	}
	r.ready = time.Since(t0)
	pid := b.managerPID()

	bound := b.cfg.convergeBase + time.Duration(n)*b.cfg.convergePerSite
	pending := map[int]bool{}
	for i := range sites {
		pending[i] = true
	}
	lastLog := time.Now()
	for len(pending) > 0 && time.Since(t0) < bound {
		for i := range pending {
			if obs.converged(ctx, sites[i], expected[i]) {
				delete(pending, i)
			}
		}
		if len(pending) == 0 {
			break
		}
		b.alive(pid)
		if time.Since(lastLog) >= 30*time.Second {
			rss, _, _ := procMemory(pid)
			t.Logf("manager: %d of %d sites converged after %s (RSS %.0f MiB)", n-len(pending), n, time.Since(t0).Round(time.Second), rss)
			lastLog = time.Now()
		}
		time.Sleep(time.Second)
	}
	tConv := time.Now()
	r.otherCores = otherCores(cpu0, b.sampleCPU())
	r.converge, r.converged = tConv.Sub(t0), n-len(pending)
	_, r.peakMiBConverged, _ = procMemory(pid)
	r.cpuConverged, _ = procCPU(pid)
	if len(pending) > 0 {
		t.Logf("manager: only %d of %d sites converged within %s", r.converged, n, bound)
	} else {
		t.Logf("manager: every site converged after %s: %.2f sites/s", r.converge.Round(time.Millisecond), r.sitesPerSecond())
	}

	for time.Since(tConv) < b.cfg.settle {
		if obs.quietFor() >= b.cfg.quiet {
			r.settled = true
			break
		}
		b.alive(pid)
		time.Sleep(time.Second)
	}
	ws := time.Now()
	r.settleTook = ws.Sub(tConv)
	cpuWS, _ := procCPU(pid)
	t.Logf("manager: steady-state window of %s starts (%s after convergence, settled=%v)", b.cfg.steady, r.settleTook.Round(time.Second), r.settled)
	for time.Since(ws) < b.cfg.steady {
		b.alive(pid)
		time.Sleep(min(5*time.Second, b.cfg.steady-time.Since(ws)+time.Millisecond))
	}
	we := time.Now()
	r.steadyWindow = we.Sub(ws)
	_, r.peakMiB, _ = procMemory(pid)
	r.cpuEnd, _ = procCPU(pid)
	r.cpuSteady = r.cpuEnd - cpuWS
	obs.stop() // its watches would hold the API server's shutdown

	logs := filepath.Join(b.dir, "logs")
	if keep {
		t.Logf("the control plane and the manager keep running: KUBECONFIG=%s; logs in %s; stop them with hack/bench/scale-down.sh",
			filepath.Join(b.dir, "kubeconfig"), logs)
	} else {
		logs = b.down(fmt.Sprintf("%d-manager", n))
	}
	files, _ := filepath.Glob(filepath.Join(logs, "audit*.log"))
	tallies, err := auditTally(files, b.operator, []window{{t0, tConv}, {tConv, ws}, {ws, we}})
	if err != nil {
		t.Fatal(err)
	}
	r.conv, r.settle, r.steady = tallies[0], tallies[1], tallies[2]
	r.reconcileErrors, r.errorSamples = reconcileErrors(filepath.Join(logs, "manager.log"), we)
	t.Logf("%d sites:%s", n, r.details())
	return r
}

// managerPID is the measured manager's process, as hack/lib/processes.sh
// recorded it.
func (b *bench) managerPID() int {
	b.t.Helper()
	data, err := os.ReadFile(filepath.Join(b.dir, "pids", "manager.pid"))
	if err != nil {
		b.t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		b.t.Fatal(err)
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.Contains(string(cmdline), "sitegroup") {
		b.t.Fatalf("pid %d is not the manager (%q, %v)", pid, cmdline, err)
	}
	return pid
}

// alive fails the run, with the end of its log, when the manager died.
func (b *bench) alive(pid int) {
	b.t.Helper()
	if _, err := procCPU(pid); err == nil {
		return
	}
	tail, _ := os.ReadFile(filepath.Join(b.dir, "logs", "manager.log"))
	if len(tail) > 4000 {
		tail = tail[len(tail)-4000:]
	}
	b.t.Fatalf("the manager (pid %d) exited; the end of its log:\n%s", pid, tail)
}

// procMemory reads VmRSS and VmHWM (the peak resident set) in MiB.
func procMemory(pid int) (rss, hwm float64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseStatus(string(data))
}

func parseStatus(status string) (rss, hwm float64, err error) {
	for _, line := range strings.Split(status, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kib, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			rss = kib / 1024
		case "VmHWM:":
			hwm = kib / 1024
		}
	}
	if hwm == 0 {
		return 0, 0, fmt.Errorf("no VmHWM in /proc/<pid>/status")
	}
	return rss, hwm, nil
}

// procCPU is the process's user and system seconds (/proc/<pid>/stat
// utime and stime, in the kernel's USER_HZ of 100 a second). A zombie
// counts as gone.
func procCPU(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStat(string(data))
}

func parseStat(stat string) (float64, error) {
	// The command name, in parentheses, may hold spaces: fields count from after it.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("unreadable stat %q", stat)
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 || f[0] == "Z" || f[0] == "X" {
		return 0, fmt.Errorf("process gone or unreadable stat %q", stat)
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unreadable stat %q", stat)
	}
	return (utime + stime) / 100, nil
}

var digits = regexp.MustCompile(`[0-9]+`)

// reconcileErrors counts the manager log's "Reconciler error" lines
// logged before until (the end of the steady window: stopping the manager
// cancels the reconciles in flight, and their "context canceled" is the
// benchmark's doing, not the operator's) and groups them by controller and
// message, numbers blanked so that one error on many sites is one line.
// The log's times have whole seconds: a line of until's own second is
// left out.
func reconcileErrors(path string, until time.Time) (int, map[string]int) {
	samples := map[string]int{}
	f, err := os.Open(path)
	if err != nil {
		return 0, samples
	}
	defer f.Close()
	count := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "Reconciler error") {
			continue
		}
		var e struct {
			TS         string `json:"ts"`
			Controller string `json:"controller"`
			Error      string `json:"error"`
		}
		key := line
		if json.Unmarshal([]byte(line), &e) == nil && e.Error != "" {
			key = e.Controller + ": " + e.Error
		}
		if at, err := time.Parse(time.RFC3339Nano, e.TS); err == nil && !at.Before(until.Truncate(time.Second)) {
			continue
		}
		key = digits.ReplaceAllString(key, "#")
		count++
		if len(key) > 300 {
			key = key[:300] + "…"
		}
		samples[key]++
	}
	return count, samples
}

// cpuSample is the machine's busy CPU seconds (/proc/stat) and the
// benchmark's own share of them: its processes (by hack/lib/processes.sh's
// PID files) and this test. What is left is other work on the machine,
// which slows the phase it falls in: the report says how much there was.
type cpuSample struct {
	at         time.Time
	busy, ours float64
}

func (b *bench) sampleCPU() cpuSample {
	s := cpuSample{at: time.Now()}
	if data, err := os.ReadFile("/proc/stat"); err == nil {
		s.busy = parseProcStat(string(data))
	}
	if own, err := procCPU(os.Getpid()); err == nil {
		s.ours = own
	}
	files, _ := filepath.Glob(filepath.Join(b.dir, "pids", "*.pid"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			if cpu, err := procCPU(pid); err == nil {
				s.ours += cpu
			}
		}
	}
	return s
}

// otherCores is the CPU other work used between two samples, in cores.
func otherCores(from, to cpuSample) float64 {
	secs := to.at.Sub(from.at).Seconds()
	if secs <= 0 || from.busy == 0 {
		return 0
	}
	return max(0, (to.busy-from.busy)-(to.ours-from.ours)) / secs
}

// parseProcStat is the busy time of /proc/stat's first line (user, nice,
// system, irq, softirq, steal) in seconds of USER_HZ (100 a second).
func parseProcStat(stat string) float64 {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	busy := 0.0
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		v, _ := strconv.ParseFloat(f[i], 64)
		busy += v
	}
	return busy / 100
}
