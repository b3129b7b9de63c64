package controller_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/testenv"
)

var (
	cfg       *rest.Config
	env       *envtest.Environment
	k8sClient client.Client
	ctx       context.Context
	cancel    context.CancelFunc
	writes    = &writeCounter{}
	// apiUse records every permission the manager's requests need, for the
	// least-privilege check after the suite (issue 17).
	apiUse = &testenv.APIUse{}
	// testClock drives the time-based rules (T4, T6, T7).
	testClock = clock.NewFake(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC))
)

func TestControllers(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Controllers suite")
}

// writeCounter counts the manager's writes to the API server, to prove an
// unchanged site costs none.
type writeCounter struct {
	mu  sync.Mutex
	log []string
}

func (w *writeCounter) RoundTrip(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		switch req.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			w.mu.Lock()
			w.log = append(w.log, req.Method+" "+req.URL.Path)
			w.mu.Unlock()
		}
		return next.RoundTrip(req)
	})
}

// snapshot is the writes so far that touched namespace ns (its objects or
// the namespace itself): specs run side by side in namespaces of their
// own, and another spec's late event must not count against this one.
func (w *writeCounter) snapshot(ns string) (int, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var log []string
	for _, l := range w.log {
		if strings.Contains(l, "/namespaces/"+ns+"/") || strings.HasSuffix(l, "/namespaces/"+ns) {
			log = append(log, l)
		}
	}
	return len(log), log
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var _ = BeforeSuite(func() {
	ctrl.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	ctx, cancel = context.WithCancel(context.Background())
	var err error
	env, err = testenv.New(true)
	Expect(err).NotTo(HaveOccurred())
	cfg, err = env.Start()
	Expect(err).NotTo(HaveOccurred())
	k8sClient, err = client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	Expect(err).NotTo(HaveOccurred())

	// The manager as an install runs it: its ServiceAccount, its role.
	mgr, err := testenv.OperatorManager(ctx, env, cfg, k8sClient,
		func(rt http.RoundTripper) http.RoundTripper { return writes.RoundTrip(apiUse.Wrap(rt)) },
		controller.Options{OperatorImage: "sitegroup.io/sitegroup:test", Clock: testClock, Reports: inspectorLogs,
			SiteWorkers: 4}) // as the manager runs by default (--site-workers)
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
	// The operator's own namespace, where it publishes its reports (the spot check).
	Expect(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "sitegroup-system"}})).To(Succeed())
	createPolicy()
	createNode("node-bj-1", "cn-north-1")
	createNode("node-sh-1", "cn-east-2")
})

var _ = AfterSuite(func() {
	checkLeastPrivilege()
	cancel()
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

func createNode(name, region string) {
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
		"kubernetes.io/hostname": name, "topology.kubernetes.io/region": region,
	}}}
	Expect(k8sClient.Create(ctx, node)).To(Succeed())
}

// applyYAML creates every object of a file of the repository.
func applyYAML(rel string) {
	GinkgoHelper()
	Expect(testenv.CreateFromFile(ctx, k8sClient, rel)).To(Succeed())
}
