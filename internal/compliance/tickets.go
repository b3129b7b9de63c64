package compliance

import (
	"slices"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/policy"
)

// vetoFamily is the check family that can find each veto: a run restricted
// to other families says nothing about it and closes no ticket for it.
var vetoFamily = map[string]sgv1.InspectionCheck{
	"V1": checkAvailabilityWindow, "V2": "homepage", "V3": "columns", "V4": "interaction", "V5": "security",
}

// foldTickets applies one run (T9): a veto the run found opens a ticket,
// due a day later, unless a ticket for it already covers the run's time;
// an open ticket the run looked for, opened before it, and no longer found
// is fixed by it (it closes once its result is also signed: CloseTickets).
// Replaying a run changes nothing.
func foldTickets(tickets []sgv1.RectificationTicket, run Run) []sgv1.RectificationTicket {
	found := map[string]sgv1.Veto{}
	for _, v := range run.Vetoes {
		found[v.ID] = v
	}
	at := metav1.NewTime(run.Completed)
	for i := range tickets {
		t := &tickets[i]
		veto := vetoOf(*t)
		if _, still := found[veto]; still || t.FixedAt != nil || !looked(run.Checks, veto) {
			continue
		}
		if before(t.OpenedAt.Time, t.OpenedBy, run.Completed, run.Name) {
			t.FixedAt, t.FixedBy = &at, run.Name
		}
	}
	for _, v := range run.Vetoes {
		if covered(tickets, v.ID, run) {
			continue
		}
		tickets = append(tickets, sgv1.RectificationTicket{
			ID: v.ID + "/" + run.Name, Problem: cut(v.ID+": "+v.Reason, sgv1.MaxTicketText),
			OpenedAt: at, DueBy: metav1.NewTime(run.Completed.Add(TicketDue)), OpenedBy: run.Name,
		})
	}
	return tickets
}

// covered: a ticket for the veto was open when the run completed (opened
// by it or before it, and not found fixed before it).
func covered(tickets []sgv1.RectificationTicket, veto string, run Run) bool {
	for _, t := range tickets {
		if vetoOf(t) != veto || before(run.Completed, run.Name, t.OpenedAt.Time, t.OpenedBy) {
			continue
		}
		if t.FixedAt == nil || !before(t.FixedAt.Time, t.FixedBy, run.Completed, run.Name) {
			return true
		}
	}
	return false
}

// CloseTickets files the department's signed results onto the tickets and
// closes each ticket whose result every level of the rectification chain
// signed and whose problem a later run no longer found (T9: the form is
// 整改结果 and the signatures; the next run alone never closes a ticket).
// It closes at the later of the two. A report in the middle of its chain,
// or rejected, files nothing.
func CloseTickets(tickets []sgv1.RectificationTicket, reports []sgv1.RectificationReport, levels []string) []sgv1.RectificationTicket {
	out := append([]sgv1.RectificationTicket(nil), tickets...)
	for i := range out {
		t := &out[i]
		if t.ResultSignedAt == nil {
			fileResult(t, reports, levels)
		}
		if t.ClosedAt == nil && t.ResultSignedAt != nil && t.FixedAt != nil {
			closed := *t.FixedAt
			if t.ResultSignedAt.After(closed.Time) {
				closed = *t.ResultSignedAt
			}
			t.ClosedAt, t.ClosedBy = &closed, t.FixedBy
		}
	}
	return boundTickets(out)
}

// fileResult copies the ticket's report once every level signed it.
func fileResult(t *sgv1.RectificationTicket, reports []sgv1.RectificationReport, levels []string) {
	i := slices.IndexFunc(reports, func(r sgv1.RectificationReport) bool { return r.Ticket == t.ID })
	if i < 0 || len(levels) == 0 {
		return
	}
	r := reports[i]
	_, rejected, missing := policy.ReadChain(r.Approvals, levels)
	if rejected != nil || len(missing) > 0 {
		return
	}
	var last *metav1.Time
	var signers []string
	for _, a := range r.Approvals {
		if a.Decision == sgv1.DecisionRejected {
			last, signers = nil, nil // an earlier round; this round's signatures follow
			continue
		}
		signers = append(signers, a.Level+" "+a.Approver)
		if a.Time != nil && (last == nil || a.Time.After(last.Time)) {
			last = a.Time
		}
	}
	if last == nil {
		return // undated signatures: the webhook stamps every one, so not a signed form
	}
	t.Result, t.ResultSigners, t.ResultSignedAt = cut(r.Result, sgv1.MaxTicketText), signers, last
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
		return veto != "V1" // a full run looks at everything but V1, which only the window judges
	}
	for _, c := range checks {
		if c == vetoFamily[veto] {
			return true
		}
	}
	return false
}

// boundTickets keeps every open ticket and the MaxClosedTickets newest
// closed ones, at most MaxTickets in all, oldest first.
func boundTickets(tickets []sgv1.RectificationTicket) []sgv1.RectificationTicket {
	var open, closed []sgv1.RectificationTicket
	for _, t := range tickets {
		if t.ClosedAt == nil {
			open = append(open, t)
		} else {
			closed = append(closed, t)
		}
	}
	sort.SliceStable(closed, func(i, j int) bool { return closed[i].ClosedAt.Before(closed[j].ClosedAt) })
	keep := min(max(sgv1.MaxTickets-len(open), 0), sgv1.MaxClosedTickets)
	if len(closed) > keep {
		closed = closed[len(closed)-keep:]
	}
	out := append(open, closed...)
	if len(out) == 0 {
		return nil
	}
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
