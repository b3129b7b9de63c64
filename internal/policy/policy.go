// Package policy loads the platform's SiteGroupPolicy and fills in the
// defaults in force, so every controller reads the same values.
package policy

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// ErrMissing means the cluster has no SiteGroupPolicy named default.
var ErrMissing = errors.New("no SiteGroupPolicy named default: S6 needs its allowed regions before any site can be placed")

// Defaults in force when a field is unset: the strict values of RULES.md.
// They mirror the CRD's defaults, for objects written before a default existed.
const (
	DefaultRegionLabel          = "topology.kubernetes.io/region"
	DefaultMaxTemporaryDays     = 30 // T4
	DefaultTemporaryPerYear     = 1  // T3
	DefaultReturnWindowDays     = 7  // T6
	DefaultPermanentNoticeDays  = 30 // T7
	DefaultDeregistrationDays   = 90 // T7
	DefaultGatewayNamespace     = "sitegroup-gateway"
	DefaultAdminAccessNamespace = "sitegroup-admin-access"
	DefaultComplianceEntries    = sgv1.MaxComplianceHistory
	DefaultRunsKept             = 3
	DefaultTimeZone             = "Asia/Shanghai"
	DefaultDaily                = "0 6 * * *"
	DefaultMonthly              = "0 2 1 * *"
	DefaultPatrol               = "0 3 2 2,5,8,11 *"
	DefaultSelfcheck            = "0 4 15 1,4,7,10 *"
	DefaultProbesPerDay         = 24 // V1: at least 20
	DefaultStartingDeadline     = 3600
	DefaultDomainChangeNotice   = 30 // S8
	DefaultOpeningNotice        = 30 // S5
	DefaultSpotCheckSites       = 5  // 003 §五
)

// Host separation modes of S7.
const (
	HostSeparationRequired  = "Required"
	HostSeparationPreferred = "Preferred"
)

// DefaultApprovalLevels is the chain of S1/T1: unit head, city office, province.
func DefaultApprovalLevels() []sgv1.ApprovalLevel {
	return []sgv1.ApprovalLevel{
		{Name: "unit", Scopes: []sgv1.ApprovalScope{sgv1.ScopeSite, sgv1.ScopeTakedown, sgv1.ScopeReturn, sgv1.ScopeRectification}},
		{Name: "city", Scopes: []sgv1.ApprovalScope{sgv1.ScopeSite, sgv1.ScopeTakedown, sgv1.ScopeReturn, sgv1.ScopeRectification}},
		{Name: "province", Scopes: []sgv1.ApprovalScope{sgv1.ScopeSite, sgv1.ScopeTakedown}},
	}
}

// InForce returns the policy with every unset field at its default.
func InForce(spec sgv1.SiteGroupPolicySpec) sgv1.SiteGroupPolicySpec {
	out := *spec.DeepCopy()
	setDefault(&out.Placement.NodeLabelKey, DefaultRegionLabel)
	setDefault(&out.Placement.HostSeparation, HostSeparationRequired)
	setDefault(&out.Takedown.MaxTemporaryDays, DefaultMaxTemporaryDays)
	if out.Takedown.TemporaryPerYear == nil {
		out.Takedown.TemporaryPerYear = ptr.To[int32](DefaultTemporaryPerYear)
	}
	setDefault(&out.Takedown.ReturnWindowDays, DefaultReturnWindowDays)
	setDefault(&out.Takedown.PermanentNoticeDays, DefaultPermanentNoticeDays)
	setDefault(&out.Takedown.DeregistrationDays, DefaultDeregistrationDays)
	if len(out.ApprovalLevels) == 0 {
		out.ApprovalLevels = DefaultApprovalLevels()
	}
	setDefault(&out.Network.GatewayNamespace, DefaultGatewayNamespace)
	setDefault(&out.Network.AdminAccessNamespace, DefaultAdminAccessNamespace)
	setDefault(&out.Filing.DomainChangeNoticeDays, DefaultDomainChangeNotice)
	setDefault(&out.Filing.OpeningNoticeDays, DefaultOpeningNotice)
	setDefault(&out.Inspection.SpotCheckSites, DefaultSpotCheckSites)
	setDefault(&out.History.ComplianceEntries, DefaultComplianceEntries)
	if out.History.SuccessfulRuns == nil {
		out.History.SuccessfulRuns = ptr.To[int32](DefaultRunsKept)
	}
	if out.History.FailedRuns == nil {
		out.History.FailedRuns = ptr.To[int32](DefaultRunsKept)
	}
	setDefault(&out.Inspection.TimeZone, DefaultTimeZone)
	setDefault(&out.Inspection.Daily, DefaultDaily)
	setDefault(&out.Inspection.Monthly, DefaultMonthly)
	setDefault(&out.Inspection.Patrol, DefaultPatrol)
	setDefault(&out.Inspection.Selfcheck, DefaultSelfcheck)
	setDefault(&out.Inspection.ProbesPerDay, DefaultProbesPerDay)
	setDefault(&out.Inspection.StartingDeadlineSeconds, DefaultStartingDeadline)
	return out
}

func setDefault[T comparable](field *T, value T) {
	var zero T
	if *field == zero {
		*field = value
	}
}

// Get reads the policy in force; ErrMissing when there is none.
func Get(ctx context.Context, c client.Reader) (sgv1.SiteGroupPolicySpec, error) {
	p := &sgv1.SiteGroupPolicy{}
	if err := c.Get(ctx, client.ObjectKey{Name: sgv1.PolicyName}, p); err != nil {
		if apierrors.IsNotFound(err) {
			return sgv1.SiteGroupPolicySpec{}, ErrMissing
		}
		return sgv1.SiteGroupPolicySpec{}, fmt.Errorf("reading the SiteGroupPolicy: %w", err)
	}
	return InForce(p.Spec), nil
}

// LevelsFor returns the approval levels that sign in a scope, in chain order.
func LevelsFor(spec sgv1.SiteGroupPolicySpec, scope sgv1.ApprovalScope) []sgv1.ApprovalLevel {
	var out []sgv1.ApprovalLevel
	for _, l := range spec.ApprovalLevels {
		for _, s := range l.Scopes {
			if s == scope {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// LevelNames returns the names of the levels that sign in a scope, in chain order.
func LevelNames(spec sgv1.SiteGroupPolicySpec, scope sgv1.ApprovalScope) []string {
	var out []string
	for _, l := range LevelsFor(spec, scope) {
		out = append(out, l.Name)
	}
	return out
}
