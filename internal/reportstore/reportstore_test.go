package reportstore

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"sitegroup.io/operator/internal/findings"
)

func testReport(deadLinks, columns, warnings int) findings.Report {
	latest := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	r := findings.Report{
		URL: "https://www.tjhp.gov.cn/", Now: time.Date(2026, 11, 22, 6, 3, 0, 0, time.UTC), Profile: "gov-2019@3",
		Verdict: findings.Fail, Score: 0,
		Vetoes:     []findings.Veto{{ID: "V3", Reason: "6 blank columns"}},
		Deductions: []findings.Deduction{{ID: "policy-stale", Group: "publishing", Points: 5, Reason: "政策文件 not updated in 6 months"}},
		Identity:   findings.Identity{Organizer: "天津市和平区人民政府办公室", SiteCode: "1201010001", ICP: "津ICP备05004424号"},
		Stats:      findings.Stats{Pages: 800, Links: 12000, DurationSeconds: 412.5},
	}
	for i := range deadLinks {
		r.DeadLinks = append(r.DeadLinks, findings.DeadLink{URL: fmt.Sprintf("https://www.tjhp.gov.cn/art/2026/%06d.html", i),
			Status: 404, FoundOn: "https://www.tjhp.gov.cn/col/col123/index.html", Homepage: i%10 == 0})
	}
	for i := range columns {
		r.Columns = append(r.Columns, findings.Column{Name: fmt.Sprintf("栏目%d", i), URL: fmt.Sprintf("https://www.tjhp.gov.cn/col/col%d/", i),
			Kind: "news", Latest: &latest, Items: 20, Stale: i%3 == 0})
	}
	for i := range warnings {
		r.Warnings = append(r.Warnings, findings.Warning{ID: "V1", Reason: fmt.Sprintf("failure rate 3.%d%% on day %d", i%10, i)})
	}
	return r
}

func size(t *testing.T, r findings.Report) int {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func TestEncode(t *testing.T) {
	small := testReport(3, 4, 2)
	cases := []struct {
		name      string
		report    findings.Report
		max       int
		truncated bool
		// what the cut report still holds, at most
		deadLinks, columns int
		listsKept          bool // warnings and deductions kept
	}{
		{"a report that fits is whole", small, MaxBytes, false, 3, 4, true},
		{"a report of exactly max bytes is whole", small, size(t, small), false, 3, 4, true},
		{"a report one byte over max is cut", small, size(t, small) - 1, true, 3, 4, true},
		{"many dead links are halved until the report fits", testReport(20000, 10, 5), 256 * 1024, true, 20000, 10, true},
		{"many columns are halved until the report fits", testReport(10, 20000, 5), 256 * 1024, true, 10, 20000, true},
		{"both long lists are cut", testReport(30000, 30000, 5), MaxBytes, true, 30000, 30000, true},
		{"warnings and deductions go last", testReport(0, 0, 5000), 64 * 1024, true, 0, 0, false},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			data, truncated := Encode(tt.report, tt.max)
			if len(data) > tt.max {
				t.Fatalf("%d bytes, more than %d", len(data), tt.max)
			}
			if truncated != tt.truncated {
				t.Errorf("truncated %v, want %v", truncated, tt.truncated)
			}
			var got findings.Report
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			if !tt.truncated {
				if !reflect.DeepEqual(got, tt.report) {
					t.Errorf("a report that fits came back changed")
				}
				return
			}
			if len(got.DeadLinks) > tt.deadLinks || len(got.Columns) > tt.columns {
				t.Errorf("%d dead links and %d columns, at most %d and %d", len(got.DeadLinks), len(got.Columns), tt.deadLinks, tt.columns)
			}
			kept := fmt.Sprintf("%d dead links and %d columns kept", len(got.DeadLinks), len(got.Columns))
			if !strings.Contains(got.Truncated, kept) || !strings.Contains(got.Truncated, fmt.Sprintf("%d bytes", tt.max)) {
				t.Errorf("truncated says %q, want it to say %q and the limit", got.Truncated, kept)
			}
			if dropped := len(got.Warnings) < len(tt.report.Warnings) || len(got.Deductions) < len(tt.report.Deductions); dropped == tt.listsKept {
				t.Errorf("%d warnings, %d deductions kept; want kept: %v", len(got.Warnings), len(got.Deductions), tt.listsKept)
			} else if dropped && !strings.Contains(got.Truncated, "warnings") {
				t.Errorf("truncated %q does not say warnings were dropped", got.Truncated)
			}
			if got.Verdict != tt.report.Verdict || !reflect.DeepEqual(got.Vetoes, tt.report.Vetoes) || got.Stats != tt.report.Stats {
				t.Errorf("the verdict, vetoes and stats must survive the cut")
			}
		})
	}
}

func TestEncodeKeepsTheFirstEntries(t *testing.T) {
	r := testReport(5000, 0, 0)
	data, _ := Encode(r, 64*1024)
	var got findings.Report
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.DeadLinks) == 0 || !reflect.DeepEqual(got.DeadLinks, r.DeadLinks[:len(got.DeadLinks)]) {
		t.Errorf("the cut keeps a prefix of the dead links in order")
	}
	if len(r.DeadLinks) != 5000 {
		t.Errorf("Encode changed the caller's report")
	}
}

func TestConfigMapRoundTrip(t *testing.T) {
	owner := metav1.OwnerReference{APIVersion: "sitegroup.io/v1alpha1", Kind: "InspectionRun", Name: "run-1", UID: "uid-1"}
	for _, tt := range []struct {
		name      string
		report    findings.Report
		truncated bool
	}{
		{"a whole report", testReport(20, 30, 3), false},
		{"a report cut to fit 512 KiB", testReport(20000, 5000, 3), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cm, truncated := ConfigMap("site-ns", "run-1-report", owner, "run-1", tt.report)
			if truncated != tt.truncated {
				t.Errorf("truncated %v, want %v", truncated, tt.truncated)
			}
			if cm.Namespace != "site-ns" || cm.Name != "run-1-report" || cm.Labels[LabelInspectionRun] != "run-1" ||
				len(cm.OwnerReferences) != 1 || cm.OwnerReferences[0] != owner || cm.Kind != "ConfigMap" || cm.APIVersion != "v1" {
				t.Errorf("configmap meta %+v", cm.ObjectMeta)
			}
			if len(cm.Data[Key]) > MaxBytes {
				t.Errorf("report of %d bytes in the configmap, more than %d", len(cm.Data[Key]), MaxBytes)
			}
			got, err := Decode(cm)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.truncated && !reflect.DeepEqual(got, tt.report) {
				t.Errorf("decoded report differs:\n%+v\n%+v", got, tt.report)
			}
			if tt.truncated && (got.Truncated == "" || got.URL != tt.report.URL || len(got.DeadLinks) >= len(tt.report.DeadLinks)) {
				t.Errorf("a cut report decodes with its note: %q, %d dead links", got.Truncated, len(got.DeadLinks))
			}
		})
	}
}

func TestDecodeFailsClearly(t *testing.T) {
	cases := []struct {
		name  string
		data  map[string]string
		parts []string
	}{
		{"no report key", map[string]string{"other": "{}"}, []string{"site-ns/run-1-report", `"report.json"`}},
		{"not JSON", map[string]string{Key: "verdict: pass"}, []string{"site-ns/run-1-report"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "site-ns", Name: "run-1-report"}, Data: tt.data}
			_, err := Decode(cm)
			if err == nil {
				t.Fatal("no error")
			}
			for _, p := range tt.parts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q lacks %q", err, p)
				}
			}
		})
	}
}

func TestFromLog(t *testing.T) {
	r := testReport(2, 2, 1)
	compact, _ := json.Marshal(r)
	indented, _ := json.MarshalIndent(r, "", "  ")
	cases := []struct {
		name string
		log  string
		ok   bool
	}{
		{"the report alone", string(compact) + "\n", true},
		{"the report without a trailing newline", string(compact), true},
		{"an indented report", string(indented) + "\n", true},
		{"after stderr lines", "crawling https://www.tjhp.gov.cn/\nbudget: pages 800 {depth 4}\n" + string(indented) + "\n", true},
		{"after a structured log line that is JSON but not a report", `{"level":"info","msg":"crawl started"}` + "\n" + string(compact) + "\n", true},
		{"after a JSON log line whose fields are also a report's: nothing leaks into the report",
			`{"level":"warn","msg":"budget","truncated":"pages","identity":{"host":"log"},"verdict":""}` + "\n" + string(compact) + "\n", true},
		{"after a broken JSON line", "{not json at all\n" + string(compact) + "\n", true},
		{"before stderr lines", string(compact) + "\nwrote the summary to /dev/termination-log\n", true},
		{"with CRLF line ends", "starting\r\n" + string(compact) + "\r\n", true},
		{"empty log", "", false},
		{"only stderr", "panic: runtime error: invalid memory address\ngoroutine 1 [running]:\n", false},
		{"garbage with braces mid-line", "x{y}z {\"verdict\":\"pass\"}\n", false},
		{"a JSON object without a verdict", `{"url":"https://www.tjhp.gov.cn/","score":90}` + "\n", false},
		{"a report cut off mid-way", string(compact[:len(compact)/2]) + "\n", false},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromLog([]byte(tt.log))
			if !tt.ok {
				if err == nil {
					t.Fatalf("no error; report %+v", got)
				}
				if want := fmt.Sprintf("no inspection report in the inspector's log (%d bytes)", len(tt.log)); err.Error() != want {
					t.Errorf("error %q, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, r) {
				t.Errorf("report read from the log differs:\n%+v\n%+v", got, r)
			}
		})
	}
}
