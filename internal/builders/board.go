package builders

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// TakedownBoardMountPath is where a portal's front end finds the list of
// its sub-sites' current takedowns; the bundled server serves it at
// /_sitegroup/takedowns.json and /_sitegroup/takedowns.html.
const TakedownBoardMountPath = "/etc/sitegroup/takedowns"

// EnvTakedownBoard tells a portal's front end where the board is mounted.
const EnvTakedownBoard = "SITEGROUP_TAKEDOWNS_DIR"

func TakedownBoardName(site *sgv1.GovWebsite) string { return site.Name + "-takedowns" }

// Board is a portal's list of current takedowns (T5, Nanjing's rule).
type Board struct {
	JSON, HTML string
}

// TakedownBoard is the ConfigMap holding a portal's board.
func TakedownBoard(site *sgv1.GovWebsite, b Board) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: childMeta(site, TakedownBoardName(site), ComponentLabels(site, ComponentFrontend)),
		Data:       map[string]string{"takedowns.json": b.JSON, "takedowns.html": b.HTML},
	}
}

// withTakedownBoard mounts the board into a portal's front end.
func withTakedownBoard(d *appsv1.Deployment, site *sgv1.GovWebsite) {
	spec := &d.Spec.Template.Spec
	spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "takedowns", VolumeSource: corev1.VolumeSource{
		ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: TakedownBoardName(site)}},
	}})
	c := &spec.Containers[0]
	c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: "takedowns", MountPath: TakedownBoardMountPath, ReadOnly: true})
	c.Env = append(c.Env, corev1.EnvVar{Name: EnvTakedownBoard, Value: TakedownBoardMountPath})
}
