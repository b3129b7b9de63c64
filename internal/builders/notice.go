package builders

import (
	"encoding/json"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/jobargs"
	"sitegroup.io/operator/internal/notice"
)

// ComponentNotice serves the closure notice while a site is taken down (T5).
const ComponentNotice = "notice"

// LabelPublic marks the pods that may take public traffic: the front end,
// or the notice pods in its place. The front-end NetworkPolicy selects it.
const LabelPublic = "sitegroup.io/public"

func NoticeName(site *sgv1.GovWebsite) string { return site.Name + "-notice" }

// Takedown is the takedown in force on a site, as the builders need it.
type Takedown struct {
	Name string
	Page notice.Page
	// Returning: the return is filed (T6). The front end runs again, behind
	// the notice, so the prereturn inspection can check it through the
	// preview Service before the public sees it.
	Returning bool
}

// NoticeConfigMap carries the rendered notice the notice pods serve.
func NoticeConfigMap(site *sgv1.GovWebsite, page notice.Page) (*corev1.ConfigMap, error) {
	return noticeConfigMap(site, NoticeName(site), ComponentNotice, page)
}

func noticeConfigMap(site *sgv1.GovWebsite, name, component string, page notice.Page) (*corev1.ConfigMap, error) {
	data, err := json.MarshalIndent(page, "", "  ")
	if err != nil {
		return nil, err
	}
	return &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: childMeta(site, name, ComponentLabels(site, component)),
		Data:       map[string]string{"notice.json": string(data)},
	}, nil
}

// NoticeDeployment runs `sitegroup notice` on the front end's port and
// hosts, so the public Service can point at it instead of the front end.
func NoticeDeployment(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, operatorImage string) *appsv1.Deployment {
	return noticeDeployment(site, NoticeName(site), ComponentNotice, p, operatorImage)
}

// noticeDeployment runs `sitegroup notice` with the ConfigMap of the same
// name; its pods are public (the gateway may reach them).
func noticeDeployment(site *sgv1.GovWebsite, name, component string, p sgv1.SiteGroupPolicySpec, operatorImage string) *appsv1.Deployment {
	port := portOrDefault(site.Spec.Frontend.Port)
	labels := publicLabels(site, component)
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: childMeta(site, name, ComponentLabels(site, component)),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: ComponentSelector(site, component)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					AutomountServiceAccountToken: ptr.To(false),
					EnableServiceLinks:           ptr.To(false),
					SecurityContext:              RestrictedPodSecurity(),
					Affinity:                     DomesticAffinity(p, p.Placement.FrontendNodeSelector),
					Containers: []corev1.Container{{
						Name:            "notice",
						Image:           operatorImage,
						ImagePullPolicy: corev1.PullIfNotPresent,
						Args:            jobargs.Notice{Config: "/etc/notice/notice.json", Port: itoa(port)}.Args(),
						Ports:           []corev1.ContainerPort{{Name: "http", ContainerPort: port, Protocol: corev1.ProtocolTCP}},
						ReadinessProbe:  tcpReadiness(port),
						SecurityContext: RestrictedContainerSecurity(),
						Resources: corev1.ResourceRequirements{
							Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m"), corev1.ResourceMemory: resource.MustParse("16Mi")},
							Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("64Mi")},
						},
						VolumeMounts: []corev1.VolumeMount{{Name: "notice", MountPath: "/etc/notice", ReadOnly: true}},
					}},
					Volumes: []corev1.Volume{{Name: "notice", VolumeSource: corev1.VolumeSource{
						ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: name}},
					}}},
				},
			},
		},
	}
}

// publicLabels are a public-facing component's pod labels.
func publicLabels(site *sgv1.GovWebsite, component string) map[string]string {
	l := ComponentLabels(site, component)
	l[LabelPublic] = "true"
	return l
}
