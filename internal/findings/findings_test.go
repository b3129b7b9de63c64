package findings

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummarize(t *testing.T) {
	long := strings.Repeat("栏目", 150) // 300 runes
	cases := []struct {
		name   string
		report Report
		want   Summary
	}{
		{"an empty passing report", Report{Verdict: Pass, Score: 100}, Summary{Verdict: Pass, Score: 100}},
		{"V1–V5 vetoes keep their ids and order",
			Report{Verdict: Fail, Vetoes: []Veto{{"V3", "blank columns: 6"}, {"V1", "failure rate 5.2%"}}},
			Summary{Verdict: Fail, Vetoes: []Veto{{"V3", "blank columns: 6"}, {"V1", "failure rate 5.2%"}}}},
		{"a veto reason of 200 runes is kept whole",
			Report{Verdict: Fail, Vetoes: []Veto{{"V2", strings.Repeat("新", 200)}}},
			Summary{Verdict: Fail, Vetoes: []Veto{{"V2", strings.Repeat("新", 200)}}}},
		{"a veto reason of 201 runes is cut to 200 with an ellipsis",
			Report{Verdict: Fail, Vetoes: []Veto{{"V2", strings.Repeat("新", 201)}}},
			Summary{Verdict: Fail, Vetoes: []Veto{{"V2", strings.Repeat("新", 199) + "…"}}}},
		{"a long veto reason is cut by runes, not bytes",
			Report{Verdict: Fail, Vetoes: []Veto{{"V5", long}}},
			Summary{Verdict: Fail, Vetoes: []Veto{{"V5", string([]rune(long)[:199]) + "…"}}}},
		{"deductions are summed per group, in first-seen order",
			Report{Verdict: Pass, Score: 88, Deductions: []Deduction{
				{ID: "policy-column-stale", Group: "publishing", Points: 5},
				{ID: "no-replies", Group: "interaction", Points: 3},
				{ID: "service-stats", Group: "services", Points: 2},
				{ID: "dead-links", Group: "publishing", Points: 2},
			}},
			Summary{Verdict: Pass, Score: 88, Deductions: []GroupTotal{{"publishing", 7}, {"interaction", 3}, {"services", 2}}}},
		{"an unjudged report says why the homepage did not open, cut like a veto reason",
			Report{Verdict: Unjudged, Unreachable: strings.Repeat("拒", 201), Warnings: []Warning{{"V1-probes", "3 of 3 probes failed"}}},
			Summary{Verdict: Unjudged, Unreachable: strings.Repeat("拒", 199) + "…", Warnings: []string{"V1-probes"}}},
		{"early warnings become their ids",
			Report{Verdict: Pass, Warnings: []Warning{{"V1", "failure rate 3.1%"}, {"V2", "homepage stale 10 days"}}},
			Summary{Verdict: Pass, Warnings: []string{"V1", "V2"}}},
		{"dead links on the homepage are counted apart",
			Report{Verdict: Pass, Stats: Stats{Pages: 40, Links: 700},
				DeadLinks: []DeadLink{{URL: "a", Homepage: true}, {URL: "b"}, {URL: "c", Homepage: true}, {URL: "d"}, {URL: "e"}}},
			Summary{Verdict: Pass, Counts: Counts{Pages: 40, Links: 700, DeadLinks: 5, HomepageDeadLinks: 2}}},
		{"dead links left out of the bounded list still count",
			Report{Verdict: Pass, Stats: Stats{DeadLinksOmitted: 120}, DeadLinks: []DeadLink{{URL: "a"}}},
			Summary{Verdict: Pass, Counts: Counts{DeadLinks: 121}}},
		{"V3 blank and stale columns are counted",
			Report{Verdict: Pass, Columns: []Column{{Name: "要闻", Stale: true}, {Name: "通知公告", Blank: true}, {Name: "政策文件", Blank: true, Stale: true}, {Name: "人事"}}},
			Summary{Verdict: Pass, Counts: Counts{Columns: 4, BlankColumns: 2, StaleColumns: 2}}},
		{"the budget that ran out is named",
			Report{Verdict: Pass, Stats: Stats{BudgetExhausted: "pages"}},
			Summary{Verdict: Pass, BudgetExhausted: "pages"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summarize(tt.report); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("summary\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func manyVetoes(n, runes int) []Veto {
	out := make([]Veto, 0, n)
	for i := range n {
		out = append(out, Veto{ID: fmt.Sprintf("V%d", i%5+1), Reason: strings.Repeat("错", runes)})
	}
	return out
}

func manyWarnings(n int) []string {
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, fmt.Sprintf("early-warning-%03d", i))
	}
	return out
}

func TestSummaryEncode(t *testing.T) {
	full := Summary{Verdict: Fail, Score: 0, Deductions: []GroupTotal{{"publishing", 12}, {"services", 5}, {"interaction", 8}, {"function", 4}},
		Counts:          Counts{Pages: 5000, Links: 80000, DeadLinks: 1234, HomepageDeadLinks: 12, Columns: 300, BlankColumns: 9, StaleColumns: 40},
		BudgetExhausted: "time"}
	with := func(vetoes []Veto, warnings []string) Summary {
		s := full
		s.Vetoes, s.Warnings = vetoes, warnings
		return s
	}
	cases := []struct {
		name          string
		sum           Summary
		whole         bool // encoded unchanged
		reasonRunes   int  // the longest reason kept, at most
		keepsWarnings bool
	}{
		{"a small summary is encoded whole", with(manyVetoes(2, 50), manyWarnings(3)), true, 50, true},
		{"five vetoes with 200-rune reasons fit whole", with(manyVetoes(5, 200), manyWarnings(5)), true, 200, true},
		{"five vetoes with 10000-rune reasons: cut to 200 runes, all kept", with(manyVetoes(5, 10000), manyWarnings(5)), false, 200, true},
		{"eight vetoes with 200-rune reasons: shortened to 80, all kept", with(manyVetoes(8, 200), manyWarnings(5)), false, 80, true},
		{"twenty long vetoes: reasons dropped, warnings kept", with(manyVetoes(20, 10000), manyWarnings(10)), false, 0, true},
		{"many warnings are dropped last", with(manyVetoes(5, 200), manyWarnings(300)), false, 0, false},
		{"many long vetoes and many warnings", with(manyVetoes(40, 5000), manyWarnings(500)), false, 0, false},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.sum.Encode()
			if len(b) > MaxSummaryBytes {
				t.Fatalf("encoded %d bytes, more than %d", len(b), MaxSummaryBytes)
			}
			var got Summary
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if tt.whole && !reflect.DeepEqual(got, tt.sum) {
				t.Errorf("a summary that fits came back changed:\n%+v\n%+v", got, tt.sum)
			}
			if len(got.Vetoes) != len(tt.sum.Vetoes) {
				t.Errorf("%d vetoes kept, want all %d", len(got.Vetoes), len(tt.sum.Vetoes))
			}
			for i, v := range got.Vetoes {
				if v.ID != tt.sum.Vetoes[i].ID || utf8.RuneCountInString(v.Reason) > tt.reasonRunes {
					t.Errorf("veto %d: %s with a %d-rune reason, want %s within %d", i, v.ID, utf8.RuneCountInString(v.Reason), tt.sum.Vetoes[i].ID, tt.reasonRunes)
				}
			}
			if (len(got.Warnings) == len(tt.sum.Warnings)) != tt.keepsWarnings {
				t.Errorf("%d of %d warnings kept, want all kept: %v", len(got.Warnings), len(tt.sum.Warnings), tt.keepsWarnings)
			}
			if got.Verdict != tt.sum.Verdict || got.Counts != tt.sum.Counts || !reflect.DeepEqual(got.Deductions, tt.sum.Deductions) ||
				got.BudgetExhausted != tt.sum.BudgetExhausted {
				t.Errorf("the verdict, counts, deductions and budget must survive: %+v", got)
			}
		})
	}
}

func TestSummaryEncodeLeavesTheSummaryAlone(t *testing.T) {
	reason := strings.Repeat("错", 1000)
	s := Summary{Verdict: Fail, Vetoes: []Veto{{"V5", reason}, {"V2", reason}, {"V3", reason}, {"V4", reason}, {"V1", reason}}}
	s.Encode()
	for _, v := range s.Vetoes {
		if v.Reason != reason {
			t.Fatalf("Encode shortened the caller's veto %s to %d runes", v.ID, utf8.RuneCountInString(v.Reason))
		}
	}
}
