package spotcheck

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var shanghai = func() *time.Location { l, _ := time.LoadLocation("Asia/Shanghai"); return l }()

func TestQuarterOf(t *testing.T) {
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai), "2026-Q1"},
		{time.Date(2026, 3, 31, 23, 59, 59, 0, shanghai), "2026-Q1"},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai), "2026-Q2"},
		{time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC), "2027-Q1"}, // already 2027-01-01 00:30 in Shanghai
		{time.Date(2026, 9, 30, 15, 59, 0, 0, time.UTC), "2026-Q3"},
	}
	for _, tc := range cases {
		if got := QuarterOf(tc.at, shanghai); got.String() != tc.want {
			t.Errorf("QuarterOf(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
	q := QuarterOf(time.Date(2026, 11, 5, 0, 0, 0, 0, shanghai), shanghai)
	if q.Start != time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai) || q.End != time.Date(2027, 1, 1, 0, 0, 0, 0, shanghai) || q.Slug() != "2026q4" {
		t.Errorf("quarter %+v", q)
	}
	if p := QuarterOf(time.Date(2026, 1, 5, 0, 0, 0, 0, shanghai), shanghai).Previous(); p.String() != "2025-Q4" {
		t.Errorf("previous of 2026-Q1 = %s", p)
	}
}

func TestSample(t *testing.T) {
	var sites []string
	for i := range 20 {
		sites = append(sites, fmt.Sprintf("ns-%02d/site", i))
	}
	q4 := QuarterOf(time.Date(2026, 11, 5, 0, 0, 0, 0, shanghai), shanghai)
	q1 := QuarterOf(time.Date(2027, 2, 5, 0, 0, 0, 0, shanghai), shanghai)
	a, b := Sample(sites, q4, 5), Sample(append([]string(nil), sites...), q4, 5)
	if len(a) != 5 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("a quarter's sample is the same every time: %v vs %v", a, b)
	}
	reversed := make([]string, len(sites))
	for i, s := range sites {
		reversed[len(sites)-1-i] = s
	}
	if got := Sample(reversed, q4, 5); strings.Join(got, ",") != strings.Join(a, ",") {
		t.Errorf("the order sites are listed in does not steer the sample: %v vs %v", got, a)
	}
	if strings.Join(Sample(sites, q1, 5), ",") == strings.Join(a, ",") {
		t.Error("another quarter samples other sites")
	}
	if got := Sample(sites[:3], q4, 5); len(got) != 3 {
		t.Errorf("fewer candidates than the sample: all of them, got %v", got)
	}
	if got := Sample(nil, q4, 5); len(got) != 0 {
		t.Errorf("no candidates: %v", got)
	}
}

func TestRender(t *testing.T) {
	score := int32(72)
	j, md := Render(Report{Quarter: "2026-Q4", Final: true, AsOf: "2027-01-01 00:00", Sites: []Entry{
		{Site: "tjhp-wjw/wjw", Organization: "卫健委", Run: "wjw-spotcheck-2026q4", Phase: "Running"},
		{Site: "tjhp-edu/edu", Organization: "教育局", Run: "edu-spotcheck-2026q4", Phase: "Succeeded", Verdict: "fail", Score: &score, Vetoes: []string{"V2"}, OpenTickets: 1},
	}})
	for _, want := range []string{"# 2026-Q4 政府网站季度抽查通报", "季度末定稿", "| tjhp-edu/edu | 教育局 | edu-spotcheck-2026q4 | fail | 72 | V2 | 1 / 0 |", "| tjhp-wjw/wjw | 卫健委 | wjw-spotcheck-2026q4 | Running | — | — | 0 / 0 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "tjhp-edu") > strings.Index(md, "tjhp-wjw") || !strings.Contains(j, `"final": true`) {
		t.Errorf("sorted by site, final said:\n%s", j)
	}
	if _, empty := Render(Report{Quarter: "2026-Q4"}); !strings.Contains(empty, "本季度没有可抽查的网站") || !strings.Contains(empty, "进行中") {
		t.Errorf("empty report:\n%s", empty)
	}
}
