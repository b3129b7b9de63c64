package builders

import (
	"slices"
	"testing"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// ids lists objects as "Kind/name".
func ids(objs []client.Object) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.GetObjectKind().GroupVersionKind().Kind+"/"+o.GetName())
	}
	return out
}

func find(objs []client.Object, id string) client.Object {
	for _, o := range objs {
		if o.GetObjectKind().GroupVersionKind().Kind+"/"+o.GetName() == id {
			return o
		}
	}
	return nil
}

func gatewayPolicy(p *sgv1.SiteGroupPolicySpec) {
	p.Routing = sgv1.RoutingPolicy{GatewayRef: policyGW, TLSIssuerRef: policyIss}
}

func ingressPolicy(p *sgv1.SiteGroupPolicySpec) {
	p.Routing = sgv1.RoutingPolicy{IngressClassName: ptr.To("nginx"), TLSIssuerRef: policyIss}
}

func inputs(mut ...func(*Inputs)) Inputs {
	in := Inputs{Site: newSite(), Policy: newPolicy(gatewayPolicy), Approved: true, Launched: true, OperatorImage: "op:v1", HaveGatewayAPI: true, HaveCertManager: true}
	for _, m := range mut {
		m(&in)
	}
	return in
}

func TestDesiredPlans(t *testing.T) {
	const (
		route = "HTTPRoute/edu"
		ing   = "Ingress/edu"
		cert  = "Certificate/edu-tls"
		pdb   = "PodDisruptionBudget/edu-frontend"
		job   = "Job/edu-content-import"
	)
	withImport := func(in *Inputs) {
		in.Site.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ArchiveURL: "https://old.tj.gov.cn/a.tar.gz"}
	}
	cases := []struct {
		name       string
		in         Inputs
		apply      []string // must be applied
		absent     []string // must be deleted
		neither    []string // neither applied nor deleted
		ingressTLS *bool
	}{
		{"S1 approved with a gateway: route and certificate", inputs(),
			[]string{route, cert, pdb}, []string{ing}, []string{job}, nil},
		{"S1 not approved: no route, no certificate", inputs(func(in *Inputs) { in.Approved = false }),
			[]string{pdb}, []string{route, ing, cert}, nil, nil},
		{"S5 approved, not launched: certificate but no route yet", inputs(func(in *Inputs) { in.Launched = false }),
			[]string{cert, pdb}, []string{route, ing}, nil, nil},
		{"S1 not approved with an ingress class: no ingress", inputs(func(in *Inputs) { in.Approved = false; in.Policy = newPolicy(ingressPolicy) }),
			nil, []string{route, ing, cert}, nil, nil},
		{"approved with an ingress class: ingress with TLS", inputs(func(in *Inputs) { in.Policy = newPolicy(ingressPolicy) }),
			[]string{ing, cert}, []string{route}, nil, ptr.To(true)},
		{"ingress class without cert-manager: no TLS", inputs(func(in *Inputs) { in.Policy = newPolicy(ingressPolicy); in.HaveCertManager = false }),
			[]string{ing}, []string{route}, []string{cert}, ptr.To(false)},
		{"ingress class without Gateway API: nothing to delete there", inputs(func(in *Inputs) { in.Policy = newPolicy(ingressPolicy); in.HaveGatewayAPI = false }),
			[]string{ing, cert}, nil, []string{route}, ptr.To(true)},
		{"gateway without Gateway API: not routed", inputs(func(in *Inputs) { in.HaveGatewayAPI = false }),
			[]string{cert}, []string{ing}, []string{route}, nil},
		{"no issuer: no certificate", inputs(func(in *Inputs) { in.Policy.Routing.TLSIssuerRef = nil }),
			[]string{route}, []string{ing, cert}, nil, nil},
		{"not approved, no optional APIs", inputs(func(in *Inputs) { in.Approved = false; in.HaveGatewayAPI = false; in.HaveCertManager = false }),
			nil, []string{ing}, []string{route, cert}, nil},
		{"site ingress class overrides policy gateway", inputs(func(in *Inputs) { in.Site.Spec.Routing.IngressClassName = ptr.To("traefik") }),
			[]string{ing, cert}, []string{route}, nil, ptr.To(true)},
		{"one replica: PDB absent", inputs(func(in *Inputs) { in.Site.Spec.Frontend.Replicas = ptr.To[int32](1) }),
			nil, []string{pdb}, nil, nil},
		{"three replicas: PDB", inputs(func(in *Inputs) { in.Site.Spec.Frontend.Replicas = ptr.To[int32](3) }),
			[]string{pdb}, nil, nil, nil},
		{"import asked and configured", inputs(withImport, func(in *Inputs) { in.ImportContent = true }),
			[]string{job}, nil, nil, nil},
		{"import configured but done", inputs(withImport),
			nil, nil, []string{job}, nil},
		{"import asked but not configured", inputs(func(in *Inputs) { in.ImportContent = true }),
			nil, nil, []string{job}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan, err := Desired(c.in)
			if err != nil {
				t.Fatal(err)
			}
			applied, absent := ids(plan.Apply), ids(plan.Absent)
			for _, id := range c.apply {
				if !slices.Contains(applied, id) {
					t.Errorf("%s not applied; apply=%v", id, applied)
				}
			}
			for _, id := range c.absent {
				if !slices.Contains(absent, id) {
					t.Errorf("%s not deleted; absent=%v", id, absent)
				}
			}
			for _, id := range c.neither {
				if slices.Contains(applied, id) || slices.Contains(absent, id) {
					t.Errorf("%s touched; apply=%v absent=%v", id, applied, absent)
				}
			}
			for _, id := range applied {
				if slices.Contains(absent, id) {
					t.Errorf("%s both applied and deleted", id)
				}
			}
			if c.ingressTLS != nil {
				got := len(find(plan.Apply, ing).(*networkingv1.Ingress).Spec.TLS) > 0
				if got != *c.ingressTLS {
					t.Errorf("ingress TLS %v, want %v", got, *c.ingressTLS)
				}
			}
		})
	}
}

func TestDesiredAlwaysApplied(t *testing.T) {
	want := []string{
		"PersistentVolumeClaim/edu-content",
		"Service/edu-web", "Service/edu-admin", "Service/edu-preview",
		"NetworkPolicy/edu-default-deny", "NetworkPolicy/edu-frontend-ingress", "NetworkPolicy/edu-admin-ingress", "NetworkPolicy/edu-egress",
		"Deployment/edu-frontend", "Deployment/edu-admin",
	}
	for _, approved := range []bool{true, false} {
		plan, err := Desired(inputs(func(in *Inputs) { in.Approved = approved }))
		if err != nil {
			t.Fatal(err)
		}
		got := ids(plan.Apply)
		if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
			t.Errorf("approved=%v: apply starts %v, want %v (volume and Services before Deployments)", approved, got, want)
		}
	}
}

func TestDesiredObjects(t *testing.T) {
	in := inputs(func(in *Inputs) {
		in.ImportContent = true
		in.Site.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ExistingClaim: "old"}
		in.Policy = newPolicy(gatewayPolicy, withPools)
	})
	plan, err := Desired(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range plan.Apply {
		id := ids([]client.Object{o})[0]
		t.Run("apply "+id, func(t *testing.T) {
			gvk := o.GetObjectKind().GroupVersionKind()
			if gvk.Kind == "" || gvk.Version == "" {
				t.Errorf("no type meta: server-side apply needs it")
			}
			if o.GetNamespace() != testNS {
				t.Errorf("namespace %q", o.GetNamespace())
			}
			if o.GetLabels()[LabelSite] != "edu" || o.GetLabels()[LabelManagedBy] != ManagerName {
				t.Errorf("labels %v: the operator's cache selects on them", o.GetLabels())
			}
			if gvk.Kind == "PersistentVolumeClaim" {
				if len(o.GetOwnerReferences()) != 0 {
					t.Errorf("T7 content claim has no owner, got %v", o.GetOwnerReferences())
				}
				return
			}
			requireController(t, id, o.GetOwnerReferences())
		})
	}
	for _, o := range plan.Absent {
		t.Run("absent "+ids([]client.Object{o})[0], func(t *testing.T) {
			gvk := o.GetObjectKind().GroupVersionKind()
			if gvk.Kind == "" || gvk.Version == "" || o.GetName() == "" || o.GetNamespace() != testNS {
				t.Errorf("absent object not identified for deletion: %v %s/%s", gvk, o.GetNamespace(), o.GetName())
			}
		})
	}
	// S6: every pod the plan creates is pinned to the allowed regions.
	pods := 0
	for _, o := range plan.Apply {
		var spec corev1.PodSpec
		switch x := o.(type) {
		case *appsv1.Deployment:
			spec = x.Spec.Template.Spec
		case *batchv1.Job:
			spec = x.Spec.Template.Spec
		default:
			continue
		}
		pods++
		t.Run("S6 every pod requires the allowed regions: "+o.GetName(), func(t *testing.T) {
			if !hasIn(requiredTerm(t, spec), "topology.kubernetes.io/region", testRegions...) {
				t.Errorf("S6 region requirement missing")
			}
		})
	}
	if pods != 3 {
		t.Errorf("%d pod templates, want 3 (front end, admin, import)", pods)
	}
}

func TestDesiredRejectsDomainWithoutASCIIForm(t *testing.T) {
	_, err := Desired(inputs(func(in *Inputs) { in.Site.Spec.Domains = []sgv1.Domain{"bad_name.gov.cn"} }))
	if err == nil {
		t.Fatal("S3: a domain with no ASCII form must fail the plan")
	}
}

func TestS3DesiredUsesASCIIHosts(t *testing.T) {
	plan, err := Desired(inputs(func(in *Inputs) { in.Site.Spec.Domains = []sgv1.Domain{"天津.政务"} }))
	if err != nil {
		t.Fatal(err)
	}
	const want = "xn--rssy87b.xn--zfr164b"
	r, ok := find(plan.Apply, "HTTPRoute/edu").(*gatewayv1.HTTPRoute)
	if !ok || len(r.Spec.Hostnames) != 1 || string(r.Spec.Hostnames[0]) != want {
		t.Errorf("S3 route hostnames not punycode: %+v", r)
	}
	c, ok := find(plan.Apply, "Certificate/edu-tls").(*certmanagerv1.Certificate)
	if !ok || !slices.Equal(c.Spec.DNSNames, []string{want}) {
		t.Errorf("S3 certificate names not punycode: %+v", c)
	}
}

// T5/T6: a takedown scales the front end to zero and the public Service
// selects the notice pods; once the return is filed the front end runs
// again behind the notice, for the prereturn inspection.
func TestDesiredTakedownFrontend(t *testing.T) {
	for _, c := range []struct {
		name      string
		returning bool
		replicas  int32
	}{
		{"T5 in force: front end scaled to zero", false, 0},
		{"T6 returning: front end back, still behind the notice", true, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := inputs(func(in *Inputs) { in.Takedown = &Takedown{Name: "rebuild", Returning: c.returning} })
			plan, err := Desired(in)
			if err != nil {
				t.Fatal(err)
			}
			var fe *appsv1.Deployment
			var public, preview *corev1.Service
			for _, o := range plan.Apply {
				switch obj := o.(type) {
				case *appsv1.Deployment:
					if obj.Name == "edu-frontend" {
						fe = obj
					}
				case *corev1.Service:
					switch obj.Name {
					case "edu-web":
						public = obj
					case "edu-preview":
						preview = obj
					}
				}
			}
			if fe == nil || *fe.Spec.Replicas != c.replicas {
				t.Fatalf("front end %v, want %d replicas", fe, c.replicas)
			}
			if public.Spec.Selector[LabelComponent] != ComponentNotice {
				t.Errorf("public Service selects %v, want the notice pods", public.Spec.Selector)
			}
			if preview.Spec.Selector[LabelComponent] != ComponentFrontend {
				t.Errorf("preview Service selects %v, want the front end", preview.Spec.Selector)
			}
		})
	}
}
