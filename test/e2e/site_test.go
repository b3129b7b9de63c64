package e2e_test

import (
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
)

const (
	ns     = "e2e-edu"
	domain = "jyj.e2e-tjhp.gov.cn"
	// legacy is a line of the migrated homepage (see sitegroup sample-content).
	legacy = "要闻动态第12期"
)

func eduSite() *sgv1.GovWebsite {
	return &sgv1.GovWebsite{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "edu"},
		Spec: sgv1.GovWebsiteSpec{
			Organization:         sgv1.Organization{Name: "天津市和平区教育局", CreditCode: "11120101000077777X", Level: sgv1.LevelDepartment},
			SiteKind:             sgv1.SiteKindDepartment,
			ParentPortal:         &sgv1.NamespacedObjectReference{Name: "portal", Namespace: "e2e-portal"},
			Domains:              []sgv1.Domain{domain},
			SiteCode:             "1201010077",
			ICPFiling:            "津ICP备05004439号-7",
			PublicSecurityFiling: "津公网安备12010102000177号",
			Frontend:             sgv1.FrontendSpec{Image: "sitegroup.io/sitegroup:dev", Args: []string{"serve-static", "--root=/srv/www"}, Replicas: ptr.To[int32](1)},
			Admin:                sgv1.AdminSpec{Image: "sitegroup.io/sitegroup:dev", Args: []string{"serve-static", "--root=/srv/www", "--admin"}, AllowedSourceCIDRs: []sgv1.CIDR{"10.12.8.0/24"}},
			Content:              sgv1.ContentSpec{Size: resource.MustParse("1Gi"), ImportFrom: &sgv1.ContentImportSource{ExistingClaim: "legacy"}},
		},
	}
}

// legacyContent fills the old CMS's volume ("legacy", in the site's
// namespace) the site migrates from, with the site's own identity.
func legacyContent(s *sgv1.GovWebsite) {
	GinkgoHelper()
	pvc := &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Namespace: s.Namespace, Name: "legacy"},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("100Mi")}}},
	}
	Expect(k8sClient.Create(ctx, pvc)).To(Succeed())
	writer := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: s.Namespace, Name: "legacy-writer"},
		Spec: corev1.PodSpec{
			RestartPolicy:   corev1.RestartPolicyNever,
			SecurityContext: &corev1.PodSecurityContext{RunAsUser: ptr.To[int64](65532), RunAsGroup: ptr.To[int64](65532)},
			Containers: []corev1.Container{{Name: "write", Image: "sitegroup.io/sitegroup:dev", ImagePullPolicy: corev1.PullIfNotPresent,
				// A realistic department site, dated from today, so that the
				// prelaunch inspection (S5) has something real to crawl.
				Args: []string{"sample-content", "--out", "/legacy", "--organizer", s.Spec.Organization.Name,
					"--site-code", s.Spec.SiteCode, "--icp", s.Spec.ICPFiling, "--public-security", s.Spec.PublicSecurityFiling},
				VolumeMounts: []corev1.VolumeMount{{Name: "legacy", MountPath: "/legacy"}}}},
			Volumes: []corev1.Volume{{Name: "legacy", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "legacy"}}}},
		},
	}
	Expect(k8sClient.Create(ctx, writer)).To(Succeed())
	Eventually(func() corev1.PodPhase {
		_ = k8sClient.Get(ctx, client.ObjectKeyFromObject(writer), writer)
		return writer.Status.Phase
	}).Should(Equal(corev1.PodSucceeded), "waiting for the legacy content to be written")
}

var _ = Describe("a department site on the real node", Ordered, func() {
	BeforeAll(func() {
		freshNamespace(ns)
		legacyContent(eduSite())
		Expect(k8sClient.Create(ctx, eduSite())).To(Succeed())
		signChain(eduSite(), false, "unit", "city", "province") // S1: each level as itself
		Eventually(func() sgv1.SiteState { return site(ns, "edu").Status.State }).Should(Equal(sgv1.StateServing),
			func() string {
				return "waiting for the site to serve (import Job, front end, admin, the prelaunch inspection):\n" + siteReport(ns, "edu")
			})
	})

	It("S5: an inspection Job crawled the site before it was routed, and its verdict is in the site's status", func() {
		s := site(ns, "edu")
		Expect(s.Status.Launch).To(And(HaveField("PrelaunchRun", "edu-prelaunch"), HaveField("LaunchedAt", Not(BeNil()))))
		run := &sgv1.InspectionRun{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "edu-prelaunch"}, run)).To(Succeed())
		Expect(run.Status.Phase).To(Equal(sgv1.InspectionSucceeded), run.Status.FailureReason)
		Expect(run.Status.Verdict).To(Equal(sgv1.VerdictPass), "vetoes: %v", run.Status.Vetoes)
		Expect(run.Status.Counts.Pages).To(BeNumerically(">", 5), "the crawler followed the columns")
		Expect(run.Status.ReportRef).NotTo(BeNil(), "the full report, read from the inspector's log: %s", run.Status.FailureReason)
		cm := &corev1.ConfigMap{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: run.Status.ReportRef.ConfigMap}, cm)).To(Succeed())
		Expect(cm.Data["report.json"]).To(ContainSubstring("1201010077"), "the identity footer was read (S4)")
		Expect(s.Status.LastInspection).NotTo(BeNil())
		Expect(s.Status.LastInspection.Verdict).To(Equal(sgv1.VerdictPass))
		Expect(*s.Status.LastInspection.Score).To(Equal(*run.Status.Score))
	})

	It("serves its migrated content through its public Service", func() {
		Expect(site(ns, "edu").Status.Content.ImportPhase).To(Equal("Succeeded"))
		ok, out := fetch("sitegroup-gateway", "http://edu-web."+ns+".svc.cluster.local/")
		Expect(ok).To(BeTrue(), out)
		Expect(out).To(ContainSubstring(legacy))
	})

	It("S1, S5: answers through the platform's Gateway by its domain, over HTTPS with its own cert-manager certificate", func() {
		Eventually(func() *metav1.Condition {
			return meta.FindStatusCondition(site(ns, "edu").Status.Conditions, sgv1.ConditionCertificateReady)
		}).Should(And(Not(BeNil()), HaveField("Status", metav1.ConditionTrue)), func() string { return siteReport(ns, "edu") })
		var a gatewayAnswer
		Eventually(func() error {
			var err error
			a, err = viaGateway(gatewayHTTPS, domain)
			return err
		}).Should(Succeed(), "Traefik presents the site's certificate for its domain, chained to the platform's CA")
		Expect(a.Status).To(Equal(http.StatusOK))
		Expect(a.Body).To(ContainSubstring(legacy))
		Expect(a.Cert.DNSNames).To(ConsistOf(domain))
		Expect(a.Cert.Issuer.CommonName).To(Equal("sitegroup platform CA"))
		secret := &corev1.Secret{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "edu-tls"}, secret)).To(Succeed())
		Expect(string(secret.Data["tls.crt"])).To(ContainSubstring(strings.TrimSpace(pemOf(a.Cert))), "the Secret cert-manager wrote for the site")

		plain, err := viaGateway(gatewayHTTP, domain)
		Expect(err).NotTo(HaveOccurred())
		Expect(plain.Status).To(Equal(http.StatusOK))
		Expect(plain.Body).To(ContainSubstring(legacy))
	})

	It("S7: the admin is never routed: no route names it, and the Gateway knows no host for it", func() {
		Expect(routedBackends(ns)).To(ConsistOf("edu-web"))
		a, err := viaGateway(gatewayHTTP, "edu-admin."+ns+".svc.cluster.local")
		Expect(err).NotTo(HaveOccurred())
		Expect(a.Status).To(Equal(http.StatusNotFound))
	})

	It("picks up a renewed certificate through the Gateway without restarting the site", func() {
		before, err := viaGateway(gatewayHTTPS, domain)
		Expect(err).NotTo(HaveOccurred())
		pods := frontendPods(ns)
		Expect(pods).NotTo(BeEmpty())
		renewCertificate(ns, "edu-tls")
		Eventually(func() string {
			a, err := viaGateway(gatewayHTTPS, domain)
			if err != nil {
				return err.Error()
			}
			return a.Cert.SerialNumber.String()
		}).ShouldNot(Equal(before.Cert.SerialNumber.String()), "Traefik serves cert-manager's reissued certificate")
		Expect(frontendPods(ns)).To(ConsistOf(pods), "no front-end pod was restarted")
		Expect(meta.IsStatusConditionTrue(site(ns, "edu").Status.Conditions, sgv1.ConditionCertificateReady)).To(BeTrue())
	})

	It("S7: the admin answers the admin-access namespace and drops everyone else (NetworkPolicy enforced)", func() {
		ok, out := fetch("sitegroup-admin-access", "http://edu-admin."+ns+".svc.cluster.local/")
		Expect(ok).To(BeTrue(), out)
		Expect(out).To(ContainSubstring("后台管理系统"))
		ok, out = fetch("sitegroup-gateway", "http://edu-admin."+ns+".svc.cluster.local/")
		Expect(ok).To(BeFalse(), "the gateway namespace reached the admin: %s", out)
		Expect(out).To(Or(ContainSubstring("deadline"), ContainSubstring("timeout")))
	})

	It("S1, S7: a department with edit rights cannot expose its admin: LoadBalancer, Ingress, allow-all NetworkPolicy refused", func() {
		dept := as(department)
		lb := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "open-admin"}, Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeLoadBalancer, Selector: map[string]string{"app.kubernetes.io/component": "admin"},
			Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}}}}
		Expect(dept.Create(ctx, lb)).To(MatchError(ContainSubstring("S7: Service open-admin of type LoadBalancer")))
		ing := &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "admin"}, Spec: networkingv1.IngressSpec{
			DefaultBackend: &networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: "edu-admin", Port: networkingv1.ServiceBackendPort{Number: 8080}}}}}
		Expect(dept.Create(ctx, ing)).To(MatchError(ContainSubstring("S1, S7: ingresses in a site namespace are the operator's")))
		allowAll := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "allow-all"}, Spec: networkingv1.NetworkPolicySpec{
			Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}}
		Expect(dept.Create(ctx, allowAll)).To(MatchError(ContainSubstring("S7: NetworkPolicies in a site namespace are the operator's")))
		ok, out := fetch("sitegroup-gateway", "http://edu-admin."+ns+".svc.cluster.local/")
		Expect(ok).To(BeFalse(), "the gateway namespace reached the admin: %s", out)
	})

	It("S7: runs the front end and the admin as separate pods, the content read-only in the front end", func() {
		pods := &corev1.PodList{}
		Expect(k8sClient.List(ctx, pods, client.InNamespace(ns), client.MatchingLabels{builders.LabelSite: "edu"})).To(Succeed())
		byComponent := map[string]corev1.Pod{}
		for _, p := range pods.Items {
			if p.Status.Phase == corev1.PodRunning {
				byComponent[p.Labels[builders.LabelComponent]] = p
			}
		}
		Expect(byComponent).To(HaveKey(builders.ComponentFrontend))
		Expect(byComponent).To(HaveKey(builders.ComponentAdmin))
		Expect(byComponent[builders.ComponentFrontend].Name).NotTo(Equal(byComponent[builders.ComponentAdmin].Name))
		Expect(byComponent[builders.ComponentFrontend].Spec.Containers[0].VolumeMounts).To(ContainElement(And(HaveField("Name", "content"), HaveField("ReadOnly", true))))
		Expect(byComponent[builders.ComponentAdmin].Spec.Containers[0].VolumeMounts).To(ContainElement(And(HaveField("Name", "content"), HaveField("ReadOnly", false))))
	})

	It("T5/T6: a takedown switches the domain to the notice page and a passed return brings the site back; content survives", func() {
		now := time.Now().UTC()
		t := &sgv1.TakedownRequest{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "rebuild"},
			Spec: sgv1.TakedownRequestSpec{
				SiteRef: sgv1.LocalObjectReference{Name: "edu"}, Type: sgv1.TakedownTemporary,
				Reason: "网站改版升级，需临时关停进行内容整合与安全检测。",
				Start:  metav1.NewTime(now.Add(-time.Minute)), End: &metav1.Time{Time: now.Add(5 * 24 * time.Hour)},
				Notice: sgv1.NoticeContent{Title: "临时关停公告", Text: "本网站临时关停改版，期间请访问区政府门户网站。", Contact: "022-23456789"},
			},
		}
		Expect(k8sClient.Create(ctx, t)).To(Succeed())
		signChain(t, false, "unit", "city", "province")
		Eventually(func() *metav1.Condition {
			return meta.FindStatusCondition(site(ns, "edu").Status.Conditions, "Ready")
		}).Should(And(Not(BeNil()), HaveField("Status", metav1.ConditionTrue), HaveField("Reason", sgv1.ReasonTakenDown)),
			"waiting for the notice pods to serve in place of the site")

		By("the public Service answers with the notice: 503, Retry-After, the notice text")
		base := portForward(ns, "edu-web")
		Eventually(func(g Gomega) {
			resp, body := get(base, domain)
			g.Expect(resp.StatusCode).To(Equal(http.StatusServiceUnavailable))
			g.Expect(resp.Header.Get("Retry-After")).NotTo(BeEmpty())
			g.Expect(body).To(ContainSubstring("临时关停公告"))
		}).Should(Succeed())

		By("T5: the Gateway answers the site's domain with the notice too")
		Eventually(func(g Gomega) {
			a, err := viaGateway(gatewayHTTPS, domain)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(a.Status).To(Equal(http.StatusServiceUnavailable))
			g.Expect(a.Body).To(ContainSubstring("临时关停公告"))
		}).Should(Succeed())

		By("the return: filed, checked by the prereturn run, approved by the unit and the city office")
		Eventually(func() error {
			if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(t), t); err != nil {
				return err
			}
			t.Spec.ReturnRequest = &sgv1.ReturnRequest{FiledAt: metav1.NewTime(time.Now().UTC()), SelfCheck: "自查完成：栏目、链接、安全检测均正常。"}
			return k8sClient.Update(ctx, t)
		}).Should(Succeed())
		run := &sgv1.InspectionRun{}
		Eventually(func() error {
			if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(t), t); err != nil {
				return err
			}
			if t.Status.PrereturnRun == "" {
				return errNoRun
			}
			return k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: t.Status.PrereturnRun}, run)
		}).Should(Succeed())
		By("T6: the prereturn inspection crawls the front end behind the notice and passes")
		Eventually(func() sgv1.InspectionPhase {
			_ = k8sClient.Get(ctx, client.ObjectKeyFromObject(run), run)
			return run.Status.Phase
		}).Should(Equal(sgv1.InspectionSucceeded), func() string { return "waiting for the prereturn inspection Job:\n" + siteReport(ns, "edu") })
		Expect(run.Status.Verdict).To(Equal(sgv1.VerdictPass), "vetoes: %v", run.Status.Vetoes)
		signChain(t, true, "unit", "city")
		Eventually(func() sgv1.TakedownPhase {
			_ = k8sClient.Get(ctx, client.ObjectKeyFromObject(t), t)
			return t.Status.Phase
		}).Should(Equal(sgv1.TakedownRestored), func() string { return siteReport(ns, "edu") })
		Eventually(func() sgv1.SiteState { return site(ns, "edu").Status.State }).Should(Equal(sgv1.StateServing), func() string { return siteReport(ns, "edu") })
		ok, out := fetch("sitegroup-gateway", "http://edu-web."+ns+".svc.cluster.local/")
		Expect(ok).To(BeTrue(), out)
		Expect(out).To(ContainSubstring(legacy), "the content survived the takedown")

		By("the content survives an operator restart")
		restartOperator()
		ok, out = fetch("sitegroup-gateway", "http://edu-web."+ns+".svc.cluster.local/")
		Expect(ok).To(BeTrue(), out)
		Expect(out).To(ContainSubstring(legacy))
		Consistently(func() sgv1.SiteState { return site(ns, "edu").Status.State }, 5*time.Second, time.Second).Should(Equal(sgv1.StateServing))
	})
})

var _ = Describe("a site whose pods cannot be placed", func() {
	It("S6: stays Pending with the scheduler's reason in the site's status", func() {
		bigNs := "e2e-big"
		s := anotherSite(bigNs, "big", "11120101000066666X", "1201010066")
		s.Spec.Frontend.Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("64")}}
		Expect(k8sClient.Create(ctx, s)).To(Succeed())
		signChain(s, false, "unit", "city", "province")
		Eventually(func() *metav1.Condition {
			return meta.FindStatusCondition(site(bigNs, "big").Status.Conditions, "Placed")
		}).Should(And(Not(BeNil()), HaveField("Reason", sgv1.ReasonUnschedulable), HaveField("Message", ContainSubstring("Insufficient cpu"))))

		By("S5: approved but never launched, it is not routed: the Gateway does not know its domain")
		Consistently(func() int {
			a, err := viaGateway(gatewayHTTP, "big.e2e-tjhp.gov.cn")
			Expect(err).NotTo(HaveOccurred())
			return a.Status
		}, 3*time.Second, time.Second).Should(Equal(http.StatusNotFound))
		Expect(routedBackends(bigNs)).To(BeEmpty())
	})

	It("S1: a site its unit head alone signed is not routed: the Gateway does not know its domain", func() {
		unsignedNs := "e2e-unsigned"
		s := anotherSite(unsignedNs, "unsigned", "11120101000055555X", "1201010055")
		Expect(k8sClient.Create(ctx, s)).To(Succeed())
		signChain(s, false, "unit")
		Eventually(func() sgv1.SiteState { return site(unsignedNs, "unsigned").Status.State }).Should(Equal(sgv1.StateAwaitingApproval))
		Consistently(func() int {
			a, err := viaGateway(gatewayHTTP, "unsigned.e2e-tjhp.gov.cn")
			Expect(err).NotTo(HaveOccurred())
			return a.Status
		}, 3*time.Second, time.Second).Should(Equal(http.StatusNotFound))
		Expect(routedBackends(unsignedNs)).To(BeEmpty())
		_, err := viaGateway(gatewayHTTPS, "unsigned.e2e-tjhp.gov.cn")
		Expect(err).To(HaveOccurred(), "no certificate for an unapproved site's domain (S1)")
	})
})

// anotherSite is the education bureau's site as another organization
// applies it in a fresh namespace: its own credit code, site code and
// domain <name>.e2e-tjhp.gov.cn (S2, S3), no content to import.
func anotherSite(ns, name, creditCode, siteCode string) *sgv1.GovWebsite {
	GinkgoHelper()
	freshNamespace(ns)
	s := eduSite()
	s.Namespace, s.Name = ns, name
	s.Spec.Organization.CreditCode, s.Spec.SiteCode = creditCode, siteCode
	s.Spec.Domains = []sgv1.Domain{sgv1.Domain(name + ".e2e-tjhp.gov.cn")}
	s.Spec.Content.ImportFrom = nil
	return s
}
