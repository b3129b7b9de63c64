package webhook

import (
	"context"
	"fmt"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/takedown"
)

// +kubebuilder:webhook:path=/mutate-sitegroup-io-v1alpha1-takedownrequest,mutating=true,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=takedownrequests,verbs=create;update,versions=v1alpha1,name=mtakedownrequest.sitegroup.io,admissionReviewVersions=v1
// +kubebuilder:webhook:path=/validate-sitegroup-io-v1alpha1-takedownrequest,mutating=false,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=takedownrequests,verbs=create;update,versions=v1alpha1,name=vtakedownrequest.sitegroup.io,admissionReviewVersions=v1

// TakedownWebhook holds takedowns to the policy (T1–T4) and to who writes
// what: it stamps each new approval with the authenticated user and the
// time, asks the API server whether that user may sign at the level (RBAC,
// approve on signers/<level>), keeps approvals append-only by position,
// freezes what the signers signed, and refuses a temporary takedown of a
// portal, a second temporary takedown in a calendar year, one longer than
// the policy allows, and a second open takedown of a site. Refusals name
// the rule and the numbers.
type TakedownWebhook struct {
	Client client.Reader
	Clock  clock.Clock
	Access
}

var (
	_ admission.Defaulter[*sgv1.TakedownRequest] = &TakedownWebhook{}
	_ admission.Validator[*sgv1.TakedownRequest] = &TakedownWebhook{}
)

// SetupTakedownWebhook registers the mutating and validating webhooks.
func SetupTakedownWebhook(mgr ctrl.Manager, c clock.Clock, access Access) error {
	w := &TakedownWebhook{Client: mgr.GetClient(), Clock: c, Access: access}
	return ctrl.NewWebhookManagedBy(mgr, &sgv1.TakedownRequest{}).WithDefaulter(w).WithValidator(w).Complete()
}

// Default stamps who asks for a new takedown and the approvals a write
// adds: approver and time come from the API server's authentication and
// the webhook's clock, never from the YAML.
func (w *TakedownWebhook) Default(ctx context.Context, t *sgv1.TakedownRequest) error {
	req, old, err := requestWithOld[sgv1.TakedownRequest](ctx)
	if err != nil {
		return err
	}
	user, now := req.UserInfo.Username, w.Clock.Now()
	if req.Operation == admissionv1.Create {
		requestedBy(t, user)
	} else {
		keepRequester(old, t)
	}
	stampApprovals(old.Spec.Approvals, t.Spec.Approvals, user, now)
	if t.Spec.ReturnRequest != nil {
		stampApprovals(returnApprovals(old), t.Spec.ReturnRequest.Approvals, user, now)
	}
	return nil
}

func returnApprovals(t *sgv1.TakedownRequest) []sgv1.Approval {
	if t.Spec.ReturnRequest == nil {
		return nil
	}
	return t.Spec.ReturnRequest.Approvals
}

// ValidateCreate checks a new takedown against the site, the policy and the
// site's other takedowns.
func (w *TakedownWebhook) ValidateCreate(ctx context.Context, t *sgv1.TakedownRequest) (admission.Warnings, error) {
	return nil, w.validate(ctx, &sgv1.TakedownRequest{}, t)
}

// ValidateUpdate checks the approvals added, what they froze and the period.
func (w *TakedownWebhook) ValidateUpdate(ctx context.Context, old, t *sgv1.TakedownRequest) (admission.Warnings, error) {
	return nil, w.validate(ctx, old, t)
}

// ValidateDelete allows deletion (the record stays in the site's history;
// the department's role has no delete).
func (w *TakedownWebhook) ValidateDelete(context.Context, *sgv1.TakedownRequest) (admission.Warnings, error) {
	return nil, nil
}

func (w *TakedownWebhook) validate(ctx context.Context, old, t *sgv1.TakedownRequest) error {
	req, err := admission.RequestFromContext(ctx)
	if err != nil {
		return err
	}
	p, err := policy.Get(ctx, w.Policy)
	if err != nil {
		return apierrors.NewForbidden(schema.GroupResource{Group: sgv1.GroupVersion.Group, Resource: "takedownrequests"}, t.Name, err)
	}
	spec := field.NewPath("spec")
	errs, err := w.signatures(ctx, spec.Child("approvals"), old.Spec.Approvals, t.Spec.Approvals, old.Spec.Approvals,
		policy.LevelNames(p, sgv1.ScopeTakedown), t.Namespace, "T1", req.UserInfo)
	if err != nil {
		return err
	}
	if t.Spec.ReturnRequest != nil {
		more, err := w.signatures(ctx, spec.Child("returnRequest", "approvals"), returnApprovals(old), t.Spec.ReturnRequest.Approvals, returnApprovals(old),
			policy.LevelNames(p, sgv1.ScopeReturn), t.Namespace, "T6", req.UserInfo)
		if err != nil {
			return err
		}
		errs = append(errs, more...)
	}
	errs = append(errs, frozenWhenSigned(old, t)...)
	errs = append(errs, duration(spec, t, p)...)
	if old.Name == "" { // creation: rules about the site and its other takedowns
		more, err := w.againstSite(ctx, spec, t, p)
		if err != nil {
			return err
		}
		errs = append(errs, more...)
	} else {
		errs = append(errs, requesterUnchanged(old, t)...)
		more, err := w.platformOnly(ctx, req.UserInfo, t.Namespace, "takedownrequests", []ownedField{{
			spec.Child("cancel"), !old.Spec.Cancel && t.Spec.Cancel && w.Operator != "" && old.Annotations[sgv1.AnnotationRequestedBy] == w.Operator,
			"T8: this rectification takedown was raised by the operator after failing months; the department it binds may not withdraw it",
		}})
		if err != nil {
			return err
		}
		errs = append(errs, more...)
	}
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: sgv1.GroupVersion.Group, Kind: "TakedownRequest"}, t.Name, errs)
}

// frozenWhenSigned refuses a change of what the signers signed (T1, T4):
// once a takedown carries a signature its reason, period and notice stay
// as signed; a different takedown is a new request.
func frozenWhenSigned(old, t *sgv1.TakedownRequest) field.ErrorList {
	if len(old.Spec.Approvals) == 0 {
		return nil
	}
	spec := field.NewPath("spec")
	o, n := old.Spec, t.Spec
	var errs field.ErrorList
	for _, f := range []struct {
		path    *field.Path
		changed bool
	}{
		{spec.Child("reason"), o.Reason != n.Reason},
		{spec.Child("start"), !o.Start.Equal(&n.Start)},
		{spec.Child("end"), !equalTimes(o.End, n.End)},
		{spec.Child("notice"), o.Notice != n.Notice},
	} {
		if f.changed {
			errs = append(errs, field.Forbidden(f.path,
				fmt.Sprintf("T1, T4: %s is frozen once the takedown is signed (what the signers approved stays as approved); file a new request for a different takedown", f.path)))
		}
	}
	return errs
}

func equalTimes(a, b *metav1.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(b)
}

// duration checks T4 against the policy in force.
func duration(spec *field.Path, t *sgv1.TakedownRequest, p sgv1.SiteGroupPolicySpec) field.ErrorList {
	if t.Spec.Type != sgv1.TakedownTemporary || t.Spec.End == nil {
		return nil
	}
	max := time.Duration(p.Takedown.MaxTemporaryDays) * takedown.Day
	if d := t.Spec.End.Sub(t.Spec.Start.Time); d > max {
		return field.ErrorList{field.Invalid(spec.Child("end"), t.Spec.End.Format(time.RFC3339),
			fmt.Sprintf("T4: a temporary takedown lasts at most %d days under the policy in force; this one lasts %s (%s to %s)",
				p.Takedown.MaxTemporaryDays, days(d), day(t.Spec.Start.Time), day(t.Spec.End.Time)))}
	}
	return nil
}

// againstSite checks T2, T3 and the one open takedown per site.
func (w *TakedownWebhook) againstSite(ctx context.Context, spec *field.Path, t *sgv1.TakedownRequest, p sgv1.SiteGroupPolicySpec) (field.ErrorList, error) {
	var errs field.ErrorList
	site := &sgv1.GovWebsite{}
	if err := w.Client.Get(ctx, client.ObjectKey{Namespace: t.Namespace, Name: t.Spec.SiteRef.Name}, site); err != nil {
		if apierrors.IsNotFound(err) {
			return field.ErrorList{field.NotFound(spec.Child("siteRef", "name"), t.Spec.SiteRef.Name)}, nil
		}
		return nil, err
	}
	// T2 asks what the site is in force: a kind changed but not yet signed (S8) is not.
	if t.Spec.Type == sgv1.TakedownTemporary && identity.InForce(site).Spec.SiteKind == sgv1.SiteKindPortal {
		errs = append(errs, field.Forbidden(spec.Child("type"),
			fmt.Sprintf("T2: site %s is a portal (门户网站); a portal may not be taken down temporarily", site.Name)))
	}
	list := &sgv1.TakedownRequestList{}
	if err := w.Client.List(ctx, list, client.InNamespace(t.Namespace)); err != nil {
		return nil, err
	}
	year := takedown.CalendarYear(t.Spec.Start.Time)
	var used []string
	for _, o := range list.Items {
		if o.Spec.SiteRef.Name != t.Spec.SiteRef.Name || o.Name == t.Name {
			continue
		}
		if takedown.Open(o.Status.Phase) {
			errs = append(errs, field.Forbidden(spec.Child("siteRef"),
				fmt.Sprintf("T1: site %s already has an open takedown %s (phase %s); one open takedown per site", site.Name, o.Name, phaseName(o.Status.Phase))))
		}
		if o.Spec.Type == sgv1.TakedownTemporary && o.Status.ActivatedAt != nil && takedown.CalendarYear(o.Status.ActivatedAt.Time) == year {
			until := "now"
			if o.Status.RestoredAt != nil {
				until = day(o.Status.RestoredAt.Time)
			}
			used = append(used, fmt.Sprintf("takedown %s, %s to %s", o.Name, day(o.Status.ActivatedAt.Time), until))
		}
	}
	// T3 counts from the site's own record too: a request can be deleted,
	// the site's status keeps the takedowns that went live this year.
	recorded := int32(0)
	if q := site.Status.TakedownQuota; q != nil && q.Year == int32(year) {
		recorded = q.Used
	}
	if t.Spec.Type == sgv1.TakedownTemporary && max(int32(len(used)), recorded) >= *p.Takedown.TemporaryPerYear {
		msg := fmt.Sprintf("T3: site %s may have %d temporary takedown(s) in %d", site.Name, *p.Takedown.TemporaryPerYear, year)
		switch {
		case len(used) > 0:
			msg = fmt.Sprintf("T3: site %s already had a temporary takedown in %d (%s)", site.Name, year, used[0])
		case recorded > 0:
			msg = fmt.Sprintf("T3: site %s already had %d temporary takedown(s) in %d (the site's record, status.takedownQuota)", site.Name, recorded, year)
		}
		errs = append(errs, field.Forbidden(spec.Child("type"), msg))
	}
	return errs, nil
}

func phaseName(p sgv1.TakedownPhase) string {
	if p == "" {
		return "New"
	}
	return string(p)
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func days(d time.Duration) string {
	whole := d / takedown.Day
	if d%takedown.Day == 0 {
		return fmt.Sprintf("%d days", whole)
	}
	return fmt.Sprintf("more than %d days", whole)
}
