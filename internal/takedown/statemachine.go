// Package takedown decides a TakedownRequest's next phase (T1–T7) as a pure
// function of the request, the policy in force, what the operator observed
// and the time, so every transition is table-tested with an injected clock.
package takedown

import (
	"fmt"
	"strings"
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/policy"
)

// Day is the unit of the policy's limits.
const Day = 24 * time.Hour

// Limits are the policy values a takedown is held to.
type Limits struct {
	MaxTemporaryDays    int32
	ReturnWindowDays    int32
	PermanentNoticeDays int32
	DeregistrationDays  int32
	// TakedownLevels must all approve the takedown (T1); ReturnLevels the return (T6).
	TakedownLevels []string
	ReturnLevels   []string
}

// Facts are what the controller observed besides the request itself.
type Facts struct {
	Now time.Time
	// Prereturn is the outcome of the request's prereturn InspectionRun, if any (T6).
	Prereturn *RunOutcome
	// ArchiveVerified says the content archive was written, read back by
	// another pod, and its volume retained (T7).
	ArchiveVerified bool
	// ArchiveFailure says why the last archive attempt failed; the next one
	// starts at ArchiveRetryAt (T7: retried with backoff, nothing released).
	ArchiveFailure string
	ArchiveRetryAt time.Time
}

// RunOutcome is what a takedown needs to know of an InspectionRun.
type RunOutcome struct {
	Name    string
	Phase   sgv1.InspectionPhase
	Verdict sgv1.Verdict
}

// Decision is the next state and what to do to reach it.
type Decision struct {
	Phase   sgv1.TakedownPhase
	Reason  string
	Message string
	// RequeueAt is when time alone will change the decision (zero: never).
	RequeueAt time.Time
	// StartPrereturn asks for the T6 inspection; StartArchive for the T7 archive.
	StartPrereturn, StartArchive bool
	// Warning marks a decision that deserves a Warning event (overdue).
	Warning bool
}

// InForce says the site is down (notice pages serve) in this phase.
func InForce(p sgv1.TakedownPhase) bool {
	switch p {
	case sgv1.TakedownActive, sgv1.TakedownReturning, sgv1.TakedownOverdue, sgv1.TakedownArchiving, sgv1.TakedownClosed:
		return true
	}
	return false
}

// SiteDown says a site whose open takedown is ref shows its notice page: a
// pending or approved takedown leaves the site serving (and inspected).
func SiteDown(ref *sgv1.TakedownReference) bool {
	return ref != nil && InForce(ref.Phase)
}

// Open says the takedown still counts as the site's one open takedown.
func Open(p sgv1.TakedownPhase) bool {
	switch p {
	case sgv1.TakedownRestored, sgv1.TakedownClosed, sgv1.TakedownRejected, sgv1.TakedownCancelled:
		return false
	}
	return true
}

// Next decides the phase that follows the request's current one.
func Next(t *sgv1.TakedownRequest, l Limits, f Facts) Decision {
	switch phase := t.Status.Phase; phase {
	case "", sgv1.TakedownPending:
		return pending(t, l, f)
	case sgv1.TakedownApproved:
		return approved(t, f)
	case sgv1.TakedownActive, sgv1.TakedownReturning, sgv1.TakedownOverdue:
		if t.Spec.Type == sgv1.TakedownPermanent {
			return noticePeriod(t, l, f)
		}
		return temporaryDown(t, l, f)
	case sgv1.TakedownArchiving:
		return archiving(t, l, f)
	case sgv1.TakedownClosed:
		return closed(t, l, f)
	default: // Restored, Rejected, Cancelled: final
		return Decision{Phase: phase, Reason: string(phase), Message: "final"}
	}
}

func pending(t *sgv1.TakedownRequest, l Limits, f Facts) Decision {
	if t.Spec.Cancel {
		return Decision{Phase: sgv1.TakedownCancelled, Reason: sgv1.ReasonCancelled, Message: "T1: withdrawn before it went live"}
	}
	signed, rejected, missing := policy.ReadChain(t.Spec.Approvals, l.TakedownLevels)
	if rejected != nil {
		return Decision{Phase: sgv1.TakedownRejected, Reason: sgv1.ReasonRejected, Message: fmt.Sprintf("T1: rejected at level %s by %s: %s", rejected.Level, rejected.Approver, rejected.Comment)}
	}
	if len(missing) > 0 {
		return Decision{Phase: sgv1.TakedownPending, Reason: sgv1.ReasonAwaitingApproval, Message: "T1: waiting for approval at level " + strings.Join(missing, ", ")}
	}
	d := approved(t, f)
	if d.Phase == sgv1.TakedownApproved {
		d.Message = "T1: approved at every level (" + strings.Join(signed, ", ") + "); " + d.Message
	}
	return d
}

func approved(t *sgv1.TakedownRequest, f Facts) Decision {
	if t.Spec.Cancel {
		return Decision{Phase: sgv1.TakedownCancelled, Reason: sgv1.ReasonCancelled, Message: "T1: withdrawn before it went live"}
	}
	start := t.Spec.Start.Time
	if f.Now.Before(start) {
		return Decision{Phase: sgv1.TakedownApproved, Reason: sgv1.ReasonWaitingForStart, Message: "goes live at " + stamp(start), RequeueAt: start}
	}
	return activated(t, f)
}

// activated is the first decision of a live takedown.
func activated(t *sgv1.TakedownRequest, f Facts) Decision {
	if t.Spec.Type == sgv1.TakedownPermanent {
		return Decision{Phase: sgv1.TakedownActive, Reason: sgv1.ReasonNoticeShown, Message: "T7: the closure notice replaces the site"}
	}
	return Decision{Phase: sgv1.TakedownActive, Reason: sgv1.ReasonNoticeShown, Message: "T5: the notice page replaces the site until " + stamp(t.Spec.End.Time), RequeueAt: t.Spec.End.Time}
}

// temporaryDown handles a temporary takedown that is live: the return (T6)
// or, past the planned end, Overdue (the site never returns unchecked).
func temporaryDown(t *sgv1.TakedownRequest, l Limits, f Facts) Decision {
	end := t.Spec.End.Time
	windowOpens := end.Add(-time.Duration(l.ReturnWindowDays) * Day)
	rr := t.Spec.ReturnRequest
	overdue := !f.Now.Before(end)
	waiting := func(reason, msg string, requeue time.Time) Decision {
		if overdue {
			return Decision{Phase: sgv1.TakedownOverdue, Reason: sgv1.ReasonOverdue, Warning: true,
				Message: fmt.Sprintf("T6: the planned return %s passed without a passed return check; the site stays down: %s", stamp(end), msg)}
		}
		phase := sgv1.TakedownActive
		if rr != nil {
			phase = sgv1.TakedownReturning
		}
		return Decision{Phase: phase, Reason: reason, Message: msg, RequeueAt: requeue}
	}
	if rr == nil {
		return waiting("NoticeShown", "T5: the notice page replaces the site; apply for the return from "+stamp(windowOpens), end)
	}
	if rr.FiledAt.Time.Before(windowOpens) {
		return Decision{Phase: sgv1.TakedownActive, Reason: sgv1.ReasonReturnTooEarly, RequeueAt: end,
			Message: fmt.Sprintf("T6: the return is applied for within the %d days before going live: file it on or after %s", l.ReturnWindowDays, stamp(windowOpens))}
	}
	run := f.Prereturn
	switch {
	case run == nil || run.Phase == "" || run.Phase == sgv1.InspectionPending || run.Phase == sgv1.InspectionRunning:
		d := waiting("PrereturnRunning", "T6: the prereturn inspection is running", end)
		d.StartPrereturn = run == nil
		return d
	case run.Phase == sgv1.InspectionFailed:
		return waiting("PrereturnInfrastructureFailure", "T6: the prereturn inspection "+run.Name+" could not run; refile the return to try again", end)
	case run.Verdict != sgv1.VerdictPass:
		return waiting("PrereturnFailed", "T6: the prereturn inspection "+run.Name+" failed; fix the site and refile the return", end)
	}
	_, rejected, missing := policy.ReadChain(rr.Approvals, l.ReturnLevels)
	switch {
	case rejected != nil:
		return waiting("ReturnRejected", fmt.Sprintf("T6: the return was rejected at level %s by %s: %s", rejected.Level, rejected.Approver, rejected.Comment), end)
	case len(missing) > 0:
		return waiting("AwaitingReturnApproval", "T6: the prereturn inspection passed; waiting for the return approval at level "+strings.Join(missing, ", "), end)
	}
	return Decision{Phase: sgv1.TakedownRestored, Reason: sgv1.ReasonRestored, Message: "T6: self-check, inspection " + run.Name + " and the approvals passed; the site is back"}
}

// noticePeriod shows a permanent closure's notice for the policy's days (T7).
func noticePeriod(t *sgv1.TakedownRequest, l Limits, f Facts) Decision {
	until := NoticeUntil(t, l)
	if f.Now.Before(until) {
		return Decision{Phase: sgv1.TakedownActive, Reason: sgv1.ReasonNoticeShown, RequeueAt: until,
			Message: fmt.Sprintf("T7: the closure notice is shown until %s; then the content is archived", stamp(until))}
	}
	return Decision{Phase: sgv1.TakedownArchiving, Reason: sgv1.ReasonArchiving, StartArchive: true, Message: "T7: archiving the content before anything is released"}
}

// archiving waits for the verified archive; then the site is closed and the
// deregistration deadline runs.
func archiving(t *sgv1.TakedownRequest, l Limits, f Facts) Decision {
	if !f.ArchiveVerified && f.ArchiveFailure != "" && f.Now.Before(f.ArchiveRetryAt) {
		return Decision{Phase: sgv1.TakedownArchiving, Reason: sgv1.ReasonArchiveFailed, Warning: true, RequeueAt: f.ArchiveRetryAt,
			Message: fmt.Sprintf("T7: the archive failed (%s); it is retried at %s, and nothing is released before a verified archive exists", f.ArchiveFailure, stamp(f.ArchiveRetryAt))}
	}
	if !f.ArchiveVerified {
		return Decision{Phase: sgv1.TakedownArchiving, Reason: sgv1.ReasonArchiving, StartArchive: true, Message: "T7: archiving the content before anything is released"}
	}
	d := closed(t, l, f)
	d.Message = "T7: closed; the archive is verified. " + d.Message
	return d
}

func closed(t *sgv1.TakedownRequest, l Limits, f Facts) Decision {
	due := DeregistrationDue(t, l)
	d := t.Spec.Deregistration
	done := d != nil && d.DomainCancelledAt != nil && d.ICPCancelledAt != nil
	switch {
	case done:
		return Decision{Phase: sgv1.TakedownClosed, Reason: sgv1.ReasonDeregistered, Message: "T7: closed; domain and ICP filing cancelled"}
	case f.Now.After(due):
		return Decision{Phase: sgv1.TakedownClosed, Reason: sgv1.ReasonDeregistrationOverdue, Warning: true,
			Message: "T7: the domain and ICP filing were due to be cancelled by " + stamp(due) + "; record spec.deregistration when done"}
	}
	return Decision{Phase: sgv1.TakedownClosed, Reason: sgv1.ReasonAwaitingDeregistration, RequeueAt: due,
		Message: "T7: cancel the domain and ICP filing by " + stamp(due) + " and record it in spec.deregistration"}
}

// NoticeUntil is the end of a permanent closure's notice period (T7).
func NoticeUntil(t *sgv1.TakedownRequest, l Limits) time.Time {
	return liveSince(t).Add(time.Duration(l.PermanentNoticeDays) * Day)
}

// DeregistrationDue is the T7 deadline for domain and ICP cancellation.
func DeregistrationDue(t *sgv1.TakedownRequest, l Limits) time.Time {
	return liveSince(t).Add(time.Duration(l.DeregistrationDays) * Day)
}

// liveSince is when the takedown went live: recorded, or its planned start.
func liveSince(t *sgv1.TakedownRequest) time.Time {
	if t.Status.ActivatedAt != nil {
		return t.Status.ActivatedAt.Time
	}
	return t.Spec.Start.Time
}

func stamp(t time.Time) string {
	return t.In(clock.Shanghai).Format("2006-01-02 15:04 MST")
}
