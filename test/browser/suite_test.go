// Package browser_test drives `sitegroup console` in Debian's Chromium
// (headless, through chromedp) against a real kube-apiserver and etcd
// (envtest, internal/testenv) with the operator's CRDs, webhooks and
// manager running as its ServiceAccount, and the personas bound as a
// platform engineer binds them. The console runs in-process on a loopback
// port as the city office (zhang.wei) and as the auditor (audit), each
// through a rest.Config impersonating that user: nothing is mocked.
//
// `make browser-test` (hack/mk/console.mk) builds the control plane,
// installs Chromium from Debian when it is missing and sets
// SITEGROUP_BROWSER_TEST=1; without it the suite skips (it needs both).
// Screenshots go to bin/browser-artifacts/.
package browser_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/testenv"
	"sitegroup.io/operator/test/browserkit"
)

const (
	timeout  = 30 * time.Second
	interval = 100 * time.Millisecond
)

// The personas (config/rbac/personas.yaml), named as in the controller suite.
const (
	unitHead       = "chen.jing"
	cityOffice     = "zhang.wei"
	provinceOffice = "li.na"
	department     = "webmaster"
	auditor        = "audit"
	kubeController = "system:serviceaccount:kube-system:job-controller"
)

var (
	cfg       *rest.Config
	env       *envtest.Environment
	k8sClient client.Client
	ctx       context.Context
	cancel    context.CancelFunc
	logs      = &testenv.PodLogs{}
	// artifacts is bin/browser-artifacts: screenshots and page dumps.
	artifacts string
)

func TestBrowser(t *testing.T) {
	if os.Getenv("SITEGROUP_BROWSER_TEST") != "1" {
		t.Skip("the console's browser suite runs with `make browser-test` (a real kube-apiserver and Debian's Chromium); set SITEGROUP_BROWSER_TEST=1 to run it here")
	}
	if _, err := os.Stat(browserkit.ChromiumPath()); err != nil {
		t.Skipf("no Chromium at %s (install Debian's chromium: `make browser-test` does as root): %v", browserkit.ChromiumPath(), err)
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "Console in a browser")
}

var _ = BeforeSuite(func() {
	ctrl.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	ctx, cancel = context.WithCancel(context.Background())
	root, err := testenv.RepoRoot()
	Expect(err).NotTo(HaveOccurred())
	artifacts = filepath.Join(root, "bin", "browser-artifacts")
	Expect(os.MkdirAll(artifacts, 0o755)).To(Succeed())

	env, err = testenv.New(true)
	Expect(err).NotTo(HaveOccurred())
	cfg, err = env.Start()
	Expect(err).NotTo(HaveOccurred())
	k8sClient, err = client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	Expect(err).NotTo(HaveOccurred())

	// The manager as the install runs it: its ServiceAccount, its role.
	mgr, err := testenv.OperatorManager(ctx, env, cfg, k8sClient, nil,
		controller.Options{OperatorImage: "sitegroup.io/sitegroup:test", Reports: logs})
	Expect(err).NotTo(HaveOccurred())
	go func() {
		defer GinkgoRecover()
		Expect(mgr.Start(ctx)).To(Succeed())
	}()
	Expect(mgr.GetCache().WaitForCacheSync(ctx)).To(BeTrue())
	Eventually(func() error { return mgr.GetWebhookServer().StartedChecker()(nil) }, timeout, interval).Should(Succeed())
	applyYAML("config/admission/domestic-placement.yaml")
	applyYAML("config/admission/site-namespace-guard.yaml")
	bindPersonas()
	createPolicy()
	createNode("node-bj-1", "cn-north-1")
	createNode("node-sh-1", "cn-east-2")
})

var _ = AfterSuite(func() {
	if cancel != nil {
		cancel()
	}
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// The helpers below play what the controller suite plays too; the shared
// parts are in internal/testenv.

func bindPersonas() {
	GinkgoHelper()
	for role, user := range map[string]string{
		"sitegroup-city-office":     cityOffice,
		"sitegroup-province-office": provinceOffice,
		"sitegroup-auditor":         auditor,
	} {
		Expect(testenv.BindClusterRole(ctx, k8sClient, role, user)).To(Succeed())
	}
	// kube-controller-manager's controllers, which envtest does not run:
	// the test plays them (Job pods, Deployment status).
	Expect(testenv.BindClusterRole(ctx, k8sClient, "cluster-admin", kubeController)).To(Succeed())
}

func bindRole(ns, role, user string) {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: role + ":" + user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	})).To(Succeed())
}

// siteNamespace creates a department's namespace with its unit head and web team bound.
func siteNamespace(name string) {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}})).To(Succeed())
	bindRole(name, "sitegroup-unit-head", unitHead)
	bindRole(name, "sitegroup-department", department)
}

func createPolicy() {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, &sgv1.SiteGroupPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: sgv1.PolicyName},
		Spec: sgv1.SiteGroupPolicySpec{
			Placement: sgv1.PlacementPolicy{AllowedRegions: []string{"cn-north-1", "cn-east-2"}},
			Network:   sgv1.NetworkPolicyDefaults{AdminAccessNetworks: []sgv1.CIDR{"10.0.0.0/8"}},
			Routing: sgv1.RoutingPolicy{
				GatewayRef:   &sgv1.GatewayParentRef{Name: "sitegroup", Namespace: "sitegroup-gateway", SectionName: "https"},
				TLSIssuerRef: &sgv1.IssuerReference{Name: "gov-ca", Kind: "ClusterIssuer"},
			},
		},
	})).To(Succeed())
}

func createNode(name, region string) {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
		"kubernetes.io/hostname": name, "topology.kubernetes.io/region": region,
	}}})).To(Succeed())
}

func as(user string, groups ...string) client.Client {
	GinkgoHelper()
	c, err := testenv.As(cfg, user, groups...)
	Expect(err).NotTo(HaveOccurred())
	return c
}

func key(ns, name string) client.ObjectKey { return client.ObjectKey{Namespace: ns, Name: name} }

func exists(obj client.Object, ns, name string) {
	GinkgoHelper()
	Eventually(func() error { return k8sClient.Get(ctx, key(ns, name), obj) }, timeout, interval).
		Should(Succeed(), "waiting for %T %s/%s", obj, ns, name)
}

// signSite appends one approval to a site as its signer, through the API
// (the console's own signing is what the specs test).
func signSite(ns, name, level, user string) {
	GinkgoHelper()
	Eventually(func() error {
		c := as(user)
		site := &sgv1.GovWebsite{}
		if err := c.Get(ctx, key(ns, name), site); err != nil {
			return err
		}
		site.Spec.Approvals = append(site.Spec.Approvals, sgv1.Approval{Level: level, Decision: sgv1.DecisionApproved})
		return c.Update(ctx, site)
	}, timeout, interval).Should(Succeed(), "%s signing %s/%s at %s", user, ns, name, level)
}

// completeInspection plays the Job controller and the kubelet for a run:
// its pod prints the report and ends with the summary as its termination
// message, and the Job completes.
func completeInspection(ns, run string, report findings.Report) {
	GinkgoHelper()
	job := &batchv1.Job{}
	exists(job, ns, run+"-inspect")
	log, err := json.Marshal(report)
	Expect(err).NotTo(HaveOccurred())
	pod := testenv.JobPod(job, "node-sh-1")
	Expect(as(kubeController).Create(ctx, pod)).To(Succeed())
	logs.Set(key(ns, pod.Name), append([]byte("starting inspection\n"), log...))
	Expect(testenv.CompleteJob(ctx, k8sClient, job, pod, "inspect", string(findings.Summarize(report).Encode()), time.Now())).To(Succeed())
	Eventually(func() sgv1.InspectionPhase {
		r := &sgv1.InspectionRun{}
		_ = k8sClient.Get(ctx, key(ns, run), r)
		return r.Status.Phase
	}, timeout, interval).Should(Equal(sgv1.InspectionSucceeded))
}

// makeServing plays the Deployment controllers and the kubelet: the site's
// Deployments report available replicas and a pod of each component runs.
func makeServing(ns, site string) {
	GinkgoHelper()
	for _, d := range []struct{ name, node string }{{site + "-frontend", "node-bj-1"}, {site + "-admin", "node-sh-1"}} {
		dep := &appsv1.Deployment{}
		exists(dep, ns, d.name)
		r := *dep.Spec.Replicas
		dep.Status = appsv1.DeploymentStatus{ObservedGeneration: dep.Generation, Replicas: r, ReadyReplicas: r, AvailableReplicas: r, UpdatedReplicas: r}
		Expect(k8sClient.Status().Update(ctx, dep)).To(Succeed())
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: d.name + "-pod", Labels: dep.Spec.Template.Labels},
			Spec:       *dep.Spec.Template.Spec.DeepCopy(),
		}
		pod.Spec.NodeName = d.node
		Expect(as(kubeController).Create(ctx, pod)).To(Succeed())
	}
}

// applyYAML creates every object of a file of the repository.
func applyYAML(rel string) {
	GinkgoHelper()
	Expect(testenv.CreateFromFile(ctx, k8sClient, rel)).To(Succeed())
}
