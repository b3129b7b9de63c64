package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/scheme"
)

// managerOptions are the manager's flags.
type managerOptions struct {
	kubeconfig      string
	metricsAddr     string
	probeAddr       string
	leaderElect     bool
	leaderNamespace string
	webhookPort     int
	webhookCertDir  string
	enableWebhooks  bool
	operatorImage   string
	probes          bool
	certs           certRotationOptions
	zap             zap.Options
}

func parseManagerFlags(args []string, stderr io.Writer) (managerOptions, error) {
	o := managerOptions{}
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "path to a kubeconfig; in-cluster or $KUBECONFIG when empty")
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", ":8080", "address of the Prometheus metrics endpoint; 0 disables it")
	fs.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	fs.BoolVar(&o.leaderElect, "leader-elect", true, "elect a leader so that only one replica reconciles")
	fs.StringVar(&o.leaderNamespace, "leader-election-namespace", "", "namespace of the leader lease; the pod's own when empty")
	fs.IntVar(&o.webhookPort, "webhook-port", 9443, "port of the admission webhook server")
	fs.StringVar(&o.webhookCertDir, "webhook-cert-dir", "", "directory holding the webhook's tls.crt and tls.key")
	fs.BoolVar(&o.enableWebhooks, "enable-webhooks", true, "serve the admission webhooks")
	fs.StringVar(&o.operatorImage, "operator-image", "sitegroup.io/sitegroup:dev", "image of the operator's own Jobs (content import, inspection)")
	fs.BoolVar(&o.probes, "availability-probes", true, "probe live sites' homepages for V1 (needs the sites' Service IPs to be reachable from the manager)")
	bindCertRotationFlags(fs, &o.certs)
	o.zap.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err.Error()}
	}
	return o, nil
}

func runManager(args []string, _, stderr io.Writer) error {
	opts, err := parseManagerFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&opts.zap)))
	log := ctrl.Log.WithName("setup")

	cfg, err := restConfig(opts.kubeconfig)
	if err != nil {
		return fmt.Errorf("loading the cluster config: %w", err)
	}
	certsReady := newCertsReady(opts.certs)
	webhookServer := gatedWebhookServer{
		Server: webhook.NewServer(webhook.Options{Port: opts.webhookPort, CertDir: opts.webhookCertDir}),
		ready:  certsReady,
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme.New(),
		Metrics:                 metricsserver.Options{BindAddress: opts.metricsAddr},
		HealthProbeBindAddress:  opts.probeAddr,
		LeaderElection:          opts.leaderElect,
		LeaderElectionID:        "sitegroup-operator.sitegroup.io",
		LeaderElectionNamespace: opts.leaderNamespace,
		WebhookServer:           webhookServer,
		Cache:                   controller.CacheOptions(),
	})
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}
	if err := addCertRotation(mgr, opts.certs, opts.webhookCertDir, certsReady); err != nil {
		return err
	}
	if err := controller.Setup(mgr, controller.Options{EnableWebhooks: opts.enableWebhooks, OperatorImage: opts.operatorImage, AvailabilityProbes: opts.probes}); err != nil {
		return err
	}
	if err := addProbes(mgr, opts.enableWebhooks); err != nil {
		return err
	}
	log.Info("starting the manager", "version", version)
	return startManager(ctrl.SetupSignalHandler(), mgr, log)
}

func restConfig(kubeconfig string) (*rest.Config, error) {
	if kubeconfig != "" {
		return clientcmd.BuildConfigFromFlags("", kubeconfig)
	}
	return ctrl.GetConfig()
}

func addProbes(mgr ctrl.Manager, webhooks bool) error {
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	ready := healthz.Ping
	if webhooks {
		ready = mgr.GetWebhookServer().StartedChecker()
	}
	return mgr.AddReadyzCheck("readyz", ready)
}

func startManager(ctx context.Context, mgr ctrl.Manager, log logr.Logger) error {
	if err := mgr.Start(ctx); err != nil {
		return fmt.Errorf("running the manager: %w", err)
	}
	log.Info("stopped")
	_ = os.Stdout.Sync()
	return nil
}
