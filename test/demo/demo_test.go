// Package demo_test drives the console in Debian's Chromium against the
// cluster `make demo` brought up: its sample sites, its people, its
// operator (issue 20). It runs `sitegroup console` as each person would,
// with the demo's kubeconfig and --as, and checks what the people the
// demo binds (hack/demo/personas.sh) see and may do.
//
// `make demo-test` (hack/mk/console.mk) brings the demo up, runs this
// suite with SITEGROUP_DEMO_KUBECONFIG set, and takes the demo down;
// without it the suite skips. Screenshots go to bin/browser-artifacts/demo-*.
package demo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/testenv"
	"sitegroup.io/operator/test/browserkit"
)

// The demo's people (hack/demo/personas.sh).
const (
	cityOffice = "zhang.wei@tj"
	auditor    = "audit@tj"
)

const (
	timeout  = 2 * time.Minute
	interval = time.Second
)

var (
	ctx        context.Context
	cancel     context.CancelFunc
	kubeconfig string
	admin      client.Client
	sitegroup  string
	artifacts  string
)

func TestDemo(t *testing.T) {
	kubeconfig = os.Getenv("SITEGROUP_DEMO_KUBECONFIG")
	if kubeconfig == "" {
		t.Skip("the demo's browser suite runs with `make demo-test` (it brings the demo up and sets SITEGROUP_DEMO_KUBECONFIG)")
	}
	if _, err := os.Stat(browserkit.ChromiumPath()); err != nil {
		t.Skipf("no Chromium at %s: %v", browserkit.ChromiumPath(), err)
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "The console against the demo")
}

var _ = BeforeSuite(func() {
	ctx, cancel = context.WithCancel(context.Background())
	DeferCleanup(func() { cancel() })
	root, err := testenv.RepoRoot()
	Expect(err).NotTo(HaveOccurred())
	sitegroup = filepath.Join(root, "bin", "sitegroup") // `make demo` built it
	artifacts = filepath.Join(root, "bin", "browser-artifacts")
	Expect(os.MkdirAll(artifacts, 0o755)).To(Succeed())
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	Expect(err).NotTo(HaveOccurred())
	admin, err = client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	Expect(err).NotTo(HaveOccurred())
})

func site(ns, name string) *sgv1.GovWebsite {
	GinkgoHelper()
	s := &sgv1.GovWebsite{}
	Expect(admin.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, s)).To(Succeed())
	return s
}

func approvedMessage(ns, name string) string {
	c := meta.FindStatusCondition(site(ns, name).Status.Conditions, sgv1.ConditionApproved)
	if c == nil {
		return ""
	}
	return c.Message
}

// console runs `sitegroup console` as user, as the demo's closing lines
// tell a person to, on a free loopback port.
func console(user string) string {
	GinkgoHelper()
	return strings.TrimSuffix(browserkit.StartConsole(sitegroup, "--kubeconfig", kubeconfig, "--as", user, "--listen", "127.0.0.1:0"), "/")
}

var _ = Describe("the console on the demo's cluster", Ordered, func() {
	var city, audit string
	var b browserkit.Tab

	BeforeAll(func() {
		city, audit = console(cityOffice), console(auditor)
		b = browserkit.NewBrowser(ctx, artifacts)
	})

	It("lists the demo's sample sites with the states the operator gave them", func() {
		b.Open(city+"/", "#sites")
		Expect(b.Text("#user")).To(Equal(cityOffice))
		list := &sgv1.GovWebsiteList{}
		Expect(admin.List(ctx, list)).To(Succeed())
		Expect(list.Items).To(HaveLen(5), "the demo's five sample sites")
		Expect(b.Count("#sites tbody tr")).To(Equal(len(list.Items)))
		for _, s := range list.Items {
			Eventually(func() string {
				b.Open(city+"/", "#sites")
				return b.Attr(fmt.Sprintf(`tr[data-site="%s/%s"]`, s.Namespace, s.Name), "data-state")
			}, timeout, interval).Should(Equal(string(site(s.Namespace, s.Name).Status.State)), "%s/%s", s.Namespace, s.Name)
		}
		Expect(b.Attr(`tr[data-site="tjhp-portal/portal"]`, "data-state")).To(Equal(string(sgv1.StateServing)))
		Expect(b.Attr(`tr[data-site="tjhp-edu/edu"]`, "data-state")).To(Equal(string(sgv1.StateTakenDown)), "the demo's takedown (T5)")
		Expect(b.Attr(`tr[data-site="tjhp-health/health"]`, "data-state")).To(Equal(string(sgv1.StateAwaitingApproval)))
		b.Screenshot("demo-overview")
	})

	It("draws the portal's availability window from the real prober's probes", func() {
		Eventually(func() int {
			s := site("tjhp-portal", "portal")
			if s.Status.Availability == nil {
				return 0
			}
			return len(s.Status.Availability.Days)
		}, timeout, interval).Should(BeNumerically(">", 0), "the prober has probed the portal on the real node")
		b.Open(city+"/sites/tjhp-portal/portal", `#chart-availability[data-rendered="true"]`)
		px := browserkit.Eval[browserkit.CanvasPixels](b, fmt.Sprintf(browserkit.CanvasProbe, "chart-availability"))
		Expect(px.Instance).To(BeTrue())
		Expect(px.Width).To(BeNumerically(">", 100))
		Expect(px.Painted).To(BeNumerically(">", 1000), "a non-empty canvas")
		b.Screenshot("demo-site")
	})

	It("lets the city office sign the health commission's waiting site, and the site moves on", func() {
		Expect(approvedMessage("tjhp-health", "health")).To(ContainSubstring("waiting for approval at level city, province"))
		item := "site/tjhp-health/health/city"
		b.Open(city+"/sign", fmt.Sprintf(`button.approve[data-item="%s"]`, item))
		b.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.approve[data-item="%s"]`, item))), chromedp.WaitVisible(chromedp.CSS("#signed")))
		Expect(b.Text("#signed")).To(ContainSubstring(item))
		b.Screenshot("demo-signed")

		approvals := site("tjhp-health", "health").Spec.Approvals
		Expect(approvals).To(ContainElement(And(HaveField("Level", "city"), HaveField("Approver", cityOffice),
			HaveField("Decision", sgv1.DecisionApproved))), "signed as the city office, stamped by the webhook")
		Eventually(func() string { return approvedMessage("tjhp-health", "health") }, timeout, interval).
			Should(ContainSubstring("waiting for approval at level province;"), "S1: the operator moved it on to the province")
		b.Open(city+"/sign", "#tosign, #nothing-to-sign")
		Expect(b.Count(fmt.Sprintf(`button.approve[data-item="%s"]`, item))).To(BeZero())
	})

	It("shows the auditor what waits, and no sign button", func() {
		b.Open(audit+"/sign", "#nothing-to-sign")
		Expect(b.Text("#user")).To(Equal(auditor))
		Expect(b.Count(`button.sign, button.approve, form[action="/sign"]`)).To(BeZero())
		Expect(b.Count(`#others tr[data-item="site/tjhp-health/health/province"]`)).To(Equal(1), "health waits for the province; the auditor sees it")
		b.Open(audit+"/sites/tjhp-portal/portal", "#conditions")
		Expect(b.Count(`button.sign, button.approve`)).To(BeZero())
		b.Screenshot("demo-auditor")
	})
})
