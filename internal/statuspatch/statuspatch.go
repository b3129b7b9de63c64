// Package statuspatch writes an object's status once per reconcile, and only
// when it changed: an unchanged object costs the API server nothing.
package statuspatch

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	ctrl "sigs.k8s.io/controller-runtime"
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
// when the status did not change. The patch carries the resourceVersion it
// was computed from: a status computed from a stale read is refused with a
// conflict, never written over a newer object.
func (h *Helper) Patch(ctx context.Context, c client.Client, obj client.Object) error {
	patch := client.MergeFromWithOptions(h.before, client.MergeFromWithOptimisticLock{})
	data, err := client.MergeFrom(h.before).Data(obj)
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

// Finish patches the status at the end of a reconcile (deferred) and says
// whether it was written: a conflict — the object changed since it was
// read — asks for the reconcile again, from a fresh read, instead of
// reporting an error.
func (h *Helper) Finish(ctx context.Context, c client.Client, obj client.Object, result *ctrl.Result, retErr *error) (written bool) {
	err := h.Patch(ctx, c, obj)
	if apierrors.IsConflict(err) {
		*result = ctrl.Result{Requeue: true} //nolint:staticcheck // a plain requeue: the object changed under us
		return false
	}
	*retErr = kerrors.NewAggregate([]error{*retErr, err})
	return err == nil
}
