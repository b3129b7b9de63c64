package scoring

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitegroup.io/operator/internal/findings"
)

func TestDefaultProfile(t *testing.T) {
	p := Default()
	if p.ID() != "national-2019@1" || p.PassScore != 60 {
		t.Fatalf("profile %s pass %d", p.ID(), p.PassScore)
	}
	points := map[string]int{}
	for _, g := range p.Groups {
		points[g.ID] = g.Points
	}
	// RULES.md §3: four groups of 100 points, services 25.
	if len(points) != 4 || points["services"] != 25 {
		t.Errorf("groups %v", points)
	}
	// The point values the sources publish.
	for id, want := range map[string]int{"notice-column-stale": 5, "no-recent-replies": 3, "services-column-stale": 2} {
		if in, ok := p.indicator(id); !ok || in.Points != want {
			t.Errorf("indicator %s: %+v, want %d points", id, in, want)
		}
	}
	w := p.Warnings
	if w.FailureRate != 0.03 || w.HomepageStaleDays != 10 || w.BlankColumns != 2 || w.StaleColumns != 6 {
		t.Errorf("early warnings %+v", w)
	}
}

func TestScore(t *testing.T) {
	p := Default()
	veto := []findings.Veto{{ID: "V2", Reason: "stale"}}
	for _, tc := range []struct {
		name    string
		vetoes  []findings.Veto
		found   []Finding
		verdict string
		score   int
		points  []int
	}{
		{"nothing found", nil, nil, findings.Pass, 100, nil},
		{"a veto fails whatever the points", veto, []Finding{{"search-missing", 1, "no search"}}, findings.Fail, 0, []int{2}},
		{"an indicator's max", nil, []Finding{{"homepage-dead-link", 9, "9 dead"}}, findings.Pass, 95, []int{5}},
		{"per 5 occurrences", nil, []Finding{{"dead-link", 14, "14 dead"}}, findings.Pass, 98, []int{2}},
		{"below the step is no deduction", nil, []Finding{{"dead-link", 4, "4 dead"}}, findings.Pass, 100, nil},
		{"a group's cap", nil, []Finding{{"admin-exposed", 1, "a"}, {"identity-missing", 5, "b"}, {"search-missing", 1, "c"},
			{"error-entry-missing", 1, "d"}, {"https-missing", 1, "e"}}, findings.Pass, 85, []int{5, 5, 2, 2, 1}},
		{"60 passes", nil, []Finding{{"notice-column-stale", 4, "a"}, {"news-column-stale", 5, "b"}, {"blank-column", 5, "c"}}, findings.Pass, 60, []int{20, 10, 10}},
		{"59 fails", nil, []Finding{{"notice-column-stale", 4, "a"}, {"news-column-stale", 5, "b"}, {"blank-column", 5, "c"}, {"https-missing", 1, "d"}},
			findings.Fail, 58, []int{20, 10, 10, 2}},
		{"an indicator the profile lacks is not scored", nil, []Finding{{"no-such-indicator", 3, "x"}}, findings.Pass, 100, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := p.Score(tc.vetoes, tc.found)
			var points []int
			for _, d := range r.Deductions {
				points = append(points, d.Points)
			}
			if r.Verdict != tc.verdict || r.Score != tc.score || !equal(points, tc.points) {
				t.Errorf("verdict %s score %d points %v, want %s %d %v", r.Verdict, r.Score, points, tc.verdict, tc.score, tc.points)
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCapIsExplained(t *testing.T) {
	r := Default().Score(nil, []Finding{{"admin-exposed", 1, "a"}, {"identity-missing", 5, "b"}, {"search-missing", 1, "c"}, {"https-missing", 1, "d"}, {"error-entry-missing", 1, "e"}})
	last := r.Deductions[len(r.Deductions)-1]
	if last.Points != 1 || !strings.Contains(last.Reason, "capped at 15") {
		t.Errorf("the deduction the cap cut: %+v", last)
	}
}

func TestLoadAndValidate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	groups := "groups: [{id: a, points: 60}, {id: b, points: 40}]\n"
	for _, tc := range []struct {
		name, body, err string
	}{
		{"valid", "name: city\nversion: '2'\npassScore: 70\n" + groups + "indicators: [{id: x, group: a, points: 3}]\ncolumnKinds: [{kind: news, names: [新闻], maxAge: {days: 7}}]\n", ""},
		{"a typo", "name: city\nversion: '2'\npassScore: 70\n" + groups + "indicatorz: []\n", "unknown field"},
		{"groups not 100", "name: city\nversion: '2'\npassScore: 70\ngroups: [{id: a, points: 50}]\n", "not 100"},
		{"unknown group", "name: city\nversion: '2'\npassScore: 70\n" + groups + "indicators: [{id: x, group: z, points: 3}]\n", "known group"},
		{"no version", "name: city\npassScore: 70\n" + groups, "version"},
		{"duplicate kind", "name: city\nversion: '2'\npassScore: 70\n" + groups + "columnKinds: [{kind: news, names: [a]}, {kind: news, names: [b]}]\n", "column kind"},
		// Issue 16: an empty keyword matches every text (an empty gambling
		// word made every off-site link a V5 veto): refused, the field named.
		{"empty gambling word", "name: city\nversion: '2'\npassScore: 70\n" + groups + "gamblingWords: [博彩, '']\n", "gamblingWords[1] is empty"},
		{"blank gambling word", "name: city\nversion: '2'\npassScore: 70\n" + groups + "gamblingWords: ['  ']\n", "gamblingWords[0] is empty"},
		{"empty defacement phrase", "name: city\nversion: '2'\npassScore: 70\n" + groups + "defacementPhrases: [hacked by, '']\n", "defacementPhrases[1] is empty"},
		{"empty blank marker", "name: city\nversion: '2'\npassScore: 70\n" + groups + "blankMarkers: ['']\n", "blankMarkers[0] is empty"},
		{"empty admin path", "name: city\nversion: '2'\npassScore: 70\n" + groups + "adminPaths: [/admin/, '']\n", "adminPaths[1] is empty"},
		{"empty column name", "name: city\nversion: '2'\npassScore: 70\n" + groups + "columnKinds: [{kind: news, names: [新闻, '']}]\n", "columnKinds[0].names[1] is empty"},
		{"empty column exclusion", "name: city\nversion: '2'\npassScore: 70\n" + groups + "columnKinds: [{kind: news, names: [新闻], exclude: ['']}]\n", "columnKinds[0].exclude[0] is empty"},
		{"empty wrong name", "name: city\nversion: '2'\npassScore: 70\n" + groups + "wordingErrors: [{wrong: '', right: 国务院办公厅, source: x}]\n", "wordingErrors[0].wrong is empty"},
		{"wording without a source", "name: city\nversion: '2'\npassScore: 70\n" + groups + "wordingErrors: [{wrong: 国务院办公室, right: 国务院办公厅}]\n", "wordingErrors[0].source is empty"},
		{"a right name holding the wrong one", "name: city\nversion: '2'\npassScore: 70\n" + groups + "wordingErrors: [{wrong: 国务院, right: 国务院办公厅, source: x}]\n", "holds the wrong one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Load(write(tc.name+".yaml", tc.body))
			switch {
			case tc.err == "" && err != nil:
				t.Fatal(err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want %q", err, tc.err)
			case tc.err == "":
				if p.ID() != "city@2" || p.GuessKind("新闻中心") != "news" || p.MaxAge("news").Days != 7 {
					t.Errorf("profile %+v", p)
				}
			}
		})
	}
	if len(Default().WordingErrors) < 10 {
		t.Errorf("the embedded profile ships %d wording errors, want a starting list", len(Default().WordingErrors))
	}
	if _, err := Load(filepath.Join(dir, "absent.yaml")); err == nil {
		t.Error("a missing file loads")
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		age  Age
		want string
		text string
	}{
		{Age{Days: 14}, "2026-08-17", "14 days"},
		{Age{Months: 6}, "2026-02-28", "6 months"}, // clamped, where AddDate would say 3 March
		{Age{Months: 3}, "2026-05-31", "3 months"},
		{Age{Years: 1}, "2025-08-31", "1 year"},
		{Age{Years: 1, Months: 2, Days: 3}, "2025-06-27", "1 year 2 months 3 days"},
	} {
		if got := tc.age.Before(now).Format(time.DateOnly); got != tc.want || tc.age.String() != tc.text {
			t.Errorf("%+v: %s %q, want %s %q", tc.age, got, tc.age.String(), tc.want, tc.text)
		}
	}
}
