package controller

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"
)

// The cache keeps what the operator reads and nothing else (issue 17's
// memory goal at 2,000 sites): no managedFields on any kind, and
// of a pod its metadata, its node and its status.
func TestCacheOptionsKeepWhatIsRead(t *testing.T) {
	opts := CacheOptions()
	managed := []metav1.ManagedFieldsEntry{{Manager: "sitegroup-operator", Operation: metav1.ManagedFieldsOperationApply}}
	meta := metav1.ObjectMeta{Name: "front-abc", Namespace: "site-1", Labels: map[string]string{"app": "front"},
		OwnerReferences: []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "front"}}, ManagedFields: managed}
	pod := &corev1.Pod{
		ObjectMeta: *meta.DeepCopy(),
		Spec: corev1.PodSpec{NodeName: "node-cn-1", Containers: []corev1.Container{{Name: "web", Image: "nginx",
			Env: []corev1.EnvVar{{Name: "A", Value: "b"}}}}, Volumes: []corev1.Volume{{Name: "content"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning,
			ContainerStatuses: []corev1.ContainerStatus{{Name: "web", Ready: true}}},
	}
	var podTransform toolscache.TransformFunc
	for obj, by := range opts.ByObject {
		if _, ok := obj.(*corev1.Pod); ok {
			podTransform = by.Transform
		}
	}
	if podTransform == nil {
		t.Fatal("pods are cached whole: CacheOptions sets no transform for them")
	}
	out, err := podTransform(pod)
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*corev1.Pod)
	if got.ManagedFields != nil {
		t.Error("a cached pod keeps its managedFields")
	}
	if len(got.Spec.Containers) != 0 || len(got.Spec.Volumes) != 0 {
		t.Errorf("a cached pod keeps its spec's containers or volumes: %+v", got.Spec)
	}
	if got.Spec.NodeName != "node-cn-1" || got.Status.Phase != corev1.PodRunning || len(got.Status.ContainerStatuses) != 1 ||
		got.Labels["app"] != "front" || len(got.OwnerReferences) != 1 {
		t.Errorf("a cached pod lost what the operator reads (node, status, labels, owners): %+v", got)
	}
	tombstone := toolscache.DeletedFinalStateUnknown{Key: "site-1/front-abc"}
	if out, err := podTransform(tombstone); err != nil || out != tombstone {
		t.Errorf("a tombstone is not passed through: %v %v", out, err)
	}

	if opts.DefaultTransform == nil {
		t.Fatal("CacheOptions sets no default transform: every cached object keeps its managedFields")
	}
	deploy := &appsv1.Deployment{ObjectMeta: *meta.DeepCopy()}
	out, err = opts.DefaultTransform(deploy)
	if err != nil {
		t.Fatal(err)
	}
	if out.(*appsv1.Deployment).ManagedFields != nil {
		t.Error("a cached Deployment keeps its managedFields")
	}
}
