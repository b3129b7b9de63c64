package compliance

import (
	"fmt"
	"strings"
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// V1 is judged on the 7-day window the availability prober keeps (≥20
// spaced probes a day, 15 s, fail at 5%), nowhere else: a run's own few
// probes are evidence, never a veto (issue 16). The window enters the
// record as a run of its own purpose, one a day it is judged: a failing
// window is a V1 veto that fails its month and opens a ticket; a passing
// one is what fixes that ticket.

// PurposeAvailabilityWindow is the record's name for the prober's window;
// no InspectionRun has it.
const PurposeAvailabilityWindow sgv1.InspectionPurpose = "availability-window"

// checkAvailabilityWindow is the only check family that finds V1.
const checkAvailabilityWindow sgv1.InspectionCheck = "availability-window"

// windowRunPrefix names the window's runs: availability-<day>.
const windowRunPrefix = "availability-"

// WindowRun is the window's verdict on the day of its last probe, as a run
// of the record; nil while it has not judged (no probes, or not enough).
func WindowRun(a *sgv1.AvailabilityStatus, loc *time.Location) *Run {
	if a == nil || a.LastProbeTime == nil || a.Verdict == "" || !a.Sufficient {
		return nil
	}
	at := a.LastProbeTime.Time
	r := &Run{Name: windowRunPrefix + at.In(loc).Format("2006-01-02"), Purpose: PurposeAvailabilityWindow,
		Verdict: a.Verdict, Checks: []sgv1.InspectionCheck{checkAvailabilityWindow}, Completed: at}
	if a.Verdict == sgv1.VerdictFail {
		r.Vetoes = []sgv1.Veto{{ID: "V1", Reason: fmt.Sprintf("V1: %d of %d probes over 7 days failed (%s%%, fail at 5%%)", a.Failed, a.Probes, a.FailureRate)}}
	}
	return r
}

func isWindowRun(r Run) bool { return r.Purpose == PurposeAvailabilityWindow }

// fromWindow says a month's result came from a failing window: V1 failed
// that month, and no later run of the month undoes it.
func fromWindow(m sgv1.MonthlyResult) bool {
	return strings.HasPrefix(m.Run, windowRunPrefix) && m.Verdict == sgv1.VerdictFail
}
