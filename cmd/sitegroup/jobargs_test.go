package main

import (
	"bytes"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/jobargs"
	"sitegroup.io/operator/internal/policy"
)

// The operator's builders write the command lines of the Jobs and
// Deployments that run this binary. These tests build those objects, parse
// their containers' Args with the real command tree, and check that the
// subcommand would run with what the builder was given: a flag renamed on
// one side only fails here, not in a cluster.

// parseCommandLine parses args with the real command tree and returns the
// flags their subcommand would run with.
func parseCommandLine(t *testing.T, args []string) any {
	t.Helper()
	var parsed any
	var stderr bytes.Buffer
	c := &cli{stdout: io.Discard, stderr: &stderr, now: time.Now, parsed: func(f any) { parsed = f }}
	if code := c.dispatch(args); code != 0 || parsed == nil {
		t.Fatalf("%q: exit %d: %s", args, code, stderr.String())
	}
	return parsed
}

func jobSite(mutate ...func(*sgv1.GovWebsite)) *sgv1.GovWebsite {
	s := &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Name: "edu", Namespace: "dept-edu", UID: "uid-edu"},
		Spec: sgv1.GovWebsiteSpec{
			Domains:  []sgv1.Domain{"edu.tj.gov.cn"},
			Frontend: sgv1.FrontendSpec{Image: "nginx:1.27", Port: 8081},
			Admin:    sgv1.AdminSpec{Image: "cms-admin:3", Port: 9090},
		},
	}
	for _, m := range mutate {
		m(s)
	}
	return s
}

func jobPolicy() sgv1.SiteGroupPolicySpec {
	return policy.InForce(sgv1.SiteGroupPolicySpec{Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1"}}})
}

// mountPath is where a container mounts a volume, or fails.
func mountPath(t *testing.T, c corev1.Container, volume string) string {
	t.Helper()
	for _, m := range c.VolumeMounts {
		if m.Name == volume {
			return m.MountPath
		}
	}
	t.Fatalf("container %s does not mount %s", c.Name, volume)
	return ""
}

// terminationMessagePath is the file a container's termination message is
// read from.
func terminationMessagePath(c corev1.Container) string {
	if c.TerminationMessagePath != "" {
		return c.TerminationMessagePath
	}
	return corev1.TerminationMessagePathDefault
}

func TestInspectionJobCommandLine(t *testing.T) {
	site := jobSite(func(s *sgv1.GovWebsite) {
		s.Spec.Inspection.ColumnHints = []sgv1.ColumnHint{{Name: "和平要闻", Kind: "news"}, {Name: "人事信息", Kind: "personnel"}}
	})
	run := func(mutate func(*sgv1.InspectionRun)) *sgv1.InspectionRun {
		r := &sgv1.InspectionRun{
			ObjectMeta: metav1.ObjectMeta{Namespace: site.Namespace, Name: "edu-monthly-1", UID: "run-uid"},
			Spec:       sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: site.Name}, Purpose: sgv1.PurposeMonthly},
		}
		mutate(r)
		return r
	}
	defaults := parseCommandLine(t, []string{"inspect"}).(inspectFlags)
	for _, tc := range []struct {
		name string
		run  *sgv1.InspectionRun
		site *sgv1.GovWebsite
		// want, with URL, HostHeader, SummaryFile and Profile filled by the test
		want jobargs.Inspect
	}{
		{"no budget (500 pages, depth 5, no rate limit, 10 minutes), every check, the site's column hints",
			run(func(*sgv1.InspectionRun) {}), site,
			jobargs.Inspect{Output: "json", MaxPages: 500, MaxDepth: 5, Timeout: 10 * time.Minute,
				ColumnHints: []string{"和平要闻=news", "人事信息=personnel"}}},
		{"the run's budget and checks, a scoring profile copy",
			run(func(r *sgv1.InspectionRun) {
				r.Spec.Budget = sgv1.CrawlBudget{MaxPages: 50, MaxDepth: 2, RequestsPerSecond: 3, Timeout: &metav1.Duration{Duration: 90 * time.Second}}
				r.Spec.Checks = []sgv1.InspectionCheck{"availability", "deadlinks", "identity"}
				r.Status.ScoringProfile = &sgv1.ScoringProfileRecord{Source: "sitegroup-system/p:profile.yaml", Digest: "sha256:x", ConfigMap: r.Name + "-profile"}
			}), site,
			jobargs.Inspect{Output: "json", MaxPages: 50, MaxDepth: 2, Rate: 3, Timeout: 90 * time.Second,
				Checks: []string{"availability", "deadlinks", "identity"}, ColumnHints: []string{"和平要闻=news", "人事信息=personnel"}}},
		{"a run's own target, no site",
			run(func(r *sgv1.InspectionRun) {
				r.Spec.SiteRef, r.Spec.TargetURL = nil, "https://www.example.gov.cn/"
				r.Spec.Checks = []sgv1.InspectionCheck{"homepage", "security"}
			}), nil,
			jobargs.Inspect{Output: "json", MaxPages: 500, MaxDepth: 5, Timeout: 10 * time.Minute, Checks: []string{"homepage", "security"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job := builders.InspectionJob(tc.run, tc.site, jobPolicy(), "sitegroup.io/sitegroup:v1")
			c := job.Spec.Template.Spec.Containers[0]
			target := builders.TargetFor(tc.run, tc.site)
			want := defaults
			want.job = tc.want
			want.job.URL, want.job.HostHeader = target.URL, target.Host
			want.job.SummaryFile = terminationMessagePath(c)
			if tc.run.Status.ScoringProfile != nil {
				want.job.Profile = mountPath(t, c, "scoring-profile") + "/" + builders.ScoringProfileKey
			}
			got := parseCommandLine(t, c.Args).(inspectFlags)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the Job's command line %q\nparses as %+v\nwant       %+v", c.Args, got, want)
			}
			if want.job.Profile != "" {
				return // the profile copy exists only in the Job's pod
			}
			if _, err := got.config(); err != nil {
				t.Errorf("the inspector rejects the Job's command line %q: %v", c.Args, err)
			}
		})
	}
}

func TestImportJobCommandLine(t *testing.T) {
	defaults := parseCommandLine(t, []string{"content-import"}).(jobargs.ContentImport)
	for _, src := range []sgv1.ContentImportSource{{ExistingClaim: "old-site"}, {ArchiveURL: "https://old.tj.gov.cn/site.tar.gz"}} {
		site := jobSite(func(s *sgv1.GovWebsite) { s.Spec.Content.ImportFrom = &src })
		c := builders.ImportJob(site, jobPolicy(), "sitegroup.io/sitegroup:v1").Spec.Template.Spec.Containers[0]
		want := jobargs.ContentImport{To: mountPath(t, c, "content"), ArchiveURL: src.ArchiveURL, Timeout: defaults.Timeout}
		if src.ExistingClaim != "" {
			want.FromDir = mountPath(t, c, "import")
		}
		if got := parseCommandLine(t, c.Args); !reflect.DeepEqual(got, want) {
			t.Errorf("the import Job's command line %q parses as %+v, want %+v", c.Args, got, want)
		}
	}
}

func TestNoticeDeploymentCommandLine(t *testing.T) {
	site := jobSite()
	c := builders.NoticeDeployment(site, jobPolicy(), "sitegroup.io/sitegroup:v1").Spec.Template.Spec.Containers[0]
	want := jobargs.Notice{
		Config: mountPath(t, c, "notice") + "/notice.json", // the key of builders.NoticeConfigMap
		Port:   strconv.Itoa(int(site.Spec.Frontend.Port)),
	}
	if len(c.Ports) != 1 || strconv.Itoa(int(c.Ports[0].ContainerPort)) != want.Port {
		t.Fatalf("the notice container declares ports %+v, want %s", c.Ports, want.Port)
	}
	if got := parseCommandLine(t, c.Args); got != want {
		t.Errorf("the notice's command line %q parses as %+v, want %+v", c.Args, got, want)
	}
}

func TestArchiveJobCommandLine(t *testing.T) {
	site := jobSite()
	td := &sgv1.TakedownRequest{
		ObjectMeta: metav1.ObjectMeta{Namespace: site.Namespace, Name: "edu-closure", UID: "td-uid"},
		Spec:       sgv1.TakedownRequestSpec{SiteRef: sgv1.LocalObjectReference{Name: site.Name}, Type: sgv1.TakedownPermanent},
	}
	c := builders.ArchiveJob(td, site, jobPolicy(), "sitegroup.io/sitegroup:v1", 1).Spec.Template.Spec.Containers[0]
	want := jobargs.Archive{
		From: mountPath(t, c, "content"),
		To:   builders.ArchivePath(td),
		// The operator reads the verified digest from the termination message.
		Report: terminationMessagePath(c),
	}
	if c.TerminationMessagePolicy != corev1.TerminationMessageReadFile {
		t.Errorf("the archive's result must travel in the termination message")
	}
	if got := parseCommandLine(t, c.Args); got != want {
		t.Errorf("the archive Job's command line %q parses as %+v, want %+v", c.Args, got, want)
	}
}

func TestArchiveVerifyJobCommandLine(t *testing.T) {
	site := jobSite()
	td := &sgv1.TakedownRequest{
		ObjectMeta: metav1.ObjectMeta{Namespace: site.Namespace, Name: "edu-closure", UID: "td-uid"},
		Spec:       sgv1.TakedownRequestSpec{SiteRef: sgv1.LocalObjectReference{Name: site.Name}, Type: sgv1.TakedownPermanent},
	}
	digest := strings.Repeat("ab", 32)
	job := builders.ArchiveVerifyJob(td, jobPolicy(), "sitegroup.io/sitegroup:v1", 2, digest)
	c := job.Spec.Template.Spec.Containers[0]
	want := jobargs.ArchiveVerify{
		// The reader opens the file the writer of the same takedown wrote.
		Archive: builders.ArchivePath(td),
		SHA256:  digest,
		Report:  terminationMessagePath(c),
	}
	if got := parseCommandLine(t, c.Args); got != want {
		t.Errorf("the read-back Job's command line %q parses as %+v, want %+v", c.Args, got, want)
	}
	if mountPath(t, c, "archive") != builders.ArchiveMountPath {
		t.Errorf("the archive is mounted at %s, the writer's at %s", mountPath(t, c, "archive"), builders.ArchiveMountPath)
	}
	for _, m := range c.VolumeMounts {
		if !m.ReadOnly {
			t.Errorf("T7: the read-back pod mounts %s writable; it must not be able to change what it verifies", m.Name)
		}
	}
	for _, v := range job.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != builders.ArchiveClaimName(site.Name) || !v.PersistentVolumeClaim.ReadOnly {
			t.Errorf("T7: the read-back pod sees the archive claim read-only and nothing else; volume %+v", v)
		}
	}
}
