package controller_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/controller"
	"sitegroup.io/operator/internal/testenv"
)

// flakyHomepage answers 500 to every nth request (n=0: never).
func flakyHomepage(every int64) *httptest.Server {
	var served atomic.Int64
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n := served.Add(1); every > 0 && n%every == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("<html>首页</html>"))
	}))
}

// probeDays runs the prober hour by hour (the policy's 24 probes a day).
func probeDays(p *controller.AvailabilityProber, from time.Time, days int) time.Time {
	GinkgoHelper()
	t := from
	for range days * 24 {
		t = t.Add(time.Hour)
		testClock.Set(t)
		Expect(p.Probe(ctx)).To(Succeed())
	}
	return t
}

var _ = Describe("availability prober (V1)", func() {
	var ns string
	BeforeEach(func() { ns = newSiteNamespace() })

	DescribeTable("keeps a 7-day window of spaced probes and judges V1 from it",
		func(every int64, verdict sgv1.Verdict, warning bool) {
			home := flakyHomepage(every)
			DeferCleanup(home.Close)
			start := shanghai(2027, 6, 1, 0, 0)
			testClock.Set(start)
			site := eduSite(ns)
			site.Spec.Inspection.TargetURL = home.URL
			site.Spec.Inspection.Schedule = "0 6 29 2 *"
			createApproved(site)
			makeRunning(ns, "node-bj-1", "node-sh-1")

			recorder := events.NewFakeRecorder(100)
			prober := controller.NewAvailabilityProber(k8sClient, recorder, testClock)
			end := probeDays(prober, start, 8)

			a := getSite(ns).Status.Availability
			Expect(a).NotTo(BeNil())
			Expect(a.Days).To(HaveLen(8), "today and the 7 days before, nothing older")
			Expect(a.Sufficient).To(BeTrue(), "at least 20 probes on each of the 7 days")
			Expect(a.Probes).To(Equal(int32(7 * 24)))
			Expect(a.Verdict).To(Equal(verdict))
			Expect(a.Warning).To(Equal(warning))
			Expect(a.LastProbeTime.Time).To(BeTemporally("==", end))

			By("at most one write an hour: probing again within the hour writes nothing")
			testClock.Set(end.Add(10 * time.Minute))
			Expect(prober.Probe(ctx)).To(Succeed())
			Expect(getSite(ns).Status.Availability.LastProbeTime.Time).To(BeTemporally("==", end))

			By("a restarted manager goes on from the window in status")
			again := controller.NewAvailabilityProber(k8sClient, recorder, testClock)
			probeDays(again, end, 1)
			Expect(getSite(ns).Status.Availability.Days).To(HaveLen(8))
			if verdict == sgv1.VerdictFail {
				Eventually(func() string { return condition(ns, sgv1.ConditionCompliant).Message }, timeout, interval).Should(ContainSubstring("V1"))
			}
		},
		Entry("every probe answers: pass", int64(0), sgv1.VerdictPass, false),
		Entry("1 in 24 fails (4.2%): pass with the 3% early warning", int64(24), sgv1.VerdictPass, true),
		Entry("1 in 12 fails (8.3%): V1 fails at 5%", int64(12), sgv1.VerdictFail, false),
	)

	It("has nothing to probe, and no error to log, before the platform has a policy", func() {
		// The real API server, seen by a client that finds no policy there.
		direct, err := client.NewWithWatch(cfg, client.Options{Scheme: testenv.Scheme()})
		Expect(err).NotTo(HaveOccurred())
		noPolicy := interceptor.NewClient(direct, interceptor.Funcs{Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			if _, isPolicy := obj.(*sgv1.SiteGroupPolicy); isPolicy {
				return apierrors.NewNotFound(sgv1.GroupVersion.WithResource("sitegrouppolicies").GroupResource(), key.Name)
			}
			return c.Get(ctx, key, obj, opts...)
		}})
		prober := controller.NewAvailabilityProber(noPolicy, events.NewFakeRecorder(1), testClock)
		Expect(prober.Probe(ctx)).To(Succeed())
	})
})
