package fixturesite

import (
	"fmt"
	"time"
)

// Sized is a healthy site of exactly n pages (n ≥ 1) for benchmarks:
// columns of 500 items, 20 a page (525 pages each), then smaller
// one-page columns for the rest. Every page carries the navigation and
// the logo, as real sites do; nothing links outside the site.
func Sized(now time.Time, n int) Spec {
	s := Default(now)
	s.NoErrorEntry = true // its link would be one page more
	s.Columns = nil
	left := n - 1 // the homepage
	for i := 0; left >= 525 && i < 40; i++ {
		s.Columns = append(s.Columns, Column{Name: fmt.Sprintf("工作动态%d", i+1), AgeDays: 1, Items: 500, PerPage: 20})
		left -= 525
	}
	for i := 0; left > 0; i++ {
		items := min(left-1, 50)
		s.Columns = append(s.Columns, Column{Name: fmt.Sprintf("通知公告%d", i+1), AgeDays: 2, Items: items, PerPage: 50})
		left -= 1 + items
	}
	return s
}

// PagePaths lists every page of a site (the raw-fetch floor's work list).
func (s Spec) PagePaths() []string {
	paths := []string{"/"}
	for ci, c := range s.Columns {
		for n := 1; n <= c.listPages(); n++ {
			paths = append(paths, fmt.Sprintf("/c%d/list_%d.html", ci, n))
		}
		for k := 1; k <= c.Items; k++ {
			paths = append(paths, fmt.Sprintf("/c%d/a%d.html", ci, k))
		}
	}
	return paths
}
