package schedule

import (
	"testing"
	"time"
)

func mustParse(t *testing.T, expr string) Schedule {
	t.Helper()
	s, err := Parse(expr, "Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseRefusesBadInput(t *testing.T) {
	if _, err := Parse("0 6 * *", "Asia/Shanghai"); err == nil {
		t.Error("four fields must be refused")
	}
	if _, err := Parse("0 6 * * *", "Mars/Olympus"); err == nil {
		t.Error("an unknown time zone must be refused")
	}
}

func TestDecide(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		if err != nil {
			panic(err)
		}
		return tm
	}
	hour := time.Hour
	tests := []struct {
		name      string
		expr      string
		last, now time.Time
		deadline  time.Duration
		due       bool
		scheduled time.Time
		missed    int
		next      time.Time
	}{
		{name: "daily 06:00 Shanghai: not yet", expr: "0 6 * * *", last: at("2026-11-21 06:00"), now: at("2026-11-22 05:59"), deadline: hour,
			next: at("2026-11-22 06:00")},
		{name: "daily 06:00 Shanghai: due at 06:00 Shanghai, 22:00 UTC the day before", expr: "0 6 * * *", last: at("2026-11-21 06:00"), now: at("2026-11-22 06:00"), deadline: hour,
			due: true, scheduled: at("2026-11-22 06:00"), next: at("2026-11-23 06:00")},
		{name: "within the starting deadline", expr: "0 6 * * *", last: at("2026-11-21 06:00"), now: at("2026-11-22 06:59"), deadline: hour,
			due: true, scheduled: at("2026-11-22 06:00")},
		{name: "past the starting deadline: missed, not run late", expr: "0 6 * * *", last: at("2026-11-21 06:00"), now: at("2026-11-22 07:01"), deadline: hour,
			missed: 1, next: at("2026-11-23 06:00")},
		{name: "three days down: one run now, two missed", expr: "0 6 * * *", last: at("2026-11-19 06:00"), now: at("2026-11-22 06:30"), deadline: hour,
			due: true, scheduled: at("2026-11-22 06:00"), missed: 2},
		{name: "monthly on the 1st at 02:00", expr: "0 2 1 * *", last: at("2026-11-01 02:00"), now: at("2026-12-01 02:10"), deadline: hour,
			due: true, scheduled: at("2026-12-01 02:00"), next: at("2027-01-01 02:00")},
		{name: "patrol early Feb/May/Aug/Nov: none in December", expr: "0 3 2 2,5,8,11 *", last: at("2026-11-02 03:00"), now: at("2026-12-31 23:00"), deadline: hour,
			next: at("2027-02-02 03:00")},
		{name: "quarterly self-check", expr: "0 4 15 1,4,7,10 *", last: at("2026-10-15 04:00"), now: at("2027-01-15 04:00"), deadline: hour,
			due: true, scheduled: at("2027-01-15 04:00"), next: at("2027-04-15 04:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.expr).Decide(tt.last, tt.now, tt.deadline)
			if d.Due != tt.due || d.Missed != tt.missed {
				t.Errorf("due=%v missed=%d, want %v %d", d.Due, d.Missed, tt.due, tt.missed)
			}
			if tt.due && !d.ScheduledAt.Equal(tt.scheduled) {
				t.Errorf("scheduled %v, want %v", d.ScheduledAt, tt.scheduled)
			}
			if !tt.next.IsZero() && !d.NextAt.Equal(tt.next) {
				t.Errorf("next %v, want %v", d.NextAt, tt.next)
			}
		})
	}
}
