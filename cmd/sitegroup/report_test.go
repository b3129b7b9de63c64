package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/scheme"
	"sitegroup.io/operator/internal/yearreport"
)

func TestReportFlags(t *testing.T) {
	wallClock := func() time.Time { return time.Date(2027, 1, 4, 16, 30, 0, 0, time.UTC) } // 2027-01-05 00:30 Shanghai
	cases := []struct {
		args    []string
		want    yearreport.Request
		wantErr string
	}{
		{args: []string{"--year", "2026"}, want: yearreport.Request{Year: 2026, Format: "markdown", Now: wallClock()}},
		{args: []string{"--year=2026", "--format=csv", "--namespace", "tjhp", "--now", "2027-01-05T09:00:00+08:00"},
			want: yearreport.Request{Year: 2026, Format: "csv", Namespace: "tjhp", Now: time.Date(2027, 1, 5, 1, 0, 0, 0, time.UTC)}},
		// --previous-year reads --now in Shanghai: 2026-12-31T16:30Z is already 2027 there.
		{args: []string{"--previous-year", "--now", "2026-12-31T16:30:00Z"},
			want: yearreport.Request{Year: 2026, Format: "markdown", Now: time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)}},
		{args: []string{"--previous-year", "--now", "2026-12-31T15:30:00Z"},
			want: yearreport.Request{Year: 2025, Format: "markdown", Now: time.Date(2026, 12, 31, 15, 30, 0, 0, time.UTC)}},
		{args: []string{"--previous-year"}, want: yearreport.Request{Year: 2026, Format: "markdown", Now: wallClock()}},
		{args: nil, wantErr: "--year YYYY (or --previous-year) is required"},
		{args: []string{"--year", "2026", "--previous-year"}, wantErr: "not both"},
		{args: []string{"--year", "26"}, wantErr: "not a calendar year"},
		{args: []string{"--year", "twenty"}, wantErr: `invalid argument "twenty" for "--year" flag`},
		{args: []string{"--year", "2026", "--format", "pdf"}, wantErr: `--format "pdf"`},
		{args: []string{"--year", "2026", "--now", "2027-01-05"}, wantErr: "not an RFC 3339 time"},
		{args: []string{"--year", "2026", "extra"}, wantErr: "unexpected arguments"},
		{args: []string{"--years", "2026"}, wantErr: "unknown flag: --years"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			o, err := parseReportFlags(c.args, &bytes.Buffer{}, wallClock)
			if c.wantErr != "" {
				var ue usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want a usageError containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !o.req.Now.Equal(c.want.Now) {
				t.Errorf("now = %v, want %v", o.req.Now, c.want.Now)
			}
			o.req.Now = c.want.Now
			if o.req != c.want {
				t.Errorf("request = %+v, want %+v", o.req, c.want)
			}
		})
	}
}

// parseReportFlags parses a report command line with the real command tree
// and checks it, as `sitegroup report` does before it reads the cluster.
func parseReportFlags(args []string, stderr io.Writer, now func() time.Time) (reportOptions, error) {
	var flags reportFlags
	c := &cli{stdout: io.Discard, stderr: stderr, now: now, parsed: func(f any) { flags = f.(reportFlags) }}
	if _, err := c.execute(append([]string{"report"}, args...)); err != nil {
		return reportOptions{}, err
	}
	return flags.options(now)
}

func TestReportCommand(t *testing.T) {
	score := int32(92)
	gw := &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: "tjhp", Name: "edu"},
		Spec:       sgv1.GovWebsiteSpec{SiteKind: sgv1.SiteKindDepartment, Domains: []sgv1.Domain{"jyj.tjhp.gov.cn"}},
		Status: sgv1.GovWebsiteStatus{MonthlyResults: []sgv1.MonthlyResult{{Month: "2026-03", Verdict: sgv1.VerdictPass,
			Score: &score, Run: "edu-monthly", Time: metav1.NewTime(time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC))}}},
	}
	other := gw.DeepCopy()
	other.Namespace = "other"
	c := fake.NewClientBuilder().WithScheme(scheme.New()).WithObjects(gw, other).Build()
	saved := newReportClient
	defer func() { newReportClient = saved }()
	var gotKubeconfig string
	newReportClient = func(kubeconfig string) (client.Client, error) { gotKubeconfig = kubeconfig; return c, nil }

	var out, errOut bytes.Buffer
	if code := dispatch([]string{"report", "--year", "2026", "--format", "csv", "--namespace", "tjhp",
		"--kubeconfig", "/tmp/kc", "--now", "2027-01-05T09:00:00+08:00"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if gotKubeconfig != "/tmp/kc" {
		t.Errorf("kubeconfig = %q", gotKubeconfig)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\r\n")
	if len(lines) != 13 {
		t.Fatalf("want a header and 12 month rows of tjhp/edu, got %d lines:\n%s", len(lines), out.String())
	}
	if !strings.HasPrefix(lines[3], "month,tjhp,edu,department,2026-03,pass,92,edu-monthly,2026-03-05T10:00:00+08:00,status,") {
		t.Errorf("March row = %q", lines[3])
	}

	out.Reset()
	if code := dispatch([]string{"report", "--year", "2026", "--now", "2027-01-05T09:00:00+08:00"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if md := out.String(); !strings.Contains(md, "for all namespaces") || !strings.Contains(md, "## other/edu") || !strings.Contains(md, "## tjhp/edu") {
		t.Errorf("the report of all namespaces:\n%s", md)
	}

	if code := dispatch([]string{"report", "--format", "csv"}, &out, &errOut); code != 2 {
		t.Errorf("a report without a year exits %d, want 2", code)
	}
}
