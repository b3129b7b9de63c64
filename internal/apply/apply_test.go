package apply

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/policy"
)

func site() *sgv1.GovWebsite {
	return &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Name: "edu", Namespace: "dept-edu", UID: types.UID("uid-edu")},
		Spec: sgv1.GovWebsiteSpec{
			Domains: []sgv1.Domain{"edu.tj.gov.cn"},
			Frontend: sgv1.FrontendSpec{Image: "nginx:1.27", Port: 8080, Resources: corev1.ResourceRequirements{
				Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1Gi")},
			}},
			Admin: sgv1.AdminSpec{Image: "cms:3", AllowedSourceCIDRs: []sgv1.CIDR{"10.8.0.0/16"}},
		},
	}
}

func pol() sgv1.SiteGroupPolicySpec {
	return policy.InForce(sgv1.SiteGroupPolicySpec{Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1"}},
		Network: sgv1.NetworkPolicyDefaults{AdminAccessNetworks: []sgv1.CIDR{"10.0.0.0/8"}}})
}

func frontend() *appsv1.Deployment { return builders.FrontendDeployment(site(), pol(), false) }

// serverDefaulted is the front end as the API server returns it: metadata,
// defaults and status filled in.
func serverDefaulted() *appsv1.Deployment {
	d := frontend()
	d.UID, d.ResourceVersion, d.Generation = "uid-d", "4711", 3
	d.CreationTimestamp = metav1.Now()
	d.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "sitegroup-operator", Operation: metav1.ManagedFieldsOperationApply}}
	d.Labels["team"] = "ops"
	d.Annotations = map[string]string{"deployment.kubernetes.io/revision": "2"}
	d.Spec.ProgressDeadlineSeconds = ptr.To[int32](600)
	d.Spec.RevisionHistoryLimit = ptr.To[int32](10)
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType}
	pod := &d.Spec.Template.Spec
	pod.RestartPolicy = corev1.RestartPolicyAlways
	pod.DNSPolicy = corev1.DNSClusterFirst
	pod.SchedulerName = corev1.DefaultSchedulerName
	pod.TerminationGracePeriodSeconds = ptr.To[int64](30)
	pod.ServiceAccountName = "default"
	c := &pod.Containers[0]
	c.TerminationMessagePath = corev1.TerminationMessagePathDefault
	c.TerminationMessagePolicy = corev1.TerminationMessageReadFile
	// The server writes the limit back canonically; requests default to limits.
	c.Resources.Limits = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1024Mi")}
	c.Resources.Requests = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1024Mi")}
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: 3, Replicas: 2, ReadyReplicas: 2, AvailableReplicas: 2}
	return d
}

func TestUpToDateDeployment(t *testing.T) {
	cases := []struct {
		name string
		live func(*appsv1.Deployment)
		want bool
	}{
		{"identical", func(*appsv1.Deployment) {}, true},
		{"server defaults, status, extra labels and metadata", nil, true},
		{"replicas changed by hand", func(d *appsv1.Deployment) { d.Spec.Replicas = ptr.To[int32](5) }, false},
		{"replicas scaled to zero by hand", func(d *appsv1.Deployment) { d.Spec.Replicas = ptr.To[int32](0) }, false},
		{"image changed", func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "nginx:latest" }, false},
		{"label value changed", func(d *appsv1.Deployment) { d.Labels[builders.LabelSite] = "other" }, false},
		{"label removed", func(d *appsv1.Deployment) { delete(d.Labels, builders.LabelManagedBy) }, false},
		{"pod label changed", func(d *appsv1.Deployment) { d.Spec.Template.Labels[builders.LabelComponent] = "admin" }, false},
		{"owner reference missing", func(d *appsv1.Deployment) { d.OwnerReferences = nil }, false},
		{"owner reference to another site", func(d *appsv1.Deployment) { d.OwnerReferences[0].UID = "uid-other" }, false},
		{"memory limit changed", func(d *appsv1.Deployment) {
			d.Spec.Template.Spec.Containers[0].Resources.Limits[corev1.ResourceMemory] = resource.MustParse("2Gi")
		}, false},
		{"1024Mi is 1Gi", func(d *appsv1.Deployment) {
			d.Spec.Template.Spec.Containers[0].Resources.Limits[corev1.ResourceMemory] = resource.MustParse("1024Mi")
		}, true},
		{"S6 region requirement edited", func(d *appsv1.Deployment) {
			d.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values = []string{"us-east-1"}
		}, false},
		{"S6 node affinity removed", func(d *appsv1.Deployment) { d.Spec.Template.Spec.Affinity.NodeAffinity = nil }, false},
		{"S7 anti-affinity removed", func(d *appsv1.Deployment) { d.Spec.Template.Spec.Affinity.PodAntiAffinity = nil }, false},
		{"read-only root filesystem turned off", func(d *appsv1.Deployment) {
			d.Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = ptr.To(false)
		}, false},
		{"content mount made writable", func(d *appsv1.Deployment) {
			d.Spec.Template.Spec.Containers[0].VolumeMounts[0].ReadOnly = false
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			live := serverDefaulted()
			if c.live != nil {
				live = frontend()
				c.live(live)
			}
			if got := UpToDate(frontend(), live); got != c.want {
				t.Errorf("UpToDate = %v, want %v", got, c.want)
			}
		})
	}
}

func TestUpToDateOnServerDefaultedCopy(t *testing.T) {
	// The hand edits above, applied to a server-defaulted live object.
	edits := map[string]func(*appsv1.Deployment){
		"replicas": func(d *appsv1.Deployment) { d.Spec.Replicas = ptr.To[int32](1) },
		"image":    func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "evil:1" },
		"env":      func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Env[0].Value = "/" },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			live := serverDefaulted()
			edit(live)
			if UpToDate(frontend(), live) {
				t.Errorf("hand edit of %s not detected", name)
			}
		})
	}
}

func TestUpToDateDoesNotMutate(t *testing.T) {
	desired, live := frontend(), serverDefaulted()
	UpToDate(desired, live)
	if desired.ResourceVersion != "" || desired.Status.Replicas != 0 || desired.Kind != "Deployment" {
		t.Errorf("UpToDate changed the desired object: %+v %+v", desired.ObjectMeta, desired.Status)
	}
	if live.ResourceVersion != "4711" || live.Status.Replicas != 2 {
		t.Errorf("UpToDate changed the live object")
	}
}

func TestUpToDateOtherKinds(t *testing.T) {
	s := site()
	svc := func() *corev1.Service { return builders.AdminService(s) }
	np := func() *networkingv1.NetworkPolicy { return builders.NetworkPolicies(s, pol())[2] }
	route := func() *gatewayv1.HTTPRoute {
		return builders.HTTPRoute(s, sgv1.GatewayParentRef{Name: "public", Namespace: "gw"}, []string{"edu.tj.gov.cn"})
	}
	pvc := func() *corev1.PersistentVolumeClaim { return builders.ContentClaim(s) }
	cases := []struct {
		name          string
		desired, live client.Object
		want          bool
	}{
		{"service with server-assigned fields", svc(), func() client.Object {
			l := svc()
			l.ResourceVersion = "9"
			l.Spec.ClusterIP, l.Spec.ClusterIPs = "10.96.0.12", []string{"10.96.0.12"}
			l.Spec.IPFamilies = []corev1.IPFamily{corev1.IPv4Protocol}
			l.Spec.IPFamilyPolicy = ptr.To(corev1.IPFamilyPolicySingleStack)
			l.Spec.SessionAffinity = corev1.ServiceAffinityNone
			l.Spec.InternalTrafficPolicy = ptr.To(corev1.ServiceInternalTrafficPolicyCluster)
			return l
		}(), true},
		{"S7 admin service made NodePort", svc(), func() client.Object {
			l := svc()
			l.Spec.Type = corev1.ServiceTypeNodePort
			l.Spec.Ports[0].NodePort = 30080
			return l
		}(), false},
		{"S7 admin service made LoadBalancer", svc(), func() client.Object {
			l := svc()
			l.Spec.Type = corev1.ServiceTypeLoadBalancer
			return l
		}(), false},
		{"S7 admin peer CIDR widened", np(), func() client.Object {
			l := np()
			l.Spec.Ingress[0].From[1].IPBlock.CIDR = "0.0.0.0/0"
			return l
		}(), false},
		{"S7 admin port changed", np(), func() client.Object {
			l := np()
			l.Spec.Ingress[0].Ports = nil
			return l
		}(), false},
		{"route with Gateway API defaults", route(), func() client.Object {
			l := route()
			l.Spec.Rules[0].Matches = []gatewayv1.HTTPRouteMatch{{Path: &gatewayv1.HTTPPathMatch{
				Type: ptr.To(gatewayv1.PathMatchPathPrefix), Value: ptr.To("/"),
			}}}
			b := &l.Spec.Rules[0].BackendRefs[0]
			b.Group, b.Kind, b.Weight = ptr.To[gatewayv1.Group](""), ptr.To[gatewayv1.Kind]("Service"), ptr.To[int32](1)
			l.Status.Parents = []gatewayv1.RouteParentStatus{{ControllerName: "example.net/gw"}}
			return l
		}(), true},
		{"route hostname changed", route(), func() client.Object {
			l := route()
			l.Spec.Hostnames[0] = "evil.example.com"
			return l
		}(), false},
		{"T7 content claim bound", pvc(), func() client.Object {
			l := pvc()
			l.Spec.VolumeName = "pv-123"
			l.Spec.VolumeMode = ptr.To(corev1.PersistentVolumeFilesystem)
			l.Spec.StorageClassName = ptr.To("standard")
			l.Spec.Resources.Requests[corev1.ResourceStorage] = resource.MustParse("5120Mi")
			l.Status.Phase = corev1.ClaimBound
			l.Annotations = map[string]string{builders.AnnotationContentImported: "2025-01-01T00:00:00Z"}
			return l
		}(), true},
		{"content claim grown in spec", func() client.Object {
			d := pvc()
			d.Spec.Resources.Requests[corev1.ResourceStorage] = resource.MustParse("10Gi")
			return d
		}(), pvc(), false},
		{"desired annotation missing", func() client.Object {
			d := pvc()
			d.Annotations = map[string]string{"a": "b"}
			return d
		}(), pvc(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := UpToDate(c.desired, c.live); got != c.want {
				t.Errorf("UpToDate = %v, want %v", got, c.want)
			}
		})
	}
}

// Semantic.DeepDerivative alone treats a live list longer than the desired
// one as up to date; UpToDate must not, or an entry added by hand (or
// removed from the spec) would never be put back (S3, S6, S7).
func TestUpToDateListGrewByHand(t *testing.T) {
	s := site()
	np := func() *networkingv1.NetworkPolicy { return builders.NetworkPolicies(s, pol())[2] }
	cases := []struct {
		name          string
		desired, live client.Object
	}{
		{"S7 admin opened to the internet by an extra peer", np(), func() client.Object {
			l := np()
			l.Spec.Ingress[0].From = append(l.Spec.Ingress[0].From, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0"}})
			return l
		}()},
		{"S7 office CIDR removed from the spec", func() client.Object {
			s2 := site()
			s2.Spec.Admin.AllowedSourceCIDRs = nil
			return builders.NetworkPolicies(s2, pol())[2]
		}(), np()},
		{"S6 region removed from the policy stays allowed", builders.FrontendDeployment(s, policy.InForce(sgv1.SiteGroupPolicySpec{
			Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1"}},
		}), false), builders.FrontendDeployment(s, policy.InForce(sgv1.SiteGroupPolicySpec{
			Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1", "hk-1"}},
		}), false)},
		{"S3 domain removed from the spec stays routed", builders.HTTPRoute(s, sgv1.GatewayParentRef{Name: "gw", Namespace: "gw"}, []string{"edu.tj.gov.cn"}),
			builders.HTTPRoute(s, sgv1.GatewayParentRef{Name: "gw", Namespace: "gw"}, []string{"edu.tj.gov.cn", "old.example.com"})},
		{"sidecar container added by hand", frontend(), func() client.Object {
			l := frontend()
			l.Spec.Template.Spec.Containers = append(l.Spec.Template.Spec.Containers, corev1.Container{Name: "proxy", Image: "squid"})
			return l
		}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if UpToDate(c.desired, c.live) {
				t.Errorf("UpToDate = true, want false")
			}
		})
	}
}
