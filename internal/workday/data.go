package workday

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// calendarFiles are the year files shipped with the operator.
//
//go:embed calendars/*.yaml
var calendarFiles embed.FS

// Status says how far a year file can be trusted.
type Status string

const (
	// Official: transcribed from the State Council's notice for that year.
	Official Status = "official"
	// Provisional: a stand-in until the notice is available (for example
	// the statutory holidays alone, without 调休); every computation that
	// touches the year warns.
	Provisional Status = "provisional"
)

// File is one year's calendar, written as YAML (or JSON) in
// calendars/YYYY.yaml or under a ConfigMap key:
//
//	year: 2026
//	status: official
//	source: {title: 国务院办公厅关于2026年部分节假日安排的通知, issuer: 国务院办公厅, date: "2025-11-04"}
//	holidays:
//	  - name: {zh: 春节, en: Spring Festival}
//	    from: "2026-02-15"
//	    to: "2026-02-23"
//	makeUpWorkdays:
//	  - {date: "2026-02-14", for: 春节}
//
// Dates are YYYY-MM-DD. Every date lies in the year or in the December before
// or January after it, since a notice may start the New Year holiday, or a
// make-up day for it, in late December.
type File struct {
	Year   int    `json:"year"`
	Status Status `json:"status"`
	// Note says, for a provisional year, what is missing; it is repeated in
	// every warning about that year, so it is required there.
	Note   string `json:"note,omitempty"`
	Source Source `json:"source"`
	// Holidays are whole blocks of days off, weekends inside them included.
	Holidays []Holiday `json:"holidays"`
	// MakeUpWorkdays are the Saturdays and Sundays declared working days
	// (调休上班).
	MakeUpWorkdays []MakeUpWorkday `json:"makeUpWorkdays"`
}

// Source is the document a year file was transcribed from.
type Source struct {
	Title  string `json:"title"`
	Issuer string `json:"issuer"`
	Date   string `json:"date"`
	// PublishedBy says where it was published, if that helps find it.
	PublishedBy string `json:"publishedBy,omitempty"`
}

// Holiday is one block of consecutive days off, from and to included.
type Holiday struct {
	Name Name   `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Name is a holiday's name in Chinese (as the notice writes it) and English.
type Name struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// MakeUpWorkday is a weekend day that is a working day.
type MakeUpWorkday struct {
	Date string `json:"date"`
	// For is the Chinese name of the holiday it makes up for, as in Holidays.
	For string `json:"for"`
}

// FieldError is a problem with one field of a year file, such as
// "2027.yaml: holidays[1].to: ...". Load returns every one it finds, joined.
type FieldError struct {
	File    string // the embedded path or the caller's key
	Field   string // e.g. holidays[1].to; empty when the file does not parse
	Problem string
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("workday: %s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("workday: %s: %s: %s", e.File, e.Field, e.Problem)
}

// longestHoliday guards against a mistyped range: the longest block in the
// 2026 notice is 9 days (Spring Festival), so 15 leaves room for any normal
// arrangement but not for a wrong month.
const longestHoliday = 15

var embedded = sync.OnceValues(func() (*Calendar, error) { return Load(nil) })

// Embedded returns the calendar of the shipped year files. They are checked
// by this package's tests, so a failure to load them is a build defect and
// panics.
func Embedded() *Calendar {
	c, err := embedded()
	if err != nil {
		panic(err)
	}
	return c
}

// Load returns a calendar of the shipped year files with extra year files
// laid over them, keyed by a name for error messages (such as a ConfigMap's
// data keys). An extra file replaces the shipped file of the same year, for
// example the official 2027 arrangement over the provisional one. Every file
// is validated; the error lists every problem as a *FieldError naming the
// file and field.
func Load(extra map[string]string) (*Calendar, error) {
	files := map[int]File{}
	origin := map[int]string{} // year → file name, for conflict messages
	var errs []error

	shipped, err := fs.Glob(calendarFiles, "calendars/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range shipped {
		data, err := calendarFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parseFile(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files[f.Year], origin[f.Year] = f, name
	}

	overridden := map[int]string{}
	for _, name := range slices.Sorted(maps.Keys(extra)) {
		f, err := parseFile(name, []byte(extra[name]))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, ok := overridden[f.Year]; ok {
			errs = append(errs, &FieldError{File: name, Field: "year", Problem: fmt.Sprintf("%d is also given by %s", f.Year, other)})
			continue
		}
		overridden[f.Year] = name
		files[f.Year], origin[f.Year] = f, name
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	c := &Calendar{files: files, days: map[date]bool{}}
	claimedBy := map[date]string{}
	for _, year := range slices.Sorted(maps.Keys(files)) {
		f := files[year]
		// claim records what f says about d, refusing a date another file
		// already decided; it reports the first such date of each field.
		claim := func(d date, field string, workday bool) bool {
			if other, ok := claimedBy[d]; ok {
				errs = append(errs, &FieldError{File: origin[year], Field: field, Problem: fmt.Sprintf("%s is also listed by %s", d, other)})
				return false
			}
			claimedBy[d] = origin[year]
			c.days[d] = workday
			return true
		}
		for i, h := range f.Holidays {
			from, to := mustDate(h.From), mustDate(h.To)
			for d := from; !to.before(d); d = d.next() {
				if !claim(d, fmt.Sprintf("holidays[%d]", i), false) {
					break
				}
			}
		}
		for i, m := range f.MakeUpWorkdays {
			claim(mustDate(m.Date), fmt.Sprintf("makeUpWorkdays[%d].date", i), true)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// yearFileName is a name that says its year, like calendars/2026.yaml.
var yearFileName = regexp.MustCompile(`^([0-9]{4})\.(ya?ml|json)$`)

// parseFile decodes and validates one year file. Decoding is strict and
// case-sensitive (as the API server decodes objects): a misspelt or
// duplicated key is refused, never silently dropped or matched to a field
// whose name differs in case.
func parseFile(name string, data []byte) (File, error) {
	var f File
	jsonData, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return f, &FieldError{File: name, Problem: err.Error()}
	}
	strictErrs, err := kjson.UnmarshalStrict(jsonData, &f)
	if err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return f, &FieldError{File: name, Field: typeErr.Field, Problem: fmt.Sprintf("is a %s, want %s", typeErr.Value, typeErr.Type)}
		}
		return f, &FieldError{File: name, Problem: strings.TrimPrefix(err.Error(), "json: ")}
	}
	if len(strictErrs) > 0 {
		errs := make([]error, 0, len(strictErrs))
		for _, e := range strictErrs {
			fe := &FieldError{File: name, Problem: e.Error()}
			var pathErr kjson.FieldError
			if errors.As(e, &pathErr) {
				fe.Field, fe.Problem = pathErr.FieldPath(), strings.TrimSuffix(e.Error(), " "+strconv.Quote(pathErr.FieldPath()))
			}
			errs = append(errs, fe)
		}
		return f, errors.Join(errs...)
	}
	if errs := f.validate(name); len(errs) > 0 {
		return f, errors.Join(errs...)
	}
	return f, nil
}

// validate returns a FieldError for each problem in f.
func (f *File) validate(name string) []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{File: name, Field: field, Problem: fmt.Sprintf(format, args...)})
	}

	if f.Year < 1 {
		bad("year", "missing or not a year: %d", f.Year)
		return errs // every date check below depends on it
	}
	if m := yearFileName.FindStringSubmatch(path.Base(name)); m != nil && m[1] != strconv.Itoa(f.Year) {
		bad("year", "%d, but the file is named for %s", f.Year, m[1])
	}
	switch f.Status {
	case Official:
	case Provisional:
		if strings.TrimSpace(f.Note) == "" {
			bad("note", "required for a provisional year: say what is missing, it is shown in every warning")
		}
	default:
		bad("status", "%q, want %q or %q", f.Status, Official, Provisional)
	}
	if strings.TrimSpace(f.Source.Title) == "" {
		bad("source.title", "required: the document the dates come from")
	}
	if strings.TrimSpace(f.Source.Issuer) == "" {
		bad("source.issuer", "required")
	}
	if _, err := parseDate(f.Source.Date); err != nil {
		bad("source.date", "%v", err)
	}

	// Dates a notice for year Y may name: Y, and the December before or
	// January after it.
	earliest := date{f.Year - 1, time.December, 1}
	latest := date{f.Year + 1, time.January, 31}
	dateField := func(field, s string) (date, bool) {
		d, err := parseDate(s)
		if err != nil {
			bad(field, "%v", err)
			return d, false
		}
		if d.before(earliest) || latest.before(d) {
			bad(field, "%s is outside %d (from %s to %s)", d, f.Year, earliest, latest)
			return d, false
		}
		return d, true
	}

	if len(f.Holidays) == 0 {
		bad("holidays", "empty: a year file lists at least the statutory holidays")
	}
	type span struct{ from, to date }
	holidaySpans := make([]span, len(f.Holidays))
	spanOK := make([]bool, len(f.Holidays))
	holidayNames := map[string]bool{}
	for i, h := range f.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		if strings.TrimSpace(h.Name.ZH) == "" {
			bad(field+".name.zh", "required")
		}
		if strings.TrimSpace(h.Name.EN) == "" {
			bad(field+".name.en", "required")
		}
		holidayNames[h.Name.ZH] = true
		from, fromOK := dateField(field+".from", h.From)
		to, toOK := dateField(field+".to", h.To)
		if !fromOK || !toOK {
			continue
		}
		switch days := int(to.noon().Sub(from.noon()).Hours()/24) + 1; {
		case days < 1:
			bad(field+".to", "%s is before from (%s)", to, from)
			continue
		case days > longestHoliday:
			bad(field+".to", "%s to %s is %d days; a holiday is at most %d, is a date mistyped?", from, to, days, longestHoliday)
			continue
		}
		if to.year < f.Year || from.year > f.Year {
			bad(field, "%s to %s has no day in %d", from, to, f.Year)
			continue
		}
		for j := range i {
			if spanOK[j] && !to.before(holidaySpans[j].from) && !holidaySpans[j].to.before(from) {
				bad(field, "%s to %s overlaps holidays[%d] (%s to %s)", from, to, j, holidaySpans[j].from, holidaySpans[j].to)
			}
		}
		holidaySpans[i], spanOK[i] = span{from, to}, true
	}

	madeUp := map[date]int{}
	for i, m := range f.MakeUpWorkdays {
		field := fmt.Sprintf("makeUpWorkdays[%d]", i)
		switch {
		case strings.TrimSpace(m.For) == "":
			bad(field+".for", "required: the Chinese name of the holiday it makes up for")
		case !holidayNames[m.For]:
			bad(field+".for", "%q is not the name.zh of any holiday in this file", m.For)
		}
		d, ok := dateField(field+".date", m.Date)
		if !ok {
			continue
		}
		if wd := d.weekday(); wd != time.Saturday && wd != time.Sunday {
			bad(field+".date", "%s is a %s; a make-up working day is a Saturday or Sunday", d, wd)
		}
		if j, dup := madeUp[d]; dup {
			bad(field+".date", "%s is also makeUpWorkdays[%d]", d, j)
		}
		madeUp[d] = i
		for j, s := range holidaySpans {
			if spanOK[j] && !d.before(s.from) && !s.to.before(d) {
				bad(field+".date", "%s is inside holidays[%d] (%s to %s)", d, j, s.from, s.to)
			}
		}
	}
	return errs
}

// parseDate reads a YYYY-MM-DD date.
func parseDate(s string) (date, error) {
	if s == "" {
		return date{}, errors.New("required (YYYY-MM-DD)")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return date{t.Year(), t.Month(), t.Day()}, nil
}

// mustDate reads a date that validate has accepted.
func mustDate(s string) date {
	d, err := parseDate(s)
	if err != nil {
		panic("workday: unvalidated date " + s)
	}
	return d
}
