package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/open-policy-agent/cert-controller/pkg/rotator"
	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
)

// certRotationOptions configure the built-in webhook certificates, the
// fallback for clusters without cert-manager: open-policy-agent's
// cert-controller keeps a self-signed CA and a serving certificate in a
// Secret (mounted at --webhook-cert-dir), renews them before they expire and
// writes the CA into the webhook configurations' caBundle.
type certRotationOptions struct {
	enabled    bool
	namespace  string
	secret     string
	service    string
	validating string
	mutating   string
}

func bindCertRotationFlags(fs *pflag.FlagSet, o *certRotationOptions) {
	fs.BoolVar(&o.enabled, "cert-rotation", false, "generate and rotate the webhook's certificates itself (clusters without cert-manager)")
	fs.StringVar(&o.namespace, "cert-rotation-namespace", "", "namespace of the certificate Secret and webhook Service; $POD_NAMESPACE or the pod's own when empty")
	fs.StringVar(&o.secret, "cert-rotation-secret", "sitegroup-webhook-server-cert", "Secret the rotated certificates are kept in (mounted at --webhook-cert-dir)")
	fs.StringVar(&o.service, "webhook-service", "sitegroup-webhook-service", "Service in front of the webhook server (the certificate's DNS name)")
	fs.StringVar(&o.validating, "validating-webhook-configuration", "sitegroup-validating-webhook-configuration", "ValidatingWebhookConfiguration whose caBundle the rotator fills")
	fs.StringVar(&o.mutating, "mutating-webhook-configuration", "sitegroup-mutating-webhook-configuration", "MutatingWebhookConfiguration whose caBundle the rotator fills")
}

// certsReady is closed when the webhook's certificates are on disk and the
// CA is in the webhook configurations.
type certsReady chan struct{}

// newCertsReady returns a channel that is already closed unless the rotator
// is on: without it the certificates come from cert-manager (or the caller).
func newCertsReady(o certRotationOptions) certsReady {
	ready := make(certsReady)
	if !o.enabled {
		close(ready)
	}
	return ready
}

// gatedWebhookServer starts the webhook server only once the certificates
// exist; until then its StartedChecker (the manager's readiness) fails, so
// the pod gets no webhook traffic before it can serve TLS.
type gatedWebhookServer struct {
	webhook.Server
	ready certsReady
}

func (s gatedWebhookServer) Start(ctx context.Context) error {
	select {
	case <-s.ready:
	case <-ctx.Done():
		return nil
	}
	return s.Server.Start(ctx)
}

// addCertRotation adds the rotator to the manager; ready is closed when the
// certificates are mounted and injected. It does nothing when rotation is off.
func addCertRotation(mgr ctrl.Manager, o certRotationOptions, certDir string, ready certsReady) error {
	if !o.enabled {
		return nil
	}
	if certDir == "" {
		return usageError{"--cert-rotation needs --webhook-cert-dir (where the Secret is mounted)"}
	}
	ns := o.namespace
	if ns == "" {
		ns = podNamespace()
	}
	if ns == "" {
		return usageError{"--cert-rotation needs --cert-rotation-namespace (no $POD_NAMESPACE, not in a pod)"}
	}
	var webhooks []rotator.WebhookInfo
	if o.validating != "" {
		webhooks = append(webhooks, rotator.WebhookInfo{Name: o.validating, Type: rotator.Validating})
	}
	if o.mutating != "" {
		webhooks = append(webhooks, rotator.WebhookInfo{Name: o.mutating, Type: rotator.Mutating})
	}
	dns := fmt.Sprintf("%s.%s.svc", o.service, ns)
	err := rotator.AddRotator(mgr, &rotator.CertRotator{
		SecretKey:      types.NamespacedName{Namespace: ns, Name: o.secret},
		CertDir:        certDir,
		CAName:         "sitegroup-webhook-ca",
		CAOrganization: "sitegroup-operator",
		DNSName:        dns,
		ExtraDNSNames:  []string{dns + ".cluster.local"},
		IsReady:        ready,
		Webhooks:       webhooks,
		FieldOwner:     "sitegroup-cert-rotator",
		// Every replica serves webhooks, so every replica keeps its
		// certificates current, leader or not.
		RequireLeaderElection: false,
		EnableReadinessCheck:  true,
	})
	if err != nil {
		return fmt.Errorf("adding the webhook certificate rotator: %w", err)
	}
	return nil
}

// podNamespace is the namespace the manager runs in, when in a pod.
func podNamespace() string {
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns
	}
	b, err := os.ReadFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
