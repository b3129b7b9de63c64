package availability

import (
	"testing"
	"time"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fill records probes per day for the 7 days before now and today.
func fill(now time.Time, perDay, failedTotal int) Window {
	var w Window
	failed := 0
	for d := WindowDays; d >= 1; d-- {
		y, m, dd := now.AddDate(0, 0, -d).Date()
		start := time.Date(y, m, dd, 0, 0, 0, 0, shanghai)
		for i := range perDay {
			tm := start.Add(time.Duration(i) * 24 * time.Hour / time.Duration(perDay))
			f := failed < failedTotal
			if f {
				failed++
			}
			w = w.Record(tm, f, shanghai)
		}
	}
	return w
}

func TestJudgeThresholds(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, shanghai)
	tests := []struct {
		name          string
		perDay        int
		failed        int
		veto, warning bool
		sufficient    bool
	}{
		{"V1 no failures", 24, 0, false, false, true},
		{"V1 2.9% is quiet", 100, 20, false, false, true},        // 20/700
		{"V1 3% warns", 100, 21, false, true, true},              // 21/700
		{"V1 4.9% still only warns", 100, 34, false, true, true}, // 34/700
		{"V1 5% vetoes", 100, 35, true, false, true},             // 35/700
		{"V1 19 probes a day are too few to trust", 19, 0, false, false, false},
		{"V1 20 probes a day are enough", 20, 0, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fill(now, tt.perDay, tt.failed).Judge(now, shanghai)
			if v.Veto != tt.veto || v.Warning != tt.warning || v.Sufficient != tt.sufficient {
				t.Errorf("veto=%v warning=%v sufficient=%v (%s), want %v %v %v", v.Veto, v.Warning, v.Sufficient, v.Reason, tt.veto, tt.warning, tt.sufficient)
			}
		})
	}
}

func TestJudgeLeavesTodayOut(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, shanghai)
	w := fill(now, 24, 0)
	for range 10 {
		w = w.Record(now.Add(-time.Hour), true, shanghai) // today's failures
	}
	if v := w.Judge(now, shanghai); v.Failed != 0 || v.Probes != 7*24 {
		t.Errorf("V1 counts the 7 complete days only: %+v", v)
	}
	if v := w.Judge(now.AddDate(0, 0, 1), shanghai); v.Failed != 10 {
		t.Errorf("tomorrow, today's failures count: %+v", v)
	}
}

func TestRecordBucketsByShanghaiDay(t *testing.T) {
	// 23:30 UTC on Nov 21 is 07:30 on Nov 22 in Shanghai: the probe counts for the 22nd.
	tm := time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC)
	w := Window{}.Record(tm, true, shanghai)
	if len(w.Buckets) != 1 || w.Buckets[0].Day != "2026-11-22" || w.Buckets[0].Failed != 1 {
		t.Fatalf("buckets %+v", w.Buckets)
	}
}

func TestWindowStaysBounded(t *testing.T) {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, shanghai)
	var w Window
	for d := 0; d < 60; d++ {
		w = w.Record(start.AddDate(0, 0, d), false, shanghai)
	}
	if len(w.Buckets) > maxBucketsInState {
		t.Fatalf("%d buckets kept, want at most %d", len(w.Buckets), maxBucketsInState)
	}
	if last := w.Buckets[len(w.Buckets)-1].Day; last != "2026-03-01" {
		t.Errorf("newest bucket %s", last)
	}
	// Out-of-order probes land in their own day, in order.
	w = w.Record(start.AddDate(0, 0, 58), true, shanghai)
	for i := 1; i < len(w.Buckets); i++ {
		if w.Buckets[i-1].Day >= w.Buckets[i].Day {
			t.Fatalf("buckets out of order: %+v", w.Buckets)
		}
	}
}

func TestProbeTimes(t *testing.T) {
	day := time.Date(2026, 11, 22, 15, 0, 0, 0, shanghai)
	tests := []struct {
		name   string
		n      int
		offset time.Duration
		want   int
		first  string
	}{
		{"V1 at least 20 probes a day", 5, 0, 20, "00:00"},
		{"24 probes, one an hour", 24, 0, 24, "00:00"},
		{"a site's offset spreads the load", 24, 17 * time.Minute, 24, "00:17"},
		{"an offset wraps within one step", 24, 77 * time.Minute, 24, "00:17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ProbeTimes(day, tt.n, tt.offset, shanghai)
			if len(got) != tt.want {
				t.Fatalf("%d probes", len(got))
			}
			if f := got[0].Format("15:04"); f != tt.first {
				t.Errorf("first probe %s, want %s", f, tt.first)
			}
			for _, p := range got {
				if p.In(shanghai).Day() != 22 {
					t.Errorf("probe %v outside the day", p)
				}
			}
		})
	}
}

func TestMonthOfAcrossTimeZones(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC), "2026-12"}, // 00:30 on Dec 1 in Shanghai
		{time.Date(2026, 11, 30, 15, 59, 0, 0, time.UTC), "2026-11"},
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), "2027-01"},
	}
	for _, tt := range tests {
		if got := MonthOf(tt.at, shanghai); got != tt.want {
			t.Errorf("MonthOf(%v) = %s, want %s", tt.at, got, tt.want)
		}
	}
}
