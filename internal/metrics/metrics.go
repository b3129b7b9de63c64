// Package metrics is the operator's own Prometheus metrics, served on the
// manager's metrics endpoint beside controller-runtime's. Labels are
// bounded: site names and fixed enums, never URLs.
package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var runs = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "sitegroup_inspection_runs_total",
	Help: "Finished inspection runs by purpose and outcome (pass, fail, or error when the Job itself failed).",
}, []string{"purpose", "outcome"})

var (
	sitesDesc = prometheus.NewDesc("sitegroup_sites",
		"Sites by state and by the verdict of their last inspection (none when not inspected yet).", []string{"state", "verdict"}, nil)
	scoreDesc = prometheus.NewDesc("sitegroup_site_last_score",
		"Score of a site's last inspection.", []string{"namespace", "site"}, nil)
	probeDesc = prometheus.NewDesc("sitegroup_site_probe_failure_ratio",
		"Failed availability probes over the last 7 complete days (V1 fails at 0.05).", []string{"namespace", "site"}, nil)
	ticketsDesc = prometheus.NewDesc("sitegroup_open_tickets",
		"Open rectification tickets of a site (T9).", []string{"namespace", "site"}, nil)
	overdueDesc = prometheus.NewDesc("sitegroup_overdue_tickets",
		"Open rectification tickets of a site past their one-day limit (T9): fixed or not, a ticket is open until its result is signed.", []string{"namespace", "site"}, nil)
	takedownsDesc = prometheus.NewDesc("sitegroup_takedowns_active",
		"Takedowns in force (the site shows its notice page), by type.", []string{"type"}, nil)
)

var register sync.Once

// Register adds the operator's metrics to controller-runtime's registry;
// sites are read from the manager's cache at scrape time, so the gauges
// never go stale.
func Register(cache client.Reader) {
	register.Do(func() {
		ctrlmetrics.Registry.MustRegister(runs, &siteCollector{cache: cache})
	})
}

// RecordRun counts a finished run.
func RecordRun(purpose, outcome string) { runs.WithLabelValues(purpose, outcome).Inc() }

type siteCollector struct{ cache client.Reader }

func (c *siteCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{sitesDesc, scoreDesc, probeDesc, ticketsDesc, overdueDesc, takedownsDesc} {
		ch <- d
	}
}

func (c *siteCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sites := &sgv1.GovWebsiteList{}
	if err := c.cache.List(ctx, sites); err != nil {
		return
	}
	for _, s := range Sites(sites.Items, time.Now()) {
		ch <- prometheus.MustNewConstMetric(s.desc, prometheus.GaugeValue, s.value, s.labels...)
	}
}

// sample is one gauge value.
type sample struct {
	desc   *prometheus.Desc
	value  float64
	labels []string
}

// Sites computes the gauges of a list of sites at now (pure, table-tested).
func Sites(items []sgv1.GovWebsite, now time.Time) []sample {
	type key struct{ state, verdict string }
	counts := map[key]int{}
	takedowns := map[string]int{"temporary": 0, "permanent": 0}
	var out []sample
	for _, s := range items {
		st := s.Status
		verdict := "none"
		if st.LastInspection != nil && st.LastInspection.Verdict != "" {
			verdict = string(st.LastInspection.Verdict)
			if st.LastInspection.Score != nil {
				out = append(out, sample{scoreDesc, float64(*st.LastInspection.Score), []string{s.Namespace, s.Name}})
			}
		}
		counts[key{string(st.State), verdict}]++
		if a := st.Availability; a != nil && a.Probes > 0 {
			out = append(out, sample{probeDesc, float64(a.Failed) / float64(a.Probes), []string{s.Namespace, s.Name}})
		}
		open, overdue := 0, 0
		for _, t := range st.Tickets {
			if t.ClosedAt == nil {
				open++
				if now.After(t.DueBy.Time) {
					overdue++
				}
			}
		}
		out = append(out, sample{ticketsDesc, float64(open), []string{s.Namespace, s.Name}},
			sample{overdueDesc, float64(overdue), []string{s.Namespace, s.Name}})
		if td := st.CurrentTakedown; td != nil {
			takedowns[string(td.Type)]++
		}
	}
	for k, n := range counts {
		out = append(out, sample{sitesDesc, float64(n), []string{k.state, k.verdict}})
	}
	for typ, n := range takedowns {
		out = append(out, sample{takedownsDesc, float64(n), []string{typ}})
	}
	return out
}
