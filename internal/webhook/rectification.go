package webhook

import (
	"context"
	"fmt"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// The department's results of rectification tickets (T9, 政府网站问题整改
// 督办单): who filed a result and when is stamped from the authenticated
// user; a result answers a ticket the operator opened; once anyone signed
// it, it is the form that was signed and does not change; its signatures
// go up the policy's rectification chain like every other chain.

// reportOf is the report of a ticket in a list; nil when there is none.
func reportOf(reports []sgv1.RectificationReport, ticket string) *sgv1.RectificationReport {
	for i := range reports {
		if reports[i].Ticket == ticket {
			return &reports[i]
		}
	}
	return nil
}

// stampReports stamps who filed each new or revised result, and when, and
// the signatures a write adds; an unchanged result keeps its stamp, so
// none can be typed in.
func stampReports(old, cur []sgv1.RectificationReport, user string, now time.Time) {
	at := metav1.NewTime(now.UTC().Truncate(time.Second))
	for i := range cur {
		r := &cur[i]
		prev := reportOf(old, r.Ticket)
		if prev == nil || prev.Result != r.Result {
			r.FiledBy, r.FiledAt = user, &at
		} else {
			r.FiledBy, r.FiledAt = prev.FiledBy, prev.FiledAt
		}
		stampApprovals(approvalsOf(prev), r.Approvals, user, now)
	}
}

func approvalsOf(r *sgv1.RectificationReport) []sgv1.Approval {
	if r == nil {
		return nil
	}
	return r.Approvals
}

// rectificationReports checks the results a write files, revises, signs
// or removes (T9).
func (a Access) rectificationReports(ctx context.Context, old, site *sgv1.GovWebsite, levels []string, user authenticationv1.UserInfo) (field.ErrorList, error) {
	path := field.NewPath("spec", "rectificationReports")
	var errs field.ErrorList
	for i, r := range site.Spec.RectificationReports {
		at, prev := path.Index(i), reportOf(old.Spec.RectificationReports, r.Ticket)
		if prev == nil && ticketOf(old.Status.Tickets, r.Ticket) == nil {
			errs = append(errs, field.NotFound(at.Child("ticket"),
				fmt.Sprintf("T9: %s is not a ticket in status.tickets; a result answers a ticket an inspection opened", r.Ticket)))
			continue
		}
		if prev != nil && len(prev.Approvals) > 0 && prev.Result != r.Result {
			errs = append(errs, field.Forbidden(at.Child("result"),
				"T9: the result was signed as it stands; a signed form does not change (file what changed since in a new ticket's result)"))
		}
		more, err := a.signatures(ctx, at.Child("approvals"), approvalsOf(prev), r.Approvals, approvalsOf(prev), levels, site.Namespace, "T9", user)
		if err != nil {
			return nil, err
		}
		errs = append(errs, more...)
	}
	for _, r := range old.Spec.RectificationReports {
		t := ticketOf(old.Status.Tickets, r.Ticket)
		if reportOf(site.Spec.RectificationReports, r.Ticket) == nil && len(r.Approvals) > 0 && t != nil && t.ClosedAt == nil {
			errs = append(errs, field.Forbidden(path, fmt.Sprintf("T9: the signed result of ticket %s is part of its record while the ticket is open", r.Ticket)))
		}
	}
	return errs, nil
}

func ticketOf(tickets []sgv1.RectificationTicket, id string) *sgv1.RectificationTicket {
	for i := range tickets {
		if tickets[i].ID == id {
			return &tickets[i]
		}
	}
	return nil
}

// reportsChanged: the write touches a result or its signatures.
func reportsChanged(old, site *sgv1.GovWebsite) bool {
	return !equality.Semantic.DeepEqual(old.Spec.RectificationReports, site.Spec.RectificationReports)
}
