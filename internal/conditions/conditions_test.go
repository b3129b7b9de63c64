package conditions

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var past = metav1.NewTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))

func cond(typ string, status metav1.ConditionStatus) metav1.Condition {
	return metav1.Condition{Type: typ, Status: status, Reason: "Before", Message: "before", ObservedGeneration: 1, LastTransitionTime: past}
}

type mark func(*[]metav1.Condition, int64, string, string)

func TestTriad(t *testing.T) {
	ready := cond(sgv1.ConditionReady, metav1.ConditionTrue)
	notReady := cond(sgv1.ConditionReady, metav1.ConditionFalse)
	reconciling := cond(sgv1.ConditionReconciling, metav1.ConditionTrue)
	stalled := cond(sgv1.ConditionStalled, metav1.ConditionTrue)
	domain := cond("Approved", metav1.ConditionTrue)
	const (
		T = metav1.ConditionTrue
		F = metav1.ConditionFalse
		X = metav1.ConditionStatus("") // absent
	)
	cases := []struct {
		name                    string
		start                   []metav1.Condition
		mark                    mark
		ready, reconcile, stall metav1.ConditionStatus
	}{
		{"ready on empty", nil, MarkReady, T, X, X},
		{"ready clears reconciling", []metav1.Condition{notReady, reconciling}, MarkReady, T, X, X},
		{"ready clears stalled", []metav1.Condition{notReady, stalled}, MarkReady, T, X, X},
		{"reconciling on empty", nil, MarkReconciling, F, T, X},
		{"reconciling after ready", []metav1.Condition{ready}, MarkReconciling, F, T, X},
		{"reconciling clears stalled", []metav1.Condition{notReady, stalled}, MarkReconciling, F, T, X},
		{"stalled on empty", nil, MarkStalled, F, X, T},
		{"stalled clears reconciling", []metav1.Condition{notReady, reconciling}, MarkStalled, F, X, T},
		{"stalled after ready", []metav1.Condition{ready, domain}, MarkStalled, F, X, T},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conds := append([]metav1.Condition(nil), c.start...)
			c.mark(&conds, 7, "Why", "what happened")
			for typ, want := range map[string]metav1.ConditionStatus{
				sgv1.ConditionReady: c.ready, sgv1.ConditionReconciling: c.reconcile, sgv1.ConditionStalled: c.stall,
			} {
				got := meta.FindStatusCondition(conds, typ)
				switch {
				case want == X && got != nil:
					t.Errorf("%s present (%s), want absent", typ, got.Status)
				case want == X:
				case got == nil:
					t.Errorf("%s absent, want %s", typ, want)
				case got.Status != want:
					t.Errorf("%s = %s, want %s", typ, got.Status, want)
				case got.ObservedGeneration != 7 || got.Reason != "Why" || got.Message != "what happened":
					t.Errorf("%s not stamped: gen %d reason %q message %q", typ, got.ObservedGeneration, got.Reason, got.Message)
				}
			}
			// Conditions outside the triad are left alone.
			for _, s := range c.start {
				if s.Type == "Approved" && meta.FindStatusCondition(conds, "Approved") == nil {
					t.Errorf("domain condition removed")
				}
			}
		})
	}
}

func TestLastTransitionTime(t *testing.T) {
	cases := []struct {
		name        string
		start       metav1.Condition
		status      metav1.ConditionStatus
		wantPastLTT bool
	}{
		{"same status keeps the time", cond("Placed", metav1.ConditionTrue), metav1.ConditionTrue, true},
		{"same status, new reason keeps the time", cond("Placed", metav1.ConditionFalse), metav1.ConditionFalse, true},
		{"changed status moves the time", cond("Placed", metav1.ConditionTrue), metav1.ConditionFalse, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conds := []metav1.Condition{c.start}
			Set(&conds, 2, "Placed", c.status, "Other", "other")
			got := meta.FindStatusCondition(conds, "Placed")
			if got.LastTransitionTime.Equal(&past) != c.wantPastLTT {
				t.Errorf("lastTransitionTime %v, kept=%v want kept=%v", got.LastTransitionTime, !c.wantPastLTT, c.wantPastLTT)
			}
			if got.LastTransitionTime.IsZero() {
				t.Errorf("lastTransitionTime not set")
			}
			if got.ObservedGeneration != 2 || got.Reason != "Other" {
				t.Errorf("not updated: %+v", got)
			}
		})
	}
}

func TestMarkTwiceKeepsTransitionTimes(t *testing.T) {
	marks := map[string]mark{"ready": MarkReady, "reconciling": MarkReconciling, "stalled": MarkStalled}
	for name, m := range marks {
		t.Run(name, func(t *testing.T) {
			var conds []metav1.Condition
			m(&conds, 1, "A", "a")
			for i := range conds {
				conds[i].LastTransitionTime = past
			}
			m(&conds, 2, "A", "a")
			for _, c := range conds {
				if !c.LastTransitionTime.Equal(&past) {
					t.Errorf("%s: lastTransitionTime moved without a status change", c.Type)
				}
				if c.ObservedGeneration != 2 {
					t.Errorf("%s: observedGeneration %d, want 2", c.Type, c.ObservedGeneration)
				}
			}
		})
	}
}

func TestIsTrue(t *testing.T) {
	conds := []metav1.Condition{cond("A", metav1.ConditionTrue), cond("B", metav1.ConditionFalse), cond("C", metav1.ConditionUnknown)}
	for typ, want := range map[string]bool{"A": true, "B": false, "C": false, "missing": false} {
		if got := IsTrue(conds, typ); got != want {
			t.Errorf("IsTrue(%s) = %v, want %v", typ, got, want)
		}
	}
}
