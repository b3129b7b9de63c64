package workday_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sitegroup.io/operator/internal/workday"
)

func TestEmbeddedYears(t *testing.T) {
	cal := workday.Embedded()

	y2026, ok := cal.Year(2026)
	if !ok || y2026.Status != workday.Official || y2026.Source.Title != "国务院办公厅关于2026年部分节假日安排的通知" || y2026.Source.Date != "2025-11-04" {
		t.Errorf("2026 = %+v, want the official State Council notice of 2025-11-04", y2026)
	}
	y2027, ok := cal.Year(2027)
	if !ok || y2027.Status != workday.Provisional || len(y2027.MakeUpWorkdays) != 0 || y2027.Note == "" {
		t.Errorf("2027 = %+v, want provisional, with a note and no make-up days", y2027)
	}
	if _, ok := cal.Year(2028); ok {
		t.Error("2028 has data; update the no-data tests")
	}
}

// The 2026 notice gives a weekday for every date it names and a length for
// every holiday; the file must agree with both, which catches a mistyped day.
func TestYear2026MatchesNotice(t *testing.T) {
	f, _ := workday.Embedded().Year(2026)
	want := map[string]struct {
		from, to time.Weekday
		days     int
		makeUp   map[string]time.Weekday
	}{
		"元旦":  {time.Thursday, time.Saturday, 3, map[string]time.Weekday{"2026-01-04": time.Sunday}},
		"春节":  {time.Sunday, time.Monday, 9, map[string]time.Weekday{"2026-02-14": time.Saturday, "2026-02-28": time.Saturday}},
		"清明节": {time.Saturday, time.Monday, 3, nil},
		"劳动节": {time.Friday, time.Tuesday, 5, map[string]time.Weekday{"2026-05-09": time.Saturday}},
		"端午节": {time.Friday, time.Sunday, 3, nil},
		"中秋节": {time.Friday, time.Sunday, 3, nil},
		"国庆节": {time.Thursday, time.Wednesday, 7, map[string]time.Weekday{"2026-09-20": time.Sunday, "2026-10-10": time.Saturday}},
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if len(f.Holidays) != len(want) {
		t.Fatalf("2026 has %d holidays, the notice 7", len(f.Holidays))
	}
	makeUpSeen := 0
	for _, h := range f.Holidays {
		w, ok := want[h.Name.ZH]
		if !ok {
			t.Errorf("holiday %q is not in the notice", h.Name.ZH)
			continue
		}
		from, to := day(h.From), day(h.To)
		if from.Weekday() != w.from || to.Weekday() != w.to {
			t.Errorf("%s %s (%s) to %s (%s), notice says %s to %s", h.Name.ZH, h.From, from.Weekday(), h.To, to.Weekday(), w.from, w.to)
		}
		if days := int(to.Sub(from).Hours()/24) + 1; days != w.days {
			t.Errorf("%s lasts %d days, notice says 共%d天", h.Name.ZH, days, w.days)
		}
		for _, m := range f.MakeUpWorkdays {
			if m.For != h.Name.ZH {
				continue
			}
			makeUpSeen++
			if wd, ok := w.makeUp[m.Date]; !ok || day(m.Date).Weekday() != wd {
				t.Errorf("make-up day %s for %s: notice says %v", m.Date, m.For, w.makeUp)
			}
		}
	}
	if makeUpSeen != 6 {
		t.Errorf("%d make-up days tied to holidays, the notice names 6", makeUpSeen)
	}
}

// A valid file, to break one field at a time.
const validYear = `
year: 2029
status: official
source: {title: 国务院办公厅关于2029年部分节假日安排的通知, issuer: 国务院办公厅, date: "2028-11-01"}
holidays:
  - name: {zh: 元旦, en: New Year's Day}
    from: "2029-01-01"
    to: "2029-01-01"
  - name: {zh: 劳动节, en: Labour Day}
    from: "2029-05-01"
    to: "2029-05-05"
makeUpWorkdays:
  - {date: "2029-04-28", for: 劳动节}
`

func TestLoadRefusesMalformedFiles(t *testing.T) {
	if _, err := workday.Load(map[string]string{"2029.yaml": validYear}); err != nil {
		t.Fatalf("the valid fixture is refused: %v", err)
	}
	tests := []struct {
		name    string
		key     string
		data    string
		field   string // the FieldError's Field
		problem string // part of its Problem
	}{
		{"impossible date", "2029.yaml", strings.Replace(validYear, `to: "2029-05-05"`, `to: "2029-02-30"`, 1), "holidays[1].to", "not a date"},
		{"date without zero padding", "2029.yaml", strings.Replace(validYear, `from: "2029-05-01"`, `from: "2029-5-1"`, 1), "holidays[1].from", "YYYY-MM-DD"},
		{"unknown status", "2029.yaml", strings.Replace(validYear, "status: official", "status: draft", 1), "status", `"draft"`},
		{"no source title", "2029.yaml", strings.Replace(validYear, "title: 国务院办公厅关于2029年部分节假日安排的通知, ", "", 1), "source.title", "required"},
		{"no English name", "2029.yaml", strings.Replace(validYear, ", en: Labour Day", "", 1), "holidays[1].name.en", "required"},
		{"to before from", "2029.yaml", strings.Replace(validYear, `to: "2029-05-05"`, `to: "2029-04-30"`, 1), "holidays[1].to", "before from"},
		{"mistyped month makes a long holiday", "2029.yaml", strings.Replace(validYear, `to: "2029-05-05"`, `to: "2029-06-05"`, 1), "holidays[1].to", "at most"},
		{"date in another year", "2029.yaml", strings.Replace(validYear, `from: "2029-05-01"`, `from: "2028-05-01"`, 1), "holidays[1].from", "outside 2029"},
		{"overlapping holidays", "2029.yaml", strings.Replace(validYear, `to: "2029-01-01"`, `to: "2029-01-01"`+"\n  - name: {zh: 元旦补, en: Extra}\n    from: \"2029-01-01\"\n    to: \"2029-01-02\"", 1), "holidays[1]", "overlaps holidays[0]"},
		{"make-up day on a weekday", "2029.yaml", strings.Replace(validYear, `date: "2029-04-28"`, `date: "2029-04-27"`, 1), "makeUpWorkdays[0].date", "Friday"},
		{"make-up day inside a holiday", "2029.yaml", strings.Replace(validYear, `date: "2029-04-28"`, `date: "2029-05-05"`, 1), "makeUpWorkdays[0].date", "inside holidays[1]"},
		{"make-up day for an unknown holiday", "2029.yaml", strings.Replace(validYear, "for: 劳动节", "for: 五一", 1), "makeUpWorkdays[0].for", `"五一"`},
		{"provisional without a note", "2029.yaml", strings.Replace(validYear, "status: official", "status: provisional", 1), "note", "required"},
		{"year does not match the file name", "2030.yaml", validYear, "year", "named for 2030"},
		{"year is not a number", "2029.yaml", strings.Replace(validYear, "year: 2029", "year: twenty", 1), "year", "string"},
		{"no year", "extra", strings.Replace(validYear, "year: 2029", "", 1), "year", "missing"},
		{"field name in the wrong case", "2029.yaml", strings.Replace(validYear, "makeUpWorkdays:", "makeupWorkdays:", 1), "makeupWorkdays", "unknown field"},
		{"misspelt nested field", "2029.yaml", strings.Replace(validYear, "{zh: 元旦,", "{zn: 元旦,", 1), "holidays[0].name.zn", "unknown field"},
		{"duplicate key", "2029.yaml", validYear + "status: provisional\n", "", "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workday.Load(map[string]string{tt.key: tt.data})
			if err == nil {
				t.Fatal("Load accepted the malformed file")
			}
			var fieldErr *workday.FieldError
			if !errors.As(err, &fieldErr) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			if fieldErr.File != tt.key || fieldErr.Field != tt.field || !strings.Contains(fieldErr.Problem, tt.problem) {
				t.Errorf("error = %v; want file %q, field %q, problem containing %q", err, tt.key, tt.field, tt.problem)
			}
			if !strings.Contains(err.Error(), tt.key) {
				t.Errorf("error %q does not name the file %s", err, tt.key)
			}
		})
	}
}

// Every problem is reported at once, so whoever edits the ConfigMap fixes
// them in one pass.
func TestLoadReportsEveryProblem(t *testing.T) {
	data := strings.NewReplacer("status: official", "status: draft", `date: "2029-04-28"`, `date: "2029-04-27"`).Replace(validYear)
	_, err := workday.Load(map[string]string{"2029.yaml": data})
	for _, field := range []string{"status", "makeUpWorkdays[0].date"} {
		if err == nil || !strings.Contains(err.Error(), "2029.yaml: "+field+":") {
			t.Errorf("error %v does not name %s", err, field)
		}
	}
}

func TestLoadConflicts(t *testing.T) {
	other := strings.Replace(validYear, "for: 劳动节", "for: 元旦", 1)
	if _, err := workday.Load(map[string]string{"a.yaml": validYear, "b.yaml": other}); err == nil || !strings.Contains(err.Error(), "b.yaml: year: 2029 is also given by a.yaml") {
		t.Errorf("two files for one year: error %v", err)
	}

	// A 2030 file whose New Year holiday starts in December 2029 may not
	// claim a day the 2029 file already lists.
	y2029 := `
year: 2029
status: official
source: {title: test fixture, issuer: 国务院办公厅, date: "2028-11-01"}
holidays:
  - {name: {zh: 元旦, en: New Year's Day}, from: "2029-01-01", to: "2029-01-01"}
  - {name: {zh: 跨年, en: Year end}, from: "2029-12-31", to: "2029-12-31"}
`
	y2030 := `
year: 2030
status: official
source: {title: test fixture, issuer: 国务院办公厅, date: "2029-11-01"}
holidays:
  - {name: {zh: 元旦, en: New Year's Day}, from: "2029-12-31", to: "2030-01-01"}
`
	_, err := workday.Load(map[string]string{"2029.yaml": y2029, "2030.yaml": y2030})
	if err == nil || !strings.Contains(err.Error(), "2030.yaml: holidays[0]: 2029-12-31 is also listed by 2029.yaml") {
		t.Errorf("two files claiming 2029-12-31: error %v", err)
	}
}

// A year file from a ConfigMap replaces the shipped one: here a stand-in
// for the official 2027 arrangement (test data, not the real notice), after
// which 2027 computations no longer warn and its make-up day counts.
func TestLoadReplacesProvisionalYear(t *testing.T) {
	official2027 := `
year: 2027
status: official
source: {title: test fixture standing in for the 2027 notice, issuer: 国务院办公厅, date: "2026-11-01"}
holidays:
  - name: {zh: 元旦, en: New Year's Day}
    from: "2027-01-01"
    to: "2027-01-03"
  - name: {zh: 春节, en: Spring Festival}
    from: "2027-02-05"
    to: "2027-02-11"
makeUpWorkdays:
  - {date: "2027-01-31", for: 春节}
`
	cal, err := workday.Load(map[string]string{"2027.yaml": official2027})
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := cal.Year(2027); f.Status != workday.Official {
		t.Errorf("2027 status %s after the override", f.Status)
	}
	// Received Friday 2027-01-29: the make-up Sunday 01-31 is the first
	// working day.
	deadline := cal.AddWorkdays(at(t, "2027-01-29 15:00:00"), 1)
	if want := endOf(t, "2027-01-31"); !deadline.Due.Equal(want) || len(deadline.Warnings) != 0 {
		t.Errorf("AddWorkdays = %s %q, want %s without warnings", deadline.Due, deadline.Warnings, want)
	}
	// The shipped 2026 is untouched.
	if f, _ := cal.Year(2026); f.Status != workday.Official || len(f.Holidays) != 7 {
		t.Errorf("2026 changed by a 2027 override: %+v", f)
	}
	// And the shipped calendar is untouched too.
	if f, _ := workday.Embedded().Year(2027); f.Status != workday.Provisional {
		t.Error("Load changed the embedded calendar")
	}
}
