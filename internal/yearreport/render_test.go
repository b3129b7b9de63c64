package yearreport

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func renderInput() Input {
	return Input{
		Sites: []sgv1.GovWebsite{site("a", "edu",
			monthly("2026-01", "2026-01-05T02:00:00Z", sgv1.VerdictPass, 91),
			ticket("V2/run-1", "2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z"),
			func(gw *sgv1.GovWebsite) { gw.Status.Tickets[0].Problem = "V2: a | b\nsecond line, \"quoted\"" })},
		Takedowns: []sgv1.TakedownRequest{takedown("a", "edu", "td", "2026-06-01T00:00:00Z",
			wentDown("2026-06-01T00:00:00Z", "2026-06-20T00:00:00Z", sgv1.TakedownRestored),
			func(t *sgv1.TakedownRequest) { t.Spec.Reason = "改版, \"整合\" | 升级" })},
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, Build(renderInput(), Options{Year: 2026, Generated: gen})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\n") {
		t.Error("RFC 4180 records end with CRLF")
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], CSVHeader) {
		t.Fatalf("header = %q", rows[0])
	}
	kinds := map[string]int{}
	for _, r := range rows[1:] {
		if len(r) != len(CSVHeader) {
			t.Fatalf("row of %d fields: %q", len(r), r)
		}
		kinds[r[0]]++
	}
	if want := map[string]int{RecordMonth: 12, RecordTakedown: 1, RecordTicket: 1}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("rows by record = %v, want %v", kinds, want)
	}
	jan := rows[1]
	if jan[column["month"]] != "2026-01" || jan[column["verdict"]] != "pass" || jan[column["score"]] != "91" ||
		jan[column["completed"]] != "2026-01-05T10:00:00+08:00" || jan[column["source"]] != SourceStatus {
		t.Errorf("January row = %q", jan)
	}
	if feb := rows[2]; feb[column["month"]] != "2026-02" || feb[column["verdict"]] != "" {
		t.Errorf("February row = %q, want an empty month", feb)
	}
	td := rows[13]
	if td[column["reason"]] != "改版, \"整合\" | 升级" || td[column["restored"]] != "2026-06-20T08:00:00+08:00" {
		t.Errorf("takedown row = %q", td)
	}
	tk := rows[14]
	if tk[column["problem"]] != "V2: a | b\nsecond line, \"quoted\"" || tk[column["ticket_status"]] != TicketClosedLate ||
		tk[column["overdue_in_year"]] != "true" {
		t.Errorf("ticket row = %q", tk)
	}
}

func TestMarkdown(t *testing.T) {
	var a, b bytes.Buffer
	rep := Build(renderInput(), Options{Year: 2026, Generated: gen, Scope: "namespace a"})
	if err := Markdown(&a, rep); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&b, Build(renderInput(), Options{Year: 2026, Generated: gen, Scope: "namespace a"})); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("Markdown is not deterministic")
	}
	md := a.String()
	for _, want := range []string{
		"# 政府网站监管年度报表 2026",
		"Generated 2027-01-05 09:00 for namespace a.",
		"Asia/Shanghai (UTC+08:00)",
		"| a/edu | department (部门网站) | 1 | 0 | 11 | 1 | 1 | 1 | 1 | 0 |",
		"| 2026-01 | pass | 91 | edu-monthly-2026-01 | 2026-01-05 10:00 |",
		"| 2026-02 | — | — | — | — |",
		`改版, "整合" \| 升级`,
		`V2: a \| b second line, "quoted"`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	// Every table row has the same number of cells as its header.
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "|") && !strings.HasSuffix(line, "|") {
			t.Errorf("broken table row %q", line)
		}
	}

	var empty bytes.Buffer
	if err := Markdown(&empty, Build(Input{}, Options{Year: 2026, Generated: gen})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(empty.String(), "No site has a record in 2026.") || !strings.Contains(empty.String(), "| **0 sites** |") {
		t.Errorf("empty report:\n%s", empty.String())
	}
}
