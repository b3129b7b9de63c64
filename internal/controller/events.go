package controller

import (
	"context"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
)

// pendingEvent is an event a read step decided on; the reconcile emits it
// once the step's findings are written (reads and side effects apart).
type pendingEvent struct {
	eventType, reason, action, message string
}

// eventLog emits an event and logs it, as Flux's eventLogf does: the log
// keeps what the API server's event store drops after an hour. The message
// is passed as an argument, never used as a format string, so a '%' in a
// site's name or a rejection comment prints as written.
func eventLog(ctx context.Context, rec events.EventRecorder, obj runtime.Object, e pendingEvent) {
	ctrl.LoggerFrom(ctx).Info(e.message, "event", e.reason, "type", e.eventType, "action", e.action)
	rec.Eventf(obj, nil, e.eventType, e.reason, e.action, "%s", e.message)
}
