package builders

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// ServicePort is the port every site Service exposes.
const ServicePort = 80

// FrontendReplicas is the front end's size: the spec's, or zero while the
// site is taken down (the notice pods serve instead, T5).
func FrontendReplicas(site *sgv1.GovWebsite, takenDown bool) int32 {
	if takenDown {
		return 0
	}
	return ptr.Deref(site.Spec.Frontend.Replicas, 2)
}

// FrontendDeployment serves the public site with the content read-only.
func FrontendDeployment(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, takenDown bool) *appsv1.Deployment {
	fe := site.Spec.Frontend
	return deployment(site, p, deploymentParams{
		name:      FrontendName(site),
		component: ComponentFrontend,
		other:     ComponentAdmin,
		public:    true,
		pool:      p.Placement.FrontendNodeSelector,
		replicas:  FrontendReplicas(site, takenDown),
		container: siteContainer("web", fe.Image, fe.Args, portOrDefault(fe.Port), fe.Resources, true),
		readOnly:  true,
	})
}

// AdminDeployment runs the back office with the content read-write, apart
// from the front end (S7).
func AdminDeployment(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) *appsv1.Deployment {
	ad := site.Spec.Admin
	return deployment(site, p, deploymentParams{
		name:      AdminName(site),
		component: ComponentAdmin,
		other:     ComponentFrontend,
		pool:      p.Placement.AdminNodeSelector,
		replicas:  1,
		container: siteContainer("admin", ad.Image, ad.Args, portOrDefault(ad.Port), ad.Resources, false),
		readOnly:  false,
	})
}

type deploymentParams struct {
	name, component, other string
	public                 bool
	pool                   map[string]string
	replicas               int32
	container              corev1.Container
	readOnly               bool
}

func deployment(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, d deploymentParams) *appsv1.Deployment {
	labels := ComponentLabels(site, d.component)
	podLabels := labels
	if d.public {
		podLabels = publicLabels(site, d.component)
	}
	affinity := withHostSeparation(DomesticAffinity(p, d.pool), site, p, d.other)
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: childMeta(site, d.name, labels),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(d.replicas),
			Selector: &metav1.LabelSelector{MatchLabels: ComponentSelector(site, d.component)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
				Spec: corev1.PodSpec{
					AutomountServiceAccountToken: ptr.To(false),
					EnableServiceLinks:           ptr.To(false),
					SecurityContext:              RestrictedPodSecurity(),
					Affinity:                     affinity,
					Containers:                   []corev1.Container{d.container},
					Volumes:                      contentVolumes(site, d.readOnly),
				},
			},
		},
	}
}

func siteContainer(name, image string, args []string, port int32, res corev1.ResourceRequirements, readOnly bool) corev1.Container {
	return corev1.Container{
		Name:            name,
		Image:           image,
		ImagePullPolicy: corev1.PullIfNotPresent,
		Args:            args,
		Ports:           []corev1.ContainerPort{{Name: "http", ContainerPort: port, Protocol: corev1.ProtocolTCP}},
		Env:             []corev1.EnvVar{{Name: "CONTENT_DIR", Value: ContentMountPath}, {Name: "PORT", Value: itoa(port)}},
		ReadinessProbe:  tcpReadiness(port),
		Resources:       res,
		SecurityContext: RestrictedContainerSecurity(),
		VolumeMounts:    contentMounts(readOnly),
	}
}

func portOrDefault(p int32) int32 {
	if p == 0 {
		return 8080
	}
	return p
}

// PublicService is what every route, ingress or load balancer points at.
// It selects the front end, or the notice pods while the site is taken
// down (T5), so the switch works whatever sits in front of the cluster.
func PublicService(site *sgv1.GovWebsite, selector map[string]string, targetPort int32) *corev1.Service {
	return clusterIPService(site, PublicServiceName(site), ComponentFrontend, selector, targetPort)
}

// PreviewService reaches the front end itself, even while the public
// Service shows a takedown's notice: the prereturn inspection (T6) and
// engineers check the site there before the public sees it. No route
// points at it.
func PreviewService(site *sgv1.GovWebsite) *corev1.Service {
	return clusterIPService(site, PreviewServiceName(site), ComponentFrontend, ComponentSelector(site, ComponentFrontend), portOrDefault(site.Spec.Frontend.Port))
}

// AdminService is ClusterIP only: the admin is never exposed (S7).
func AdminService(site *sgv1.GovWebsite) *corev1.Service {
	return clusterIPService(site, AdminServiceName(site), ComponentAdmin, ComponentSelector(site, ComponentAdmin), portOrDefault(site.Spec.Admin.Port))
}

func clusterIPService(site *sgv1.GovWebsite, name, component string, selector map[string]string, targetPort int32) *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: childMeta(site, name, ComponentLabels(site, component)),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: selector,
			Ports: []corev1.ServicePort{{
				Name: "http", Port: ServicePort, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(targetPort),
			}},
		},
	}
}

// FrontendPDB keeps one front-end pod up through node drains; only built
// when the front end has more than one replica.
func FrontendPDB(site *sgv1.GovWebsite) *policyv1.PodDisruptionBudget {
	return &policyv1.PodDisruptionBudget{
		TypeMeta:   metav1.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: childMeta(site, FrontendName(site), ComponentLabels(site, ComponentFrontend)),
		Spec: policyv1.PodDisruptionBudgetSpec{
			MaxUnavailable: ptr.To(intstr.FromInt32(1)),
			Selector:       &metav1.LabelSelector{MatchLabels: ComponentSelector(site, ComponentFrontend)},
		},
	}
}
