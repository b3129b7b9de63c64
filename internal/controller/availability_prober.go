package controller

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/availability"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/takedown"
)

// AvailabilityProber keeps V1's record: it probes each live site's
// homepage at spaced times (at least 20 a day, 15 s timeout), counts the
// probes in daily buckets, and writes the 7-day window into the site's
// status at most once an hour. It runs on the leader only.
type AvailabilityProber struct {
	Client   client.Client
	Recorder events.EventRecorder
	Clock    clock.Clock
	// HTTP sends the probes; its timeout is V1's 15 s.
	HTTP *http.Client
	// Tick is how often due probes are looked for.
	Tick time.Duration
	// Parallel bounds the probes in flight.
	Parallel int

	mu    sync.Mutex
	sites map[client.ObjectKey]*probedSite
}

// probedSite is a site's probe record between status writes.
type probedSite struct {
	window    availability.Window
	lastProbe time.Time
	lastWrite time.Time
	warned    bool
}

// writeEvery bounds status writes: one per site per hour.
const writeEvery = time.Hour

// NewAvailabilityProber builds a prober with V1's timeout.
func NewAvailabilityProber(c client.Client, rec events.EventRecorder, clk clock.Clock) *AvailabilityProber {
	return &AvailabilityProber{Client: c, Recorder: rec, Clock: clk, Tick: 30 * time.Second, Parallel: 8,
		HTTP: &http.Client{Timeout: availability.ProbeTimeout,
			// A redirect answers the probe: the homepage opened.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Start probes until the manager stops (a manager Runnable).
func (p *AvailabilityProber) Start(ctx context.Context) error {
	t := time.NewTicker(p.Tick)
	defer t.Stop()
	for {
		if err := p.Probe(ctx); err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "availability probes")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// NeedLeaderElection: one replica probes.
func (p *AvailabilityProber) NeedLeaderElection() bool { return true }

// Probe sends the probes that are due at the clock's now and writes the
// windows that are due a write.
func (p *AvailabilityProber) Probe(ctx context.Context) error {
	pol, err := policy.Get(ctx, p.Client)
	if errors.Is(err, policy.ErrMissing) {
		return nil // no site can be placed, let alone probed; the sites say PolicyMissing
	} else if err != nil {
		return err
	}
	sites := &sgv1.GovWebsiteList{}
	// The cache's sites, not copies of them: the prober only reads a site
	// (write copies it before patching). Copying every site at every tick
	// was most of a tick's cost at 10,000 sites (issue 17).
	if err := p.Client.List(ctx, sites, client.UnsafeDisableDeepCopy); err != nil {
		return err
	}
	now := p.Clock.Now()
	sem := make(chan struct{}, max(p.Parallel, 1))
	var wg sync.WaitGroup
	errs := make(chan error, len(sites.Items))
	for i := range sites.Items {
		site := &sites.Items[i]
		if !probed(site) {
			continue
		}
		st := p.state(site)
		if !probeDue(st.lastProbe, now, int(pol.Inspection.ProbesPerDay), siteOffset(site)) {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs <- p.probeAndRecord(ctx, site, now)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// probed: live sites only — launched (S5), not suspended, not taken down.
func probed(site *sgv1.GovWebsite) bool {
	return site.DeletionTimestamp.IsZero() && !site.Spec.Suspend && !takedown.SiteDown(site.Status.CurrentTakedown) &&
		site.Status.Launch != nil && site.Status.Launch.LaunchedAt != nil
}

func (p *AvailabilityProber) state(site *sgv1.GovWebsite) *probedSite {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sites == nil {
		p.sites = map[client.ObjectKey]*probedSite{}
	}
	key := client.ObjectKeyFromObject(site)
	st, ok := p.sites[key]
	if !ok {
		st = &probedSite{}
		if a := site.Status.Availability; a != nil {
			// A restarted manager goes on from the window in status.
			for _, d := range a.Days {
				st.window.Buckets = append(st.window.Buckets, availability.Bucket{Day: d.Day, Probes: d.Probes, Failed: d.Failed})
			}
			if a.LastProbeTime != nil {
				st.lastProbe, st.lastWrite = a.LastProbeTime.Time, a.LastProbeTime.Time
			}
		}
		p.sites[key] = st
	}
	return st
}

// probeDue: a spaced probe time (evenly over the day, offset per site)
// passed since the last probe. Missed times are not made up in a burst.
func probeDue(last, now time.Time, perDay int, offset time.Duration) bool {
	for _, day := range []time.Time{now.AddDate(0, 0, -1), now} {
		for _, t := range availability.ProbeTimes(day, perDay, offset, clock.Shanghai) {
			if t.After(last) && !t.After(now) {
				return true
			}
		}
	}
	return false
}

// siteOffset spreads sites over the probe interval.
func siteOffset(site *sgv1.GovWebsite) time.Duration {
	h := fnv.New32a()
	_, _ = h.Write([]byte(site.Namespace + "/" + site.Name))
	return time.Duration(h.Sum32()%3600) * time.Second
}

// probeAndRecord sends one probe and, at most hourly, writes the window.
func (p *AvailabilityProber) probeAndRecord(ctx context.Context, site *sgv1.GovWebsite, now time.Time) error {
	failed := p.probe(ctx, site) != nil
	p.mu.Lock()
	st := p.sites[client.ObjectKeyFromObject(site)]
	st.window = st.window.Record(now, failed, clock.Shanghai)
	st.lastProbe = now
	due := st.lastWrite.IsZero() || now.Sub(st.lastWrite) >= writeEvery
	window := st.window
	p.mu.Unlock()
	if !due {
		return nil
	}
	status := availabilityStatus(window, now)
	if err := p.write(ctx, site, status); err != nil {
		return err
	}
	p.mu.Lock()
	st.lastWrite = now
	warn := status.Warning || status.Verdict == sgv1.VerdictFail
	fire := warn && !st.warned
	st.warned = warn
	p.mu.Unlock()
	if fire {
		v := window.Judge(now, clock.Shanghai)
		eventLog(ctx, p.Recorder, site, pendingEvent{corev1.EventTypeWarning, sgv1.ReasonAvailabilityWarning, "Probe", v.Reason})
	}
	return nil
}

// probe opens the homepage within 15 s (V1); an answer counts as opened
// when homepageOpened says so.
func (p *AvailabilityProber) probe(ctx context.Context, site *sgv1.GovWebsite) error {
	url, host, err := p.target(ctx, site)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if host != "" {
		req.Host = host
	}
	resp, err := p.HTTP.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if !homepageOpened(resp.StatusCode) {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// homepageOpened judges a probe's answer as the crawler judges a page (V1):
// a 4xx or 5xx answer is a homepage that did not open; a redirect is one
// that did (it points the visitor on).
func homepageOpened(status int) bool { return status < 400 }

// target is the site's inspection override, or its public Service's
// cluster IP with the site's domain as Host: the manager needs no cluster
// DNS to reach it.
func (p *AvailabilityProber) target(ctx context.Context, site *sgv1.GovWebsite) (string, string, error) {
	if u := site.Spec.Inspection.TargetURL; u != "" {
		return u, "", nil
	}
	svc := &corev1.Service{}
	if err := p.Client.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: builders.PublicServiceName(site)}, svc); err != nil {
		return "", "", err
	}
	if svc.Spec.ClusterIP == "" || svc.Spec.ClusterIP == corev1.ClusterIPNone || len(svc.Spec.Ports) == 0 {
		return "", "", fmt.Errorf("service %s has no cluster IP", svc.Name)
	}
	host := ""
	if domains := identity.InForce(site).Spec.Domains; len(domains) > 0 {
		host = string(domains[0]) // the domain in force (S8)
	}
	return fmt.Sprintf("http://%s:%d/", svc.Spec.ClusterIP, svc.Spec.Ports[0].Port), host, nil
}

// write merge-patches status.availability alone: the GovWebsite controller
// owns the rest of the status.
func (p *AvailabilityProber) write(ctx context.Context, site *sgv1.GovWebsite, a *sgv1.AvailabilityStatus) error {
	patch := client.MergeFrom(site.DeepCopy())
	updated := site.DeepCopy()
	updated.Status.Availability = a
	return client.IgnoreNotFound(p.Client.Status().Patch(ctx, updated, patch))
}

// availabilityStatus renders the window and its V1 verdict for the status.
func availabilityStatus(w availability.Window, now time.Time) *sgv1.AvailabilityStatus {
	v := w.Judge(now, clock.Shanghai)
	at := metav1.NewTime(now)
	out := &sgv1.AvailabilityStatus{Probes: v.Probes, Failed: v.Failed, FailureRate: fmt.Sprintf("%.1f", 100*v.Rate),
		Verdict: sgv1.VerdictPass, Warning: v.Warning, Sufficient: v.Sufficient, LastProbeTime: &at}
	if v.Veto {
		out.Verdict = sgv1.VerdictFail
	}
	for _, b := range w.Buckets {
		out.Days = append(out.Days, sgv1.AvailabilityDay{Day: b.Day, Probes: b.Probes, Failed: b.Failed})
	}
	return out
}
