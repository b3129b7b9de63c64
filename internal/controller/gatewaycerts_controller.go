package controller

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
)

// GatewayCertificatesReconciler lists each site's certificate on the
// platform's Gateway listener that routes it, so the Gateway terminates
// TLS for the site's domains with the site's own cert-manager certificate.
// Traefik and most Gateways pick a listener's certificate by SNI among its
// certificateRefs. One concern (cert-manager's style): it reads the sites'
// ReferenceGrants — the GovWebsite controller creates one for each site it
// issues a certificate for — and writes only the listeners'
// certificateRefs; the Gateway's ports, protocols and class stay the
// platform's, as do certificates within the Gateway's own namespace.
type GatewayCertificatesReconciler struct {
	client.Client
	Recorder events.EventRecorder
}

// +kubebuilder:rbac:groups=gateway.networking.k8s.io,resources=gateways,verbs=list;watch;patch

// Reconcile brings the certificateRefs of one Gateway's listeners to the
// sites whose grants name them.
func (r *GatewayCertificatesReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	gw := &gatewayv1.Gateway{}
	if err := r.Get(ctx, req.NamespacedName, gw); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err) // never create the platform's Gateway
	}
	grants := &gatewayv1.ReferenceGrantList{}
	if err := r.List(ctx, grants, client.MatchingLabels{
		builders.LabelGatewayNamespace: gw.Namespace, builders.LabelGatewayName: gw.Name,
	}); err != nil {
		return ctrl.Result{}, err
	}
	for _, l := range gw.Spec.Listeners {
		if l.TLS == nil || (l.TLS.Mode != nil && *l.TLS.Mode != gatewayv1.TLSModeTerminate) {
			continue
		}
		refs, left := builders.ListenerCertificates(gw.Namespace, l.TLS.CertificateRefs, certificatesFor(string(l.Name), grants.Items))
		if len(left) > 0 {
			eventLog(ctx, r.Recorder, gw, pendingEvent{corev1.EventTypeWarning, sgv1.ReasonListenerFull, "Certificates",
				fmt.Sprintf("listener %s holds Gateway API's %d certificates: %d site(s) not served over HTTPS here, first %s/%s",
					l.Name, builders.MaxListenerCertificates, len(left), left[0].Namespace, left[0].Name)})
		}
		if reflect.DeepEqual(refs, l.TLS.CertificateRefs) {
			continue
		}
		desired := builders.GatewayListenerTLS(gw, string(l.Name), refs)
		if err := r.Apply(ctx, client.ApplyConfigurationFromUnstructured(desired), apply.FieldOwner, client.ForceOwnership); err != nil {
			return ctrl.Result{}, fmt.Errorf("listing %d site certificates on listener %s of Gateway %s/%s: %w", len(refs), l.Name, gw.Namespace, gw.Name, err)
		}
		eventLog(ctx, r.Recorder, gw, pendingEvent{corev1.EventTypeNormal, sgv1.ReasonCertificatesListed, "Certificates",
			fmt.Sprintf("listener %s serves %d certificate(s)", l.Name, len(refs))})
	}
	return ctrl.Result{}, nil
}

// certificatesFor are the site certificates the grants put on listener: a
// grant names its listener, or every TLS listener when it names none.
func certificatesFor(listener string, grants []gatewayv1.ReferenceGrant) []builders.SiteCertificate {
	var out []builders.SiteCertificate
	for _, g := range grants {
		if want := g.Annotations[builders.AnnotationGatewayListener]; want != "" && want != listener {
			continue
		}
		for _, to := range g.Spec.To {
			if to.Kind == "Secret" && to.Name != nil {
				out = append(out, builders.SiteCertificate{Namespace: g.Namespace, Name: string(*to.Name)})
			}
		}
	}
	return out
}

// gatewayOfGrant maps a site's grant to the Gateway it names.
func gatewayOfGrant(_ context.Context, obj client.Object) []reconcile.Request {
	ns, name := obj.GetLabels()[builders.LabelGatewayNamespace], obj.GetLabels()[builders.LabelGatewayName]
	if ns == "" || name == "" || strings.Contains(ns+name, "/") {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}}}
}

// SetupWithManager watches Gateways (a platform that re-applies its Gateway
// gets the sites' certificates back) and the sites' grants.
func (r *GatewayCertificatesReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		// Traefik writes a Gateway's status often; only the platform's spec
		// changes (a re-apply) can take certificates off a listener.
		For(&gatewayv1.Gateway{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("gatewaycertificates").
		Watches(&gatewayv1.ReferenceGrant{}, handler.EnqueueRequestsFromMapFunc(gatewayOfGrant)).
		Complete(r)
}
