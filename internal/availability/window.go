// Package availability keeps the V1 record of a site: probes of its
// homepage (15 s timeout, at least 20 spaced probes a day) counted in daily
// buckets of the platform's calendar, over a rolling 7-day window. The
// verdict fails at a 5% failure rate; an early warning comes at 3%.
package availability

import (
	"fmt"
	"sort"
	"time"
)

// Rules of V1 (RULES.md §3) and the early warning (a vendor practice).
const (
	WindowDays        = 7
	MinProbesPerDay   = 20
	ProbeTimeout      = 15 * time.Second
	VetoFailureRate   = 0.05
	WarnFailureRate   = 0.03
	dayLayout         = "2006-01-02"
	maxBucketsInState = WindowDays + 1 // today plus the seven days before
)

// Bucket counts one calendar day's probes.
type Bucket struct {
	Day    string `json:"day"` // YYYY-MM-DD in the platform's time zone
	Probes int32  `json:"probes"`
	Failed int32  `json:"failed"`
}

// Window is the rolling record, oldest day first.
type Window struct {
	Buckets []Bucket `json:"buckets"`
}

// Record adds one probe at t (in loc's calendar) and drops days that left
// the window, so the record stays bounded.
func (w Window) Record(t time.Time, failed bool, loc *time.Location) Window {
	day := t.In(loc).Format(dayLayout)
	out := Window{Buckets: append([]Bucket(nil), w.Buckets...)}
	i := sort.Search(len(out.Buckets), func(i int) bool { return out.Buckets[i].Day >= day })
	if i == len(out.Buckets) || out.Buckets[i].Day != day {
		out.Buckets = append(out.Buckets, Bucket{})
		copy(out.Buckets[i+1:], out.Buckets[i:])
		out.Buckets[i] = Bucket{Day: day}
	}
	out.Buckets[i].Probes++
	if failed {
		out.Buckets[i].Failed++
	}
	return out.Trim(t, loc)
}

// Trim keeps today and the 7 days before it: what Judge needs, bounded.
func (w Window) Trim(t time.Time, loc *time.Location) Window {
	first := t.In(loc).AddDate(0, 0, -WindowDays).Format(dayLayout)
	var out Window
	for _, b := range w.Buckets {
		if b.Day >= first {
			out.Buckets = append(out.Buckets, b)
		}
	}
	if n := len(out.Buckets); n > maxBucketsInState {
		out.Buckets = out.Buckets[n-maxBucketsInState:]
	}
	return out
}

// Verdict is V1 over the window.
type Verdict struct {
	Probes, Failed int32
	Rate           float64
	// Veto: failures reached 5% (站点无法访问).
	Veto bool
	// Warning: failures reached 3%, before the veto fires.
	Warning bool
	// Sufficient: every day of the window had at least 20 probes; a verdict
	// on fewer is reported but not trusted for V1.
	Sufficient bool
	Reason     string
}

// Judge computes V1 over the 7 complete calendar days before t; today's
// probes wait for the day to end.
func (w Window) Judge(t time.Time, loc *time.Location) Verdict {
	var v Verdict
	today := t.In(loc).Format(dayLayout)
	first := t.In(loc).AddDate(0, 0, -WindowDays).Format(dayLayout)
	days := map[string]bool{}
	for _, b := range w.Buckets {
		if b.Day < first || b.Day >= today {
			continue
		}
		v.Probes += b.Probes
		v.Failed += b.Failed
		days[b.Day] = b.Probes >= MinProbesPerDay
	}
	v.Sufficient = true
	for d := 1; d <= WindowDays; d++ {
		day := t.In(loc).AddDate(0, 0, -d).Format(dayLayout)
		if !days[day] {
			v.Sufficient = false
		}
	}
	if v.Probes > 0 {
		v.Rate = float64(v.Failed) / float64(v.Probes)
	}
	v.Veto = v.Probes > 0 && v.Rate >= VetoFailureRate
	v.Warning = !v.Veto && v.Probes > 0 && v.Rate >= WarnFailureRate
	switch {
	case v.Veto:
		v.Reason = fmt.Sprintf("V1: %d of %d probes failed in 7 days (%.1f%% ≥ 5%%)", v.Failed, v.Probes, 100*v.Rate)
	case v.Warning:
		v.Reason = fmt.Sprintf("V1 early warning: %d of %d probes failed in 7 days (%.1f%% ≥ 3%%)", v.Failed, v.Probes, 100*v.Rate)
	default:
		v.Reason = fmt.Sprintf("V1: %d of %d probes failed in 7 days (%.1f%%)", v.Failed, v.Probes, 100*v.Rate)
	}
	return v
}

// ProbeTimes spaces n probes evenly over a calendar day, offset per site
// so that sites are not probed all at once: V1 asks for spaced probes.
func ProbeTimes(day time.Time, n int, offset time.Duration, loc *time.Location) []time.Time {
	if n < MinProbesPerDay {
		n = MinProbesPerDay
	}
	y, m, d := day.In(loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	step := 24 * time.Hour / time.Duration(n)
	offset %= step
	out := make([]time.Time, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i)*step + offset)
	}
	return out
}

// MonthOf is the calendar month of t in loc ("2026-11"), the key of the
// monthly results (T8 counts failing months).
func MonthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }
