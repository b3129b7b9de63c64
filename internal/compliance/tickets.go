package compliance

import (
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// vetoFamily is the check family that can find each veto: a run restricted
// to other families says nothing about it and closes no ticket for it.
var vetoFamily = map[string]sgv1.InspectionCheck{
	"V1": "availability", "V2": "homepage", "V3": "columns", "V4": "interaction", "V5": "security",
}

// foldTickets applies one run (T9): a veto the run found opens a ticket,
// due a day later, unless a ticket for it already covers the run's time;
// an open ticket the run looked for, opened before it, and no longer found
// is closed by it. Replaying a run changes nothing.
func foldTickets(tickets []sgv1.RectificationTicket, run Run) []sgv1.RectificationTicket {
	found := map[string]sgv1.Veto{}
	for _, v := range run.Vetoes {
		found[v.ID] = v
	}
	at := metav1.NewTime(run.Completed)
	for i := range tickets {
		t := &tickets[i]
		veto := vetoOf(*t)
		if _, still := found[veto]; still || t.ClosedAt != nil || !looked(run.Checks, veto) {
			continue
		}
		if before(t.OpenedAt.Time, t.OpenedBy, run.Completed, run.Name) {
			t.ClosedAt, t.ClosedBy = &at, run.Name
		}
	}
	for _, v := range run.Vetoes {
		if covered(tickets, v.ID, run) {
			continue
		}
		tickets = append(tickets, sgv1.RectificationTicket{
			ID: v.ID + "/" + run.Name, Problem: cut(v.ID+": "+v.Reason, 512),
			OpenedAt: at, DueBy: metav1.NewTime(run.Completed.Add(TicketDue)), OpenedBy: run.Name,
		})
	}
	return tickets
}

// covered: a ticket for the veto was open when the run completed (opened
// by it or before it, and not closed before it).
func covered(tickets []sgv1.RectificationTicket, veto string, run Run) bool {
	for _, t := range tickets {
		if vetoOf(t) != veto || before(run.Completed, run.Name, t.OpenedAt.Time, t.OpenedBy) {
			continue
		}
		if t.ClosedAt == nil || !before(t.ClosedAt.Time, t.ClosedBy, run.Completed, run.Name) {
			return true
		}
	}
	return false
}

// vetoOf reads the veto id a ticket is about (its id starts with it).
func vetoOf(t sgv1.RectificationTicket) string {
	for i := range t.ID {
		if t.ID[i] == '/' {
			return t.ID[:i]
		}
	}
	return t.ID
}

func looked(checks []sgv1.InspectionCheck, veto string) bool {
	if len(checks) == 0 {
		return true
	}
	for _, c := range checks {
		if c == vetoFamily[veto] {
			return true
		}
	}
	return false
}

// boundTickets keeps every open ticket and the newest closed ones, at most
// MaxTickets in all, oldest first.
func boundTickets(tickets []sgv1.RectificationTicket) []sgv1.RectificationTicket {
	if len(tickets) <= sgv1.MaxTickets {
		return tickets
	}
	var open, closed []sgv1.RectificationTicket
	for _, t := range tickets {
		if t.ClosedAt == nil {
			open = append(open, t)
		} else {
			closed = append(closed, t)
		}
	}
	sort.SliceStable(closed, func(i, j int) bool { return closed[i].ClosedAt.Before(closed[j].ClosedAt) })
	keep := max(sgv1.MaxTickets-len(open), 0)
	if len(closed) > keep {
		closed = closed[len(closed)-keep:]
	}
	out := append(open, closed...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].OpenedAt.Before(&out[j].OpenedAt) })
	if len(out) > sgv1.MaxTickets {
		out = out[len(out)-sgv1.MaxTickets:]
	}
	return out
}

// Overdue lists the open tickets past their due time (T9).
func Overdue(tickets []sgv1.RectificationTicket, now time.Time) []sgv1.RectificationTicket {
	var out []sgv1.RectificationTicket
	for _, t := range tickets {
		if t.ClosedAt == nil && now.After(t.DueBy.Time) {
			out = append(out, t)
		}
	}
	return out
}

// OpenTickets counts tickets not closed yet.
func OpenTickets(tickets []sgv1.RectificationTicket) int {
	n := 0
	for _, t := range tickets {
		if t.ClosedAt == nil {
			n++
		}
	}
	return n
}
