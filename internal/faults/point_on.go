//go:build faultinject

package faults

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// Point kills the process with SIGKILL, the way a node or the OOM killer
// would (no deferred function runs), when it is the point named by
// SITEGROUP_CRASH_AT. It says so on stderr first, for the suite to read.
func Point(name string) {
	if name == "" || os.Getenv("SITEGROUP_CRASH_AT") != name {
		return
	}
	fmt.Fprintf(os.Stderr, "fault point %s: SIGKILL\n", name)
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	time.Sleep(time.Minute) // the signal is delivered before this returns
}

// ClockOffset is SITEGROUP_CLOCK_OFFSET (a Go duration, e.g. 745h) in
// nanoseconds: the suite moves a restarted manager's clock forward to a
// rule's deadline (T7's 30 days of notice) without waiting for it.
func ClockOffset() int64 {
	d, err := time.ParseDuration(os.Getenv("SITEGROUP_CLOCK_OFFSET"))
	if err != nil {
		return 0
	}
	return int64(d)
}
