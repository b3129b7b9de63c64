package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/takedown"
)

// +kubebuilder:webhook:path=/mutate-sitegroup-io-v1alpha1-takedownrequest,mutating=true,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=takedownrequests,verbs=create;update,versions=v1alpha1,name=mtakedownrequest.sitegroup.io,admissionReviewVersions=v1
// +kubebuilder:webhook:path=/validate-sitegroup-io-v1alpha1-takedownrequest,mutating=false,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=takedownrequests,verbs=create;update,versions=v1alpha1,name=vtakedownrequest.sitegroup.io,admissionReviewVersions=v1

// TakedownWebhook holds takedowns to the policy (T1–T4): it stamps each new
// approval with the authenticated user and the time, refuses a signer
// outside the level's group, a temporary takedown of a portal, a second
// temporary takedown in a calendar year, one longer than the policy allows,
// and a second open takedown of a site. Refusals name the rule and the numbers.
type TakedownWebhook struct {
	Client client.Reader
	Clock  clock.Clock
}

var (
	_ admission.Defaulter[*sgv1.TakedownRequest] = &TakedownWebhook{}
	_ admission.Validator[*sgv1.TakedownRequest] = &TakedownWebhook{}
)

// SetupTakedownWebhook registers the mutating and validating webhooks.
func SetupTakedownWebhook(mgr ctrl.Manager, c clock.Clock) error {
	w := &TakedownWebhook{Client: mgr.GetClient(), Clock: c}
	return ctrl.NewWebhookManagedBy(mgr, &sgv1.TakedownRequest{}).WithDefaulter(w).WithValidator(w).Complete()
}

// Default stamps the approvals this request adds: approver and time come
// from the API server's authentication, never from the YAML.
func (w *TakedownWebhook) Default(ctx context.Context, t *sgv1.TakedownRequest) error {
	req, err := admission.RequestFromContext(ctx)
	if err != nil {
		return err
	}
	old, err := oldTakedown(req)
	if err != nil {
		return err
	}
	now := metav1.NewTime(w.Clock.Now().UTC().Truncate(time.Second))
	stamp := func(added []sgv1.Approval) {
		for i := range added {
			if added[i].Approver == "" {
				added[i].Approver = req.UserInfo.Username
			}
			if added[i].Time == nil {
				added[i].Time = &now
			}
		}
	}
	stamp(addedApprovals(old.Spec.Approvals, t.Spec.Approvals))
	if t.Spec.ReturnRequest != nil {
		var before []sgv1.Approval
		if old.Spec.ReturnRequest != nil {
			before = old.Spec.ReturnRequest.Approvals
		}
		stamp(addedApprovals(before, t.Spec.ReturnRequest.Approvals))
	}
	return nil
}

// addedApprovals are the entries after the old ones (CEL keeps approvals append-only).
func addedApprovals(old, cur []sgv1.Approval) []sgv1.Approval {
	if len(cur) <= len(old) {
		return nil
	}
	return cur[len(old):]
}

func oldTakedown(req admission.Request) (*sgv1.TakedownRequest, error) {
	old := &sgv1.TakedownRequest{}
	if len(req.OldObject.Raw) == 0 {
		return old, nil
	}
	if err := json.Unmarshal(req.OldObject.Raw, old); err != nil {
		return nil, err
	}
	return old, nil
}

// ValidateCreate checks a new takedown against the site, the policy and the
// site's other takedowns.
func (w *TakedownWebhook) ValidateCreate(ctx context.Context, t *sgv1.TakedownRequest) (admission.Warnings, error) {
	return nil, w.validate(ctx, &sgv1.TakedownRequest{}, t)
}

// ValidateUpdate checks the approvals added and the period.
func (w *TakedownWebhook) ValidateUpdate(ctx context.Context, old, t *sgv1.TakedownRequest) (admission.Warnings, error) {
	return nil, w.validate(ctx, old, t)
}

// ValidateDelete allows deletion (the record stays in the site's history).
func (w *TakedownWebhook) ValidateDelete(context.Context, *sgv1.TakedownRequest) (admission.Warnings, error) {
	return nil, nil
}

func (w *TakedownWebhook) validate(ctx context.Context, old, t *sgv1.TakedownRequest) error {
	req, err := admission.RequestFromContext(ctx)
	if err != nil {
		return err
	}
	p, err := policy.Get(ctx, w.Client)
	if err != nil {
		return apierrors.NewForbidden(schema.GroupResource{Group: sgv1.GroupVersion.Group, Resource: "takedownrequests"}, t.Name, err)
	}
	spec := field.NewPath("spec")
	var errs field.ErrorList
	errs = append(errs, signers(spec.Child("approvals"), old.Spec.Approvals, t.Spec.Approvals, req, p, sgv1.ScopeTakedown)...)
	if t.Spec.ReturnRequest != nil {
		var before []sgv1.Approval
		if old.Spec.ReturnRequest != nil {
			before = old.Spec.ReturnRequest.Approvals
		}
		errs = append(errs, signers(spec.Child("returnRequest", "approvals"), before, t.Spec.ReturnRequest.Approvals, req, p, sgv1.ScopeReturn)...)
	}
	errs = append(errs, duration(spec, t, p)...)
	if old.Name == "" { // creation: rules about the site and its other takedowns
		more, err := w.againstSite(ctx, spec, t, p)
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

// signers checks every added approval (T1, T6): signed by the requesting
// user, at a level of the chain, by a member of that level's group.
func signers(path *field.Path, old, cur []sgv1.Approval, req admission.Request, p sgv1.SiteGroupPolicySpec, scope sgv1.ApprovalScope) field.ErrorList {
	rule := "T1"
	if scope == sgv1.ScopeReturn {
		rule = "T6"
	}
	var errs field.ErrorList
	levels := policy.LevelsFor(p, scope)
	for i, a := range addedApprovals(old, cur) {
		at := path.Index(len(old) + i)
		if a.Approver != req.UserInfo.Username {
			errs = append(errs, field.Forbidden(at.Child("approver"),
				fmt.Sprintf("%s: approver %q is not the user signing (%s); an approval is signed by its approver", rule, a.Approver, req.UserInfo.Username)))
			continue
		}
		idx := slices.IndexFunc(levels, func(l sgv1.ApprovalLevel) bool { return l.Name == a.Level })
		if idx < 0 {
			errs = append(errs, field.NotSupported(at.Child("level"), a.Level, policy.LevelNames(p, scope)))
			continue
		}
		if !slices.Contains(req.UserInfo.Groups, levels[idx].Group) {
			errs = append(errs, field.Forbidden(at,
				fmt.Sprintf("%s: %s may not sign at level %s: only members of group %s may", rule, a.Approver, a.Level, levels[idx].Group)))
		}
	}
	return errs
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
	if t.Spec.Type == sgv1.TakedownTemporary && site.Spec.SiteKind == sgv1.SiteKindPortal {
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
	if t.Spec.Type == sgv1.TakedownTemporary && int32(len(used)) >= *p.Takedown.TemporaryPerYear {
		msg := fmt.Sprintf("T3: site %s may have %d temporary takedown(s) in %d", site.Name, *p.Takedown.TemporaryPerYear, year)
		if len(used) > 0 {
			msg = fmt.Sprintf("T3: site %s already had a temporary takedown in %d (%s)", site.Name, year, used[0])
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
