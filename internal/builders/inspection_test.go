package builders

import (
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func inspectionRun(mutate ...func(*sgv1.InspectionRun)) *sgv1.InspectionRun {
	r := &sgv1.InspectionRun{
		ObjectMeta: metav1.ObjectMeta{Namespace: "tjhp-edu", Name: "edu-daily-1", UID: "run-uid"},
		Spec:       sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: "edu"}, Purpose: sgv1.PurposeDaily},
	}
	for _, m := range mutate {
		m(r)
	}
	return r
}

// argValue returns the value after a flag, or "" when absent.
func argValue(args []string, flag string) string {
	if i := slices.Index(args, flag); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

func TestInspectionJob(t *testing.T) {
	s := newSite()
	tests := []struct {
		name   string
		run    *sgv1.InspectionRun
		site   *sgv1.GovWebsite
		checks map[string]string // flag -> value ("" means absent)
	}{
		{"the site's Service, judged as its domain", inspectionRun(), s, map[string]string{
			"--url": "http://edu-web." + s.Namespace + ".svc/", "--host-header": string(s.Spec.Domains[0]),
			"--summary-file": "/dev/termination-log", "--max-pages": "500", "--max-depth": "5", "--timeout": "10m0s",
		}},
		{"a run's target URL wins", inspectionRun(func(r *sgv1.InspectionRun) { r.Spec.TargetURL = "http://127.0.0.1:8080/" }), s, map[string]string{
			"--url": "http://127.0.0.1:8080/", "--host-header": "",
		}},
		{"the run's budget bounds the crawl", inspectionRun(func(r *sgv1.InspectionRun) {
			r.Spec.Budget = sgv1.CrawlBudget{MaxPages: 50, MaxDepth: 2, RequestsPerSecond: 3, Timeout: &metav1.Duration{Duration: 3 * time.Minute}}
		}), s, map[string]string{"--max-pages": "50", "--max-depth": "2", "--rate": "3", "--timeout": "3m0s"}},
		{"T6: a prereturn run reads the front end behind the notice, through the preview Service", inspectionRun(func(r *sgv1.InspectionRun) {
			r.Spec.Purpose = sgv1.PurposePrereturn
		}), s, map[string]string{"--url": "http://edu-preview." + s.Namespace + ".svc/", "--host-header": string(s.Spec.Domains[0])}},
		{"selected checks only", inspectionRun(func(r *sgv1.InspectionRun) {
			r.Spec.Checks = []sgv1.InspectionCheck{"availability", "deadlinks"}
		}), s, map[string]string{"--checks": "availability,deadlinks", "--profile": ""}},
		{"a named scoring profile is read from the run's own copy", inspectionRun(func(r *sgv1.InspectionRun) {
			r.Status.ScoringProfile = &sgv1.ScoringProfileRecord{Source: "sitegroup-system/p:profile.yaml", Digest: "sha256:x", ConfigMap: r.Name + "-profile"}
		}), s, map[string]string{"--profile": "/etc/sitegroup/scoring/profile.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := InspectionJob(tt.run, tt.site, newPolicy(), "sitegroup.io/sitegroup:v1")
			c := job.Spec.Template.Spec.Containers[0]
			if c.Args[0] != "inspect" {
				t.Fatalf("args %v", c.Args)
			}
			for flag, want := range tt.checks {
				if got := argValue(c.Args, flag); got != want {
					t.Errorf("%s = %q, want %q (args %v)", flag, got, want, c.Args)
				}
			}
			if c.TerminationMessagePolicy != corev1.TerminationMessageReadFile {
				t.Error("the summary travels in the termination message")
			}
			if !*c.SecurityContext.ReadOnlyRootFilesystem || *job.Spec.Template.Spec.AutomountServiceAccountToken {
				t.Error("restricted pod, no API token")
			}
			if job.Spec.Template.Spec.Affinity.NodeAffinity == nil {
				t.Error("S6: the inspection runs on domestic nodes")
			}
			if got := *job.Spec.ActiveDeadlineSeconds; got <= int64(inspectionTimeout(tt.run).Seconds()) {
				t.Errorf("deadline %ds must exceed the crawl's own budget", got)
			}
			if sp := tt.run.Status.ScoringProfile; sp != nil && !hasConfigMapVolume(job, sp.ConfigMap) {
				t.Errorf("the profile copy %s is not mounted", sp.ConfigMap)
			}
			if job.OwnerReferences[0].Kind != "InspectionRun" || job.Labels[LabelInspectionRun] != tt.run.Name {
				t.Error("owned and labelled by its run")
			}
		})
	}
}

func TestInspectionJobColumnHints(t *testing.T) {
	s := newSite(func(s *sgv1.GovWebsite) {
		s.Spec.Inspection.ColumnHints = []sgv1.ColumnHint{{Name: "和平要闻", Kind: "news"}, {Name: "人事信息", Kind: "personnel"}}
	})
	args := strings.Join(InspectionJob(inspectionRun(), s, newPolicy(), "img").Spec.Template.Spec.Containers[0].Args, " ")
	for _, want := range []string{"--column-hint 和平要闻=news", "--column-hint 人事信息=personnel"} {
		if !strings.Contains(args, want) {
			t.Errorf("args lack %q: %s", want, args)
		}
	}
}

func TestInspectionEgressReachesOnlyTheSite(t *testing.T) {
	s := newSite()
	np := InspectionEgress(inspectionRun(), s)
	if np.Spec.PodSelector.MatchLabels[LabelComponent] != ComponentInspection {
		t.Fatal("selects the inspection pods")
	}
	if len(np.Spec.Egress) != 2 {
		t.Fatalf("egress: DNS and the site's public pods, got %d rules", len(np.Spec.Egress))
	}
	to := np.Spec.Egress[1].To[0]
	if to.PodSelector.MatchLabels[LabelSite] != s.Name || to.PodSelector.MatchLabels[LabelPublic] != "true" || to.NamespaceSelector != nil || to.IPBlock != nil {
		t.Errorf("the inspection may reach only the site's public pods: %+v", to)
	}
}

// TestInspectionOwners: the egress policy is the site's, shared by its
// runs, so it outlives any one run; the Job and the profile copy are the
// run's and go with it.
func TestInspectionOwners(t *testing.T) {
	s := newSite()
	run := inspectionRun(func(r *sgv1.InspectionRun) { r.Namespace = s.Namespace })
	requireController(t, "the inspection egress policy", InspectionEgress(run, s).OwnerReferences)
	for what, refs := range map[string][]metav1.OwnerReference{
		"the inspection Job":       InspectionJob(run, s, newPolicy(), "img").OwnerReferences,
		"the scoring profile copy": ScoringProfileConfigMap(run, "name: x\n").OwnerReferences,
	} {
		if len(refs) != 1 {
			t.Fatalf("%s: %d owner references, want 1", what, len(refs))
		}
		r := refs[0]
		if r.Kind != "InspectionRun" || r.Name != run.Name || r.UID != run.UID || r.APIVersion != sgv1.GroupVersion.String() ||
			!ptr.Deref(r.Controller, false) || !ptr.Deref(r.BlockOwnerDeletion, false) {
			t.Errorf("%s: owner %+v is not the run, as controller", what, r)
		}
	}
}

func hasConfigMapVolume(job *batchv1.Job, name string) bool {
	for _, v := range job.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil && v.ConfigMap.Name == name {
			return true
		}
	}
	return false
}

// TestInspectionJobPortal: a portal is inspected as one (000 §二(三): its
// homepage carries a 国务院信息 column); a department site is not.
func TestInspectionJobPortal(t *testing.T) {
	args := func(kind sgv1.SiteKind) string {
		s := newSite()
		s.Spec.SiteKind = kind
		return strings.Join(InspectionJob(inspectionRun(), s, newPolicy(), "img").Spec.Template.Spec.Containers[0].Args, " ")
	}
	if !strings.Contains(args(sgv1.SiteKindPortal), "--portal") || strings.Contains(args(sgv1.SiteKindDepartment), "--portal") {
		t.Errorf("portal: %s; department: %s", args(sgv1.SiteKindPortal), args(sgv1.SiteKindDepartment))
	}
}
