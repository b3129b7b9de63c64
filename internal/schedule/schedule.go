// Package schedule decides when an inspection is due: five-field cron
// expressions read in the platform's time zone (Asia/Shanghai), with missed
// runs handled like a CronJob's starting deadline — a run that could not
// start within the deadline is skipped, never run late in a burst.
package schedule

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Schedule is a parsed cron expression in a time zone.
type Schedule struct {
	expr  string
	loc   *time.Location
	sched cron.Schedule
}

// Parse reads a five-field cron expression in the named time zone.
func Parse(expr, timeZone string) (Schedule, error) {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		return Schedule{}, fmt.Errorf("time zone %q: %w", timeZone, err)
	}
	s, err := parser.Parse(expr)
	if err != nil {
		return Schedule{}, fmt.Errorf("cron expression %q: %w", expr, err)
	}
	return Schedule{expr: expr, loc: loc, sched: s}, nil
}

// Next is the first scheduled time strictly after t.
func (s Schedule) Next(t time.Time) time.Time { return s.sched.Next(t.In(s.loc)) }

// maxMissed bounds the walk over missed times (a schedule every minute,
// an operator down for a long time).
const maxMissed = 10000

// Decision says whether a run is due now.
type Decision struct {
	// Due: start a run for ScheduledAt now.
	Due         bool
	ScheduledAt time.Time
	// Missed counts scheduled times since the last run that were skipped
	// (older than the starting deadline, or superseded by a later one).
	Missed int
	// NextAt is the next scheduled time after now, for the requeue.
	NextAt time.Time
}

// Decide finds the latest scheduled time after last and not after now. It
// is due when it is within the starting deadline of now; earlier ones are
// missed. last is the scheduled time of the last run (zero: the object's
// creation time should be passed instead).
func (s Schedule) Decide(last, now time.Time, startingDeadline time.Duration) Decision {
	d := Decision{NextAt: s.Next(now)}
	var latest time.Time
	n := 0
	for t := s.Next(last); !t.After(now); t = s.Next(t) {
		if !latest.IsZero() {
			d.Missed++
		}
		latest = t
		if n++; n > maxMissed {
			break
		}
	}
	if latest.IsZero() {
		return d
	}
	if now.Sub(latest) > startingDeadline {
		d.Missed++
		return d
	}
	d.Due, d.ScheduledAt = true, latest
	return d
}
