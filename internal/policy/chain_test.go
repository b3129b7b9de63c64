package policy

import (
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

var chain = []string{"unit", "city", "province"}

func ok(level, who string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: who, Decision: sgv1.DecisionApproved}
}

func no(level, who string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: who, Decision: sgv1.DecisionRejected}
}

func TestReadChainInRounds(t *testing.T) {
	cases := []struct {
		name            string
		approvals       []sgv1.Approval
		signed, missing []string
		rejectedBy      string
	}{
		{"nothing signed", nil, nil, chain, ""},
		{"unit signed", []sgv1.Approval{ok("unit", "u")}, []string{"unit"}, []string{"city", "province"}, ""},
		{"all signed", []sgv1.Approval{ok("unit", "u"), ok("city", "c"), ok("province", "p")}, chain, nil, ""},
		{"rejected by city", []sgv1.Approval{ok("unit", "u"), no("city", "c")}, nil, nil, "c"},
		// S1: a rejection is not overridden by a later word of the same
		// level; a re-submission signs again from the first level.
		{"re-submitted after rejection: unit signed again", []sgv1.Approval{ok("unit", "u"), no("city", "c"), ok("unit", "u")},
			[]string{"unit"}, []string{"city", "province"}, ""},
		{"second round complete", []sgv1.Approval{ok("unit", "u"), no("city", "c"), ok("unit", "u"), ok("city", "c"), ok("province", "p")},
			chain, nil, ""},
		{"first round's signatures do not carry over", []sgv1.Approval{ok("unit", "u"), ok("city", "c"), no("province", "p"), ok("unit", "u")},
			[]string{"unit"}, []string{"city", "province"}, ""},
	}
	for _, c := range cases {
		signed, rejected, missing := ReadChain(c.approvals, chain)
		if !slices.Equal(signed, c.signed) || !slices.Equal(missing, c.missing) {
			t.Errorf("%s: signed %v missing %v, want %v and %v", c.name, signed, missing, c.signed, c.missing)
		}
		switch {
		case c.rejectedBy == "" && rejected != nil:
			t.Errorf("%s: read as rejected by %s", c.name, rejected.Approver)
		case c.rejectedBy != "" && (rejected == nil || rejected.Approver != c.rejectedBy):
			t.Errorf("%s: want rejected by %s, got %v", c.name, c.rejectedBy, rejected)
		}
	}
}

func TestNextLevel(t *testing.T) {
	cases := []struct {
		approvals []sgv1.Approval
		want      string
	}{
		{nil, "unit"},
		{[]sgv1.Approval{ok("unit", "u")}, "city"},
		{[]sgv1.Approval{ok("unit", "u"), ok("city", "c")}, "province"},
		{[]sgv1.Approval{ok("unit", "u"), ok("city", "c"), ok("province", "p")}, ""},
		{[]sgv1.Approval{ok("unit", "u"), no("city", "c")}, "unit"},
		{[]sgv1.Approval{no("unit", "u")}, "unit"},
	}
	for i, c := range cases {
		if got := NextLevel(c.approvals, chain); got != c.want {
			t.Errorf("case %d: next level %q, want %q", i, got, c.want)
		}
	}
}

func TestAppendedSignature(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	stamped := func(a sgv1.Approval) sgv1.Approval { a.Time = &at; return a }
	one := []sgv1.Approval{stamped(ok("unit", "u"))}
	two := []sgv1.Approval{stamped(ok("unit", "u")), stamped(ok("city", "c"))}
	cases := []struct {
		name     string
		old, cur []sgv1.Approval
		index    int
		refusal  string
	}{
		{"no change", one, one, -1, ""},
		{"first signature", nil, []sgv1.Approval{ok("unit", "u")}, 0, ""},
		{"next level appended", one, append(slices.Clone(one), ok("city", "c")), 1, ""},
		{"removed", two, one, -1, "S1: approvals are append-only; a recorded approval cannot be removed"},
		{"edited", one, []sgv1.Approval{stamped(no("unit", "u"))}, -1, "append-only by position; approval 0 (unit by u)"},
		// T1: the last signer inserts forged approvals in front of earlier ones.
		{"inserted in front", one, []sgv1.Approval{ok("unit", "forger"), stamped(ok("unit", "u"))}, -1, "append-only by position"},
		{"two at once", nil, []sgv1.Approval{ok("unit", "u"), ok("city", "c")}, -1, "one signature per write; this write adds 2"},
		{"skips a level", one, append(slices.Clone(one), ok("province", "p")), -1, "the chain waits for level city, not province"},
		{"unknown level", nil, []sgv1.Approval{ok("mayor", "m")}, -1, `level "mayor" is not a level of this chain`},
		{"after completion", []sgv1.Approval{ok("unit", "u"), ok("city", "c"), ok("province", "p")},
			[]sgv1.Approval{ok("unit", "u"), ok("city", "c"), ok("province", "p"), ok("unit", "u")}, -1, "the chain is complete"},
		// S1: a rejection is overridden only by a new round from the first level.
		{"override a rejection", []sgv1.Approval{ok("unit", "u"), no("city", "c")},
			[]sgv1.Approval{ok("unit", "u"), no("city", "c"), ok("city", "c")}, -1, "the chain waits for level unit, not city"},
		{"re-submission", []sgv1.Approval{ok("unit", "u"), no("city", "c")},
			[]sgv1.Approval{ok("unit", "u"), no("city", "c"), ok("unit", "u")}, 2, ""},
		{"time edited", one, []sgv1.Approval{ok("unit", "u")}, -1, "append-only by position"},
	}
	for _, c := range cases {
		idx, err := AppendedSignature(c.old, c.cur, c.old, chain, "S1")
		switch {
		case c.refusal == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.refusal != "" && (err == nil || !strings.Contains(err.Error(), c.refusal)):
			t.Errorf("%s: got %v, want a refusal containing %q", c.name, err, c.refusal)
		case idx != c.index:
			t.Errorf("%s: index %d, want %d", c.name, idx, c.index)
		}
	}
}

func TestRoundUnderWay(t *testing.T) {
	cases := []struct {
		approvals []sgv1.Approval
		want      bool
	}{
		{nil, false},
		{[]sgv1.Approval{ok("unit", "u")}, true},
		{[]sgv1.Approval{ok("unit", "u"), ok("city", "c")}, true},
		{[]sgv1.Approval{ok("unit", "u"), ok("city", "c"), ok("province", "p")}, false}, // complete: an S8 change may start
		{[]sgv1.Approval{ok("unit", "u"), no("city", "c")}, false},                      // rejected: may be revised
	}
	for i, c := range cases {
		if got := RoundUnderWay(c.approvals, chain); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
}

func TestAppendedSignatureReadsTheNextLevelFromWhatCounts(t *testing.T) {
	// S8: the old identity's complete round does not complete the new one.
	old := []sgv1.Approval{ok("unit", "u"), ok("city", "c"), ok("province", "p")}
	cur := append(append([]sgv1.Approval(nil), old...), ok("unit", "u"))
	if idx, err := AppendedSignature(old, cur, nil, chain, "S1"); err != nil || idx != 3 {
		t.Errorf("a new identity's round starts at unit: %d %v", idx, err)
	}
	if _, err := AppendedSignature(old, cur, old, chain, "S1"); err == nil {
		t.Error("with every level counted the chain is complete")
	}
}
