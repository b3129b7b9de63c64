package builders

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// deployments returns both Deployments of a site, named for table tests.
func deployments(s *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) map[string]*appsv1.Deployment {
	return map[string]*appsv1.Deployment{
		ComponentFrontend: FrontendDeployment(s, p, false),
		ComponentAdmin:    AdminDeployment(s, p),
	}
}

func TestDeploymentsAreRestricted(t *testing.T) {
	for component, d := range deployments(newSite(), newPolicy()) {
		pod := d.Spec.Template.Spec
		c := pod.Containers[0]
		checks := []struct {
			name string
			ok   bool
		}{
			{"pod runAsNonRoot", ptr.Deref(pod.SecurityContext.RunAsNonRoot, false)},
			{"pod seccomp RuntimeDefault", pod.SecurityContext.SeccompProfile != nil && pod.SecurityContext.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault},
			{"pod runs as a non-zero uid", ptr.Deref(pod.SecurityContext.RunAsUser, 0) != 0},
			{"no service account token", pod.AutomountServiceAccountToken != nil && !*pod.AutomountServiceAccountToken},
			{"one container", len(pod.Containers) == 1},
			{"container runAsNonRoot", ptr.Deref(c.SecurityContext.RunAsNonRoot, false)},
			{"container readOnlyRootFilesystem", ptr.Deref(c.SecurityContext.ReadOnlyRootFilesystem, false)},
			{"container no privilege escalation", c.SecurityContext.AllowPrivilegeEscalation != nil && !*c.SecurityContext.AllowPrivilegeEscalation},
			{"container drops ALL", c.SecurityContext.Capabilities != nil && len(c.SecurityContext.Capabilities.Drop) == 1 && c.SecurityContext.Capabilities.Drop[0] == "ALL" && len(c.SecurityContext.Capabilities.Add) == 0},
			{"container not privileged", !ptr.Deref(c.SecurityContext.Privileged, false)},
			{"no host network", !pod.HostNetwork && !pod.HostPID && !pod.HostIPC},
		}
		for _, ch := range checks {
			t.Run(component+"/"+ch.name, func(t *testing.T) {
				if !ch.ok {
					t.Errorf("%s deployment: %s does not hold", component, ch.name)
				}
			})
		}
	}
}

func TestContentMountAccess(t *testing.T) {
	cases := []struct {
		component    string
		wantReadOnly bool
	}{
		{ComponentFrontend, true},
		{ComponentAdmin, false},
	}
	ds := deployments(newSite(), newPolicy())
	for _, c := range cases {
		t.Run(c.component, func(t *testing.T) {
			pod := ds[c.component].Spec.Template.Spec
			var vol *corev1.Volume
			for i := range pod.Volumes {
				if pod.Volumes[i].Name == "content" {
					vol = &pod.Volumes[i]
				}
			}
			if vol == nil || vol.PersistentVolumeClaim == nil || vol.PersistentVolumeClaim.ClaimName != "edu-content" {
				t.Fatalf("no content volume from claim edu-content: %+v", pod.Volumes)
			}
			if vol.PersistentVolumeClaim.ReadOnly != c.wantReadOnly {
				t.Errorf("claim readOnly = %v, want %v", vol.PersistentVolumeClaim.ReadOnly, c.wantReadOnly)
			}
			var mount *corev1.VolumeMount
			for i, m := range pod.Containers[0].VolumeMounts {
				if m.Name == "content" {
					mount = &pod.Containers[0].VolumeMounts[i]
				}
			}
			if mount == nil || mount.MountPath != ContentMountPath {
				t.Fatalf("content not mounted at %s: %+v", ContentMountPath, pod.Containers[0].VolumeMounts)
			}
			if mount.ReadOnly != c.wantReadOnly {
				t.Errorf("mount readOnly = %v, want %v", mount.ReadOnly, c.wantReadOnly)
			}
			// The root filesystem is read-only, so /tmp must be a writable scratch volume.
			if !hasMount(pod.Containers[0], "tmp", "/tmp") {
				t.Errorf("no /tmp scratch mount")
			}
		})
	}
}

func hasMount(c corev1.Container, name, path string) bool {
	for _, m := range c.VolumeMounts {
		if m.Name == name && m.MountPath == path && !m.ReadOnly {
			return true
		}
	}
	return false
}

func TestS6DeploymentsRequireAllowedRegionsAndPools(t *testing.T) {
	cases := []struct {
		name      string
		p         sgv1.SiteGroupPolicySpec
		component string
		pool      map[string]string
	}{
		{"S6 frontend, no pool", newPolicy(), ComponentFrontend, nil},
		{"S6 admin, no pool", newPolicy(), ComponentAdmin, nil},
		{"S6 S7 frontend in its pool", newPolicy(withPools), ComponentFrontend, map[string]string{"pool": "dmz"}},
		{"S6 S7 admin in its pool", newPolicy(withPools), ComponentAdmin, map[string]string{"pool": "office", "tier": "internal"}},
		{"S6 custom region label", newPolicy(func(p *sgv1.SiteGroupPolicySpec) { p.Placement.NodeLabelKey = "example.cn/zone" }), ComponentFrontend, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pod := deployments(newSite(), c.p)[c.component].Spec.Template.Spec
			reqs := requiredTerm(t, pod)
			if !hasIn(reqs, c.p.Placement.NodeLabelKey, testRegions...) {
				t.Errorf("no requirement %s In %v: %+v", c.p.Placement.NodeLabelKey, testRegions, reqs)
			}
			for k, v := range c.pool {
				if !hasIn(reqs, k, v) {
					t.Errorf("no pool requirement %s=%s: %+v", k, v, reqs)
				}
			}
			if want := 1 + len(c.pool); len(reqs) != want {
				t.Errorf("%d requirements, want %d: %+v", len(reqs), want, reqs)
			}
			if len(pod.NodeSelector) != 0 {
				t.Errorf("unexpected nodeSelector %v", pod.NodeSelector)
			}
		})
	}
}

func TestS6DomesticAffinityCopiesRegions(t *testing.T) {
	p := newPolicy()
	a := DomesticAffinity(p, nil)
	a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values[0] = "us-east-1"
	if p.Placement.AllowedRegions[0] != "cn-north-1" {
		t.Errorf("S6: the affinity shares its region list with the policy")
	}
}

func TestS7HostSeparation(t *testing.T) {
	cases := []struct {
		name         string
		p            sgv1.SiteGroupPolicySpec
		component    string
		other        string
		wantRequired bool
	}{
		{"S7 required keeps frontend off admin hosts", newPolicy(), ComponentFrontend, ComponentAdmin, true},
		{"S7 required keeps admin off frontend hosts", newPolicy(), ComponentAdmin, ComponentFrontend, true},
		{"S7 preferred frontend", newPolicy(preferred), ComponentFrontend, ComponentAdmin, false},
		{"S7 preferred admin", newPolicy(preferred), ComponentAdmin, ComponentFrontend, false},
		{"S7 unset policy is required", sgv1.SiteGroupPolicySpec{Placement: sgv1.PlacementPolicy{AllowedRegions: testRegions}}, ComponentAdmin, ComponentFrontend, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite()
			aa := deployments(s, c.p)[c.component].Spec.Template.Spec.Affinity.PodAntiAffinity
			if aa == nil {
				t.Fatal("no pod anti-affinity")
			}
			var term corev1.PodAffinityTerm
			switch {
			case c.wantRequired:
				if len(aa.RequiredDuringSchedulingIgnoredDuringExecution) != 1 || len(aa.PreferredDuringSchedulingIgnoredDuringExecution) != 0 {
					t.Fatalf("want one required term only: %+v", aa)
				}
				term = aa.RequiredDuringSchedulingIgnoredDuringExecution[0]
			default:
				if len(aa.PreferredDuringSchedulingIgnoredDuringExecution) != 1 || len(aa.RequiredDuringSchedulingIgnoredDuringExecution) != 0 {
					t.Fatalf("want one preferred term only: %+v", aa)
				}
				if w := aa.PreferredDuringSchedulingIgnoredDuringExecution[0].Weight; w != 100 {
					t.Errorf("preferred weight %d, want 100", w)
				}
				term = aa.PreferredDuringSchedulingIgnoredDuringExecution[0].PodAffinityTerm
			}
			if term.TopologyKey != corev1.LabelHostname {
				t.Errorf("topology key %q, want %q", term.TopologyKey, corev1.LabelHostname)
			}
			sel, err := metav1.LabelSelectorAsSelector(term.LabelSelector)
			if err != nil {
				t.Fatal(err)
			}
			if !sel.Matches(labels.Set(podLabels(s, c.other))) {
				t.Errorf("term %v does not select the %s pods", term.LabelSelector, c.other)
			}
			if sel.Matches(labels.Set(podLabels(s, c.component))) {
				t.Errorf("term %v selects the component's own pods", term.LabelSelector)
			}
			if sel.Matches(labels.Set(podLabels(newSite(func(o *sgv1.GovWebsite) { o.Name = "other" }), c.other))) {
				t.Errorf("term %v selects another site's pods", term.LabelSelector)
			}
		})
	}
}

func TestReplicas(t *testing.T) {
	cases := []struct {
		name      string
		replicas  *int32
		takenDown bool
		want      int32
	}{
		{"default is 2", nil, false, 2},
		{"spec wins", ptr.To[int32](5), false, 5},
		{"one replica", ptr.To[int32](1), false, 1},
		{"T5 taken down is 0", ptr.To[int32](5), true, 0},
		{"T5 taken down with default is 0", nil, true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Frontend.Replicas = c.replicas })
			if got := FrontendReplicas(s, c.takenDown); got != c.want {
				t.Errorf("FrontendReplicas = %d, want %d", got, c.want)
			}
			if got := ptr.Deref(FrontendDeployment(s, newPolicy(), c.takenDown).Spec.Replicas, -1); got != c.want {
				t.Errorf("deployment replicas = %d, want %d", got, c.want)
			}
		})
	}
	if got := ptr.Deref(AdminDeployment(newSite(), newPolicy()).Spec.Replicas, -1); got != 1 {
		t.Errorf("admin replicas = %d, want 1", got)
	}
}

func TestDeploymentShape(t *testing.T) {
	s := newSite(func(s *sgv1.GovWebsite) {
		s.Spec.Frontend.Args = []string{"--gzip"}
		s.Spec.Frontend.Resources = corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")}}
	})
	cases := []struct {
		component, name, container, image string
		port                              int32
	}{
		{ComponentFrontend, "edu-frontend", "web", "nginx:1.27", 8080},
		{ComponentAdmin, "edu-admin", "admin", "cms-admin:3", 9090},
	}
	ds := deployments(s, newPolicy())
	for _, c := range cases {
		t.Run(c.component, func(t *testing.T) {
			d := ds[c.component]
			if d.APIVersion != "apps/v1" || d.Kind != "Deployment" {
				t.Errorf("type meta %v: server-side apply needs it", d.TypeMeta)
			}
			if d.Name != c.name || d.Namespace != testNS {
				t.Errorf("name %s/%s, want %s/%s", d.Namespace, d.Name, testNS, c.name)
			}
			requireController(t, c.name, d.OwnerReferences)
			sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
			if err != nil {
				t.Fatal(err)
			}
			if !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
				t.Errorf("selector %v does not match template labels %v", d.Spec.Selector, d.Spec.Template.Labels)
			}
			if d.Spec.Template.Labels[LabelComponent] != c.component || d.Labels[LabelManagedBy] != ManagerName {
				t.Errorf("labels: object %v, template %v", d.Labels, d.Spec.Template.Labels)
			}
			ctr := d.Spec.Template.Spec.Containers[0]
			if ctr.Name != c.container || ctr.Image != c.image {
				t.Errorf("container %s image %s, want %s %s", ctr.Name, ctr.Image, c.container, c.image)
			}
			if len(ctr.Ports) != 1 || ctr.Ports[0].ContainerPort != c.port || ctr.Ports[0].Name != "http" {
				t.Errorf("ports %+v, want http %d", ctr.Ports, c.port)
			}
			if ctr.ReadinessProbe == nil || ctr.ReadinessProbe.TCPSocket == nil || ctr.ReadinessProbe.TCPSocket.Port.IntValue() != int(c.port) {
				t.Errorf("readiness probe %+v does not check port %d", ctr.ReadinessProbe, c.port)
			}
		})
	}
	fe := ds[ComponentFrontend].Spec.Template.Spec.Containers[0]
	if len(fe.Args) != 1 || fe.Args[0] != "--gzip" {
		t.Errorf("frontend args %v", fe.Args)
	}
	if q := fe.Resources.Limits[corev1.ResourceMemory]; q.String() != "256Mi" {
		t.Errorf("frontend memory limit %s", q.String())
	}
}

func TestPortDefault(t *testing.T) {
	s := newSite(func(s *sgv1.GovWebsite) { s.Spec.Frontend.Port, s.Spec.Admin.Port = 0, 0 })
	for component, d := range deployments(s, newPolicy()) {
		if got := d.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort; got != 8080 {
			t.Errorf("%s: default port %d, want 8080", component, got)
		}
	}
	if got := AdminService(s).Spec.Ports[0].TargetPort.IntValue(); got != 8080 {
		t.Errorf("admin service default target port %d, want 8080", got)
	}
}

func TestServicesAreClusterIP(t *testing.T) {
	s := newSite()
	feSel := ComponentSelector(s, ComponentFrontend)
	cases := []struct {
		name       string
		svc        *corev1.Service
		wantName   string
		wantSel    map[string]string
		wantTarget int
	}{
		{"public service", PublicService(s, feSel, 8080), "edu-web", feSel, 8080},
		{"T5 public service selects notice pods", PublicService(s, map[string]string{"notice": "edu"}, 8081), "edu-web", map[string]string{"notice": "edu"}, 8081},
		{"S7 admin service is ClusterIP", AdminService(s), "edu-admin", ComponentSelector(s, ComponentAdmin), 9090},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := c.svc.Spec
			if sp.Type != corev1.ServiceTypeClusterIP {
				t.Errorf("type %s, want ClusterIP", sp.Type)
			}
			if len(sp.ExternalIPs) != 0 || sp.LoadBalancerIP != "" || sp.ExternalName != "" {
				t.Errorf("service exposed outside the cluster: %+v", sp)
			}
			if c.svc.Name != c.wantName || c.svc.Namespace != testNS {
				t.Errorf("name %s/%s", c.svc.Namespace, c.svc.Name)
			}
			if !labels.Equals(sp.Selector, c.wantSel) {
				t.Errorf("selector %v, want %v", sp.Selector, c.wantSel)
			}
			if len(sp.Ports) != 1 || sp.Ports[0].Port != ServicePort || sp.Ports[0].TargetPort.IntValue() != c.wantTarget || sp.Ports[0].NodePort != 0 {
				t.Errorf("ports %+v, want %d -> %d", sp.Ports, ServicePort, c.wantTarget)
			}
			requireController(t, c.name, c.svc.OwnerReferences)
		})
	}
}

func TestFrontendPDB(t *testing.T) {
	s := newSite()
	pdb := FrontendPDB(s)
	if pdb.Name != "edu-frontend" || pdb.Namespace != testNS {
		t.Errorf("name %s/%s", pdb.Namespace, pdb.Name)
	}
	if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 || pdb.Spec.MinAvailable != nil {
		t.Errorf("want maxUnavailable=1 only: %+v", pdb.Spec)
	}
	sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	if !sel.Matches(labels.Set(podLabels(s, ComponentFrontend))) || sel.Matches(labels.Set(podLabels(s, ComponentAdmin))) {
		t.Errorf("PDB selector %v must select the front end only", pdb.Spec.Selector)
	}
	requireController(t, "pdb", pdb.OwnerReferences)
}
