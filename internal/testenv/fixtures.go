package testenv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Objects decodes every document of a YAML file of the repository.
func Objects(rel string) ([]*unstructured.Unstructured, error) {
	data, err := ReadRepoFile(rel)
	if err != nil {
		return nil, err
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}

// CreateFromFile creates every object of a YAML file of the repository
// (the install's RBAC, the admission policies) as the suites install them.
func CreateFromFile(ctx context.Context, c client.Client, rel string) error {
	objs, err := Objects(rel)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := c.Create(ctx, o); err != nil {
			return fmt.Errorf("%s: %s %s: %w", rel, o.GetKind(), o.GetName(), err)
		}
	}
	return nil
}

// PodLogs plays the kubelet's pods/log, which envtest has no kubelet for:
// a suite writes what an inspection pod would have printed, and the
// manager reads it as its report source.
type PodLogs struct {
	mu   sync.Mutex
	logs map[client.ObjectKey][]byte
}

// Log returns what Set wrote for a pod.
func (p *PodLogs) Log(_ context.Context, pod client.ObjectKey, _ string) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if log, ok := p.logs[pod]; ok {
		return log, nil
	}
	return nil, fmt.Errorf("no log for pod %s", pod)
}

// Set writes a pod's log.
func (p *PodLogs) Set(pod client.ObjectKey, log []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.logs == nil {
		p.logs = map[client.ObjectKey][]byte{}
	}
	p.logs[pod] = log
}

// ReadRepoFile reads a file of the repository by its path from the root.
func ReadRepoFile(rel string) ([]byte, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(root, rel))
}
