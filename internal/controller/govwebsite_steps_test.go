package controller

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/conditions"
)

// recordingStep is a step that records that it ran and answers as told.
func recordingStep(name string, ran *[]string, out stepResult, err error) siteStep {
	return siteStep{name: name, failure: sgv1.ReasonApplyFailed, run: func(context.Context, *siteScope) (stepResult, error) {
		*ran = append(*ran, name)
		return out, err
	}}
}

func TestRunSteps(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name      string
		steps     func(ran *[]string) []siteStep
		wantRan   string
		wantStep  string // the failing step, "" when none
		wantAfter time.Duration
	}{
		{"every step runs in order", func(ran *[]string) []siteStep {
			return []siteStep{recordingStep("a", ran, stepResult{}, nil), recordingStep("b", ran, stepResult{}, nil)}
		}, "a,b", "", 0},
		{"a failing step ends the reconcile with its name", func(ran *[]string) []siteStep {
			return []siteStep{recordingStep("a", ran, stepResult{}, boom), recordingStep("b", ran, stepResult{}, nil)}
		}, "a", "a", 0},
		{"a stopping step ends it without error", func(ran *[]string) []siteStep {
			return []siteStep{recordingStep("a", ran, stepResult{stop: true}, nil), recordingStep("b", ran, stepResult{}, nil)}
		}, "a", "", 0},
		{"the earliest requeue wins", func(ran *[]string) []siteStep {
			return []siteStep{recordingStep("a", ran, stepResult{requeueAfter: time.Hour}, nil),
				recordingStep("b", ran, stepResult{requeueAfter: time.Minute}, nil), recordingStep("c", ran, stepResult{}, nil)}
		}, "a,b,c", "", time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ran []string
			res, err := runSteps(context.Background(), &siteScope{}, tc.steps(&ran))
			if got := strings.Join(ran, ","); got != tc.wantRan {
				t.Errorf("ran %s, want %s", got, tc.wantRan)
			}
			var failed *stepError
			switch {
			case tc.wantStep == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.wantStep != "" && (!errors.As(err, &failed) || failed.step != tc.wantStep || !errors.Is(err, boom)):
				t.Errorf("error %v, want step %s wrapping boom", err, tc.wantStep)
			}
			if res.RequeueAfter != tc.wantAfter {
				t.Errorf("requeue after %s, want %s", res.RequeueAfter, tc.wantAfter)
			}
		})
	}
}

func TestSummarizeSite(t *testing.T) {
	const generation = 3
	available := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](1)},
		Status: appsv1.DeploymentStatus{AvailableReplicas: 1}}
	fullPass := func() *siteChildren {
		return &siteChildren{
			pods:     []observedPod{{Name: "web", Component: builders.ComponentFrontend, Node: "n1", Region: "cn-north-1"}, {Name: "admin", Component: builders.ComponentAdmin, Node: "n2", Region: "cn-north-1"}},
			frontend: available, admin: available, policiesInForce: 3, routedBy: "HTTPRoute x",
		}
	}
	approved := verdict{vTrue, sgv1.ReasonApproved, "S1: approved"}
	launched := verdict{vTrue, sgv1.ReasonLaunched, "S5: passed"}
	// Every case starts from a site that was Ready and Approved at generation 2.
	start := func() *sgv1.GovWebsite {
		site := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Name: "s", Generation: generation}}
		conditions.MarkReady(&site.Status.Conditions, 2, sgv1.ReasonServing, "was serving")
		conditions.Set(&site.Status.Conditions, 2, sgv1.ConditionApproved, vTrue, sgv1.ReasonApproved, "S1")
		site.Status.State, site.Status.ObservedGeneration = sgv1.StateServing, 2
		return site
	}
	cases := []struct {
		name        string
		scope       func(*siteScope)
		err         error
		ready       metav1.ConditionStatus
		reason      string
		message     string
		state       sgv1.SiteState
		observedGen int64
	}{
		{"a failed step turns Ready False with its reason and error; the generation is not observed",
			func(*siteScope) {}, &stepError{step: "apply", reason: sgv1.ReasonApplyFailed, err: errors.New("webhook refused")},
			vFalse, sgv1.ReasonApplyFailed, "step apply: webhook refused", sgv1.StateServing, 2},
		{"a failed step after a full read still reports the failure",
			func(s *siteScope) { s.children, s.approval, s.launch = fullPass(), approved, launched },
			&stepError{step: "read-children", reason: sgv1.ReasonReadFailed, err: errors.New("timeout")},
			vFalse, sgv1.ReasonReadFailed, "step read-children: timeout", sgv1.StateServing, 2},
		{"a missing policy stalls the site",
			func(s *siteScope) {
				s.halt = &siteHalt{stalled: verdict{vFalse, sgv1.ReasonPolicyMissing, "no policy"}}
			}, nil,
			vFalse, sgv1.ReasonPolicyMissing, "no policy", sgv1.StateServing, generation},
		{"a suspended site says so and keeps its conditions",
			func(s *siteScope) { s.halt = &siteHalt{suspended: true} }, nil,
			vTrue, sgv1.ReasonServing, "was serving", sgv1.StateSuspended, generation},
		{"a full pass computes every condition",
			func(s *siteScope) { s.children, s.approval, s.launch = fullPass(), approved, launched }, nil,
			vTrue, sgv1.ReasonServing, "routed by HTTPRoute x", sgv1.StateServing, generation},
		{"a full pass with a takedown in force shows the notice",
			func(s *siteScope) {
				s.children, s.approval, s.launch = fullPass(), approved, launched
				s.children.notice = available
				s.takedowns.inForce = &builders.Takedown{Name: "td"}
			}, nil,
			vTrue, sgv1.ReasonTakenDown, "takedown td is in force", sgv1.StateTakenDown, generation},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &siteScope{site: start(), policy: sgv1.SiteGroupPolicySpec{Placement: sgv1.PlacementPolicy{AllowedRegions: testAllowed}}}
			tc.scope(s)
			summarizeSite(s, tc.err)
			st := s.site.Status
			ready := meta.FindStatusCondition(st.Conditions, sgv1.ConditionReady)
			if ready.Status != tc.ready || ready.Reason != tc.reason || !strings.Contains(ready.Message, tc.message) {
				t.Errorf("Ready %s/%s %q, want %s/%s containing %q", ready.Status, ready.Reason, ready.Message, tc.ready, tc.reason, tc.message)
			}
			if st.State != tc.state || st.ObservedGeneration != tc.observedGen {
				t.Errorf("state %s at generation %d, want %s at %d", st.State, st.ObservedGeneration, tc.state, tc.observedGen)
			}
			if !meta.IsStatusConditionTrue(st.Conditions, sgv1.ConditionApproved) {
				t.Errorf("Approved lost: %v", st.Conditions)
			}
		})
	}
}
