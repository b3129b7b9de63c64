package controller_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	kstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/controller"
)

const (
	timeout  = 20 * time.Second
	interval = 100 * time.Millisecond
)

func createPolicy() {
	p := &sgv1.SiteGroupPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: sgv1.PolicyName},
		Spec: sgv1.SiteGroupPolicySpec{
			Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1", "cn-east-2"}},
			Network:   sgv1.NetworkPolicyDefaults{AdminAccessNetworks: []sgv1.CIDR{"10.0.0.0/8"}}, // S7: the government extranet
			Routing: sgv1.RoutingPolicy{
				GatewayRef:   &sgv1.GatewayParentRef{Name: "sitegroup", Namespace: "sitegroup-gateway", SectionName: "https"},
				TLSIssuerRef: &sgv1.IssuerReference{Name: "gov-ca", Kind: "ClusterIssuer"},
			},
		},
	}
	Expect(k8sClient.Create(ctx, p)).To(Succeed())
}

var nsCount int

// newSiteNamespace gives each spec its own namespace.
func newSiteNamespace() string {
	nsCount++
	name := fmt.Sprintf("site-%d", nsCount)
	Expect(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}})).To(Succeed())
	bindNamespacePersonas(name)
	return name
}

// siteDomain is a site's domain, unique per namespace (the webhook allows
// a domain to one site only).
func siteDomain(ns string) string { return ns + ".tjhp.gov.cn" }

// creditCode is unique per namespace too (S2: one site per organization).
func creditCode(ns string) string {
	var n int
	_, _ = fmt.Sscanf(ns, "site-%d", &n)
	return fmt.Sprintf("11120101%09dX", n)
}

// eduSite is the education bureau's site as the platform engineer applies
// it: no approvals (S1: each level signs it as itself, createApproved).
func eduSite(ns string) *sgv1.GovWebsite {
	return &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu"},
		Spec: sgv1.GovWebsiteSpec{
			Organization:         sgv1.Organization{Name: "天津市和平区教育局", CreditCode: creditCode(ns), Level: sgv1.LevelDepartment},
			SiteKind:             sgv1.SiteKindDepartment,
			ParentPortal:         &sgv1.NamespacedObjectReference{Name: "portal", Namespace: "tjhp-portal"},
			Domains:              []sgv1.Domain{sgv1.Domain(siteDomain(ns))},
			SiteCode:             "1201010002",
			ICPFiling:            "津ICP备05004439号-2",
			PublicSecurityFiling: "津公网安备12010102000102号",
			Frontend:             sgv1.FrontendSpec{Image: "sitegroup.io/sitegroup:dev", Replicas: ptr.To[int32](2), Args: []string{"serve"}},
			Admin:                sgv1.AdminSpec{Image: "sitegroup.io/sitegroup:dev", AllowedSourceCIDRs: []sgv1.CIDR{"10.12.8.0/24"}},
			Content:              sgv1.ContentSpec{Size: resource.MustParse("5Gi")},
		},
	}
}

func key(ns, name string) client.ObjectKey { return client.ObjectKey{Namespace: ns, Name: name} }

// update re-reads obj and applies mutate until the write does not conflict
// with the operator's own writes.
func update(obj client.Object, mutate func()) {
	GinkgoHelper()
	Eventually(func() error {
		if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		mutate()
		return k8sClient.Update(ctx, obj)
	}, timeout, interval).Should(Succeed())
}

func updateSite(ns string, mutate func(*sgv1.GovWebsite)) {
	GinkgoHelper()
	site := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu"}}
	update(site, func() { mutate(site) })
}

// warningReasons are the reasons of the Warning events in a namespace.
func warningReasons(ns string) []string {
	events := &corev1.EventList{}
	_ = k8sClient.List(ctx, events, client.InNamespace(ns))
	var reasons []string
	for _, e := range events.Items {
		if e.Type == corev1.EventTypeWarning {
			reasons = append(reasons, e.Reason)
		}
	}
	return reasons
}

func getSite(ns string) *sgv1.GovWebsite {
	GinkgoHelper()
	s := &sgv1.GovWebsite{}
	Expect(k8sClient.Get(ctx, key(ns, "edu"), s)).To(Succeed())
	return s
}

// condition returns a site condition, or an empty one.
func condition(ns, typ string) metav1.Condition {
	c := meta.FindStatusCondition(getSite(ns).Status.Conditions, typ)
	if c == nil {
		return metav1.Condition{}
	}
	return *c
}

// exists polls for an object, with a message naming what was awaited.
func exists(obj client.Object, ns, name string) {
	GinkgoHelper()
	Eventually(func() error { return k8sClient.Get(ctx, key(ns, name), obj) }, timeout, interval).
		Should(Succeed(), "waiting for %T %s/%s", obj, ns, name)
}

func gone(obj client.Object, ns, name string) {
	GinkgoHelper()
	Eventually(func() bool { return apierrors.IsNotFound(k8sClient.Get(ctx, key(ns, name), obj)) }, timeout, interval).
		Should(BeTrue(), "waiting for %T %s/%s to be deleted", obj, ns, name)
}

// makeRunning plays the kube-controller-manager and kubelet envtest lacks:
// the Deployments report available replicas and a pod of each component
// runs on a node.
func makeRunning(ns, frontendNode, adminNode string) {
	GinkgoHelper()
	makeServing(ns, frontendNode, adminNode)
	passPrelaunch(ns)
}

// makeServing plays the Deployment controllers and the kubelet: the
// Deployments report available replicas and a pod of each component runs.
func makeServing(ns, frontendNode, adminNode string) {
	GinkgoHelper()
	for _, d := range []struct{ name, component, node string }{
		{"edu-frontend", builders.ComponentFrontend, frontendNode},
		{"edu-admin", builders.ComponentAdmin, adminNode},
	} {
		dep := &appsv1.Deployment{}
		exists(dep, ns, d.name)
		dep.Status = appsv1.DeploymentStatus{ObservedGeneration: dep.Generation, Replicas: *dep.Spec.Replicas, ReadyReplicas: *dep.Spec.Replicas, AvailableReplicas: *dep.Spec.Replicas, UpdatedReplicas: *dep.Spec.Replicas}
		Expect(k8sClient.Status().Update(ctx, dep)).To(Succeed())
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: d.name + "-pod", Labels: dep.Spec.Template.Labels},
			Spec:       *dep.Spec.Template.Spec.DeepCopy(),
		}
		pod.Spec.NodeName = d.node
		// as the ReplicaSet controller would (the site-namespace policy lets only it and the operator)
		Expect(as(kubeController).Create(ctx, pod)).To(Succeed())
	}
}

func kstatusOf(obj client.Object) kstatus.Status {
	GinkgoHelper()
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	Expect(err).NotTo(HaveOccurred())
	res, err := kstatus.Compute(&unstructuredObj{Object: u})
	Expect(err).NotTo(HaveOccurred())
	return res.Status
}

var _ = Describe("GovWebsite controller", func() {
	var ns string
	BeforeEach(func() { ns = newSiteNamespace() })

	It("creates every child with the expected spec", func() {
		createApproved(eduSite(ns))

		fe := &appsv1.Deployment{}
		exists(fe, ns, "edu-frontend")
		Expect(*fe.Spec.Replicas).To(Equal(int32(2)))
		pod := fe.Spec.Template.Spec
		c := pod.Containers[0]
		By("restricted pod security on the front end")
		Expect(*pod.SecurityContext.RunAsNonRoot).To(BeTrue())
		Expect(pod.SecurityContext.SeccompProfile.Type).To(Equal(corev1.SeccompProfileTypeRuntimeDefault))
		Expect(*c.SecurityContext.ReadOnlyRootFilesystem).To(BeTrue())
		Expect(*c.SecurityContext.AllowPrivilegeEscalation).To(BeFalse())
		Expect(c.SecurityContext.Capabilities.Drop).To(ConsistOf(corev1.Capability("ALL")))
		Expect(c.VolumeMounts).To(ContainElement(HaveField("ReadOnly", true)), "content mounted read-only")
		By("S6: required domestic regions")
		terms := pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
		Expect(terms[0].MatchExpressions[0].Key).To(Equal("topology.kubernetes.io/region"))
		Expect(terms[0].MatchExpressions[0].Values).To(ConsistOf("cn-north-1", "cn-east-2"))
		By("S7: never on the admin's host")
		anti := pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution
		Expect(anti).To(HaveLen(1))
		Expect(anti[0].TopologyKey).To(Equal("kubernetes.io/hostname"))
		Expect(anti[0].LabelSelector.MatchLabels).To(HaveKeyWithValue(builders.LabelComponent, builders.ComponentAdmin))

		admin := &appsv1.Deployment{}
		exists(admin, ns, "edu-admin")
		Expect(admin.Spec.Template.Spec.Containers[0].VolumeMounts).To(ContainElement(And(HaveField("Name", "content"), HaveField("ReadOnly", false))))

		adminSvc := &corev1.Service{}
		exists(adminSvc, ns, "edu-admin")
		Expect(adminSvc.Spec.Type).To(Equal(corev1.ServiceTypeClusterIP), "S7: the admin is never NodePort or LoadBalancer")
		web := &corev1.Service{}
		exists(web, ns, "edu-web")
		Expect(web.Spec.Selector).To(HaveKeyWithValue(builders.LabelComponent, builders.ComponentFrontend))

		exists(&policyv1.PodDisruptionBudget{}, ns, "edu-frontend")
		for _, name := range []string{"edu-default-deny", "edu-frontend-ingress", "edu-admin-ingress", "edu-egress"} {
			exists(&networkingv1.NetworkPolicy{}, ns, name)
		}
		adminNP := &networkingv1.NetworkPolicy{}
		exists(adminNP, ns, "edu-admin-ingress")
		Expect(adminNP.Spec.Ingress[0].From).To(ContainElement(HaveField("IPBlock.CIDR", "10.12.8.0/24")))

		pvc := &corev1.PersistentVolumeClaim{}
		exists(pvc, ns, "edu-content")
		Expect(pvc.OwnerReferences).To(BeEmpty(), "T7: the content volume is never owned by the site")
		Expect(pvc.Labels).To(HaveKeyWithValue(builders.LabelSite, "edu"))

		By("S5: routed only after the prelaunch inspection passed")
		Consistently(func() bool {
			return apierrors.IsNotFound(k8sClient.Get(ctx, key(ns, "edu"), &gatewayv1.HTTPRoute{}))
		}, time.Second, interval).Should(BeTrue(), "no route before the prelaunch inspection")
		Expect(getSite(ns).Status.Launch).To(HaveField("PrelaunchRun", "edu-prelaunch"))
		makeRunning(ns, "node-bj-1", "node-sh-1") // inspected once it serves behind its Service, then launched
		route := &gatewayv1.HTTPRoute{}
		exists(route, ns, "edu")
		Expect(route.Spec.Hostnames).To(ConsistOf(gatewayv1.Hostname(siteDomain(ns))))
		Expect(string(route.Spec.ParentRefs[0].Name)).To(Equal("sitegroup"))
		Expect(string(route.Spec.Rules[0].BackendRefs[0].Name)).To(Equal("edu-web"))
		cert := &certmanagerv1.Certificate{}
		exists(cert, ns, "edu-tls")
		Expect(cert.Spec.DNSNames).To(ConsistOf(siteDomain(ns)))
		Expect(cert.Spec.IssuerRef.Name).To(Equal("gov-ca"))

		nsObj := &corev1.Namespace{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Name: ns}, nsObj)).To(Succeed())
		Expect(nsObj.Labels).To(HaveKeyWithValue("pod-security.kubernetes.io/enforce", "restricted"))
		Expect(nsObj.Labels).To(HaveKeyWithValue(builders.LabelSiteNamespace, "true"))
	})

	It("S1, S7: routes the front end through an Ingress when the platform names an ingress class, and back through the Gateway", func() {
		site := eduSite(ns)
		site.Spec.Routing.IngressClassName = ptr.To("sitegroup-ingress")
		createApproved(site)
		makeRunning(ns, "node-bj-1", "node-sh-1")

		ing := &networkingv1.Ingress{}
		exists(ing, ns, "edu")
		Expect(*ing.Spec.IngressClassName).To(Equal("sitegroup-ingress"))
		Expect(ing.Spec.Rules).To(HaveLen(1))
		Expect(ing.Spec.Rules[0].Host).To(Equal(siteDomain(ns)))
		Expect(ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Name).To(Equal("edu-web"), "S7: only the public front end is routed")
		Expect(ing.Spec.TLS).To(ContainElement(HaveField("SecretName", "edu-tls")))
		Expect(apierrors.IsNotFound(k8sClient.Get(ctx, key(ns, "edu"), &gatewayv1.HTTPRoute{}))).To(BeTrue())

		By("the platform moves the site to the Gateway: the Ingress goes, the HTTPRoute comes")
		updateSite(ns, func(s *sgv1.GovWebsite) { s.Spec.Routing.IngressClassName = nil })
		gone(&networkingv1.Ingress{}, ns, "edu")
		exists(&gatewayv1.HTTPRoute{}, ns, "edu")
	})

	It("updates children when the spec changes and restores hand edits", func() {
		createApproved(eduSite(ns))
		fe := &appsv1.Deployment{}
		exists(fe, ns, "edu-frontend")

		updateSite(ns, func(site *sgv1.GovWebsite) {
			site.Spec.Frontend.Replicas = ptr.To[int32](3)
			site.Spec.Frontend.Image = "sitegroup.io/sitegroup:v2"
		})
		Eventually(func(g Gomega) {
			g.Expect(k8sClient.Get(ctx, key(ns, "edu-frontend"), fe)).To(Succeed())
			g.Expect(*fe.Spec.Replicas).To(Equal(int32(3)))
			g.Expect(fe.Spec.Template.Spec.Containers[0].Image).To(Equal("sitegroup.io/sitegroup:v2"))
		}, timeout, interval).Should(Succeed())

		By("a hand scaling of the replicas is put back (kubectl scale; the site-namespace policy refuses other edits)")
		Expect(k8sClient.SubResource("scale").Update(ctx, fe, client.WithSubResourceBody(&autoscalingv1.Scale{
			ObjectMeta: metav1.ObjectMeta{Name: fe.Name, Namespace: ns}, Spec: autoscalingv1.ScaleSpec{Replicas: 7}}))).To(Succeed())
		Eventually(func() int32 {
			_ = k8sClient.Get(ctx, key(ns, "edu-frontend"), fe)
			return *fe.Spec.Replicas
		}, timeout, interval).Should(Equal(int32(3)))

		By("a deleted NetworkPolicy comes back (deleted by the garbage collector's stand-in: no one else may, S7)")
		np := &networkingv1.NetworkPolicy{}
		exists(np, ns, "edu-admin-ingress")
		Expect(as(garbageCollector).Delete(ctx, np)).To(Succeed())
		Eventually(func() error {
			fresh := &networkingv1.NetworkPolicy{}
			if err := k8sClient.Get(ctx, key(ns, "edu-admin-ingress"), fresh); err != nil {
				return err
			}
			if fresh.UID == np.UID {
				return fmt.Errorf("still the old object")
			}
			return nil
		}, timeout, interval).Should(Succeed())

		By("one replica drops the PodDisruptionBudget")
		updateSite(ns, func(site *sgv1.GovWebsite) { site.Spec.Frontend.Replicas = ptr.To[int32](1) })
		gone(&policyv1.PodDisruptionBudget{}, ns, "edu-frontend")
	})

	It("S1: provisions but does not route a site until every level approved", func() {
		Expect(k8sClient.Create(ctx, eduSite(ns))).To(Succeed())
		signSiteChain(ns, "edu", chainSigners[:1])
		exists(&appsv1.Deployment{}, ns, "edu-frontend")
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionApproved) }, timeout, interval).
			Should(And(HaveField("Status", metav1.ConditionFalse), HaveField("Reason", sgv1.ReasonAwaitingApproval),
				HaveField("Message", ContainSubstring("city, province"))))
		Expect(getSite(ns).Status.State).To(Equal(sgv1.StateAwaitingApproval))
		Consistently(func() bool {
			return apierrors.IsNotFound(k8sClient.Get(ctx, key(ns, "edu"), &gatewayv1.HTTPRoute{}))
		}, time.Second, interval).Should(BeTrue(), "no route before approval")

		signSiteChain(ns, "edu", chainSigners[1:])
		makeRunning(ns, "node-bj-1", "node-sh-1") // inspected once it serves behind its Service, then launched
		exists(&gatewayv1.HTTPRoute{}, ns, "edu")
		Eventually(func() metav1.ConditionStatus { return condition(ns, sgv1.ConditionApproved).Status }, timeout, interval).
			Should(Equal(metav1.ConditionTrue))

		By("every signature is a dated entry of the site's history, for the auditor")
		Eventually(func() []string {
			var out []string
			for _, r := range getSite(ns).Status.ComplianceHistory {
				if r.Kind == sgv1.RecordApproval && r.Ref == "edu" {
					out = append(out, r.Summary)
				}
			}
			return out
		}, timeout, interval).Should(ConsistOf(
			"S1: chen.jing approved at level unit", "S1: zhang.wei approved at level city", "S1: li.na approved at level province"))
	})

	It("is Current for kstatus once serving, with zero writes at steady state", func() {
		createApproved(eduSite(ns))
		exists(&appsv1.Deployment{}, ns, "edu-frontend")
		Eventually(func() kstatus.Status { return kstatusOf(getSite(ns)) }, timeout, interval).Should(Equal(kstatus.InProgressStatus))

		makeRunning(ns, "node-bj-1", "node-sh-1")
		// The pods reach the operator's cache one after the other: wait for both.
		Eventually(func(g Gomega) {
			site := getSite(ns)
			g.Expect(site.Status.State).To(Equal(sgv1.StateServing))
			g.Expect(site.Status.Placement.FrontendNodes).To(ConsistOf("node-bj-1"))
			g.Expect(site.Status.Placement.AdminNodes).To(ConsistOf("node-sh-1"))
		}, timeout, interval).Should(Succeed())
		site := getSite(ns)
		Expect(kstatusOf(site)).To(Equal(kstatus.CurrentStatus))
		Expect(condition(ns, sgv1.ConditionIsolated).Status).To(Equal(metav1.ConditionTrue))
		Expect(site.Status.Endpoints).To(ConsistOf("http://" + siteDomain(ns) + "/"))

		By("waking the reconciler without changing anything")
		settled := func() int { n, _ := writes.snapshot(ns); return n }
		Eventually(func() int {
			before := settled()
			time.Sleep(500 * time.Millisecond)
			return settled() - before
		}, timeout, interval).Should(BeZero(), "the operator keeps writing")
		before, _ := writes.snapshot(ns)
		for i := range 3 {
			updateSite(ns, func(site *sgv1.GovWebsite) {
				if site.Annotations == nil {
					site.Annotations = map[string]string{}
				}
				site.Annotations["test/poke"] = fmt.Sprint(i)
			})
		}
		// The pokes are reconciled (annotation changes pass the predicate);
		// give them the time a reconcile takes and count the operator's writes.
		Consistently(func() int { n, _ := writes.snapshot(ns); return n - before }, 2*time.Second, interval).Should(BeZero(),
			func() string {
				_, log := writes.snapshot(ns)
				return fmt.Sprintf("writes at steady state: %v", log[before:])
			})
	})

	It("S6: sets Placed=False and warns when a node is relabelled abroad", func() {
		createNode("node-relabel-"+ns, "cn-north-1")
		createApproved(eduSite(ns))
		makeRunning(ns, "node-relabel-"+ns, "node-sh-1")
		Eventually(func() metav1.ConditionStatus { return condition(ns, sgv1.ConditionPlaced).Status }, timeout, interval).
			Should(Equal(metav1.ConditionTrue))

		node := &corev1.Node{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Name: "node-relabel-" + ns}, node)).To(Succeed())
		update(node, func() { node.Labels["topology.kubernetes.io/region"] = "us-west-1" })
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionPlaced) }, timeout, interval).
			Should(And(HaveField("Status", metav1.ConditionFalse), HaveField("Reason", sgv1.ReasonOutsideAllowedRegions),
				HaveField("Message", ContainSubstring("us-west-1"))))
		site := getSite(ns)
		Expect(site.Status.Placement.Violations).To(ContainElement(HaveField("Rule", "S6")))
		Expect(kstatusOf(site)).To(Equal(kstatus.FailedStatus))
		Eventually(warningReasons, timeout, interval).WithArguments(ns).Should(ContainElement("OutsideAllowedRegions"))
	})

	It("lets a forced deletion finish in a namespace being deleted, where its record cannot be written", func() {
		createApproved(eduSite(ns))
		Eventually(func() []string { return getSite(ns).Finalizers }, timeout, interval).Should(ContainElement(controller.SiteFinalizer))
		updateSite(ns, func(site *sgv1.GovWebsite) {
			site.Annotations = map[string]string{sgv1.AnnotationForceDelete: "true"}
		})
		By("the namespace goes first: the API server refuses new objects in it, the record's ConfigMap included")
		Expect(k8sClient.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
		Expect(k8sClient.Delete(ctx, getSite(ns))).To(Succeed())
		gone(&sgv1.GovWebsite{}, ns, "edu")
	})

	It("holds a deleted site until closed by procedure, then removes children and keeps content", func() {
		createApproved(eduSite(ns))
		exists(&appsv1.Deployment{}, ns, "edu-frontend")
		Eventually(func() []string { return getSite(ns).Finalizers }, timeout, interval).Should(ContainElement(controller.SiteFinalizer))
		Expect(k8sClient.Delete(ctx, getSite(ns))).To(Succeed())
		Eventually(func() metav1.Condition { return condition(ns, sgv1.ConditionDeletionBlocked) }, timeout, interval).
			Should(And(HaveField("Status", metav1.ConditionTrue), HaveField("Message", ContainSubstring("T7"))))
		exists(&appsv1.Deployment{}, ns, "edu-frontend")

		updateSite(ns, func(site *sgv1.GovWebsite) {
			site.Annotations = map[string]string{sgv1.AnnotationForceDelete: "true"}
		})
		gone(&sgv1.GovWebsite{}, ns, "edu")
		gone(&appsv1.Deployment{}, ns, "edu-frontend")
		gone(&appsv1.Deployment{}, ns, "edu-admin")
		gone(&gatewayv1.HTTPRoute{}, ns, "edu")
		gone(&networkingv1.NetworkPolicy{}, ns, "edu-default-deny")
		Consistently(func() error { return k8sClient.Get(ctx, key(ns, "edu-content"), &corev1.PersistentVolumeClaim{}) }, time.Second, interval).
			Should(Succeed(), "T7: the content volume survives its site")
	})

	It("T7: sets the content volume's reclaim policy to Retain once the claim is bound, and says so", func() {
		createApproved(eduSite(ns))
		pvc := &corev1.PersistentVolumeClaim{}
		exists(pvc, ns, "edu-content")

		By("the volume provisioner binds the claim to a volume that would be deleted with it")
		pv := bindToVolume(ns, "edu-content", pvc.UID)

		Eventually(func() corev1.PersistentVolumeReclaimPolicy {
			Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(pv), pv)).To(Succeed())
			return pv.Spec.PersistentVolumeReclaimPolicy
		}, timeout, interval).Should(Equal(corev1.PersistentVolumeReclaimRetain), "the content outlives its claim and its namespace")
		Eventually(func() *sgv1.ContentStatus { return getSite(ns).Status.Content }, timeout, interval).
			Should(And(HaveField("VolumeName", pv.Name), HaveField("Retained", true)))
	})
})

// bindToVolume plays the volume provisioner and the PV controller: a new
// volume with the Delete reclaim policy (a provisioner's default), bound
// to the claim.
func bindToVolume(ns, claim string, uid types.UID) *corev1.PersistentVolume {
	GinkgoHelper()
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: "pv-" + ns + "-" + claim},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
			AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			PersistentVolumeSource:        corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/srv/" + ns + "/" + claim}},
			ClaimRef:                      &corev1.ObjectReference{Namespace: ns, Name: claim, UID: uid},
		},
	}
	Expect(k8sClient.Create(ctx, pv)).To(Succeed())
	pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: claim}}
	Expect(updateAs(as(kubeController), pvc, func() { pvc.Spec.VolumeName = pv.Name })).To(Succeed())
	return pv
}
