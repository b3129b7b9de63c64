package builders

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// Inputs is everything a site's children depend on.
type Inputs struct {
	Site   *sgv1.GovWebsite
	Policy sgv1.SiteGroupPolicySpec
	// Approved: every approval level has signed (S1).
	Approved bool
	// Launched: the prelaunch inspection passed (S5); only an approved,
	// launched site is routed.
	Launched bool
	// ImportContent asks for the one-time content import Job.
	ImportContent bool
	// OperatorImage runs the operator's own Jobs (content import).
	OperatorImage string
	// HaveGatewayAPI and HaveCertManager say which optional APIs the cluster serves.
	HaveGatewayAPI, HaveCertManager bool
	// Takedown in force, if any: the notice pods replace the front end (T5).
	Takedown *Takedown
	// Board, for a portal: its sub-sites' current takedowns, mounted into
	// its front end (T5, Nanjing's rule).
	Board *Board
	// DomainNotice in force, if any: the old domains of an approved domain
	// change announce it for the policy's period (S8).
	DomainNotice *DomainNotice
}

// Plan is a site's desired state: objects to apply, and objects that must
// not exist (named, empty).
type Plan struct {
	Apply  []client.Object
	Absent []client.Object
}

// Desired computes the plan for a site. Order matters: the content volume
// and the Services come before the Deployments that use them.
func Desired(in Inputs) (Plan, error) {
	site, p := in.Site, in.Policy
	hosts, err := ASCIIDomains(site)
	if err != nil {
		return Plan{}, err
	}
	var plan Plan
	takenDown := in.Takedown != nil
	public := ComponentSelector(site, ComponentFrontend)
	if takenDown {
		public = ComponentSelector(site, ComponentNotice)
	}
	plan.Apply = append(plan.Apply, ContentClaim(site))
	if takenDown {
		cm, err := NoticeConfigMap(site, in.Takedown.Page)
		if err != nil {
			return Plan{}, err
		}
		plan.Apply = append(plan.Apply, cm, NoticeDeployment(site, p, in.OperatorImage))
	} else {
		plan.Absent = append(plan.Absent,
			named(&appsv1.Deployment{}, "apps/v1", "Deployment", site, NoticeName(site)),
			named(&corev1.ConfigMap{}, "v1", "ConfigMap", site, NoticeName(site)))
	}
	plan.Apply = append(plan.Apply,
		PublicService(site, public, portOrDefault(site.Spec.Frontend.Port)),
		AdminService(site),
		PreviewService(site),
	)
	for _, np := range NetworkPolicies(site, p) {
		plan.Apply = append(plan.Apply, np)
	}
	// While a return is checked (T6) the front end runs, unseen by the public.
	frontendDown := takenDown && !in.Takedown.Returning
	frontend := FrontendDeployment(site, p, frontendDown)
	if in.Board != nil {
		plan.Apply = append(plan.Apply, TakedownBoard(site, *in.Board))
		withTakedownBoard(frontend, site)
	}
	plan.Apply = append(plan.Apply, frontend, AdminDeployment(site, p))
	if FrontendReplicas(site, frontendDown) > 1 {
		plan.Apply = append(plan.Apply, FrontendPDB(site))
	} else {
		plan.Absent = append(plan.Absent, named(&policyv1.PodDisruptionBudget{}, "policy/v1", "PodDisruptionBudget", site, FrontendName(site)))
	}
	if in.ImportContent && site.Spec.Content.ImportFrom != nil {
		plan.Apply = append(plan.Apply, ImportJob(site, p, in.OperatorImage))
	}
	plan = withRouting(plan, in, hosts)
	return withDomainNotice(plan, in)
}

// withRouting adds the route (only once approved, S1, and launched, S5)
// and the certificate (issued before launch, so TLS works from the start).
func withRouting(plan Plan, in Inputs, hosts []string) Plan {
	site := in.Site
	r := RoutingFor(site, in.Policy)
	route := named(&gatewayv1.HTTPRoute{}, gatewayv1.GroupVersion.String(), "HTTPRoute", site, RouteName(site))
	ingress := named(&networkingv1.Ingress{}, "networking.k8s.io/v1", "Ingress", site, RouteName(site))
	cert := named(&certmanagerv1.Certificate{}, certmanagerv1.SchemeGroupVersion.String(), "Certificate", site, CertificateName(site))

	issue := in.Approved && in.HaveCertManager && r.Issuer != nil
	routed := in.Approved && in.Launched
	switch {
	case routed && r.UsesIngress():
		plan.Apply = append(plan.Apply, Ingress(site, *r.IngressClass, hosts, issue))
		plan = absentIf(plan, in.HaveGatewayAPI, route)
	case routed && r.UsesGateway() && in.HaveGatewayAPI:
		plan.Apply = append(plan.Apply, HTTPRoute(site, *r.Gateway, hosts))
		plan.Absent = append(plan.Absent, ingress)
	default:
		plan.Absent = append(plan.Absent, ingress)
		plan = absentIf(plan, in.HaveGatewayAPI, route)
	}
	if issue {
		plan.Apply = append(plan.Apply, Certificate(site, *r.Issuer, hosts))
	} else {
		plan = absentIf(plan, in.HaveCertManager, cert)
	}
	// The platform's Gateway terminates TLS with the site's certificate:
	// a grant to read that one Secret (the Gateway certificates controller
	// lists it on the listener).
	grant := named(&gatewayv1.ReferenceGrant{}, gatewayv1.GroupVersion.String(), "ReferenceGrant", site, ReferenceGrantName(site))
	if issue && r.UsesGateway() && in.HaveGatewayAPI {
		plan.Apply = append(plan.Apply, ReferenceGrant(site, *r.Gateway))
	} else {
		plan = absentIf(plan, in.HaveGatewayAPI, grant)
	}
	return plan
}

func absentIf(plan Plan, served bool, obj client.Object) Plan {
	if served {
		plan.Absent = append(plan.Absent, obj)
	}
	return plan
}

// named returns an empty object of a kind, identified for deletion.
func named[T client.Object](obj T, apiVersion, kind string, site *sgv1.GovWebsite, name string) T {
	tm := metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
	obj.GetObjectKind().SetGroupVersionKind(tm.GroupVersionKind())
	obj.SetName(name)
	obj.SetNamespace(site.Namespace)
	return obj
}
