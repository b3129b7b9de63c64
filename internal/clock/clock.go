// Package clock lets time-based rules (T4 30 days, T6 7 days, T7 3 months)
// run against an injected clock in tests.
package clock

import (
	"sync"
	"time"
)

// Shanghai is the platform's calendar: T3 counts calendar years, monthly
// results and notice dates are read there. A fixed UTC+8 stands in where
// the zoneinfo database is missing (China has no daylight saving).
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now is time.Now.
func (Real) Now() time.Time { return time.Now() }

// Offset is the wall clock moved by By: the fault suite's manager runs
// ahead to a rule's deadline (internal/faults).
type Offset struct{ By time.Duration }

// Now is time.Now plus the offset.
func (o Offset) Now() time.Time { return time.Now().Add(o.By) }

// Fake is a clock a test sets and advances.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake starts a fake clock at t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) { f.Set(f.Now().Add(d)) }
