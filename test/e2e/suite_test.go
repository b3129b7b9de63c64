// Package e2e_test runs the operator against the real single-node cluster
// (hack/realnode, brought up by hack/e2e/up.sh): sites really serve,
// NetworkPolicies really block (Cilium), takedowns really switch pages.
package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"sitegroup.io/operator/internal/testenv"
)

var (
	root      string
	cfg       *rest.Config
	k8sClient client.Client
	clientset *kubernetes.Clientset
	ctx       = context.Background()
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	SetDefaultEventuallyTimeout(3 * time.Minute)
	SetDefaultEventuallyPollingInterval(time.Second)
	RunSpecs(t, "End-to-end suite on the real node")
}

var _ = BeforeSuite(func() {
	ctrllog.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	var err error
	root, err = testenv.RepoRoot()
	Expect(err).NotTo(HaveOccurred())
	kubeconfig := filepath.Join(root, "bin", "realnode", "kubeconfig")
	if _, err := os.Stat(kubeconfig); err != nil {
		Skip("no real node: run `make e2e` (hack/e2e/up.sh brings it up)")
	}
	cfg, err = clientcmd.BuildConfigFromFlags("", kubeconfig)
	Expect(err).NotTo(HaveOccurred())
	k8sClient, err = client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	Expect(err).NotTo(HaveOccurred())
	clientset, err = kubernetes.NewForConfig(cfg)
	Expect(err).NotTo(HaveOccurred())
	bindPersonas()
})
