// Package prober measures the V1 availability prober at the platform's
// scale (issue 17): PROBER_SITES launched sites (10,000 by default) on a
// real kube-apiserver and etcd (envtest), the manager's cache-backed
// client as the operator runs it, homepages on loopback, and an injected
// clock that steps through a simulated day at the prober's tick (30 s),
// calling Probe at each step as the manager's ticker would.
//
// Goals: every site gets its probes of the day (at least 20, V1; the
// policy's 24 by default), each at the first tick after its spread
// schedule time (availability.ProbeTimes at the site's offset); at most
// one status write per site in any hour; goroutines bounded by the
// prober's Parallel, not by the number of sites; memory bounded; a tick
// costs well under the tick. Run it with `make bench-prober` (go test
// -run '^$' -bench BenchmarkProberDay -benchtime 1x ./test/bench/prober/).
package prober

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/availability"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/memsample"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/testenv"
)

const (
	defaultSites = 10000
	sitesPerNS   = 100
	targets      = 4 // loopback homepage servers; sites are spread over them by path
	tick         = 30 * time.Second
	// Failing sites, to exercise failure counting: 1 in 100 always
	// answers 500; another 1 in 100 answers 503 to every 4th probe.
	alwaysFail, everyFourth = 7, 43
)

// Goals of issue 17.
const (
	goalProbesPerDay  = availability.MinProbesPerDay
	goalWritesPerHour = 1
	// goroutinesPerProbe bounds the goroutines a probe in flight may cost:
	// its own, its connection's two in the HTTP transport, the homepage
	// server's for the connection, with room for the idle connections the
	// transport keeps; a bound by Parallel, whatever the number of sites.
	goroutinesPerProbe = 8
)

// day is the simulated day: a Monday in the platform's calendar.
var day = time.Date(2027, 3, 1, 0, 0, 0, 0, clock.Shanghai)

// hit is one probe a homepage answered, at the injected clock's time.
type hit struct {
	at     time.Time
	failed bool
}

// homepages are the fake targets: they answer each site's path and note
// the probe at the injected clock's time (the clock stands still while a
// tick's probes run).
type homepages struct {
	clk     *clock.Fake
	mu      sync.Mutex
	hits    [][]hit
	unknown atomic.Int64
	total   atomic.Int64
	servers []*httptest.Server
}

func startHomepages(clk *clock.Fake, sites, perDay, days int) *homepages {
	h := &homepages{clk: clk, hits: make([][]hit, sites)}
	for i := range h.hits {
		h.hits[i] = make([]hit, 0, perDay*days+2)
	}
	for range targets {
		h.servers = append(h.servers, httptest.NewServer(h))
	}
	return h
}

func (h *homepages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/s/"))
	if err != nil || i < 0 || i >= len(h.hits) {
		h.unknown.Add(1)
		http.NotFound(w, r)
		return
	}
	now := h.clk.Now()
	h.mu.Lock()
	n := len(h.hits[i]) + 1
	failed := i%100 == alwaysFail || (i%100 == everyFourth && n%4 == 0)
	h.hits[i] = append(h.hits[i], hit{at: now, failed: failed})
	h.total.Add(1)
	h.mu.Unlock()
	if failed {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("<html><body>首页</body></html>"))
}

func (h *homepages) url(i int) string { return fmt.Sprintf("%s/s/%d", h.servers[i%targets].URL, i) }

func (h *homepages) close() {
	for _, s := range h.servers {
		s.Close()
	}
}

// writes notes every status write of the prober, per site, at the
// injected clock's time; any other write is counted apart.
type writes struct {
	clk    *clock.Fake
	mu     sync.Mutex
	status map[client.ObjectKey][]time.Time
	other  atomic.Int64
	total  atomic.Int64
}

func (w *writes) funcs() interceptor.Funcs {
	other := func() { w.other.Add(1) }
	return interceptor.Funcs{
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			if _, site := obj.(*sgv1.GovWebsite); site && sub == "status" {
				w.mu.Lock()
				key := client.ObjectKeyFromObject(obj)
				w.status[key] = append(w.status[key], w.clk.Now())
				w.total.Add(1)
				w.mu.Unlock()
			} else {
				other()
			}
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		},
		SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, obj client.Object, opts ...client.SubResourceUpdateOption) error {
			other()
			return c.SubResource(sub).Update(ctx, obj, opts...)
		},
		Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
			other()
			return c.Create(ctx, obj, opts...)
		},
		Update: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.UpdateOption) error {
			other()
			return c.Update(ctx, obj, opts...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
			other()
			return c.Patch(ctx, obj, patch, opts...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.DeleteOption) error {
			other()
			return c.Delete(ctx, obj, opts...)
		},
	}
}

// offset is the site's place in the probe interval, as the prober
// spreads sites (fnv-32a of namespace/name, in seconds of an hour). It
// is derived here, not taken from the prober: a probe that lands off
// this schedule is counted as off schedule.
func offset(ns, name string) time.Duration {
	h := fnv.New32a()
	_, _ = h.Write([]byte(ns + "/" + name))
	return time.Duration(h.Sum32()%3600) * time.Second
}

// tickOf is the first tick at or after t: when a probe due at t goes out.
func tickOf(t time.Time) time.Time {
	if r := t.Truncate(tick); !r.Equal(t) {
		return r.Add(tick)
	}
	return t
}

func siteName(i int) (ns, name string) {
	return fmt.Sprintf("prober-%03d", i/sitesPerNS), fmt.Sprintf("s%05d", i)
}

// site is a launched department site whose homepage is a loopback target.
func site(i int, target string) *sgv1.GovWebsite {
	ns, name := siteName(i)
	return &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sgv1.GovWebsiteSpec{
			Organization:         sgv1.Organization{Name: "天津市和平区教育局", CreditCode: fmt.Sprintf("11120101%09dX", i), Level: sgv1.LevelDepartment},
			SiteKind:             sgv1.SiteKindDepartment,
			ParentPortal:         &sgv1.NamespacedObjectReference{Name: "portal", Namespace: "tjhp-portal"},
			Domains:              []sgv1.Domain{sgv1.Domain(name + ".bench.gov.cn")},
			SiteCode:             "1201010002",
			ICPFiling:            "津ICP备05004439号-2",
			PublicSecurityFiling: "津公网安备12010102000102号",
			Frontend:             sgv1.FrontendSpec{Image: "sitegroup.io/sitegroup:dev", Replicas: ptr.To[int32](2), Args: []string{"serve"}},
			Admin:                sgv1.AdminSpec{Image: "sitegroup.io/sitegroup:dev", AllowedSourceCIDRs: []sgv1.CIDR{"10.12.8.0/24"}},
			Content:              sgv1.ContentSpec{Size: resource.MustParse("5Gi")},
			Inspection:           sgv1.InspectionSettings{TargetURL: target},
		},
	}
}

// launchedStatus is a site launched a month before the day, whose
// manager has kept its record for the seven days before: 24 clean probes
// a day, the last one delivered at last (a restarted prober goes on
// from it, as after a leader change).
func launchedStatus(last time.Time, perDay int) sgv1.GovWebsiteStatus {
	launched := metav1.NewTime(day.AddDate(0, -1, 0))
	at := metav1.NewTime(last)
	a := &sgv1.AvailabilityStatus{Probes: int32(7 * perDay), FailureRate: "0.0", Verdict: sgv1.VerdictPass, Sufficient: true, LastProbeTime: &at}
	for d := availability.WindowDays; d >= 1; d-- {
		a.Days = append(a.Days, sgv1.AvailabilityDay{Day: day.AddDate(0, 0, -d).Format("2006-01-02"), Probes: int32(perDay)})
	}
	return sgv1.GovWebsiteStatus{
		Launch:       &sgv1.LaunchStatus{PrelaunchRun: "prelaunch", LaunchedAt: &launched},
		Availability: a,
	}
}

// lastBefore is the last probe of a site delivered before the day starts.
func lastBefore(off time.Duration, perDay int) time.Time {
	var last time.Time
	for _, t := range availability.ProbeTimes(day.AddDate(0, 0, -1), perDay, off, clock.Shanghai) {
		if tickOf(t).Before(day) {
			last = tickOf(t)
		}
	}
	return last
}

// createSites creates the namespaces, the sites and their launched
// status with the suite's admin client, in parallel.
func createSites(ctx context.Context, admin client.Client, h *homepages, n, perDay int) error {
	for ns := 0; ns*sitesPerNS < n; ns++ {
		name, _ := siteName(ns * sitesPerNS)
		if err := admin.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil {
			return err
		}
	}
	next := atomic.Int64{}
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for range cap(errs) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					errs <- nil
					return
				}
				s := site(i, h.url(i))
				if err := admin.Create(ctx, s); err != nil {
					errs <- fmt.Errorf("creating site %d: %w", i, err)
					return
				}
				s.Status = launchedStatus(lastBefore(offset(s.Namespace, s.Name), perDay), perDay)
				if err := admin.Status().Update(ctx, s); err != nil {
					errs <- fmt.Errorf("launching site %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func sitesFromEnv(b *testing.B) int {
	n := defaultSites
	if v := os.Getenv("PROBER_SITES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("PROBER_SITES=%q: want a positive number", v)
		}
	}
	return n
}

// operatorManager is the operator's manager as an install runs it (its
// ServiceAccount and role, the operator's cache options) with no
// controllers: only the prober runs, on its client. The client is the
// manager's own (cache for reads, the API server for writes), wrapped to
// count writes.
func operatorManager(ctx context.Context, cfg *rest.Config, admin client.Client, funcs interceptor.Funcs) (ctrl.Manager, error) {
	for _, f := range []string{"config/rbac/role.yaml", "config/rbac/role_binding.yaml"} {
		if err := testenv.CreateFromFile(ctx, admin, f); err != nil {
			return nil, err
		}
	}
	return ctrl.NewManager(testenv.Impersonating(cfg, testenv.OperatorUser, testenv.OperatorGroups...), ctrl.Options{
		Scheme:  testenv.Scheme(),
		Metrics: metricsserver.Options{BindAddress: "0"},
		Cache:   controller.CacheOptions(),
		NewClient: func(cfg *rest.Config, opts client.Options) (client.Client, error) {
			c, err := client.NewWithWatch(cfg, opts)
			if err != nil {
				return nil, err
			}
			return interceptor.NewClient(c, funcs), nil
		},
	})
}

// heldMiB is what the Go runtime holds from the OS, as memsample reads it.
func heldMiB() float64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return float64(s[0].Value.Uint64()-s[1].Value.Uint64()) / (1 << 20)
}

func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakGoroutines samples runtime.NumGoroutine every 2 ms until stop.
func peakGoroutines(stop <-chan struct{}, peak chan<- int) {
	most := 0
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		most = max(most, runtime.NumGoroutine())
		select {
		case <-stop:
			peak <- most
			return
		case <-t.C:
		}
	}
}

// BenchmarkProberDay runs the prober over b.N simulated days (one with
// -benchtime 1x) of PROBER_SITES launched sites.
func BenchmarkProberDay(b *testing.B) {
	ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapcore.ErrorLevel)))
	n := sitesFromEnv(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	setupStart := time.Now()
	env, err := testenv.New(false)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := env.Start()
	if err != nil {
		b.Fatal(err)
	}
	var mgrDone chan struct{} // closed when the manager has stopped
	defer func() {
		cancel()
		if mgrDone != nil {
			<-mgrDone
		}
		if err := env.Stop(); err != nil {
			b.Error(err)
		}
	}()
	admin, err := client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	if err != nil {
		b.Fatal(err)
	}
	pol := &sgv1.SiteGroupPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: sgv1.PolicyName},
		Spec: sgv1.SiteGroupPolicySpec{
			Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1", "cn-east-2"}},
			Network:   sgv1.NetworkPolicyDefaults{AdminAccessNetworks: []sgv1.CIDR{"10.0.0.0/8"}},
			Routing: sgv1.RoutingPolicy{
				GatewayRef:   &sgv1.GatewayParentRef{Name: "sitegroup", Namespace: "sitegroup-gateway", SectionName: "https"},
				TLSIssuerRef: &sgv1.IssuerReference{Name: "gov-ca", Kind: "ClusterIssuer"},
			},
		},
	}
	if err := admin.Create(ctx, pol); err != nil {
		b.Fatal(err)
	}
	perDay := int(policy.InForce(pol.Spec).Inspection.ProbesPerDay)
	days := b.N

	clk := clock.NewFake(day)
	home := startHomepages(clk, n, perDay, days)
	defer home.close()
	if err := createSites(ctx, admin, home, n, perDay); err != nil {
		b.Fatal(err)
	}
	w := &writes{clk: clk, status: make(map[client.ObjectKey][]time.Time, n)}
	mgr, err := operatorManager(ctx, cfg, admin, w.funcs())
	if err != nil {
		b.Fatal(err)
	}
	mgrDone = make(chan struct{})
	go func() {
		defer close(mgrDone)
		if err := mgr.Start(ctx); err != nil {
			b.Error(err)
		}
	}()
	// The prober reads sites and the policy from the cache: wait until it
	// holds every launched site.
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		b.Fatal("the manager's cache did not sync")
	}
	for {
		list := &sgv1.GovWebsiteList{}
		if err := mgr.GetCache().List(ctx, list); err != nil {
			b.Fatal(err)
		}
		launched := 0
		for i := range list.Items {
			if list.Items[i].Status.Launch != nil {
				launched++
			}
		}
		if launched == n {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := mgr.GetCache().Get(ctx, client.ObjectKey{Name: sgv1.PolicyName}, &sgv1.SiteGroupPolicy{}); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "prober: %d sites ready in %.0fs\n", n, time.Since(setupStart).Seconds())
	prober := controller.NewAvailabilityProber(mgr.GetClient(), mgr.GetEventRecorder(builders.ManagerName), clk)
	setup := time.Since(setupStart)

	// The day, tick by tick. Every 60th tick the prober is asked again at
	// the same time, when nothing is due: the cost of a tick's scan alone.
	runtime.GC()
	baseMiB, baseGoroutines := heldMiB(), runtime.NumGoroutine()
	stopSampling := make(chan struct{})
	peakMem, peakG := make(chan uint64), make(chan int)
	go memsample.Peak(stopSampling, peakMem)
	go peakGoroutines(stopSampling, peakG)
	allocBefore := allocatedBytes()
	ticks := days * int(24*time.Hour/tick)
	var tickCost, scanCost []time.Duration
	var tickErrs []error
	b.ResetTimer()
	start := time.Now()
	for k := 0; k <= ticks; k++ {
		now := day.Add(time.Duration(k) * tick)
		clk.Set(now)
		t0 := time.Now()
		if err := prober.Probe(ctx); err != nil {
			tickErrs = append(tickErrs, fmt.Errorf("tick %s: %w", now.Format(time.TimeOnly), err))
		}
		tickCost = append(tickCost, time.Since(t0))
		if k%60 == 59 {
			t0 = time.Now()
			if err := prober.Probe(ctx); err != nil {
				tickErrs = append(tickErrs, err)
			}
			scanCost = append(scanCost, time.Since(t0))
		}
		if k > 0 && k%120 == 0 { // progress on stderr, every simulated hour
			fmt.Fprintf(os.Stderr, "prober: %s simulated in %.0fs, %d probes, %d status writes\n",
				time.Duration(k)*tick, time.Since(start).Seconds(), home.total.Load(), w.total.Load())
		}
	}
	wall := time.Since(start)
	b.StopTimer()
	close(stopSampling)
	peakMiB := float64(<-peakMem) / (1 << 20)
	goroutines := <-peakG
	allocPerTick := float64(allocatedBytes()-allocBefore) / float64(len(tickCost)+len(scanCost)) / (1 << 20)
	runtime.GC()
	endMiB := heldMiB()

	for i, err := range tickErrs {
		if i < 5 {
			b.Errorf("probe: %v", err)
		}
	}

	// Probes: each one the answer to a slot of the site's spread schedule,
	// at the first tick after it; each slot of the days probed once.
	probesMin, probesMax, offSchedule, duplicates, missed := int(^uint(0)>>1), 0, 0, 0, 0
	for i := range n {
		ns, name := siteName(i)
		off := offset(ns, name)
		var slots []time.Time
		for d := -1; d <= days; d++ {
			slots = append(slots, availability.ProbeTimes(day.AddDate(0, 0, d), perDay, off, clock.Shanghai)...)
		}
		got := make([]bool, len(slots))
		for _, h := range home.hits[i] {
			j := sort.Search(len(slots), func(j int) bool { return slots[j].After(h.at) }) - 1
			switch {
			case j < 0 || !tickOf(slots[j]).Equal(h.at):
				offSchedule++
			case got[j]:
				duplicates++
			default:
				got[j] = true
			}
		}
		for d := range days {
			delivered := 0
			for j, s := range slots {
				if !s.Before(day.AddDate(0, 0, d)) && s.Before(day.AddDate(0, 0, d+1)) {
					if got[j] {
						delivered++
					} else {
						missed++
					}
				}
			}
			probesMin, probesMax = min(probesMin, delivered), max(probesMax, delivered)
		}
	}

	// Status writes: the most in any hour (a sliding hour, [t, t+1h)),
	// the shortest gap between two, and how many a site had in a day.
	writesHourMax, writesTotal, writesDayMin, writesDayMax := 0, 0, int(^uint(0)>>1), 0
	minGap := time.Duration(1<<63 - 1)
	for i := range n {
		ns, name := siteName(i)
		ws := w.status[client.ObjectKey{Namespace: ns, Name: name}]
		writesTotal += len(ws)
		for a, bb := 0, 0; bb < len(ws); bb++ {
			for ws[bb].Sub(ws[a]) >= time.Hour {
				a++
			}
			writesHourMax = max(writesHourMax, bb-a+1)
			if bb > 0 {
				minGap = min(minGap, ws[bb].Sub(ws[bb-1]))
			}
		}
		for d := range days {
			c := 0
			for _, t := range ws {
				if !t.Before(day.AddDate(0, 0, d)) && t.Before(day.AddDate(0, 0, d+1)) {
					c++
				}
			}
			writesDayMin, writesDayMax = min(writesDayMin, c), max(writesDayMax, c)
		}
	}

	// Failure counting: each day's bucket in the status the prober wrote
	// holds the probes the homepages answered that day, and their failures.
	mismatches, failedSeen := statusMismatches(ctx, b, admin, home, n, days)

	// A new leader after two hours without one (a failover, an upgrade):
	// every site's last probe in status is older than its last slot, so
	// every site is due at its first tick.
	restart := controller.NewAvailabilityProber(mgr.GetClient(), mgr.GetEventRecorder(builders.ManagerName), clk)
	clk.Set(day.Add(time.Duration(ticks)*tick + 2*time.Hour))
	probesBefore, writesBefore := home.total.Load(), w.total.Load()
	runtime.GC()
	stopSampling = make(chan struct{})
	go memsample.Peak(stopSampling, peakMem)
	go peakGoroutines(stopSampling, peakG)
	t0 := time.Now()
	if err := restart.Probe(ctx); err != nil {
		b.Errorf("the first tick after the outage: %v", err)
	}
	burst := time.Since(t0)
	close(stopSampling)
	burstMiB, burstGoroutines := float64(<-peakMem)/(1<<20), <-peakG
	burstProbes, burstWrites := home.total.Load()-probesBefore, w.total.Load()-writesBefore

	sort.Slice(tickCost, func(i, j int) bool { return tickCost[i] < tickCost[j] })
	var sum, scanSum time.Duration
	for _, d := range tickCost {
		sum += d
	}
	for _, d := range scanCost {
		scanSum += d
	}
	meanTick := sum / time.Duration(len(tickCost))
	meanScan := scanSum / time.Duration(max(len(scanCost), 1))
	p99 := tickCost[len(tickCost)*99/100]
	maxTick := tickCost[len(tickCost)-1]
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

	b.ReportMetric(float64(n), "sites")
	b.ReportMetric(float64(probesMin), "probes-per-site-min")
	b.ReportMetric(float64(probesMax), "probes-per-site-max")
	b.ReportMetric(float64(offSchedule+duplicates), "off-schedule-probes")
	b.ReportMetric(float64(writesHourMax), "writes-per-site-hour-max")
	b.ReportMetric(float64(writesTotal)/float64(n*days), "writes-per-site-day")
	b.ReportMetric(float64(goroutines), "peak-goroutines")
	b.ReportMetric(float64(goroutines-baseGoroutines), "goroutines-over-idle")
	b.ReportMetric(peakMiB, "peak-MiB")
	b.ReportMetric(allocPerTick, "alloc-MiB/tick")
	b.ReportMetric(ms(meanTick), "ms/tick")
	b.ReportMetric(ms(maxTick), "max-ms/tick")
	b.ReportMetric(ms(meanScan), "scan-ms/tick")
	b.ReportMetric(wall.Seconds()/float64(days), "wall-s/day")
	b.ReportMetric(burst.Seconds(), "restart-tick-s")

	// The report goes to stdout: a benchmark's log is cut at a few lines.
	say := func(format string, args ...any) { fmt.Printf("    "+format+"\n", args...) }
	say("setup %.1fs (envtest, %d sites created and launched, cache synced)", setup.Seconds(), n)
	say("%d days of %d ticks in %.1fs: tick mean %.1fms p99 %.1fms max %.1fms (%.2f%% of the %s tick); scan alone %.1fms (%.2fµs a site)",
		days, ticks+1, wall.Seconds(), ms(meanTick), ms(p99), ms(maxTick), 100*float64(meanTick)/float64(tick), tick, ms(meanScan), float64(meanScan)/float64(time.Microsecond)/float64(n))
	say("probes: %d per site per day (min) to %d (max), schedule %d a day; %d off schedule, %d duplicated, %d slots missed; %d answered with failure; %d to unknown paths",
		probesMin, probesMax, perDay, offSchedule, duplicates, missed, failedSeen, home.unknown.Load())
	say("status writes: %d (%.2f a site a day, %d to %d), at most %d a site in any hour, shortest gap %s; other writes %d; status buckets not matching the homepages' count: %d",
		writesTotal, float64(writesTotal)/float64(n*days), writesDayMin, writesDayMax, writesHourMax, minGap, w.other.Load(), mismatches)
	say("goroutines %d idle, %d at peak; memory %.1f MiB held idle (cache synced), %.1f MiB peak, %.1f MiB after the day; %.2f MiB allocated a tick",
		baseGoroutines, goroutines, baseMiB, peakMiB, endMiB, allocPerTick)

	say("first tick of a new leader after a 2h outage (every site due at once): %d probes and %d status writes in %.1fs (%.0f/s, %.1f× the %s tick: the ticks behind it wait, their probes go out up to that late); %d goroutines and %.1f MiB at peak",
		burstProbes, burstWrites, burst.Seconds(), float64(burstProbes)/burst.Seconds(), float64(burst)/float64(tick), tick, burstGoroutines, burstMiB)
	// Capacity: Parallel slots, each held for a probe and its write. The
	// burst is bound by the slots, so it gives a slot's time per probe.
	slot := time.Duration(float64(burst) * float64(prober.Parallel) / float64(max(burstProbes, 1)))
	needed := float64(n * perDay)
	capacity := float64(prober.Parallel) * float64(24*time.Hour) / float64(slot)
	timeoutCapacity := float64(prober.Parallel) * float64(24*time.Hour) / float64(availability.ProbeTimeout)
	b.ReportMetric(capacity/needed, "capacity-x")
	say("capacity: a slot held %.1fms a probe (probe and write): %d slots give %.0f probes a day, %.1f× the %.0f the schedule needs; were every probe to run to V1's %s timeout, %.0f a day (%.2f×): the schedule holds while the mean probe plus write stays under %.2fs",
		float64(slot)/float64(time.Millisecond), prober.Parallel, capacity, capacity/needed, needed, availability.ProbeTimeout, timeoutCapacity, timeoutCapacity/needed,
		float64(prober.Parallel)*(24*time.Hour).Seconds()/needed)

	goal(probesMin >= goalProbesPerDay && probesMin == perDay && offSchedule+duplicates == 0,
		"every site probed %d times a day on its spread schedule (V1: at least %d): %d to %d, %d off schedule", perDay, goalProbesPerDay, probesMin, probesMax, offSchedule+duplicates)
	goal(writesHourMax <= goalWritesPerHour, "at most one status write per site per hour: %d", writesHourMax)
	goal(goroutines-baseGoroutines <= goroutinesPerProbe*prober.Parallel, "goroutines bounded by Parallel (%d): %d over idle, at most %d", prober.Parallel, goroutines-baseGoroutines, goroutinesPerProbe*prober.Parallel)
	goal(maxTick < tick, "every tick done within the tick (%s): max %.1fms", tick, ms(maxTick))
	goal(mismatches == 0, "status counts every probe and failure: %d sites differ", mismatches)
	if mismatches > 0 || len(tickErrs) > 0 {
		b.Errorf("%d status mismatches, %d probe errors", mismatches, len(tickErrs))
	}
	fmt.Printf("prober: sites=%d probes-per-site-min=%d max=%d writes-per-site-hour-max=%d peak-goroutines=%d peak-MiB=%.1f wall=%.1fs ms/tick=%.1f max-ms/tick=%.1f restart-tick=%.1fs\n",
		n, probesMin, probesMax, writesHourMax, goroutines, peakMiB, wall.Seconds(), ms(meanTick), ms(maxTick), burst.Seconds())
}

// statusMismatches compares each site's daily buckets with what its
// homepage answered on that day, and returns the sites that differ and
// the failures the homepages answered.
func statusMismatches(ctx context.Context, b *testing.B, admin client.Client, home *homepages, n, days int) (int, int) {
	list := &sgv1.GovWebsiteList{}
	if err := admin.List(ctx, list); err != nil {
		b.Fatal(err)
	}
	byName := make(map[client.ObjectKey]*sgv1.GovWebsite, len(list.Items))
	for i := range list.Items {
		byName[client.ObjectKeyFromObject(&list.Items[i])] = &list.Items[i]
	}
	mismatches, failed := 0, 0
	for i := range n {
		ns, name := siteName(i)
		s := byName[client.ObjectKey{Namespace: ns, Name: name}]
		for d := range days {
			date := day.AddDate(0, 0, d).Format("2006-01-02")
			var want sgv1.AvailabilityDay
			for _, h := range home.hits[i] {
				if h.at.In(clock.Shanghai).Format("2006-01-02") == date {
					want.Probes++
					if h.failed {
						want.Failed++
						failed++
					}
				}
			}
			var got sgv1.AvailabilityDay
			if s != nil && s.Status.Availability != nil {
				if k := slices.IndexFunc(s.Status.Availability.Days, func(a sgv1.AvailabilityDay) bool { return a.Day == date }); k >= 0 {
					got = s.Status.Availability.Days[k]
				}
			}
			if got.Probes != want.Probes || got.Failed != want.Failed {
				if mismatches < 3 {
					b.Logf("site %s/%s on %s: status %d probes %d failed, homepage answered %d and %d", ns, name, date, got.Probes, got.Failed, want.Probes, want.Failed)
				}
				mismatches++
			}
		}
	}
	return mismatches, failed
}

func goal(met bool, format string, args ...any) {
	if met {
		fmt.Printf("    goal met: "+format+"\n", args...)
	} else {
		fmt.Printf("    GOAL MISSED: "+format+"\n", args...)
	}
}
