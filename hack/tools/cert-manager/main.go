/*
Copyright 2026 The sitegroup-operator Authors.

Licensed under the Apache License, Version 2.0.
*/

// Command controller is cert-manager's controller with only the CA and
// self-signed issuers, for the operator's end-to-end tests and demos.
//
// Why this program exists: the Go module proxy serves
// github.com/cert-manager/cert-manager (its pkg/ API and CRDs) but not its
// program modules (controller-binary, cmd/controller, …), and upstream's
// controller also links the Venafi SDK (github.com/Venafi/vcert/v5), which the
// proxy refuses. So this small main wires the public pkg/ control loops
// itself, the way upstream's cmd/controller/app does, minus ACME, Vault,
// Venafi, the ingress/gateway shims, leader election and the config file.
// hack/tools/cert-manager/build.sh builds it into bin/cert-manager-<version>/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/klog/v2"

	"github.com/cert-manager/cert-manager/pkg/controller"
	"github.com/cert-manager/cert-manager/pkg/healthz"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// The control loops: each registers itself in controller.Known().
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	// The issuer kinds the (Cluster)Issuer controllers can set up.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

type options struct {
	kubeconfig, clusterResourceNamespace string
	metricsAddress, healthzAddress       string
	workers                              int
	minBackoff, maxBackoff               time.Duration
}

func main() {
	var o options
	var leaderElect bool
	flag.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig file (default: in-cluster config or $KUBECONFIG)")
	flag.StringVar(&o.clusterResourceNamespace, "cluster-resource-namespace", "cert-manager", "namespace of the secrets that ClusterIssuers refer to (must exist)")
	flag.StringVar(&o.metricsAddress, "metrics-listen-address", "127.0.0.1:9402", "address of the Prometheus /metrics endpoint; empty: none")
	flag.StringVar(&o.healthzAddress, "internal-healthz-listen-address", "127.0.0.1:9403", "address of the /livez endpoint; empty: none")
	flag.IntVar(&o.workers, "concurrent-workers", 5, "workers per control loop")
	flag.DurationVar(&o.minBackoff, "certificate-request-minimum-backoff-duration", time.Hour, "first delay before retrying a failed issuance")
	flag.DurationVar(&o.maxBackoff, "certificate-request-maximum-backoff-duration", 32*time.Hour, "longest delay before retrying a failed issuance")
	flag.BoolVar(&leaderElect, "leader-elect", false, "accepted for upstream compatibility; only false is supported")
	klog.InitFlags(nil)    // -v, -vmodule, …
	_ = flag.Set("v", "2") // cert-manager's info level, as its chart runs it
	flag.Parse()
	if leaderElect {
		fmt.Fprintln(os.Stderr, "--leader-elect=true is not supported: run one replica")
		os.Exit(2)
	}

	logf.InitLogs()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	err := run(ctx, o)
	stop()
	if err != nil {
		logf.Log.Error(err, "controller failed")
	}
	logf.FlushLogs()
	if err != nil {
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	log := logf.FromContext(ctx)
	factory, err := controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         o.kubeconfig,
		KubernetesAPIQPS:   20, // upstream's defaults; unused when the server has API priority and fairness
		KubernetesAPIBurst: 50,
		IssuerOptions:      controller.IssuerOptions{ClusterResourceNamespace: o.clusterResourceNamespace},
		CertificateOptions: controller.CertificateOptions{
			// Upstream's default: copy annotations to CertificateRequests except tools' own.
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
			CertificateRequestMinimumBackoffDuration: o.minBackoff,
			CertificateRequestMaximumBackoffDuration: o.maxBackoff,
		},
		// ACME, ingress-shim and Gateway API options stay zero: those loops are not linked.
	})
	if err != nil {
		return err
	}
	base, err := factory.Build()
	if err != nil {
		return err
	}

	g, ctx := errgroup.WithContext(ctx)
	if o.metricsAddress != "" {
		ln, err := listen(ctx, o.metricsAddress)
		if err != nil {
			return err
		}
		base.Metrics.SetupCertificateCollector(base.SharedInformerFactory.Certmanager().V1().Certificates().Lister())
		srv := base.Metrics.NewServer(ln)
		g.Go(func() error {
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(shutdown) //nolint:contextcheck // ctx is already done
		})
		g.Go(func() error {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
	}
	if o.healthzAddress != "" {
		ln, err := listen(ctx, o.healthzAddress)
		if err != nil {
			return err
		}
		g.Go(func() error { return healthz.NewServer(20*time.Second).Start(ctx, ln) })
	}

	for name, newLoop := range controller.Known() {
		loop, err := newLoop(factory)
		if err != nil {
			return fmt.Errorf("control loop %s: %w", name, err)
		}
		log.V(logf.InfoLevel).Info("starting control loop", "controller", name)
		g.Go(func() error { return loop.Run(o.workers, ctx) })
	}
	// The loops registered their informers while being built: start them now.
	base.SharedInformerFactory.Start(ctx.Done())
	base.KubeSharedInformerFactory.Start(ctx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())

	err = g.Wait()
	base.KubeSharedInformerFactory.Shutdown()
	base.SharedInformerFactory.Shutdown()
	base.HTTP01ResourceMetadataInformersFactory.Shutdown()
	return err
}

func listen(ctx context.Context, address string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", address)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", address, err)
	}
	return ln, nil
}
