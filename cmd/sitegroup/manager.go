package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/cobra"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/faults"
	"sitegroup.io/operator/internal/scheme"
)

// managerOptions are the manager's flags.
type managerOptions struct {
	kubeconfig      string
	metricsAddr     string
	metricsSecure   bool
	metricsCertDir  string
	probeAddr       string
	leaderElect     bool
	leaderNamespace string
	webhookPort     int
	webhookCertDir  string
	enableWebhooks  bool
	operatorImage   string
	probes          bool
	recordsNS       string
	certs           certRotationOptions
	apiQPS          float32
	apiBurst        int
	siteWorkers     int
	zap             zap.Options
}

func (c *cli) managerCommand() *cobra.Command {
	o := managerOptions{}
	cmd := &cobra.Command{
		Use:   "manager",
		Short: "run the operator's controllers and webhooks",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(o, func() error { return runManager(o) })
		},
	}
	fs := cmd.Flags()
	bindKubeconfig(fs, &o.kubeconfig)
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", ":8443", "address of the Prometheus metrics endpoint; 0 disables it")
	fs.BoolVar(&o.metricsSecure, "metrics-secure", true, "serve metrics over HTTPS to callers the API server authenticates and authorizes (get on the non-resource URL /metrics)")
	fs.StringVar(&o.metricsCertDir, "metrics-cert-dir", "", "directory holding the metrics endpoint's tls.crt and tls.key; a self-signed certificate when empty")
	fs.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	fs.BoolVar(&o.leaderElect, "leader-elect", true, "elect a leader so that only one replica reconciles")
	fs.StringVar(&o.leaderNamespace, "leader-election-namespace", "", "namespace of the leader lease; the pod's own when empty")
	fs.IntVar(&o.webhookPort, "webhook-port", 9443, "port of the admission webhook server")
	fs.StringVar(&o.webhookCertDir, "webhook-cert-dir", "", "directory holding the webhook's tls.crt and tls.key")
	fs.BoolVar(&o.enableWebhooks, "enable-webhooks", true, "serve the admission webhooks")
	fs.StringVar(&o.operatorImage, "operator-image", "sitegroup.io/sitegroup:dev", "image of the operator's own Jobs (content import, inspection)")
	fs.BoolVar(&o.probes, "availability-probes", true, "probe live sites' homepages for V1 (needs the sites' Service IPs to be reachable from the manager)")
	fs.StringVar(&o.recordsNS, "records-namespace", envOr("POD_NAMESPACE", "sitegroup-system"), "namespace of the reports the operator publishes (the quarterly spot check)")
	// client-go's defaults (5 requests a second, bursts of 10; 20 and 30 in
	// a pod) make 2,000 sites converge at the client's pace, not the API
	// server's (issue 17: make bench-scale).
	fs.Float32Var(&o.apiQPS, "kube-api-qps", 50, "requests per second the manager sends the API server, sustained")
	fs.IntVar(&o.apiBurst, "kube-api-burst", 100, "requests the manager may send the API server in a burst")
	fs.IntVar(&o.siteWorkers, "site-workers", 4, "GovWebsites, and InspectionRuns, reconciled at once (a site, and the runs of a site, only ever by one at a time)")
	bindCertRotationFlags(fs, &o.certs)
	// controller-runtime binds its logging flags (--zap-log-level, ...) to a
	// Go flag set only.
	zapFlags := flag.NewFlagSet("zap", flag.ContinueOnError)
	o.zap.BindFlags(zapFlags)
	fs.AddGoFlagSet(zapFlags)
	return cmd
}

func runManager(opts managerOptions) error {
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&opts.zap)))
	log := ctrl.Log.WithName("setup")

	cfg, err := restConfig(opts.kubeconfig)
	if err != nil {
		return fmt.Errorf("loading the cluster config: %w", err)
	}
	cfg.QPS, cfg.Burst = opts.apiQPS, opts.apiBurst
	certsReady := newCertsReady(opts.certs)
	webhookServer := gatedWebhookServer{
		Server: webhook.NewServer(webhook.Options{Port: opts.webhookPort, CertDir: opts.webhookCertDir}),
		ready:  certsReady,
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme.New(),
		Metrics:                 metricsOptions(opts),
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
	if err := controller.Setup(mgr, controller.Options{EnableWebhooks: opts.enableWebhooks, OperatorImage: opts.operatorImage, AvailabilityProbes: opts.probes,
		RecordsNamespace: opts.recordsNS, Clock: managerClock(), SiteWorkers: opts.siteWorkers}); err != nil {
		return err
	}
	if err := addProbes(mgr, opts.enableWebhooks); err != nil {
		return err
	}
	log.Info("starting the manager", "version", version)
	return startManager(ctrl.SetupSignalHandler(), mgr, log)
}

// metricsOptions serves metrics as the Kubebuilder scaffold does (issue
// 17): over HTTPS, each request's bearer token checked with a TokenReview
// and its right to get /metrics with a SubjectAccessReview, so the
// operator's figures (sites, verdicts, takedowns) are not open to every pod
// of the cluster. --metrics-secure=false is for a manager run as a local
// process bound to 127.0.0.1.
func metricsOptions(opts managerOptions) metricsserver.Options {
	o := metricsserver.Options{BindAddress: opts.metricsAddr, SecureServing: opts.metricsSecure}
	if opts.metricsSecure {
		o.FilterProvider = filters.WithAuthenticationAndAuthorization
		o.CertDir = opts.metricsCertDir
	}
	return o
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

// managerClock is the wall clock; a binary built for the fault suite
// (faultinject) may run it ahead by SITEGROUP_CLOCK_OFFSET.
func managerClock() clock.Clock {
	if d := time.Duration(faults.ClockOffset()); d != 0 {
		return clock.Offset{By: d}
	}
	return clock.Real{}
}
