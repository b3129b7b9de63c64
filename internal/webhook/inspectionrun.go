package webhook

import (
	"context"
	"fmt"

	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/authz"
)

// +kubebuilder:webhook:path=/mutate-sitegroup-io-v1alpha1-inspectionrun,mutating=true,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=inspectionruns,verbs=create;update,versions=v1alpha1,name=minspectionrun.sitegroup.io,admissionReviewVersions=v1
// +kubebuilder:webhook:path=/validate-sitegroup-io-v1alpha1-inspectionrun,mutating=false,failurePolicy=fail,sideEffects=None,groups=sitegroup.io,resources=inspectionruns,verbs=create;update,versions=v1alpha1,name=vinspectionrun.sitegroup.io,admissionReviewVersions=v1

// InspectionRunWebhook keeps runs honest evidence: it stamps who asked for
// each run (the record counts only the operator's own runs; a department's
// ad hoc run is allowed and never counts), keeps that stamp, and leaves the
// run's target and scoring profile to the platform (S5, V1–V5).
type InspectionRunWebhook struct {
	Access
}

var (
	_ admission.Defaulter[*sgv1.InspectionRun] = &InspectionRunWebhook{}
	_ admission.Validator[*sgv1.InspectionRun] = &InspectionRunWebhook{}
)

// SetupInspectionRunWebhook registers the mutating and validating webhooks.
func SetupInspectionRunWebhook(mgr ctrl.Manager, access Access) error {
	w := &InspectionRunWebhook{Access: access}
	return ctrl.NewWebhookManagedBy(mgr, &sgv1.InspectionRun{}).WithDefaulter(w).WithValidator(w).Complete()
}

// Default stamps the creating user, whatever the YAML said, and keeps the
// stamp through updates that do not name it.
func (w *InspectionRunWebhook) Default(ctx context.Context, run *sgv1.InspectionRun) error {
	req, old, err := requestWithOld[sgv1.InspectionRun](ctx)
	if err != nil {
		return err
	}
	if req.Operation == admissionv1.Create {
		requestedBy(run, req.UserInfo.Username)
	} else {
		keepRequester(old, run)
	}
	return nil
}

// ValidateCreate leaves a run's target and scoring profile to the platform.
func (w *InspectionRunWebhook) ValidateCreate(ctx context.Context, run *sgv1.InspectionRun) (admission.Warnings, error) {
	req, err := admission.RequestFromContext(ctx)
	if err != nil {
		return nil, err
	}
	spec := field.NewPath("spec")
	if run.Spec.Purpose == sgv1.PurposeExternal {
		errs, err := w.externalResult(ctx, req.UserInfo, run)
		if err != nil || len(errs) > 0 {
			return nil, invalidRun(run, errs, err)
		}
	}
	errs, err := w.platformOnly(ctx, req.UserInfo, run.Namespace, "inspectionruns", []ownedField{
		{spec.Child("targetURL"), run.Spec.TargetURL != "",
			"S5, V1–V5: a run's target decides what is judged; a decoy would be judged in the site's place"},
		{spec.Child("scoringProfileRef"), run.Spec.ScoringProfileRef != nil,
			"V1–V5: the scoring profile decides the score; it is the platform's, from a namespace the platform names"},
	})
	return nil, invalidRun(run, errs, err)
}

// externalResult: a national or provincial check's result is entered by
// those who receive its notice, the offices or the platform, never by the
// department whose site was checked (T8).
func (w *InspectionRunWebhook) externalResult(ctx context.Context, user authenticationv1.UserInfo, run *sgv1.InspectionRun) (field.ErrorList, error) {
	if w.isOperator(user) {
		return nil, nil
	}
	attrs := authz.ExternalResultAttributes(run.Namespace)
	allowed, err := w.Reviewer.Allowed(ctx, user, attrs)
	if err != nil || allowed {
		return nil, err
	}
	return field.ErrorList{field.Forbidden(field.NewPath("spec", "purpose"), fmt.Sprintf(
		"T8: a national or provincial check's result is recorded by the city office or the platform, never by the department checked; %s may not (RBAC does not allow %s)",
		user.Username, authz.Describe(attrs)))}, nil
}

// ValidateUpdate keeps the stamp of who asked for the run.
func (w *InspectionRunWebhook) ValidateUpdate(_ context.Context, old, run *sgv1.InspectionRun) (admission.Warnings, error) {
	return nil, invalidRun(run, requesterUnchanged(old, run), nil)
}

// ValidateDelete allows deletion (the operator prunes by its history limits).
func (w *InspectionRunWebhook) ValidateDelete(context.Context, *sgv1.InspectionRun) (admission.Warnings, error) {
	return nil, nil
}

func invalidRun(run *sgv1.InspectionRun, errs field.ErrorList, err error) error {
	if err != nil || len(errs) == 0 {
		return err
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: sgv1.GroupVersion.Group, Kind: "InspectionRun"}, run.Name, errs)
}
