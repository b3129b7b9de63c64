package workday_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai without the system's zoneinfo

	"sitegroup.io/operator/internal/workday"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at reads "2006-01-02 15:04:05" (or "2006-01-02") in Asia/Shanghai.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	layout := time.DateTime
	if len(s) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	v, err := time.ParseInLocation(layout, s, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// endOf is the last instant of a day in Asia/Shanghai: how Due is written.
func endOf(t *testing.T, day string) time.Time {
	t.Helper()
	return at(t, day).AddDate(0, 0, 1).Add(-time.Nanosecond)
}

// Warning kinds a test expects, matched against the message text.
const (
	provisional2027 = "2027: provisional"
	noData2028      = "2028: no holiday calendar"
)

func checkWarnings(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("warnings = %q, want %d matching %q", got, len(want), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warnings[%d] = %q, want it to start with %q", i, got[i], want[i])
		}
	}
}

func TestIsWorkday(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		day      string
		want     bool
		warnings []string
	}{
		{"2026-01-01", false, nil}, // 元旦, Thursday
		{"2026-01-03", false, nil}, // 元旦, Saturday
		{"2026-01-04", true, nil},  // Sunday, make-up working day
		{"2026-01-05", true, nil},
		{"2026-02-13", true, nil},  // Friday before the Spring Festival
		{"2026-02-14", true, nil},  // Saturday, make-up working day
		{"2026-02-15", false, nil}, // 春节 starts, Sunday
		{"2026-02-23", false, nil}, // 春节 ends, Monday
		{"2026-02-24", true, nil},
		{"2026-02-28", true, nil},  // Saturday, make-up working day
		{"2026-03-07", false, nil}, // ordinary Saturday
		{"2026-04-06", false, nil}, // 清明节, Monday
		{"2026-05-05", false, nil}, // 劳动节, Tuesday
		{"2026-05-09", true, nil},  // Saturday, make-up working day
		{"2026-06-19", false, nil}, // 端午节, Friday
		{"2026-09-20", true, nil},  // Sunday, make-up working day for 国庆节
		{"2026-09-25", false, nil}, // 中秋节, Friday
		{"2026-10-07", false, nil}, // 国庆节, Wednesday
		{"2026-10-08", true, nil},
		{"2026-10-10", true, nil}, // Saturday, make-up working day
		{"2026-10-11", false, nil},
		{"2027-02-08", false, []string{provisional2027}}, // 正月初三, statutory
		{"2027-02-09", true, []string{provisional2027}},  // the official arrangement may rest; provisional data cannot know
		{"2027-05-03", true, []string{provisional2027}},  // no substitute rest day for 5月1–2日 yet
		{"2028-01-03", true, []string{noData2028}},
		{"2028-01-01", false, []string{noData2028}}, // Saturday
	}
	for _, tt := range tests {
		got, warnings := cal.IsWorkday(at(t, tt.day).Add(10 * time.Hour))
		if got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.want)
		}
		checkWarnings(t, warnings, tt.warnings...)
	}
}

// The day is Shanghai's, not the caller's: 2026-02-14 16:30 UTC is already
// 2026-02-15, the first day of the Spring Festival, in Shanghai.
func TestIsWorkdayReadsShanghaiDay(t *testing.T) {
	if got, _ := workday.Embedded().IsWorkday(time.Date(2026, 2, 14, 16, 30, 0, 0, time.UTC)); got {
		t.Error("2026-02-14 16:30 UTC (2026-02-15 00:30 in Shanghai) counted as a working day")
	}
}

func TestAddWorkdays(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		name     string
		received string
		n        int
		due      string
		warnings []string
	}{
		// The convention: the day of receipt never counts.
		{"working day 15:00, 1 day: end of next working day", "2026-03-11 15:00:00", workday.ErrorReportAnswerDays, "2026-03-12", nil},
		{"working day 00:01, 1 day: still the next working day", "2026-03-11 00:01:00", 1, "2026-03-12", nil},
		{"Friday, 1 day: Monday", "2026-03-13 09:00:00", 1, "2026-03-16", nil},
		{"0 days: end of the day of receipt", "2026-03-11 15:00:00", 0, "2026-03-11", nil},
		{"negative counts as 0", "2026-03-11 15:00:00", -3, "2026-03-11", nil},

		// Spring Festival 2026: 2/14 (Sat) works, 2/15–2/23 off, 2/28 (Sat) works.
		{"Fri 2/13, 1 day: the make-up Saturday", "2026-02-13 16:00:00", workday.ErrorReportForwardDays, "2026-02-14", nil},
		{"make-up Sat 2/14, 1 day: first day after the holiday", "2026-02-14 09:00:00", workday.ErrorReportAnswerDays, "2026-02-24", nil},
		{"Sat 2/14 late evening, 1 day", "2026-02-14 23:59:59", 1, "2026-02-24", nil},
		{"received during the holiday, 1 day", "2026-02-18 11:00:00", 1, "2026-02-24", nil},
		{"received on the last holiday day, 1 day", "2026-02-23 11:00:00", 1, "2026-02-24", nil},
		{"Thu 2/12, 7 days: ends on the make-up Sat 2/28", "2026-02-12 10:00:00", workday.MessageAnswerDays, "2026-02-28", nil},
		{"Thu 2/12, 15 days (complex)", "2026-02-12 10:00:00", workday.ComplexMessageAnswerDays, "2026-03-11", nil},
		{"Fri 2/13, 6 days", "2026-02-13 10:00:00", 6, "2026-02-28", nil},
		{"Fri 2/13, 7 days: past the make-up Sat 2/28 and Sun 3/1", "2026-02-13 10:00:00", 7, "2026-03-02", nil},

		// New Year 2026: 1/1–1/3 off, Sun 1/4 works.
		{"New Year's Eve 2025, 1 day: Sun 1/4", "2025-12-31 17:00:00", 1, "2026-01-04", nil}, // 2025 itself is not counted, so no warning
		{"Sat 1/3 (holiday), 1 day: Sun 1/4", "2026-01-03 10:00:00", 1, "2026-01-04", nil},
		{"Sun 1/4 (make-up), 1 day: Mon 1/5", "2026-01-04 10:00:00", 1, "2026-01-05", nil},

		// 中秋节 9/25–27 and 国庆节 10/1–7: Sun 9/20 and Sat 10/10 work.
		{"Fri 9/18, 1 day: the make-up Sunday 9/20", "2026-09-18 15:00:00", 1, "2026-09-20", nil},
		{"Sat 9/19, 1 day: the make-up Sunday 9/20", "2026-09-19 15:00:00", 1, "2026-09-20", nil},
		{"Fri 9/18, 7 days", "2026-09-18 15:00:00", workday.MessageAnswerDays, "2026-09-29", nil},
		{"Fri 9/18, 15 days (complex)", "2026-09-18 15:00:00", workday.ComplexMessageAnswerDays, "2026-10-15", nil},
		{"Thu 9/24, 7 days: across both holidays and the make-up Sat 10/10", "2026-09-24 15:00:00", workday.MessageAnswerDays, "2026-10-12", nil},
		{"Thu 9/24, 15 days (complex)", "2026-09-24 15:00:00", workday.ComplexMessageAnswerDays, "2026-10-22", nil},
		{"Wed 9/30, 1 day: after the Golden Week", "2026-09-30 15:00:00", 1, "2026-10-08", nil},
		{"Fri 10/9, 1 day: the make-up Saturday 10/10", "2026-10-09 15:00:00", 1, "2026-10-10", nil},
		{"Sat 10/10, 1 day: Monday", "2026-10-10 15:00:00", 1, "2026-10-12", nil},

		// Into years that are provisional or have no data.
		{"Thu 2026-12-31, 1 day: into provisional 2027", "2026-12-31 15:00:00", 1, "2027-01-04", []string{provisional2027}},
		{"Thu 2027-02-04, 1 day: provisional Spring Festival 2/5–2/8", "2027-02-04 15:00:00", 1, "2027-02-09", []string{provisional2027}},
		{"Fri 2027-12-31, 1 day: into 2028, no data", "2027-12-31 15:00:00", 1, "2028-01-03", []string{noData2028}},
		{"Mon 2027-12-20, 15 days: 2027 and 2028", "2027-12-20 15:00:00", 15, "2028-01-10", []string{provisional2027, noData2028}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.AddWorkdays(at(t, tt.received), tt.n)
			if want := endOf(t, tt.due); !got.Due.Equal(want) {
				t.Errorf("AddWorkdays(%s, %d).Due = %s, want %s", tt.received, tt.n, got.Due.In(shanghai), want)
			}
			checkWarnings(t, got.Warnings, tt.warnings...)
		})
	}
}

func TestDeadlineBoundary(t *testing.T) {
	cal := workday.Embedded()
	// An error report forwarded on Friday 2026-02-13 is due by the end of
	// Saturday 2026-02-14.
	deadline := cal.AddWorkdays(at(t, "2026-02-13 16:00:00"), workday.ErrorReportAnswerDays)
	tests := []struct {
		name  string
		reply time.Time
		met   bool
		late  int // WorkdaysBetween(Due, reply)
	}{
		{"exactly at the deadline", deadline.Due, true, 0},
		{"one second after", deadline.Due.Add(time.Second), false, 1}, // during the holiday: within the next working day
		{"23:59:59 of the due day", at(t, "2026-02-14 23:59:59"), true, 0},
		{"00:00:00 the next day", at(t, "2026-02-15 00:00:00"), false, 1},
		{"first working day after the holiday", at(t, "2026-02-24 09:00:00"), false, 1},
		{"second working day after the holiday", at(t, "2026-02-25 09:00:00"), false, 2},
		{"on the make-up Saturday 2/28", at(t, "2026-02-28 09:00:00"), false, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deadline.Met(tt.reply); got != tt.met {
				t.Errorf("Met(%s) = %v, want %v", tt.reply.In(shanghai), got, tt.met)
			}
			late := cal.WorkdaysBetween(deadline.Due, tt.reply)
			if late.Days != tt.late {
				t.Errorf("WorkdaysBetween(due, %s) = %d working days late, want %d", tt.reply.In(shanghai), late.Days, tt.late)
			}
			checkWarnings(t, late.Warnings)
		})
	}
}

func TestWorkdaysBetween(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		name     string
		from, to string
		want     int
		warnings []string
	}{
		{"same day", "2026-03-11 09:00:00", "2026-03-11 18:00:00", 0, nil},
		{"to before from", "2026-03-12 09:00:00", "2026-03-11 18:00:00", 0, nil},
		{"next working day", "2026-03-11 15:00:00", "2026-03-12 09:00:00", 1, nil},
		{"Fri to Sat: the Saturday counts against Monday", "2026-03-13 15:00:00", "2026-03-14 09:00:00", 1, nil},
		{"Fri to Mon", "2026-03-13 15:00:00", "2026-03-16 09:00:00", 1, nil},
		{"Fri 2/13 to the make-up Sat 2/14", "2026-02-13 15:00:00", "2026-02-14 09:00:00", 1, nil},
		{"Fri 2/13 to a holiday day 2/16", "2026-02-13 15:00:00", "2026-02-16 09:00:00", 2, nil},
		{"Fri 2/13 to Tue 2/24", "2026-02-13 15:00:00", "2026-02-24 09:00:00", 2, nil},
		{"Thu 2/12 to the make-up Sat 2/28: 7, on time for a message", "2026-02-12 15:00:00", "2026-02-28 17:00:00", 7, nil},
		{"Thu 2/12 to Mon 3/2: 8, late for a message", "2026-02-12 15:00:00", "2026-03-02 09:00:00", 8, nil},
		{"Fri 9/18 to the make-up Sun 9/20", "2026-09-18 15:00:00", "2026-09-20 09:00:00", 1, nil},
		{"Wed 9/30 to Sat 10/10 across the Golden Week", "2026-09-30 15:00:00", "2026-10-10 09:00:00", 3, nil},
		{"Christmas 2026 into provisional 2027", "2026-12-25 15:00:00", "2027-01-08 09:00:00", 9, []string{provisional2027}},
		{"Christmas 2027 into 2028 without data", "2027-12-24 15:00:00", "2028-01-07 09:00:00", 10, []string{provisional2027, noData2028}},
		// 2026-12-31, 254 provisional working days in 2027 (261 weekdays less
		// 7 statutory days on weekdays), Mon 2028-01-03.
		{"2026 through 2028", "2026-12-30 15:00:00", "2028-01-03 09:00:00", 256, []string{provisional2027, noData2028}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.WorkdaysBetween(at(t, tt.from), at(t, tt.to))
			if got.Days != tt.want {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got.Days, tt.want)
			}
			checkWarnings(t, got.Warnings, tt.warnings...)
		})
	}
}

// AddWorkdays and WorkdaysBetween are inverse for every day of receipt in
// the data, so a reply counted at the deadline is on time and one a
// nanosecond later is one working day over.
func TestAddWorkdaysAndWorkdaysBetweenAgree(t *testing.T) {
	cal := workday.Embedded()
	for received := at(t, "2026-01-01 15:00:00"); received.Year() < 2027; received = received.AddDate(0, 0, 1) {
		for _, n := range []int{0, 1, 2, 7, 15} {
			deadline := cal.AddWorkdays(received, n)
			if got := cal.WorkdaysBetween(received, deadline.Due).Days; got != n {
				t.Fatalf("received %s, n %d: WorkdaysBetween(received, Due %s) = %d", received.Format(time.DateOnly), n, deadline.Due.Format(time.DateOnly), got)
			}
			if got := cal.WorkdaysBetween(received, deadline.Due.Add(time.Nanosecond)).Days; got != n+1 {
				t.Fatalf("received %s, n %d: a nanosecond after Due counts %d, want %d", received.Format(time.DateOnly), n, got, n+1)
			}
			if due, _ := cal.IsWorkday(deadline.Due); n > 0 && !due {
				t.Fatalf("received %s, n %d: due on %s, a rest day", received.Format(time.DateOnly), n, deadline.Due.Format(time.DateOnly))
			}
		}
	}
}

// The count over a whole year agrees with a total worked out by hand from
// the notice: 2026 has 261 weekdays; its holidays take 19 of them
// (元旦 2, 春节 6, 清明 1, 劳动节 3, 端午 1, 中秋 1, 国庆 5) and its
// make-up days add 6, so 248 working days.
func TestWorkdaysIn2026(t *testing.T) {
	got := workday.Embedded().WorkdaysBetween(at(t, "2025-12-31"), at(t, "2026-12-31"))
	if got.Days != 248 {
		t.Errorf("working days in 2026 = %d, want 248", got.Days)
	}
	checkWarnings(t, got.Warnings)
}

func TestWarningsSayWhy(t *testing.T) {
	got := workday.Embedded().WorkdaysBetween(at(t, "2027-12-24"), at(t, "2028-01-07")).Warnings
	want := []string{"全国年节及纪念日放假办法", "Monday to Friday"}
	for i, w := range want {
		if i >= len(got) || !strings.Contains(got[i], w) {
			t.Errorf("warnings = %q, want [%d] to mention %q", got, i, w)
		}
	}
	if slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "2026") }) {
		t.Errorf("warnings = %q name 2026, which is official", got)
	}
}
