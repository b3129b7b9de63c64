package testenv

import (
	"context"
	"net/http"

	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"sitegroup.io/operator/internal/controller"
)

// OperatorManager builds the operator's manager as an install runs it:
// the install's RBAC (config/rbac: the manager's role and binding, the
// personas' roles) is created with admin, and the manager acts as the
// operator's ServiceAccount with that role, not as the suite's admin —
// its RBAC is what a cluster gives it, and the site-namespace admission
// policies exempt only that user. It serves the webhooks env installed;
// wrap, when set, sees every request it sends. The caller starts it.
func OperatorManager(ctx context.Context, env *envtest.Environment, cfg *rest.Config, admin client.Client,
	wrap func(http.RoundTripper) http.RoundTripper, opts controller.Options) (ctrl.Manager, error) {
	for _, f := range []string{"config/rbac/role.yaml", "config/rbac/role_binding.yaml", "config/rbac/personas.yaml"} {
		if err := CreateFromFile(ctx, admin, f); err != nil {
			return nil, err
		}
	}
	mgrCfg := Impersonating(cfg, OperatorUser, OperatorGroups...)
	if wrap != nil {
		mgrCfg.Wrap(wrap)
	}
	wh := env.WebhookInstallOptions
	mgr, err := ctrl.NewManager(mgrCfg, ctrl.Options{
		Scheme:  Scheme(),
		Metrics: metricsserver.Options{BindAddress: "0"},
		Cache:   controller.CacheOptions(),
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: wh.LocalServingHost, Port: wh.LocalServingPort, CertDir: wh.LocalServingCertDir,
		}),
	})
	if err != nil {
		return nil, err
	}
	opts.EnableWebhooks = true
	return mgr, controller.Setup(mgr, opts)
}
