// Package apply writes desired objects with server-side apply under the
// operator's one field manager, and only when the live object differs: at
// steady state a reconcile writes nothing.
package apply

import (
	"context"
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// FieldOwner is the one field manager of every write the operator makes.
const FieldOwner = client.FieldOwner("sitegroup-operator")

// Result says what Ensure did.
type Result string

const (
	Unchanged Result = "unchanged"
	Created   Result = "created"
	Updated   Result = "updated"
)

// Ensure makes the live object match desired. It reads the live object
// (from the cache) and applies only when a field the operator sets differs;
// a hand edit to such a field is put back.
func Ensure(ctx context.Context, c client.Client, desired client.Object) (Result, error) {
	gvk := desired.GetObjectKind().GroupVersionKind()
	live, err := newEmpty(c, desired)
	if err != nil {
		return "", err
	}
	err = c.Get(ctx, client.ObjectKeyFromObject(desired), live)
	switch {
	case apierrors.IsNotFound(err):
		return Created, patch(ctx, c, desired, gvk)
	case err != nil:
		return "", fmt.Errorf("reading %s %s: %w", gvk.Kind, desired.GetName(), err)
	case UpToDate(desired, live):
		return Unchanged, nil
	default:
		return Updated, patch(ctx, c, desired, gvk)
	}
}

func patch(ctx context.Context, c client.Client, desired client.Object, gvk schema.GroupVersionKind) error {
	obj := desired.DeepCopyObject().(client.Object)
	obj.SetManagedFields(nil)
	obj.SetResourceVersion("")
	if err := c.Patch(ctx, obj, client.Apply, FieldOwner, client.ForceOwnership); err != nil { //nolint:staticcheck // typed apply keeps builders plain structs
		return fmt.Errorf("applying %s %s: %w", gvk.Kind, desired.GetName(), err)
	}
	return nil
}

// Delete removes an object if it exists; a missing object is no error and
// costs no write.
func Delete(ctx context.Context, c client.Client, obj client.Object) (bool, error) {
	live, err := newEmpty(c, obj)
	if err != nil {
		return false, err
	}
	if err := c.Get(ctx, client.ObjectKeyFromObject(obj), live); err != nil {
		return false, client.IgnoreNotFound(err)
	}
	if live.GetDeletionTimestamp() != nil {
		return false, nil
	}
	if err := c.Delete(ctx, live, client.PropagationPolicy(metav1.DeletePropagationBackground)); err != nil {
		return false, client.IgnoreNotFound(err)
	}
	return true, nil
}

func newEmpty(c client.Client, obj client.Object) (client.Object, error) {
	o, err := c.Scheme().New(obj.GetObjectKind().GroupVersionKind())
	if err != nil {
		return nil, fmt.Errorf("no kind %s in the scheme: %w", obj.GetObjectKind().GroupVersionKind(), err)
	}
	return o.(client.Object), nil
}

// UpToDate says every field desired sets has the same value in live:
// labels and annotations desired sets, its owner references, and the rest
// of the object compared with Semantic.DeepDerivative (fields desired leaves
// empty are the server's to default).
func UpToDate(desired, live client.Object) bool {
	if !subset(desired.GetLabels(), live.GetLabels()) || !subset(desired.GetAnnotations(), live.GetAnnotations()) {
		return false
	}
	if !ownersPresent(desired.GetOwnerReferences(), live.GetOwnerReferences()) {
		return false
	}
	d := desired.DeepCopyObject().(client.Object)
	// Compare everything but metadata, type information and status (the
	// server's to write; DeepDerivative compares integers even when zero).
	dv, lv := reflect.ValueOf(d).Elem(), reflect.ValueOf(live).Elem()
	for _, f := range []string{"TypeMeta", "ObjectMeta", "Status"} {
		if fd := dv.FieldByName(f); fd.IsValid() {
			fd.Set(lv.FieldByName(f))
		}
	}
	return equality.Semantic.DeepDerivative(d, live) && sameListLengths(reflect.ValueOf(d), reflect.ValueOf(live))
}

// sameListLengths closes DeepDerivative's gap: it accepts a live list
// longer than the desired one, so a peer added by hand to a NetworkPolicy,
// a region dropped from the policy or a sidecar would never be put back.
// Every list desired sets must have exactly its length in live.
func sameListLengths(d, l reflect.Value) bool {
	switch d.Kind() {
	case reflect.Pointer, reflect.Interface:
		if d.IsNil() || l.IsNil() {
			return true // DeepDerivative already judged nil against non-nil
		}
		return sameListLengths(d.Elem(), l.Elem())
	case reflect.Struct:
		for i := range d.NumField() {
			if !sameListLengths(d.Field(i), l.Field(i)) {
				return false
			}
		}
	case reflect.Slice:
		if d.Len() == 0 {
			return true
		}
		if d.Len() != l.Len() {
			return false
		}
		for i := range d.Len() {
			if !sameListLengths(d.Index(i), l.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		for _, k := range d.MapKeys() {
			if lv := l.MapIndex(k); lv.IsValid() && !sameListLengths(d.MapIndex(k), lv) {
				return false
			}
		}
	}
	return true
}

func subset(want, have map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func ownersPresent(want, have []metav1.OwnerReference) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h.UID == w.UID && h.Kind == w.Kind && h.Name == w.Name && ptrEqual(h.Controller, w.Controller) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func ptrEqual(a, b *bool) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
