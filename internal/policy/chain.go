package policy

import (
	"fmt"
	"slices"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// An approval chain (S1, T1, T6) is read in rounds. A round is the levels
// signing in chain order (unit, then city, then province); a rejection at
// any level ends the round, and a re-submitted application starts a new
// round at the first level, where every level signs again. The list keeps
// every round: it is the record of who decided what, and when.

// currentRound is the approvals after the last rejection, and that
// rejection when it is the newest entry (the application stands rejected).
func currentRound(approvals []sgv1.Approval) (round []sgv1.Approval, rejected *sgv1.Approval) {
	last := -1
	for i, a := range approvals {
		if a.Decision == sgv1.DecisionRejected {
			last = i
		}
	}
	if last >= 0 && last == len(approvals)-1 {
		a := approvals[last]
		return nil, &a
	}
	return approvals[last+1:], nil
}

// ReadChain reads an approval chain: the levels signed in the current
// round, the rejection that ended the last round when nothing was signed
// since, and the levels still missing, in chain order.
func ReadChain(approvals []sgv1.Approval, levels []string) (signed []string, rejected *sgv1.Approval, missing []string) {
	round, rejected := currentRound(approvals)
	if rejected != nil {
		return nil, rejected, nil
	}
	for _, l := range levels {
		if slices.ContainsFunc(round, func(a sgv1.Approval) bool { return a.Level == l }) {
			signed = append(signed, l)
		} else {
			missing = append(missing, l)
		}
	}
	return signed, nil, missing
}

// NextLevel is the level whose signature the chain waits for: the first
// level after a rejection (a re-submission), the next level in chain order
// otherwise; "" when every level signed.
func NextLevel(approvals []sgv1.Approval, levels []string) string {
	round, rejected := currentRound(approvals)
	if rejected != nil || len(levels) == 0 {
		return firstOr(levels)
	}
	if len(round) >= len(levels) {
		return ""
	}
	return levels[len(round)]
}

func firstOr(levels []string) string {
	if len(levels) == 0 {
		return ""
	}
	return levels[0]
}

// AppendedSignature checks a write to an approval list against the one
// before it: the old list is an exact prefix of the new one (append-only by
// position, so no one inserts a signature in front of earlier ones), at most
// one signature is added per write (one signer, one write), and it is at
// the level the chain waits for, read from signed: the old signatures that
// count for what is signed now (all of them for a takedown; those for the
// current identity of a site, S8). It returns the index of the added
// signature, or -1 when the write adds none. rule is the id a refusal
// names (S1, T1, T6).
func AppendedSignature(old, cur, signed []sgv1.Approval, levels []string, rule string) (int, error) {
	if len(cur) < len(old) {
		return -1, fmt.Errorf("%s: approvals are append-only; a recorded approval cannot be removed (%d recorded, %d in this write)", rule, len(old), len(cur))
	}
	for i := range old {
		if !sameApproval(old[i], cur[i]) {
			return -1, fmt.Errorf("%s: approvals are append-only by position; approval %d (%s by %s) cannot be edited, moved or have another inserted before it", rule, i, old[i].Level, old[i].Approver)
		}
	}
	switch added := len(cur) - len(old); {
	case added == 0:
		return -1, nil
	case added > 1:
		return -1, fmt.Errorf("%s: one signature per write; this write adds %d approvals (each signer signs for their own level, as themselves)", rule, added)
	}
	a := cur[len(old)]
	next := NextLevel(signed, levels)
	if next == "" {
		return -1, fmt.Errorf("%s: every level (%v) already signed; the chain is complete", rule, levels)
	}
	if a.Level != next {
		if !slices.Contains(levels, a.Level) {
			return -1, fmt.Errorf("%s: level %q is not a level of this chain (%v)", rule, a.Level, levels)
		}
		return -1, fmt.Errorf("%s: the chain waits for level %s, not %s; levels sign in order %v (after a rejection the application is re-submitted and signs again from %s)", rule, next, a.Level, levels, firstOr(levels))
	}
	return len(old), nil
}

// sameApproval compares two recorded approvals field by field (times at
// the second, as the API server stores them).
func sameApproval(a, b sgv1.Approval) bool {
	at, bt := a.Time, b.Time
	if (at == nil) != (bt == nil) || (at != nil && !at.Truncate(1e9).Equal(bt.Truncate(1e9))) {
		return false
	}
	a.Time, b.Time = nil, nil
	return a == b
}

// RoundUnderWay says some but not all levels signed the current round, and
// no one rejected it: what they sign must not change under them.
func RoundUnderWay(approvals []sgv1.Approval, levels []string) bool {
	signed, rejected, missing := ReadChain(approvals, levels)
	return rejected == nil && len(signed) > 0 && len(missing) > 0
}
