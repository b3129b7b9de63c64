package compliance

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Verdict is one condition's status, reason and message.
type Verdict struct {
	Type    string
	Status  metav1.ConditionStatus
	Reason  string
	Message string
}

// Verdicts are the record's conditions at now.
func Verdicts(rec Record, avail *sgv1.AvailabilityStatus, now time.Time, loc *time.Location) []Verdict {
	return []Verdict{
		compliant(rec, avail),
		rectification(rec),
		consolidation(rec, now.In(loc).Year()),
		ticketsOverdue(rec, now),
	}
}

// compliant: the last full month passed, no ticket is open and the V1
// window holds. Unknown until a run has completed.
func compliant(rec Record, avail *sgv1.AvailabilityStatus) Verdict {
	v := Verdict{Type: sgv1.ConditionCompliant}
	var problems []string
	if n := len(rec.Monthly); n > 0 && rec.Monthly[n-1].Verdict == sgv1.VerdictFail {
		problems = append(problems, fmt.Sprintf("month %s failed (run %s)", rec.Monthly[n-1].Month, rec.Monthly[n-1].Run))
	}
	if open := OpenTickets(rec.Tickets); open > 0 {
		problems = append(problems, fmt.Sprintf("%d rectification ticket(s) open (T9)", open))
	}
	if avail != nil && avail.Verdict == sgv1.VerdictFail {
		problems = append(problems, fmt.Sprintf("V1: %s%% of %d probes failed in 7 days", avail.FailureRate, avail.Probes))
	}
	switch {
	case len(problems) > 0:
		v.Status, v.Reason, v.Message = metav1.ConditionFalse, sgv1.ReasonNotCompliant, strings.Join(problems, "; ")
	case rec.Last == nil:
		v.Status, v.Reason, v.Message = metav1.ConditionUnknown, sgv1.ReasonNotInspected, "no inspection has completed yet"
	default:
		v.Status, v.Reason = metav1.ConditionTrue, sgv1.ReasonCompliant
		v.Message = fmt.Sprintf("last inspection %s: %s", rec.Last.Run, rec.Last.Verdict)
	}
	return v
}

// rectification: T8, two failing months in a row.
func rectification(rec Record) Verdict {
	v := Verdict{Type: sgv1.ConditionRectificationRequired, Status: metav1.ConditionFalse, Reason: sgv1.ReasonFewerThanTwoFailingMonths,
		Message: fmt.Sprintf("%d consecutive failing month(s)", rec.ConsecutiveFailingMonths)}
	if rec.ConsecutiveFailingMonths >= RectificationAfterMonths && len(rec.Monthly) > 0 {
		v.Status, v.Reason = metav1.ConditionTrue, sgv1.ReasonConsecutiveFailingMonths
		v.Message = fmt.Sprintf("T8: %d consecutive failing months (up to %s): the rectification takedown procedure starts",
			rec.ConsecutiveFailingMonths, rec.Monthly[len(rec.Monthly)-1].Month)
	}
	return v
}

// consolidation: T8, more than three failing months in the calendar year.
func consolidation(rec Record, year int) Verdict {
	n := FailingMonthsIn(rec.Monthly, year)
	v := Verdict{Type: sgv1.ConditionConsolidationRecommended, Status: metav1.ConditionFalse, Reason: sgv1.ReasonFewFailingMonths,
		Message: fmt.Sprintf("%d failing month(s) in %d", n, year)}
	if n > ConsolidationAfterMonths {
		v.Status, v.Reason = metav1.ConditionTrue, sgv1.ReasonManyFailingMonths
		v.Message = fmt.Sprintf("T8: %d failing months in %d (more than %d): close or merge the site", n, year, ConsolidationAfterMonths)
	}
	return v
}

// ticketsOverdue: T9, a severe problem not fixed within a day.
func ticketsOverdue(rec Record, now time.Time) Verdict {
	late := Overdue(rec.Tickets, now)
	v := Verdict{Type: sgv1.ConditionTicketsOverdue, Status: metav1.ConditionFalse, Reason: sgv1.ReasonNoneOverdue, Message: "no rectification ticket is overdue"}
	if len(late) > 0 {
		ids := make([]string, 0, len(late))
		for _, t := range late {
			ids = append(ids, t.ID)
		}
		v.Status, v.Reason = metav1.ConditionTrue, sgv1.ReasonOverdue
		v.Message = fmt.Sprintf("T9: %d ticket(s) open past their one-day limit: %s", len(late), strings.Join(ids, ", "))
	}
	return v
}
