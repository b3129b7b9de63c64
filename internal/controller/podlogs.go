package controller

import (
	"context"
	"io"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"sitegroup.io/operator/internal/reportstore"
)

// PodLogs reads inspection reports from pod logs through the API server
// (the pods/log subresource, which the kubelet serves).
type PodLogs struct{ clientset kubernetes.Interface }

// NewPodLogs builds a PodLogs from the manager's config.
func NewPodLogs(cfg *rest.Config) (*PodLogs, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &PodLogs{clientset: cs}, nil
}

// maxLogBytes bounds what the manager reads of one log (4 MiB): a report
// longer than that fails to decode and the run keeps its summary only.
const maxLogBytes = 8 * reportstore.MaxBytes

// Log reads a container's log, bounded.
func (p *PodLogs) Log(ctx context.Context, pod client.ObjectKey, container string) ([]byte, error) {
	req := p.clientset.CoreV1().Pods(pod.Namespace).GetLogs(pod.Name, &corev1.PodLogOptions{
		Container: container, LimitBytes: ptr.To[int64](maxLogBytes)})
	stream, err := req.Stream(ctx)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	return io.ReadAll(io.LimitReader(stream, maxLogBytes))
}
