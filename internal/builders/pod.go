package builders

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/policy"
)

// ContentMountPath is where every site container sees its content.
const ContentMountPath = "/srv/www"

// DomesticAffinity requires the policy's domestic regions (S6) and, when
// given, the component's node pool. Every pod the operator creates has it.
func DomesticAffinity(p sgv1.SiteGroupPolicySpec, pool map[string]string) *corev1.Affinity {
	exprs := []corev1.NodeSelectorRequirement{{
		Key:      p.Placement.NodeLabelKey,
		Operator: corev1.NodeSelectorOpIn,
		Values:   append([]string(nil), p.Placement.AllowedRegions...),
	}}
	for _, k := range sortedKeys(pool) {
		exprs = append(exprs, corev1.NodeSelectorRequirement{Key: k, Operator: corev1.NodeSelectorOpIn, Values: []string{pool[k]}})
	}
	return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: exprs}},
		},
	}}
}

// withHostSeparation keeps a component off the nodes that run the site's
// other component (S7: front end and admin in different host environments).
func withHostSeparation(a *corev1.Affinity, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, other string) *corev1.Affinity {
	term := corev1.PodAffinityTerm{
		LabelSelector: &metav1LabelSelector{MatchLabels: ComponentSelector(site, other)},
		TopologyKey:   corev1.LabelHostname,
	}
	if p.Placement.HostSeparation == policy.HostSeparationPreferred {
		a.PodAntiAffinity = &corev1.PodAntiAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{Weight: 100, PodAffinityTerm: term}}}
		return a
	}
	a.PodAntiAffinity = &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{term}}
	return a
}

// RestrictedPodSecurity meets the Pod Security "restricted" profile.
func RestrictedPodSecurity() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   ptr.To(true),
		RunAsUser:      ptr.To[int64](65532),
		RunAsGroup:     ptr.To[int64](65532),
		FSGroup:        ptr.To[int64](65532),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

// RestrictedContainerSecurity: non-root, read-only root filesystem, no
// privilege escalation, every capability dropped.
func RestrictedContainerSecurity() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr.To(false),
		ReadOnlyRootFilesystem:   ptr.To(true),
		RunAsNonRoot:             ptr.To(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// tcpReadiness checks the port accepts connections; any web server passes.
// Every field is set so the server's defaults never look like drift.
func tcpReadiness(port int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:     corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(port)}},
		PeriodSeconds:    5,
		TimeoutSeconds:   2,
		SuccessThreshold: 1,
		FailureThreshold: 3,
	}
}

// contentVolumes are the content claim and a scratch /tmp (the root
// filesystem is read-only).
func contentVolumes(site *sgv1.GovWebsite, readOnly bool) []corev1.Volume {
	return []corev1.Volume{
		{Name: "content", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{
			ClaimName: ContentClaimName(site), ReadOnly: readOnly,
		}}},
		{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resourceMustParse("64Mi"))}}},
	}
}

func contentMounts(readOnly bool) []corev1.VolumeMount {
	return []corev1.VolumeMount{
		{Name: "content", MountPath: ContentMountPath, ReadOnly: readOnly},
		{Name: "tmp", MountPath: "/tmp"},
	}
}
