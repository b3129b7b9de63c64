package builders

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

func TestT7ContentClaim(t *testing.T) {
	cases := []struct {
		name      string
		content   sgv1.ContentSpec
		wantSize  string
		wantClass string
	}{
		{"T7 default size 5Gi", sgv1.ContentSpec{}, "5Gi", ""},
		{"T7 size and class from the spec", sgv1.ContentSpec{Size: resource.MustParse("20Gi"), StorageClassName: ptr.To("cephfs")}, "20Gi", "cephfs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pvc := ContentClaim(newSite(func(s *sgv1.GovWebsite) { s.Spec.Content = c.content }))
			if len(pvc.OwnerReferences) != 0 {
				t.Errorf("T7 content claim has an owner: %+v", pvc.OwnerReferences)
			}
			if pvc.Name != "edu-content" || pvc.Namespace != testNS || pvc.Kind != "PersistentVolumeClaim" || pvc.APIVersion != "v1" {
				t.Errorf("identity %s %s/%s", pvc.GroupVersionKind(), pvc.Namespace, pvc.Name)
			}
			if pvc.Labels[LabelSite] != "edu" || pvc.Labels[LabelManagedBy] != ManagerName {
				t.Errorf("T7 content claim labels %v must name the site", pvc.Labels)
			}
			if len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != corev1.ReadWriteMany {
				t.Errorf("S7 access modes %v, want RWX (front end and admin on different hosts)", pvc.Spec.AccessModes)
			}
			got := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
			if got.Cmp(resource.MustParse(c.wantSize)) != 0 {
				t.Errorf("size %s, want %s", got.String(), c.wantSize)
			}
			if ptr.Deref(pvc.Spec.StorageClassName, "") != c.wantClass {
				t.Errorf("storage class %v, want %q", pvc.Spec.StorageClassName, c.wantClass)
			}
		})
	}
}

func TestImportJob(t *testing.T) {
	cases := []struct {
		name       string
		src        sgv1.ContentImportSource
		wantArgs   []string
		wantImport bool // the source claim is mounted read-only at /import
	}{
		{"existing claim", sgv1.ContentImportSource{ExistingClaim: "old-site"},
			[]string{"content-import", "--to", "/srv/www", "--from-dir", "/import"}, true},
		{"archive URL", sgv1.ContentImportSource{ArchiveURL: "https://old.tj.gov.cn/site.tar.gz"},
			[]string{"content-import", "--to", "/srv/www", "--archive-url", "https://old.tj.gov.cn/site.tar.gz"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Content.ImportFrom = &c.src })
			job := ImportJob(s, newPolicy(withPools), "sitegroup/operator:v1")
			if job.Name != "edu-content-import" || job.Namespace != testNS || job.Kind != "Job" {
				t.Errorf("identity %s %s/%s", job.GroupVersionKind(), job.Namespace, job.Name)
			}
			requireController(t, "import job", job.OwnerReferences)
			pod := job.Spec.Template.Spec
			ctr := pod.Containers[0]
			if ctr.Image != "sitegroup/operator:v1" || !slices.Equal(ctr.Args, c.wantArgs) {
				t.Errorf("image %s args %v, want %v", ctr.Image, ctr.Args, c.wantArgs)
			}
			if pod.RestartPolicy != corev1.RestartPolicyNever {
				t.Errorf("restart policy %s", pod.RestartPolicy)
			}
			var importVol *corev1.Volume
			for i, v := range pod.Volumes {
				if v.Name == "import" {
					importVol = &pod.Volumes[i]
				}
				if v.Name == "content" && (v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != "edu-content" || v.PersistentVolumeClaim.ReadOnly) {
					t.Errorf("content volume must be edu-content read-write: %+v", v)
				}
			}
			mounted := false
			for _, m := range ctr.VolumeMounts {
				if m.Name == "import" {
					mounted = m.MountPath == "/import" && m.ReadOnly
				}
			}
			if !c.wantImport {
				if importVol != nil || mounted {
					t.Errorf("archive import mounts a source claim: %+v", pod.Volumes)
				}
				return
			}
			if importVol == nil || importVol.PersistentVolumeClaim == nil || importVol.PersistentVolumeClaim.ClaimName != "old-site" || !importVol.PersistentVolumeClaim.ReadOnly {
				t.Errorf("import volume %+v, want claim old-site read-only", importVol)
			}
			if !mounted {
				t.Errorf("source claim not mounted read-only at /import: %+v", ctr.VolumeMounts)
			}
		})
	}
}

func TestS6ImportJobIsDomesticAndRestricted(t *testing.T) {
	s := newSite(func(s *sgv1.GovWebsite) {
		s.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ArchiveURL: "https://old.tj.gov.cn/a.tar.gz"}
	})
	pod := ImportJob(s, newPolicy(withPools), "img").Spec.Template.Spec
	reqs := requiredTerm(t, pod)
	checks := []struct {
		name string
		ok   bool
	}{
		{"S6 import pod requires the allowed regions", hasIn(reqs, "topology.kubernetes.io/region", testRegions...)},
		{"S6 import pod runs in the admin pool", hasIn(reqs, "pool", "office") && hasIn(reqs, "tier", "internal")},
		{"restricted pod", ptr.Deref(pod.SecurityContext.RunAsNonRoot, false) && pod.SecurityContext.SeccompProfile != nil},
		{"restricted container", ptr.Deref(pod.Containers[0].SecurityContext.ReadOnlyRootFilesystem, false) &&
			pod.Containers[0].SecurityContext.Capabilities != nil && len(pod.Containers[0].SecurityContext.Capabilities.Drop) == 1},
		{"no service account token", pod.AutomountServiceAccountToken != nil && !*pod.AutomountServiceAccountToken},
		{"/tmp is writable", hasMount(pod.Containers[0], "tmp", "/tmp")},
		{"memory limited", !pod.Containers[0].Resources.Limits.Memory().IsZero()},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("%s does not hold", c.name)
			}
		})
	}
}

func TestS6SiteNamespace(t *testing.T) {
	ns := SiteNamespace("dept-edu")
	want := map[string]string{
		"pod-security.kubernetes.io/enforce":         "restricted",
		"pod-security.kubernetes.io/enforce-version": "latest",
		LabelSiteNamespace:                           "true",
	}
	if ns.Name != "dept-edu" || ns.Kind != "Namespace" || len(ns.Labels) != len(want) {
		t.Errorf("namespace %s %v", ns.Name, ns.Labels)
	}
	for k, v := range want {
		if ns.Labels[k] != v {
			t.Errorf("label %s=%q, want %q", k, ns.Labels[k], v)
		}
	}
}
