package e2e_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// The platform's Gateway on the host's loopback (hack/realnode/gateway.sh:
// relays to Traefik's Service), and the platform CA that signs the sites'
// certificates.
const (
	gatewayHTTP  = "http://127.0.0.1:18480"
	gatewayHTTPS = "https://127.0.0.1:18443"
)

// gatewayAnswer is what the Gateway answered for a host.
type gatewayAnswer struct {
	Status int
	Body   string
	Header http.Header
	// Cert is the certificate the Gateway presented for the host (HTTPS),
	// verified against the platform's CA for that name.
	Cert *x509.Certificate
}

// viaGateway asks the platform's Gateway for host's homepage, as a browser
// on the internet would (SNI and Host are the site's domain); over HTTPS
// the certificate must chain to the platform's CA and name host. Bounded
// by 5 s; an error (no TLS certificate for host, refused) is returned.
func viaGateway(base, host string) (gatewayAnswer, error) {
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(filepath.Join(root, "bin", "realnode", "gateway-ca.crt"))
	if err != nil {
		return gatewayAnswer{}, err
	}
	pool.AppendCertsFromPEM(ca)
	c := &http.Client{Timeout: 5 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	if err != nil {
		return gatewayAnswer{}, err
	}
	req.Host = host
	resp, err := c.Do(req)
	if err != nil {
		return gatewayAnswer{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	a := gatewayAnswer{Status: resp.StatusCode, Body: string(body), Header: resp.Header}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		a.Cert = resp.TLS.PeerCertificates[0]
	}
	return a, nil
}

// frontendPods are the UIDs of a site's front-end pods.
func frontendPods(ns string) []types.UID {
	GinkgoHelper()
	pods := &corev1.PodList{}
	Expect(k8sClient.List(ctx, pods, client.InNamespace(ns), client.MatchingLabels{"app.kubernetes.io/component": "frontend"})).To(Succeed())
	var out []types.UID
	for _, p := range pods.Items {
		out = append(out, p.UID)
	}
	return out
}

// renewCertificate asks cert-manager to reissue a Certificate now, as
// `cmctl renew` does: an Issuing condition, added by a JSON patch of the
// status so that Ready stays.
func renewCertificate(ns, name string) {
	GinkgoHelper()
	u := &certmanagerv1.Certificate{}
	Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, u)).To(Succeed())
	patch := []byte(`[{"op":"add","path":"/status/conditions/-","value":{"type":"Issuing","status":"True","reason":"ManuallyTriggered","message":"e2e: renewal","lastTransitionTime":"` +
		time.Now().UTC().Format(time.RFC3339) + `"}}]`)
	Expect(k8sClient.Status().Patch(ctx, u, client.RawPatch(types.JSONPatchType, patch))).To(Succeed())
}

// routedBackends are the Services the HTTPRoutes of a namespace send to.
func routedBackends(ns string) []string {
	GinkgoHelper()
	routes := &gatewayv1.HTTPRouteList{}
	Expect(k8sClient.List(ctx, routes, client.InNamespace(ns))).To(Succeed())
	var out []string
	for _, r := range routes.Items {
		for _, rule := range r.Spec.Rules {
			for _, b := range rule.BackendRefs {
				out = append(out, string(b.Name))
			}
		}
	}
	return out
}

// pemOf is a certificate in PEM.
func pemOf(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}
