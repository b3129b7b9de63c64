package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/jobargs"
	"sitegroup.io/operator/test/fixturesite"
)

var inspectNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = dispatch(append([]string{"inspect"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func fixture(t *testing.T, mutate func(*fixturesite.Spec)) *fixturesite.Server {
	t.Helper()
	spec := fixturesite.Default(inspectNow)
	if mutate != nil {
		mutate(&spec)
	}
	s := fixturesite.Start(spec)
	t.Cleanup(s.Close)
	return s
}

func TestInspectBadArguments(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(profile, []byte("name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "--url is required"},
		{[]string{"--url", "ftp://x/"}, "not an http(s) URL"},
		{[]string{"--url", "http://"}, "not an http(s) URL"},
		{[]string{"--url", "http://x/", "--output", "yaml"}, "json or text"},
		{[]string{"--url", "http://x/", "--now", "yesterday"}, "RFC 3339"},
		{[]string{"--url", "http://x/", "--max-pages", "0"}, "--max-pages"},
		{[]string{"--url", "http://x/", "--concurrency", "0"}, "--concurrency"},
		{[]string{"--url", "http://x/", "--rate", "-1"}, "--rate"},
		{[]string{"--url", "http://x/", "--timeout", "0s"}, "--timeout"},
		{[]string{"--url", "http://x/", "--checks", "columns,spelling"}, `unknown check family "spelling"`},
		{[]string{"--url", "http://x/", "--column-hint", "工作简报"}, "not name=kind"},
		{[]string{"--url", "http://x/", "--column-hint", "工作简报=weekly"}, `unknown kind "weekly"`},
		{[]string{"--url", "http://x/", "--profile", profile}, "scoring profile"},
		{[]string{"--url", "http://x/", "--profile", "/nonexistent.yaml"}, "no such file"},
		{[]string{"--url", "http://x/", "--external-links", "maybe"}, "auto, check or skip"},
		{[]string{"--url", "http://x/", "--host-header", "a/b"}, "not a host name"},
		{[]string{"--url", "http://x/", "--deny-cidr", "10.96.0.0/33"}, "--deny-cidr"},
		{[]string{"--url", "http://x/", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"--url", "http://x/", "extra"}, "unexpected argument"},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.msg) {
			t.Errorf("inspect %v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tc.args, code, stdout, stderr, tc.msg)
		}
	}
}

// TestInspectHelp: the help asked for goes to stdout, with every flag.
func TestInspectHelp(t *testing.T) {
	code, stdout, stderr := runCLI("--help")
	if code != 0 || !strings.Contains(stdout, "--max-pages") || stderr != "" {
		t.Errorf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// TestInspectJSON: exactly one JSON object on stdout, exit 0.
func TestInspectJSON(t *testing.T) {
	site := fixture(t, nil)
	code, stdout, stderr := runCLI("--url", site.URL, "--now", inspectNow.Format(time.RFC3339), "--rate", "0", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var r findings.Report
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("more than one JSON value on stdout: %v", err)
	}
	if r.Verdict != findings.Pass || r.Stats.Pages != 62 || !r.Now.Equal(inspectNow) || r.Vetoes == nil {
		t.Errorf("report %+v", r)
	}
}

func TestInspectText(t *testing.T) {
	site := fixture(t, func(s *fixturesite.Spec) { s.HomeAgeDays = 20 })
	code, stdout, stderr := runCLI("--url", site.URL+"/", "--now", inspectNow.Format(time.RFC3339), "--rate", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first, _, _ := strings.Cut(stdout, "\n")
	if !strings.HasPrefix(first, "FAIL  score 0  ") {
		t.Errorf("summary line %q", first)
	}
	for _, want := range []string{"VETOES", "V2", "COLUMNS", "要闻动态", "DEAD LINKS", "IDENTITY (S4)", "津ICP备05004466号-1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestInspectUnreachable: a site that cannot be reached is an unjudged
// report, not an error (exit 0), and no V1 veto (issue 16).
func TestInspectUnreachable(t *testing.T) {
	site := fixture(t, func(s *fixturesite.Spec) { s.HomeStatus = http.StatusServiceUnavailable })
	code, stdout, stderr := runCLI("--url", site.URL, "--rate", "0", "--retries", "0", "--output", "json")
	var r findings.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	if r.Verdict != findings.Unjudged || len(r.Vetoes) != 0 || r.Unreachable != "HTTP 503" {
		t.Errorf("verdict %s vetoes %v unreachable %q", r.Verdict, r.Vetoes, r.Unreachable)
	}
}

// TestInspectJobArguments runs the command line the InspectionRun Job
// passes (internal/builders.inspectArgs) and reads the summary it leaves
// in the termination message.
func TestInspectJobArguments(t *testing.T) {
	site := fixture(t, func(s *fixturesite.Spec) { s.Domain = "www.example.gov.cn" })
	summary := filepath.Join(t.TempDir(), "termination-log")
	code, stdout, stderr := runCLI("--url", site.URL+"/", "--output", "json", "--summary-file", summary,
		"--max-pages", "500", "--max-depth", "5", "--rate", "0", "--timeout", "10m0s",
		"--host-header", "www.example.gov.cn", "--checks", "homepage,columns,identity",
		"--column-hint", "机构职能=other", "--column-hint", "人事信息=personnel", "--now", inspectNow.Format(time.RFC3339))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if site.BadHost.Load() != 0 {
		t.Errorf("%d requests without Host: www.example.gov.cn", site.BadHost.Load())
	}
	data, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	var sum findings.Summary
	if err := json.Unmarshal(data, &sum); err != nil || len(data) > findings.MaxSummaryBytes {
		t.Fatalf("summary %s: %v", data, err)
	}
	var r findings.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if sum.Verdict != r.Verdict || sum.Score != r.Score || sum.Counts.Pages != r.Stats.Pages || sum.Counts.Columns != 6 {
		t.Errorf("summary %+v for report verdict %s score %d", sum, r.Verdict, r.Score)
	}
}

func TestInspectProfileFlag(t *testing.T) {
	site := fixture(t, nil)
	profile := filepath.Join(t.TempDir(), "strict.yaml")
	// The default profile with HTTPS costing 45 points: the site fails on points.
	data, err := os.ReadFile("../../internal/inspector/scoring/profile-2019.yaml")
	if err != nil {
		t.Fatal(err)
	}
	strict := strings.Replace(string(data), "version: \"1\"", "version: \"strict\"", 1)
	strict = strings.Replace(strict, "  - id: function\n    name: 功能设计 (function design)\n    points: 15", "  - id: function\n    name: 功能设计 (function design)\n    points: 45", 1)
	strict = strings.Replace(strict, "  - id: publishing\n    name: 发布解读 (publishing & interpretation)\n    points: 45", "  - id: publishing\n    name: 发布解读 (publishing & interpretation)\n    points: 15", 1)
	strict = strings.Replace(strict, "  - id: https-missing\n    group: function\n    points: 2", "  - id: https-missing\n    group: function\n    points: 45", 1)
	if err := os.WriteFile(profile, []byte(strict), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("--url", site.URL, "--rate", "0", "--output", "json", "--profile", profile, "--now", inspectNow.Format(time.RFC3339))
	var r findings.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || code != 0 {
		t.Fatalf("exit %d %v: %s", code, err, stderr)
	}
	if r.Profile != "national-2019@strict" || r.Score != 55 || r.Verdict != findings.Fail {
		t.Errorf("profile %s score %d verdict %s", r.Profile, r.Score, r.Verdict)
	}
}

// TestInspectDenyCIDRs (issue 16, SSRF): the Job's --deny-cidr ranges
// and the API server a pod's environment names are refused.
func TestInspectDenyCIDRs(t *testing.T) {
	t.Setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1")
	f := inspectFlags{job: jobargs.Inspect{URL: "http://x/", Output: "text", MaxPages: 1, Timeout: time.Minute,
		DenyCIDRs: []string{"10.244.0.0/16", "10.96.0.0/12"}}, concurrency: 1, externalLinks: "auto"}
	cfg, err := f.config()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range cfg.DenyCIDRs {
		got = append(got, p.String())
	}
	if strings.Join(got, ",") != "10.244.0.0/16,10.96.0.0/12,10.96.0.1/32" {
		t.Errorf("denied %v", got)
	}
	if args := strings.Join(f.job.Args(), " "); !strings.Contains(args, "--deny-cidr 10.244.0.0/16 --deny-cidr 10.96.0.0/12") {
		t.Errorf("the Job's command line %q", args)
	}
}
