/*
Copyright 2026 The sitegroup-operator Authors.

Licensed under the Apache License, Version 2.0.
*/

// Command cainjector is cert-manager's CA injector: it fills the caBundle of
// webhook configurations, APIServices and CRD conversion webhooks annotated
// cert-manager.io/inject-ca-from: <namespace>/<certificate> (or
// inject-ca-from-secret, inject-apiserver-ca), so a Helm chart whose webhook
// certificate cert-manager issues gets its webhooks trusted.
//
// Why this program exists: as for the controller (../main.go), the Go module
// proxy serves cert-manager's pkg/ API but not its program modules
// (cmd/cainjector), so this small main builds the controller-runtime manager
// of upstream's cmd/cainjector/app around pkg/controller/cainjector itself,
// minus the config file, leader election, pprof and metrics TLS.
// hack/tools/cert-manager/build.sh builds it into bin/cert-manager-<version>/.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiext "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	kscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/klog/v2"
	apireg "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	cmscheme "github.com/cert-manager/cert-manager/pkg/client/clientset/versioned/scheme"
	"github.com/cert-manager/cert-manager/pkg/controller/cainjector"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
)

func main() {
	var metricsAddress, probeAddress string
	var apiServices, crds, leaderElect bool
	// --kubeconfig is controller-runtime's: its config package registers it on flag.CommandLine.
	flag.StringVar(&metricsAddress, "metrics-listen-address", "0", "address of the Prometheus /metrics endpoint; 0: none (the controller has 127.0.0.1:9402)")
	flag.StringVar(&probeAddress, "health-probe-bind-address", "127.0.0.1:9404", "address of /healthz and /readyz; 0: none")
	flag.BoolVar(&apiServices, "enable-apiservices-injectable", true, "also inject into annotated APIServices")
	flag.BoolVar(&crds, "enable-customresourcedefinitions-injectable", true, "also inject into annotated CRDs' conversion webhooks")
	flag.BoolVar(&leaderElect, "leader-elect", false, "accepted for upstream compatibility; only false is supported")
	klog.InitFlags(nil)    // -v, -vmodule, …
	_ = flag.Set("v", "2") // cert-manager's info level, as its chart runs it
	flag.Parse()
	if leaderElect {
		fmt.Fprintln(os.Stderr, "--leader-elect=true is not supported: run one replica")
		os.Exit(2)
	}

	logf.InitLogs()
	log := logf.Log.WithName("cainjector")
	ctrl.SetLogger(log)
	ctx := logf.NewContext(ctrl.SetupSignalHandler(), log)
	err := run(ctx, metricsAddress, probeAddress, map[string]bool{
		cainjector.MutatingWebhookConfigurationName:   true,
		cainjector.ValidatingWebhookConfigurationName: true,
		cainjector.APIServiceName:                     apiServices,
		cainjector.CustomResourceDefinitionName:       crds,
	})
	if err != nil {
		log.Error(err, "cainjector failed")
	}
	logf.FlushLogs()
	if err != nil {
		os.Exit(1)
	}
}

func run(ctx context.Context, metricsAddress, probeAddress string, injectables map[string]bool) error {
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return err
	}
	cfg = util.RestConfigWithUserAgent(cfg, "cainjector") // field manager: cert-manager-cainjector
	scheme := runtime.NewScheme()
	utilruntime.Must(kscheme.AddToScheme(scheme))
	utilruntime.Must(cmscheme.AddToScheme(scheme))
	utilruntime.Must(apiext.AddToScheme(scheme))
	utilruntime.Must(apireg.AddToScheme(scheme))

	// As upstream: the injectors watch only Secrets' metadata and GET the one
	// they need, so the client must not cache (list and watch) whole Secrets.
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		Cache:                  cache.Options{ReaderFailOnMissingInformer: true},
		Client:                 client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
		Metrics:                metricsserver.Options{BindAddress: metricsAddress},
		HealthProbeBindAddress: probeAddress,
	})
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("ping", healthz.Ping); err != nil {
		return err
	}

	// As upstream: wait up to 5 minutes for the Certificate CRD, without which
	// the Certificate watch (the inject-ca-from source) fails the manager.
	direct, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return err
	}
	err = wait.PollUntilContextTimeout(ctx, time.Second, 5*time.Minute, true, func(ctx context.Context) (bool, error) {
		err := direct.Get(ctx, types.NamespacedName{Name: "certificates.cert-manager.io"}, &apiext.CustomResourceDefinition{})
		if apierrors.IsNotFound(err) {
			logf.FromContext(ctx).Info("waiting for the certificates.cert-manager.io CRD")
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		return fmt.Errorf("certificates.cert-manager.io CRD: %w", err)
	}

	if err := cainjector.RegisterAllInjectors(ctx, mgr, cainjector.SetupOptions{
		EnableCertificatesDataSource: true,
		EnabledReconcilersFor:        injectables,
	}); err != nil {
		return fmt.Errorf("register injectors: %w", err)
	}
	return mgr.Start(ctx)
}
