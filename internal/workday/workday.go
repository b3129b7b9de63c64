// Package workday counts working days (工作日) on the official Chinese
// calendar, for the reply deadlines auditors check (RULES.md §4): netizen
// error reports (我为政府网站找错) are forwarded within 1 working day and
// answered within 1 working day (004 §五, Nanjing 2017); public messages are
// answered within 7 working days, 15 for complex ones (002 (四), Panzhihua
// 2017).
//
// A working day is Monday to Friday, except the public holidays the State
// Council publishes each year, plus the weekend days it declares working
// days to make up for moved rest days (调休上班). Those come from year files
// embedded from calendars/ (one file per year, each naming its source and
// whether it is official or provisional); a caller may lay further year files
// over them, for example from a ConfigMap when a new year's notice is out
// before a release ships it.
//
// No result is a silent guess: a computation that touches a provisional
// year, or a year without a file (counted Monday to Friday), carries a
// warning naming the year and why, for the caller to show next to the result.
//
// Days are read in Asia/Shanghai, whatever the location of the times passed
// in. A Calendar is immutable and safe for concurrent use.
package workday

import (
	"fmt"
	"slices"
	"time"

	"sitegroup.io/operator/internal/clock"
)

// Reply periods in working days, as the notices set them (RULES.md §4).
const (
	// ErrorReportForwardDays: the city information centre forwards a
	// netizen error report to the site's organizer within 1 working day
	// (004 §五: 在1个工作日内转有关网站主办单位处理).
	ErrorReportForwardDays = 1
	// ErrorReportAnswerDays: the organizer answers it within 1 working day
	// of receiving it (004 §五: 有关单位要在1个工作日内答复).
	ErrorReportAnswerDays = 1
	// MessageAnswerDays: a public message gets its answer within 7 working
	// days (002 (四): 一般要在7个工作日内反馈处理意见).
	MessageAnswerDays = 7
	// ComplexMessageAnswerDays: a complex one within 15 (002 (四):
	// 情况复杂的可延长至15个工作日).
	ComplexMessageAnswerDays = 15
)

// Calendar says which days are working days. Build it with Embedded or Load.
type Calendar struct {
	files map[int]File // by year
	// days holds every date some file lists: false for a holiday, true for
	// a make-up working day. Any other date is a working day from Monday
	// to Friday.
	days map[date]bool
}

// Deadline is when something received must be done by.
type Deadline struct {
	// Due is the last instant of the period: 23:59:59.999999999 of its last
	// working day, Asia/Shanghai.
	Due time.Time
	// Warnings name each provisional year, or year without data, that the
	// period crossed; empty when every day was counted from official data.
	Warnings []string
}

// Met reports whether a reply at reply is on time: at or before Due.
func (d Deadline) Met(reply time.Time) bool { return !reply.After(d.Due) }

// Count is a number of working days.
type Count struct {
	Days int
	// Warnings as in Deadline.
	Warnings []string
}

// IsWorkday reports whether the Asia/Shanghai calendar day that contains day
// is a working day, with a warning when that year is provisional or has no
// data (then Monday to Friday are working days).
func (c *Calendar) IsWorkday(day time.Time) (workday bool, warnings []string) {
	d := dateOf(day)
	return c.isWorkday(d), c.warnings(d, d)
}

// AddWorkdays returns the deadline for something received at received that
// must be done within n working days.
//
// The notices say "within n working days" (在n个工作日内) without saying
// when counting starts, so it follows the general rule for periods in the
// Civil Code (民法典 第二百零一条、第二百零三条): the day the period starts is
// not counted, counting begins the next day, and the last day ends at 24:00.
// Hence the day of receipt never counts, whatever the hour and whether or not
// it is a working day; the period is the n working days after it, and Due is
// the end of the nth. For example, with n = 1:
//
//   - received Wednesday 15:00 (an ordinary working day): due by the end of
//     Thursday, the next working day;
//   - received Friday 2026-02-13: due by the end of Saturday 2026-02-14, a
//     make-up working day before the Spring Festival;
//   - received Saturday 2026-02-14: due by the end of Tuesday 2026-02-24, the
//     first working day after the holiday (2026-02-15 to 23);
//   - received on a rest day: due by the end of the first working day after it.
//
// n = 0 gives the end of the day of receipt; a negative n counts as 0.
// Warnings cover the days after the day of receipt through the due day.
func (c *Calendar) AddWorkdays(received time.Time, n int) Deadline {
	start := dateOf(received)
	day := start
	for left := n; left > 0; {
		day = day.next()
		if c.isWorkday(day) {
			left--
		}
	}
	deadline := Deadline{Due: time.Date(day.year, day.month, day.day, 23, 59, 59, int(time.Second-1), clock.Shanghai)}
	if day != start {
		deadline.Warnings = c.warnings(start.next(), day)
	}
	return deadline
}

// WorkdaysBetween counts working days from from to to in the convention of
// AddWorkdays, so that the two are inverse: the count is the smallest n for
// which to is no later than AddWorkdays(from, n).Due. Concretely it is the
// number of working days after from's day up to and including to's day, plus
// one when to's day is a rest day (a reply on Sunday came within the next
// working day, not within the last one). It is 0 when to falls on from's day
// or earlier.
//
// So, for a message received at received with a period of n working days:
//
//   - WorkdaysBetween(received, reply).Days is how many working days the
//     reply took, and the reply is on time exactly when that is at most n;
//   - WorkdaysBetween(deadline.Due, reply).Days is how many working days late
//     it was: 0 when on time, 1 for a reply during (or on the rest days just
//     before) the first working day after the due day, and so on.
//
// Warnings cover the days after from's day through to's day.
func (c *Calendar) WorkdaysBetween(from, to time.Time) Count {
	start, end := dateOf(from), dateOf(to)
	if !start.before(end) {
		return Count{}
	}
	n := 0
	for d := start.next(); !end.before(d); d = d.next() {
		if c.isWorkday(d) {
			n++
		}
	}
	if !c.isWorkday(end) {
		n++
	}
	return Count{Days: n, Warnings: c.warnings(start.next(), end)}
}

// Year returns (a copy of) the year file in force for year, to show its
// source and status; false when the calendar has no data for that year.
func (c *Calendar) Year(year int) (File, bool) {
	f, ok := c.files[year]
	f.Holidays, f.MakeUpWorkdays = slices.Clone(f.Holidays), slices.Clone(f.MakeUpWorkdays)
	return f, ok
}

func (c *Calendar) isWorkday(d date) bool {
	if workday, ok := c.days[d]; ok {
		return workday
	}
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// warnings names every year from first's to last's that is provisional or
// has no file, in year order; nil when there is none.
func (c *Calendar) warnings(first, last date) []string {
	var warnings []string
	for year := first.year; year <= last.year; year++ {
		f, ok := c.files[year]
		switch {
		case !ok:
			warnings = append(warnings, fmt.Sprintf("%d: no holiday calendar; Monday to Friday were counted as working days, without public holidays or make-up working days", year))
		case f.Status == Provisional:
			warnings = append(warnings, fmt.Sprintf("%d: provisional holiday calendar: %s", year, f.Note))
		}
	}
	return warnings
}

// date is a calendar day in Asia/Shanghai.
type date struct {
	year  int
	month time.Month
	day   int
}

func dateOf(t time.Time) date {
	y, m, d := t.In(clock.Shanghai).Date()
	return date{y, m, d}
}

// noon is the date's noon in UTC: safe for day arithmetic and weekdays.
func (d date) noon() time.Time { return time.Date(d.year, d.month, d.day, 12, 0, 0, 0, time.UTC) }

func (d date) next() date {
	y, m, day := d.noon().AddDate(0, 0, 1).Date()
	return date{y, m, day}
}

func (d date) before(o date) bool { return d.noon().Before(o.noon()) }

func (d date) weekday() time.Weekday { return d.noon().Weekday() }

func (d date) String() string { return d.noon().Format(time.DateOnly) }
