// Package statuspatch writes an object's status once per reconcile, and only
// when it changed: an unchanged object costs the API server nothing.
package statuspatch

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Helper remembers an object as it was read.
type Helper struct {
	before client.Object
}

// New snapshots obj; call it after any metadata write (finalizers) so the
// snapshot matches the server.
func New(obj client.Object) *Helper {
	return &Helper{before: obj.DeepCopyObject().(client.Object)}
}

// Patch sends a merge patch of obj's status against the snapshot, or nothing
// when the status did not change.
func (h *Helper) Patch(ctx context.Context, c client.Client, obj client.Object) error {
	patch := client.MergeFrom(h.before)
	data, err := patch.Data(obj)
	if err != nil {
		return err
	}
	if string(data) == "{}" {
		return nil
	}
	if err := c.Status().Patch(ctx, obj, patch); err != nil {
		return client.IgnoreNotFound(err)
	}
	h.before = obj.DeepCopyObject().(client.Object)
	return nil
}
