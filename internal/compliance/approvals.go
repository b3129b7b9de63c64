package compliance

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// ApprovalRecords are the auditor's history entries of one chain of
// signatures: every approval and every rejection, dated, with its level,
// signer, written reference and comment. rule names the chain (S1 a site,
// T1 a takedown, T6 a return, T9 a rectification result); ref the object
// signed. A signature without a time (stamped by the webhook on every new
// one) has no place in a dated record and is left out.
func ApprovalRecords(rule, ref string, approvals []sgv1.Approval) []sgv1.ComplianceRecord {
	var out []sgv1.ComplianceRecord
	for _, a := range approvals {
		if a.Time == nil {
			continue
		}
		verb := "approved"
		if a.Decision == sgv1.DecisionRejected {
			verb = "rejected"
		}
		summary := fmt.Sprintf("%s: %s %s at level %s", rule, a.Approver, verb, a.Level)
		if a.Reference != "" {
			summary += " (" + a.Reference + ")"
		}
		if a.Comment != "" {
			summary += ": " + a.Comment
		}
		out = append(out, sgv1.ComplianceRecord{Time: *a.Time, Kind: sgv1.RecordApproval, Ref: ref, Summary: cut(summary, 512)})
	}
	return out
}

// TicketRecords are the history entries of the rectification tickets (T9):
// each ticket's opening and, once it closed, its closing.
func TicketRecords(tickets []sgv1.RectificationTicket) []sgv1.ComplianceRecord {
	var out []sgv1.ComplianceRecord
	for _, t := range tickets {
		out = append(out, sgv1.ComplianceRecord{Time: t.OpenedAt, Kind: sgv1.RecordRectification, Ref: t.ID,
			Summary: cut(fmt.Sprintf("T9: ticket opened by run %s: %s; due by %s", t.OpenedBy, t.Problem, stamp(t.DueBy)), 512)})
		if t.ClosedAt != nil {
			out = append(out, sgv1.ComplianceRecord{Time: *t.ClosedAt, Kind: sgv1.RecordRectification, Ref: t.ID,
				Summary: cut("T9: ticket closed: "+closing(t), 512)})
		}
	}
	return out
}

func closing(t sgv1.RectificationTicket) string {
	if t.ClosedBy != "" {
		return "run " + t.ClosedBy + " no longer finds the problem"
	}
	return "closed"
}

func stamp(t metav1.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }
