// Package scoring holds the scoring profile (the deduction indicators of
// the national inspection, as versioned YAML data) and turns findings into
// a verdict and a score (RULES.md §3).
package scoring

import (
	_ "embed"
	"fmt"
	"os"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

//go:embed profile-2019.yaml
var defaultProfile []byte

// Profile is a scoring profile.
type Profile struct {
	Name              string       `json:"name"`
	Version           string       `json:"version"`
	PassScore         int          `json:"passScore"`
	Groups            []Group      `json:"groups"`
	Indicators        []Indicator  `json:"indicators"`
	Warnings          Warnings     `json:"warnings"`
	ColumnKinds       []ColumnKind `json:"columnKinds"`
	BlankMarkers      []string     `json:"blankMarkers"`
	GamblingWords     []string     `json:"gamblingWords"`
	DefacementPhrases []string     `json:"defacementPhrases"`
	AdminPaths        []string     `json:"adminPaths"`
	// AdHosts are advertising networks: a government site carries no
	// commercial advertising (004 §三).
	AdHosts []string `json:"adHosts"`
	// WordingErrors are serious wording errors (严重表述错误, V5): wrong
	// names of state organs and offices, each with the right name and
	// the source that gives it.
	WordingErrors []WordingError `json:"wordingErrors"`
}

// WordingError is one wrong name the crawler looks for in every page's
// text (V5).
type WordingError struct {
	Wrong  string `json:"wrong"`
	Right  string `json:"right"`
	Source string `json:"source"`
}

// WrongWords lists the wrong names, in the profile's order.
func (p *Profile) WrongWords() []string {
	out := make([]string, len(p.WordingErrors))
	for i, w := range p.WordingErrors {
		out[i] = w.Wrong
	}
	return out
}

// RightWord is the right name for a wrong one ("" when unknown).
func (p *Profile) RightWord(wrong string) string {
	for _, w := range p.WordingErrors {
		if w.Wrong == wrong {
			return w.Right
		}
	}
	return ""
}

// Group is an indicator group; its deductions are capped at Points.
type Group struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Points int    `json:"points"`
}

// Indicator is one deduction: Points per occurrence (per Per occurrences
// when Per > 1), at most Max (no cap but the group's when 0).
type Indicator struct {
	ID          string `json:"id"`
	Group       string `json:"group"`
	Points      int    `json:"points"`
	Per         int    `json:"per,omitempty"`
	Max         int    `json:"max,omitempty"`
	Description string `json:"description"`
}

// Warnings are the early-warning thresholds.
type Warnings struct {
	FailureRate       float64 `json:"failureRate"`
	HomepageStaleDays int     `json:"homepageStaleDays"`
	BlankColumns      int     `json:"blankColumns"`
	StaleColumns      int     `json:"staleColumns"`
}

// ColumnKind guesses a column's kind from its name.
type ColumnKind struct {
	Kind    string   `json:"kind"`
	Names   []string `json:"names"`
	Exclude []string `json:"exclude,omitempty"`
	MaxAge  *Age     `json:"maxAge,omitempty"`
}

// Age is a calendar span (months and years are calendar months and years).
type Age struct {
	Days   int `json:"days,omitempty"`
	Months int `json:"months,omitempty"`
	Years  int `json:"years,omitempty"`
}

// Before is the earliest date still within the age of now: an item dated
// before it is stale.
func (a Age) Before(now time.Time) time.Time {
	return AddMonths(now, -12*a.Years-a.Months).AddDate(0, 0, -a.Days)
}

// AddMonths moves t by calendar months, clamped to the month's end: 6
// months before 31 August is 28 February, where time.AddDate says 3 March.
func AddMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	h, mi, s := t.Clock()
	return time.Date(first.Year(), first.Month(), min(d, last), h, mi, s, t.Nanosecond(), t.Location())
}

func (a Age) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		unit string
	}{{a.Years, "year"}, {a.Months, "month"}, {a.Days, "day"}} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.unit)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", p.n, p.unit))
		}
	}
	return strings.Join(parts, " ")
}

// Kinds every profile knows: other (not judged for staleness) and the
// consultation channel the interaction checks read.
const (
	KindOther       = "other"
	KindInteraction = "interaction"
)

// Default is the embedded 2019 profile.
func Default() *Profile {
	p, err := Parse(defaultProfile)
	if err != nil {
		panic("the embedded scoring profile is invalid: " + err.Error())
	}
	return p
}

// Load reads a profile file.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Parse reads a profile strictly: an unknown field is a typo, not a default.
func Parse(data []byte) (*Profile, error) {
	var p Profile
	if err := yaml.UnmarshalStrict(data, &p); err != nil {
		return nil, fmt.Errorf("scoring profile: %w", err)
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("scoring profile %s: %w", p.ID(), err)
	}
	return &p, nil
}

// ID names the profile in reports: name@version.
func (p *Profile) ID() string { return p.Name + "@" + p.Version }

func (p *Profile) validate() error {
	if p.Name == "" || p.Version == "" {
		return fmt.Errorf("name and version are required")
	}
	total := 0
	groups := map[string]bool{}
	for _, g := range p.Groups {
		if g.ID == "" || g.Points <= 0 || groups[g.ID] {
			return fmt.Errorf("group %q: needs a unique id and positive points", g.ID)
		}
		groups[g.ID] = true
		total += g.Points
	}
	if total != 100 {
		return fmt.Errorf("groups add up to %d points, not 100 (RULES.md §3)", total)
	}
	if p.PassScore <= 0 || p.PassScore > 100 {
		return fmt.Errorf("passScore %d is not within 1..100", p.PassScore)
	}
	ids := map[string]bool{}
	for _, in := range p.Indicators {
		if in.ID == "" || ids[in.ID] || !groups[in.Group] || in.Points < 0 || in.Per < 0 || in.Max < 0 {
			return fmt.Errorf("indicator %q: needs a unique id, a known group and non-negative points", in.ID)
		}
		ids[in.ID] = true
	}
	kinds := map[string]bool{KindOther: true}
	for i, k := range p.ColumnKinds {
		if k.Kind == "" || kinds[k.Kind] || len(k.Names) == 0 {
			return fmt.Errorf("column kind %q: needs a unique kind and names", k.Kind)
		}
		kinds[k.Kind] = true
		if err := keywords(fmt.Sprintf("columnKinds[%d].names", i), k.Names); err != nil {
			return err
		}
		if err := keywords(fmt.Sprintf("columnKinds[%d].exclude", i), k.Exclude); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		field string
		words []string
	}{
		{"blankMarkers", p.BlankMarkers}, {"gamblingWords", p.GamblingWords},
		{"defacementPhrases", p.DefacementPhrases}, {"adminPaths", p.AdminPaths}, {"adHosts", p.AdHosts},
	} {
		if err := keywords(list.field, list.words); err != nil {
			return err
		}
	}
	return p.validateWording()
}

// validateWording: every entry has its wrong text, the right one and a
// source, and the right text does not hold the wrong one (the correct
// name would be reported as an error on every page that uses it).
func (p *Profile) validateWording() error {
	for i, w := range p.WordingErrors {
		field := fmt.Sprintf("wordingErrors[%d]", i)
		switch {
		case strings.TrimSpace(w.Wrong) == "":
			return fmt.Errorf("%s.wrong is empty: an empty keyword matches every text", field)
		case strings.TrimSpace(w.Right) == "":
			return fmt.Errorf("%s.right is empty: say what the name should be", field)
		case strings.TrimSpace(w.Source) == "":
			return fmt.Errorf("%s.source is empty: say where the right name comes from", field)
		case strings.Contains(w.Right, w.Wrong):
			return fmt.Errorf("%s: the right name %q holds the wrong one %q, so every correct use would be reported", field, w.Right, w.Wrong)
		}
	}
	return nil
}

// keywords refuses an empty (or blank) keyword: every text contains the
// empty string, so one empty gambling word made every link to another
// site a V5 veto (issue 16). The error names the field and the entry.
func keywords(field string, words []string) error {
	for i, w := range words {
		if strings.TrimSpace(w) == "" {
			return fmt.Errorf("%s[%d] is empty: an empty keyword matches every text", field, i)
		}
	}
	return nil
}

// Kinds lists the column kinds a hint may name.
func (p *Profile) Kinds() []string {
	out := []string{}
	for _, k := range p.ColumnKinds {
		out = append(out, k.Kind)
	}
	return append(out, KindOther)
}

// HasKind says the profile knows a column kind.
func (p *Profile) HasKind(kind string) bool {
	for _, k := range p.Kinds() {
		if k == kind {
			return true
		}
	}
	return false
}

// GuessKind reads a column's kind from its name; other when nothing matches.
func (p *Profile) GuessKind(name string) string {
	for _, k := range p.ColumnKinds {
		if containsAny(name, k.Names) && !containsAny(name, k.Exclude) {
			return k.Kind
		}
	}
	return KindOther
}

// MaxAge is how long a column of a kind may go without a new item; nil
// when the kind is never stale.
func (p *Profile) MaxAge(kind string) *Age {
	for _, k := range p.ColumnKinds {
		if k.Kind == kind {
			return k.MaxAge
		}
	}
	return nil
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}
