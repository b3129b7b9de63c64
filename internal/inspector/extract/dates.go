package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"sitegroup.io/operator/internal/clock"
)

// dateRE matches the publish dates government CMSes print (issue 7):
// 2026-11-20, 2026/11/20, 2026.11.20 (also inside [] or ()), and
// 2026年11月20日. The two numeric separators must agree; that, the digit
// boundaries and the calendar are checked in code (RE2 has no
// back-references or look-around).
var dateRE = regexp.MustCompile(`(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|([-/.])\s*(\d{1,2})\s*([-/.])\s*(\d{1,2}))`)

// Years outside this range are not publish dates (phone numbers, codes).
const (
	minYear = 1990
	maxYear = 2100
)

// FindDate returns the first valid calendar date in s, as midnight in the
// platform's calendar (Asia/Shanghai): items are judged by day (V2, V3).
func FindDate(s string) (time.Time, bool) {
	d, _, ok := findDate(foldWidth(s))
	return d, ok
}

// IsDateOnly says s holds one date and nothing else but brackets and
// spaces, such as "[2026-11-20]": a date element of its own.
func IsDateOnly(s string) bool {
	s = foldWidth(strings.TrimSpace(s))
	_, loc, ok := findDate(s)
	if !ok {
		return false
	}
	rest := s[:loc[0]] + s[loc[1]:]
	return strings.Trim(rest, " \t\r\n\u00a0[]()【】（）<>「」|") == ""
}

func findDate(s string) (time.Time, [2]int, bool) {
	if !hasYear(s) {
		return time.Time{}, [2]int{}, false // most texts: the regexp is not run
	}
	// The matches FindAll would give, one at a time: a list page has a
	// date on every line, and FindAll's slices were most of reading them.
	for at := 0; at < len(s); {
		m := dateRE.FindStringSubmatchIndex(s[at:])
		if m == nil {
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += at
			}
		}
		if d, ok := dateAt(s, m); ok {
			return d, [2]int{m[0], m[1]}, true
		}
		at = m[1] // a match is never empty: it starts with four digits
	}
	return time.Time{}, [2]int{}, false
}

// dateAt validates one regexp match: digits may not run on either side
// (so 18-digit ID numbers and phone numbers are not read as dates), the
// separators agree, and the day exists.
func dateAt(s string, m []int) (time.Time, bool) {
	if m[0] > 0 && isDigit(s[m[0]-1]) || m[1] < len(s) && isDigit(s[m[1]]) {
		return time.Time{}, false
	}
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	month, day := group(2), group(3)
	if month == "" {
		if group(4) != group(6) {
			return time.Time{}, false
		}
		month, day = group(5), group(7)
	}
	y, _ := strconv.Atoi(group(1))
	mo, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	return calendarDate(y, mo, d)
}

func calendarDate(y, m, d int) (time.Time, bool) {
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, clock.Shanghai)
	if t.Day() != d { // 2026-02-30 rolled over
		return time.Time{}, false
	}
	return t, true
}

// hasYear says s has four digits in a row, which every date starts with.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			run = 0
		} else if run++; run == 4 {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// foldWidth turns full-width digits and separators (２０２６－１１－２０),
// common in pages typed with Chinese input methods, into ASCII.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= 0xFF10 && r <= 0xFF19 || r == 0xFF0D || r == 0xFF0E || r == 0xFF0F {
			return r - 0xFEE0
		}
		return r
	}, s)
}
