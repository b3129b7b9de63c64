package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var descNames = map[*prometheus.Desc]string{
	sitesDesc: "sitegroup_sites", scoreDesc: "sitegroup_site_last_score", probeDesc: "sitegroup_site_probe_failure_ratio",
	ticketsDesc: "sitegroup_open_tickets", overdueDesc: "sitegroup_overdue_tickets", takedownsDesc: "sitegroup_takedowns_active",
}

// gauges reads samples as "name{label,label}" → value, failing on a
// duplicate series or a sample Prometheus would refuse.
func gauges(t *testing.T, samples []sample) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, s := range samples {
		if _, err := prometheus.NewConstMetric(s.desc, prometheus.GaugeValue, s.value, s.labels...); err != nil {
			t.Errorf("sample %v %v refused: %v", descNames[s.desc], s.labels, err)
		}
		k := fmt.Sprintf("%s{%s}", descNames[s.desc], strings.Join(s.labels, ","))
		if _, dup := out[k]; dup {
			t.Errorf("duplicate series %s", k)
		}
		out[k] = s.value
	}
	return out
}

type siteOpt func(*sgv1.GovWebsite)

func site(name string, state sgv1.SiteState, opts ...siteOpt) sgv1.GovWebsite {
	s := sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: "ns-" + name, Name: name}}
	s.Status.State = state
	for _, o := range opts {
		o(&s)
	}
	return s
}

func inspected(v sgv1.Verdict, score *int32) siteOpt {
	return func(s *sgv1.GovWebsite) {
		s.Status.LastInspection = &sgv1.InspectionSummary{Run: "r", Verdict: v, Score: score}
	}
}

func probes(n, failed int32) siteOpt {
	return func(s *sgv1.GovWebsite) {
		s.Status.Availability = &sgv1.AvailabilityStatus{Probes: n, Failed: failed}
	}
}

// collected is when the test scrapes; tickets open before it by more than a day are overdue.
var collected = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func tickets(open, closed int) siteOpt {
	return func(s *sgv1.GovWebsite) {
		for range open {
			s.Status.Tickets = append(s.Status.Tickets, sgv1.RectificationTicket{ID: "V2/r", DueBy: metav1.NewTime(collected.Add(time.Hour))})
		}
		now := metav1.Now()
		for range closed {
			s.Status.Tickets = append(s.Status.Tickets, sgv1.RectificationTicket{ID: "V3/r", ClosedAt: &now})
		}
	}
}

// overdueTickets are open tickets due at the given offsets from the scrape.
func overdueTickets(dueIn ...time.Duration) siteOpt {
	return func(s *sgv1.GovWebsite) {
		for _, d := range dueIn {
			s.Status.Tickets = append(s.Status.Tickets, sgv1.RectificationTicket{ID: "V4/r", DueBy: metav1.NewTime(collected.Add(d))})
		}
	}
}

func takenDown(typ sgv1.TakedownType) siteOpt {
	return func(s *sgv1.GovWebsite) {
		s.Status.CurrentTakedown = &sgv1.TakedownReference{Name: "td", Type: typ}
	}
}

func score(n int32) *int32 { return &n }

func TestSites(t *testing.T) {
	cases := []struct {
		name   string
		sites  []sgv1.GovWebsite
		want   map[string]float64 // series that must be present with these values
		absent []string           // series that must not be present
		count  int                // number of series
	}{
		{name: "no sites: only the takedown gauges, at zero", sites: nil,
			want:  map[string]float64{"sitegroup_takedowns_active{temporary}": 0, "sitegroup_takedowns_active{permanent}": 0},
			count: 2},
		{name: "a site not inspected yet counts under verdict none",
			sites:  []sgv1.GovWebsite{site("a", sgv1.StateProvisioning)},
			want:   map[string]float64{"sitegroup_sites{Provisioning,none}": 1, "sitegroup_open_tickets{ns-a,a}": 0, "sitegroup_overdue_tickets{ns-a,a}": 0},
			absent: []string{"sitegroup_site_last_score{ns-a,a}", "sitegroup_site_probe_failure_ratio{ns-a,a}"},
			count:  5},
		{name: "a last inspection without verdict counts as none",
			sites: []sgv1.GovWebsite{site("a", sgv1.StateServing, inspected("", nil))},
			want:  map[string]float64{"sitegroup_sites{Serving,none}": 1}},
		{name: "sites counted by state and verdict",
			sites: []sgv1.GovWebsite{
				site("a", sgv1.StateServing, inspected(sgv1.VerdictPass, score(92))),
				site("b", sgv1.StateServing, inspected(sgv1.VerdictPass, score(81))),
				site("c", sgv1.StateServing, inspected(sgv1.VerdictFail, score(0))),
				site("d", sgv1.StateDegraded, inspected(sgv1.VerdictFail, score(45))),
				site("e", sgv1.StateServing),
			},
			want: map[string]float64{"sitegroup_sites{Serving,pass}": 2, "sitegroup_sites{Serving,fail}": 1, "sitegroup_sites{Degraded,fail}": 1,
				"sitegroup_sites{Serving,none}":     1,
				"sitegroup_site_last_score{ns-a,a}": 92, "sitegroup_site_last_score{ns-c,c}": 0, "sitegroup_site_last_score{ns-d,d}": 45},
			absent: []string{"sitegroup_sites{Degraded,pass}", "sitegroup_site_last_score{ns-e,e}"}},
		{name: "a verdict without score sets no score gauge",
			sites:  []sgv1.GovWebsite{site("a", sgv1.StateServing, inspected(sgv1.VerdictPass, nil))},
			want:   map[string]float64{"sitegroup_sites{Serving,pass}": 1},
			absent: []string{"sitegroup_site_last_score{ns-a,a}"}},
		{name: "V1 the probe failure ratio only with probes",
			sites: []sgv1.GovWebsite{
				site("a", sgv1.StateServing, probes(200, 10)),
				site("b", sgv1.StateServing, probes(168, 0)),
				site("c", sgv1.StateServing, probes(0, 0)),
				site("d", sgv1.StateServing),
			},
			want:   map[string]float64{"sitegroup_site_probe_failure_ratio{ns-a,a}": 0.05, "sitegroup_site_probe_failure_ratio{ns-b,b}": 0},
			absent: []string{"sitegroup_site_probe_failure_ratio{ns-c,c}", "sitegroup_site_probe_failure_ratio{ns-d,d}"}},
		{name: "T9 open tickets per site, closed ones not counted",
			sites: []sgv1.GovWebsite{
				site("a", sgv1.StateServing, tickets(2, 5)),
				site("b", sgv1.StateServing, tickets(0, 3)),
				site("c", sgv1.StateServing),
			},
			want: map[string]float64{"sitegroup_open_tickets{ns-a,a}": 2, "sitegroup_open_tickets{ns-b,b}": 0, "sitegroup_open_tickets{ns-c,c}": 0}},
		{name: "T9 overdue tickets: open past their due time, at the boundary not yet",
			sites: []sgv1.GovWebsite{
				site("a", sgv1.StateServing, overdueTickets(-time.Second, -24*time.Hour, 0, time.Second)),
				site("b", sgv1.StateServing, tickets(2, 3)),
			},
			want: map[string]float64{"sitegroup_overdue_tickets{ns-a,a}": 2, "sitegroup_open_tickets{ns-a,a}": 4,
				"sitegroup_overdue_tickets{ns-b,b}": 0}},
		{name: "active takedowns by type",
			sites: []sgv1.GovWebsite{
				site("a", sgv1.StateTakenDown, takenDown(sgv1.TakedownTemporary)),
				site("b", sgv1.StateTakenDown, takenDown(sgv1.TakedownTemporary)),
				site("c", sgv1.StateClosed, takenDown(sgv1.TakedownPermanent)),
				site("d", sgv1.StateServing),
			},
			want: map[string]float64{"sitegroup_takedowns_active{temporary}": 2, "sitegroup_takedowns_active{permanent}": 1,
				"sitegroup_sites{TakenDown,none}": 2, "sitegroup_sites{Closed,none}": 1}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got := gauges(t, Sites(tt.sites, collected))
			for k, v := range tt.want {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
				}
			}
			for _, k := range tt.absent {
				if _, ok := got[k]; ok {
					t.Errorf("%s present, want absent", k)
				}
			}
			if tt.count > 0 && len(got) != tt.count {
				t.Errorf("%d series, want %d: %v", len(got), tt.count, got)
			}
			total := 0.0
			for k, v := range got {
				if strings.HasPrefix(k, "sitegroup_sites{") {
					total += v
				}
			}
			if int(total) != len(tt.sites) {
				t.Errorf("sites counted %v times, want %d", total, len(tt.sites))
			}
		})
	}
}
