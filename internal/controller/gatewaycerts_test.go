package controller_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// certsGateway is a Gateway of this suite's own, as a platform engineer
// applies it: an HTTP listener, and an HTTPS listener with the platform's
// own fallback certificate. Not the policy's Gateway (createPolicy): every
// other suite's sites are granted on that one, and past Gateway API's 64
// certificates a listener leaves later namespaces out, so which site fits
// would hang on the order the suites ran in.
const certsGateway = "certs"

func platformGateway() *gatewayv1.Gateway {
	return &gatewayv1.Gateway{
		ObjectMeta: metav1.ObjectMeta{Namespace: "sitegroup-gateway", Name: certsGateway},
		Spec: gatewayv1.GatewaySpec{
			GatewayClassName: "traefik",
			Listeners: []gatewayv1.Listener{
				{Name: "http", Port: 80, Protocol: gatewayv1.HTTPProtocolType},
				{Name: "https", Port: 443, Protocol: gatewayv1.HTTPSProtocolType, TLS: &gatewayv1.ListenerTLSConfig{
					Mode:            ptr.To(gatewayv1.TLSModeTerminate),
					CertificateRefs: []gatewayv1.SecretObjectReference{{Name: "platform-default-tls"}},
				}},
			},
		},
	}
}

func httpsRefs() []gatewayv1.SecretObjectReference {
	gw := &gatewayv1.Gateway{}
	Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: "sitegroup-gateway", Name: certsGateway}, gw)).To(Succeed())
	for _, l := range gw.Spec.Listeners {
		if l.Name == "https" {
			return l.TLS.CertificateRefs
		}
	}
	return nil
}

var _ = Describe("Gateway certificates", Ordered, func() {
	var ns string
	siteRef := func() gatewayv1.SecretObjectReference {
		return gatewayv1.SecretObjectReference{Group: ptr.To(gatewayv1.Group("")), Kind: ptr.To(gatewayv1.Kind("Secret")),
			Name: "edu-tls", Namespace: ptr.To(gatewayv1.Namespace(ns))}
	}

	BeforeAll(func() {
		err := k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "sitegroup-gateway"}})
		Expect(client.IgnoreAlreadyExists(err)).To(Succeed())
		Expect(k8sClient.Create(ctx, platformGateway())).To(Succeed())
		ns = newSiteNamespace()
		site := eduSite(ns)
		site.Spec.Routing.GatewayRef = &sgv1.GatewayParentRef{Name: certsGateway, Namespace: "sitegroup-gateway", SectionName: "https"}
		createApproved(site)
	})

	It("grants the platform's Gateway its site's certificate Secret, and that Secret only", func() {
		grant := &gatewayv1.ReferenceGrant{}
		exists(grant, ns, "edu-gateway-tls")
		Expect(grant.Spec.From).To(ConsistOf(gatewayv1.ReferenceGrantFrom{Group: gatewayv1.GroupName, Kind: "Gateway", Namespace: "sitegroup-gateway"}))
		Expect(grant.Spec.To).To(HaveLen(1))
		Expect(grant.Spec.To[0].Kind).To(Equal(gatewayv1.Kind("Secret")))
		Expect(string(*grant.Spec.To[0].Name)).To(Equal("edu-tls"))
	})

	It("lists the site's certificate on the HTTPS listener after the platform's own, and leaves the HTTP listener alone", func() {
		Eventually(httpsRefs, timeout, interval).Should(ContainElement(siteRef()))
		Expect(httpsRefs()[0].Name).To(Equal(gatewayv1.ObjectName("platform-default-tls")), "the platform's certificate stays first")
		gw := &gatewayv1.Gateway{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: "sitegroup-gateway", Name: certsGateway}, gw)).To(Succeed())
		Expect(gw.Spec.Listeners[0].TLS).To(BeNil())
		Expect(gw.Spec.Listeners[1].Port).To(Equal(gatewayv1.PortNumber(443)), "the operator writes certificateRefs, nothing else")
	})

	It("puts the certificate back when the platform re-applies its Gateway", func() {
		gw := &gatewayv1.Gateway{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: "sitegroup-gateway", Name: certsGateway}, gw)).To(Succeed())
		gw.Spec.Listeners[1].TLS.CertificateRefs = []gatewayv1.SecretObjectReference{{Name: "platform-default-tls"}}
		Expect(k8sClient.Update(ctx, gw)).To(Succeed())
		Eventually(httpsRefs, timeout, interval).Should(ContainElement(siteRef()))
	})

	It("takes the certificate off the listener when the platform routes the site another way", func() {
		updateSite(ns, func(s *sgv1.GovWebsite) { s.Spec.Routing.IngressClassName = ptr.To("sitegroup-ingress") })
		Eventually(func() bool {
			return apierrors.IsNotFound(k8sClient.Get(ctx, key(ns, "edu-gateway-tls"), &gatewayv1.ReferenceGrant{}))
		}, timeout, interval).Should(BeTrue())
		Eventually(httpsRefs, timeout, interval).ShouldNot(ContainElement(siteRef()))
		Expect(httpsRefs()).To(ContainElement(HaveField("Name", gatewayv1.ObjectName("platform-default-tls"))))
	})
})
