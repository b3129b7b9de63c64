// Package scheme builds the runtime.Scheme of every kind the operator reads
// or writes: Kubernetes' own, sitegroup.io, Gateway API and cert-manager.
package scheme

import (
	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sitegroupv1alpha1 "sitegroup.io/operator/api/v1alpha1"
)

// New returns a scheme with every kind registered.
func New() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme,
		sitegroupv1alpha1.AddToScheme,
		gatewayv1.Install,
		certmanagerv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}
