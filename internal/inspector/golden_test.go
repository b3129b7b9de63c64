package inspector

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/test/fixturesite"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

// TestGoldenReports compares whole reports of a few fixture sites with
// the ones kept in testdata/golden (go test -run Golden -update rewrites
// them). Addresses that change from run to run (loopback ports) and the
// duration are replaced by fixed ones.
func TestGoldenReports(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec func(s *fixturesite.Spec, elsewhere string)
		tune func(*Config)
	}{
		{"passing-site", func(*fixturesite.Spec, string) {}, nil},
		{"failing-site", func(s *fixturesite.Spec, other string) {
			s.HomeAgeDays = 20
			s.Elsewhere, s.GamblingLink, s.LinkFarm, s.IDNumber = other, true, 4, true
			s.HomeDeadLinks, s.HomeDeadImages, s.PageDeadLinks = 2, 1, 6
			s.Footer.SiteCode, s.Footer.PublicSecurity = "12AB", ""
			s.Columns = append(s.Columns,
				fixturesite.Column{Name: "部门动态", AgeDays: 30, Items: 12, PerPage: 5},
				fixturesite.Column{Name: "公告公示", AgeDays: 300, Items: 2, Style: "table"},
				fixturesite.Column{Name: "专题专栏", Placeholder: "正在建设中"},
				fixturesite.Column{Name: "办件统计", AgeDays: 120, Items: 4},
			)
			s.Columns[5].Messages = append(s.Columns[5].Messages, fixturesite.Message{Title: "关于噪音扰民的投诉", AskedDays: 120, RepliedDay: -1})
		}, nil},
		{"gbk-in-cluster", func(s *fixturesite.Spec, _ string) {
			s.Encoding, s.Domain, s.NavOnly = "gb2312", "www.example.gov.cn", true
			s.Columns = []fixturesite.Column{
				{Name: "工作动态", AgeDays: 3, Items: 30, PerPage: 10, Style: "div"},
				{Name: "通知公告", AgeDays: 12, Items: 4, Style: "table"},
				{Name: "局长信箱", Messages: []fixturesite.Message{{Title: "咨询", AskedDays: 30, RepliedDay: 25}}, MessageTable: true},
			}
		}, func(c *Config) { c.External = ExternalAuto; c.Checks = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := elsewhere(t)
			spec := fixturesite.Default(testNow)
			tc.spec(&spec, other)
			tune := []func(*Config){}
			if tc.tune != nil {
				tune = append(tune, tc.tune)
			}
			r, site := inspect(t, spec, tune...)
			compareGolden(t, tc.name, r, site.URL, "http://site.test", other, "http://elsewhere.test")
		})
	}
}

// TestGoldenCMSReports: whole reports of a TRS-built and a Hanweb-built
// site (issue 16), each with a defect of its kind: the TRS site has a
// message unanswered for 4 months on a list page only its script pager
// names (V4), the Hanweb site an article dated 3 days after the server
// last modified it (V5) and a blank sub-column.
func TestGoldenCMSReports(t *testing.T) {
	for _, tc := range []struct {
		name string
		cms  fixturesite.CMS
	}{
		{"trs-site", fixturesite.CMS{Kind: "trs", LateUnanswered: true}},
		{"hanweb-site", fixturesite.CMS{Kind: "hanweb", FakedDays: 3, BlankSubColumns: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, site := inspectCMS(t, tc.cms)
			compareGolden(t, tc.name, r, site.URL, "http://site.test")
		})
	}
}

// compareGolden compares a report with testdata/golden/<name>.json,
// after replacing what changes from run to run (pairs of old, new: the
// loopback addresses) and zeroing the duration; -update rewrites it.
func compareGolden(t *testing.T, name string, r findings.Report, replace ...string) {
	t.Helper()
	r.Stats.DurationSeconds = 0
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(replace); i += 2 {
		got = bytes.ReplaceAll(got, []byte(replace[i]), []byte(replace[i+1]))
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("report differs from %s (go test -run Golden -update rewrites it):\n%s", path, diff(string(want), string(got)))
	}
}

// diff shows the first lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "- "+a, "+ "+b)
		}
	}
	return strings.Join(out, "\n")
}
