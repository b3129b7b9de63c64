package extract

import (
	"testing"
	"time"
	"unicode/utf8"
)

func TestFindDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when no date
	}{
		{"2026-11-20", "2026-11-20"},
		{"2026/11/20", "2026-11-20"},
		{"2026年11月20日", "2026-11-20"},
		{"2026 年 1 月 5 日", "2026-01-05"},
		{"[2026-11-20]", "2026-11-20"},
		{"(2026.11.20)", "2026-11-20"},
		{"发布时间：2026-11-20 10:30:00", "2026-11-20"},
		{"２０２６－１１－２０", "2026-11-20"}, // full-width, typed with a Chinese IME
		{"2026-1-5", "2026-01-05"},
		{"2026-11/20", ""},                          // separators disagree
		{"2026-02-30", ""},                          // no such day
		{"2026-13-01", ""},                          // no such month
		{"1899-01-01", ""},                          // not a publish date
		{"120101199003071234", ""},                  // an ID number is not a date
		{"电话：022-2345-6789", ""},                    // nor a phone number
		{"12026-11-20", ""},                         // digits run on before
		{"2026-11-201", ""},                         // and after
		{"第2026-11期", ""},                           // no day
		{"x 2025-13-01 y 2026-03-04", "2026-03-04"}, // the first valid one
		{"", ""},
	} {
		got, ok := FindDate(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("FindDate(%q) = %s, want none", tc.in, got.Format(time.DateOnly))
			}
			continue
		}
		if !ok || got.Format(time.DateOnly) != tc.want {
			t.Errorf("FindDate(%q) = %s %v, want %s", tc.in, got.Format(time.DateOnly), ok, tc.want)
		}
		if got.Hour() != 0 || got.Location().String() != "Asia/Shanghai" {
			t.Errorf("FindDate(%q) = %s, want midnight in the platform's calendar", tc.in, got)
		}
	}
}

func TestIsDateOnly(t *testing.T) {
	for in, want := range map[string]bool{
		"2026-11-20": true, " [2026-11-20] ": true, "（2026.11.20）": true, "2026年11月20日": true,
		"标题 2026-11-20": false, "no date": false,
	} {
		if got := IsDateOnly(in); got != want {
			t.Errorf("IsDateOnly(%q) = %v, want %v", in, got, want)
		}
	}
}

// findDateAll is findDate as the plain definition: the first valid one
// of FindAll's matches.
func findDateAll(s string) (time.Time, bool) {
	for _, m := range dateRE.FindAllStringSubmatchIndex(s, -1) {
		if d, ok := dateAt(s, m); ok {
			return d, true
		}
	}
	return time.Time{}, false
}

func TestHasYear(t *testing.T) {
	for in, want := range map[string]bool{
		"2026-11-20": true, "发布于2026年": true, "x1234": true, "123-456": false, "第12期": false, "": false,
		"２０２６": false, // full-width digits are folded before (FindDate)
	} {
		if got := hasYear(in); got != want {
			t.Errorf("hasYear(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzFindDate: any text, never a panic, and a date found is a real day
// of a plausible year that IsDateOnly agrees is in the text.
func FuzzFindDate(f *testing.F) {
	for _, s := range []string{"2026-11-20", "2026年11月20日", "[2026/1/5]", "(2026.11.20)", "２０２６－１１－２０", "2026-02-30", "99999-99-99", "年月日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if folded := foldWidth(s); !hasYear(folded) && dateRE.MatchString(folded) {
			t.Fatalf("hasYear(%q) = false, but the date regexp matches it: the shortcut would miss a date", folded)
		}
		d, ok := FindDate(s)
		if want, wantOK := findDateAll(foldWidth(s)); ok != wantOK || !d.Equal(want) {
			t.Fatalf("FindDate(%q) = %s %v, FindAll's first valid match is %s %v", s, d, ok, want, wantOK)
		}
		if !ok {
			return
		}
		if d.Year() < minYear || d.Year() > maxYear || d.Hour() != 0 {
			t.Fatalf("FindDate(%q) = %s", s, d)
		}
		if utf8.ValidString(s) {
			_ = IsDateOnly(s)
		}
	})
}
