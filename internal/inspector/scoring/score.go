package scoring

import (
	"fmt"

	"sitegroup.io/operator/internal/findings"
)

// Finding is one indicator that fired, Count times.
type Finding struct {
	Indicator string
	Count     int
	Reason    string
}

// Result is a scored inspection.
type Result struct {
	Verdict    string
	Score      int
	Deductions []findings.Deduction
}

// Score applies RULES.md §3: any veto fails the site and nothing else is
// scored (score 0); otherwise 100 minus the deductions, each indicator
// capped at its max and each group at its points, failing below the pass
// score. Deductions are listed even under a veto so they can be fixed.
// Findings for indicators the profile does not define are not scored.
func (p *Profile) Score(vetoes []findings.Veto, found []Finding) Result {
	res := Result{Deductions: []findings.Deduction{}}
	left := map[string]int{}
	for _, g := range p.Groups {
		left[g.ID] = g.Points
	}
	total := 0
	for _, f := range found {
		in, ok := p.indicator(f.Indicator)
		if !ok || f.Count <= 0 {
			continue
		}
		points := in.points(f.Count)
		if points == 0 {
			continue // below the indicator's step (dead links: per 5)
		}
		reason := f.Reason
		if points > left[in.Group] {
			points = left[in.Group]
			reason += fmt.Sprintf(" (group %s capped at %d points)", in.Group, p.groupPoints(in.Group))
		}
		left[in.Group] -= points
		total += points
		res.Deductions = append(res.Deductions, findings.Deduction{ID: in.ID, Group: in.Group, Points: points, Reason: reason})
	}
	res.Score = max(100-total, 0)
	res.Verdict = findings.Pass
	if len(vetoes) > 0 {
		res.Score = 0
	}
	if len(vetoes) > 0 || res.Score < p.PassScore {
		res.Verdict = findings.Fail
	}
	return res
}

func (in Indicator) points(count int) int {
	if in.Per > 1 {
		count /= in.Per
	}
	pts := in.Points * count
	if in.Max > 0 && pts > in.Max {
		pts = in.Max
	}
	return pts
}

func (p *Profile) indicator(id string) (Indicator, bool) {
	for _, in := range p.Indicators {
		if in.ID == id {
			return in, true
		}
	}
	return Indicator{}, false
}

func (p *Profile) groupPoints(id string) int {
	for _, g := range p.Groups {
		if g.ID == id {
			return g.Points
		}
	}
	return 0
}
