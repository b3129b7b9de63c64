package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/faults"
	"sitegroup.io/operator/internal/testenv"
)

// The fault suite (issue 17) kills the manager with SIGKILL at each named
// point of internal/faults, on the real node, and restarts it; it restarts
// the API server and drains the node of a live site's front end. The site
// still converges with one Job per purpose, no orphan, its content, never
// routed before its prelaunch run passed (S5), its admin never exposed
// (S7), and a permanent closure archived and verified by a second pod (T7).
// It runs after the rest of the suite (hack/e2e/run.sh): it moves the
// manager's clock ahead by T7's 30 days of notice.
var _ = Describe("the manager killed at each named point", Ordered, Label("faults"), func() {
	const fns = "e2e-faults"
	var s *sgv1.GovWebsite

	BeforeAll(func() {
		s = anotherSite(fns, "faults", "11120101000044444X", "1201010044")
		s.Spec.Content.ImportFrom = &sgv1.ContentImportSource{ExistingClaim: "legacy"}
		legacyContent(s)
		DeferCleanup(restartOperator) // the plain build and the wall clock, whatever happened
	})

	It("during the content import and the prelaunch run: one Job each, not routed before S5 passed, then serving", func() {
		restartOperatorWith(faults.ContentImportStarted, 0)
		Expect(k8sClient.Create(ctx, s)).To(Succeed())
		// The import starts before the approval; the signatures wait for a
		// manager to answer the webhooks (S1: each level as itself).
		managerKilledAt(faults.ContentImportStarted)
		restartOperatorWith(faults.PrelaunchJobCreated, 0)
		signChain(s, false, "unit", "city", "province")
		managerKilledAt(faults.PrelaunchJobCreated)
		By("S5: with the prelaunch Job started and the manager dead, the site is not routed")
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: fns, Name: builders.RouteName(s)}, &gatewayv1.HTTPRoute{})).NotTo(Succeed())

		restartOperator()
		Eventually(func() sgv1.SiteState { return site(fns, s.Name).Status.State }).Should(Equal(sgv1.StateServing),
			func() string { return "waiting for the site to serve after two kills:\n" + siteReport(fns, s.Name) })
		Expect(jobsOf(fns, builders.ComponentImport)).To(HaveLen(1), "one content import Job")
		Expect(prelaunchJobs(fns)).To(HaveLen(1), "one prelaunch inspection Job")
		ok, out := fetch("sitegroup-gateway", "http://"+builders.PublicServiceName(s)+"."+fns+".svc.cluster.local/")
		Expect(ok).To(BeTrue(), out)
		Expect(out).To(ContainSubstring(legacy), "the migrated content is served")
		noOrphans(fns)
		adminNotExposed(fns, s)
	})

	It("the API server restarted, then the node drained: the manager reconciles again, the front end keeps answering (V1)", func() {
		By("the API server goes down and comes back; the manager reconnects and acts on a change made after")
		out, err := exec.CommandContext(ctx, filepath.Join(root, "hack", "realnode", "restart-apiserver.sh")).CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), string(out))
		Eventually(func() error {
			live := site(fns, s.Name)
			patch := client.MergeFrom(live.DeepCopy())
			live.Spec.Frontend.Replicas = ptr.To[int32](2)
			return k8sClient.Patch(ctx, live, patch)
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			live := site(fns, s.Name)
			g.Expect(live.Status.ObservedGeneration).To(Equal(live.Generation))
			g.Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: fns, Name: builders.FrontendName(s)}, &policyv1.PodDisruptionBudget{})).To(Succeed())
			d := &appsv1.Deployment{}
			g.Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: fns, Name: builders.FrontendName(s)}, d)).To(Succeed())
			g.Expect(d.Status.ReadyReplicas).To(BeEquivalentTo(2))
		}).Should(Succeed(), func() string { return siteReport(fns, s.Name) })

		By("the node is drained of the front end: the budget keeps one replica, the Gateway answers throughout")
		nodes := &corev1.NodeList{}
		Expect(k8sClient.List(ctx, nodes)).To(Succeed())
		Expect(nodes.Items).To(HaveLen(1))
		node := nodes.Items[0].Name
		DeferCleanup(func() { Expect(kubectlOnNode("uncordon", node)).To(Succeed()) })
		drained := make(chan error, 1)
		go func() {
			defer GinkgoRecover()
			drained <- kubectlOnNode("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=30s",
				"--pod-selector="+builders.LabelSite+"="+s.Name+","+builders.LabelComponent+"="+builders.ComponentFrontend)
		}()
		host := string(s.Spec.Domains[0])
		answers, failed := 0, []string{}
	probing:
		for range 120 { // bounded: the drain gives up after 30 s
			select {
			case err := <-drained:
				Expect(err).To(MatchError(ContainSubstring("disruption budget")), "the budget must stop the drain at the last replica")
				break probing
			case <-time.After(500 * time.Millisecond):
			}
			answers++
			if a, err := viaGateway(gatewayHTTPS, host); err != nil || a.Status != http.StatusOK {
				failed = append(failed, fmt.Sprintf("%d %v", a.Status, err))
			}
		}
		Expect(answers).To(BeNumerically(">=", 20), "probed through the whole drain")
		// One request may meet the evicted pod between its termination and
		// the Gateway's next endpoint update; V1 judges a rate, not a request.
		Expect(len(failed)).To(BeNumerically("<=", 1), "V1: the homepage answers while the node drains; failed: %v", failed)
		evicted := &corev1.PodList{}
		Expect(k8sClient.List(ctx, evicted, client.InNamespace(fns), client.MatchingLabels{builders.LabelComponent: builders.ComponentFrontend})).To(Succeed())
		pending := 0
		for _, p := range evicted.Items {
			if p.Status.Phase == corev1.PodPending {
				pending++
			}
		}
		Expect(pending).To(Equal(1), "the drain evicted one replica, whose replacement waits for the cordoned node")
		Expect(kubectlOnNode("uncordon", node)).To(Succeed())
	})

	It("between a permanent takedown's switch of the Service and its status write: the notice serves after the restart", func() {
		restartOperatorWith(faults.TakedownServiceSwitched, 0)
		t := &sgv1.TakedownRequest{
			ObjectMeta: metav1.ObjectMeta{Namespace: fns, Name: "closure"},
			Spec: sgv1.TakedownRequestSpec{
				SiteRef: sgv1.LocalObjectReference{Name: s.Name}, Type: sgv1.TakedownPermanent,
				Reason: "机构改革，网站整合至区政府门户网站。",
				Start:  metav1.NewTime(time.Now().UTC().Add(-time.Minute)),
				Notice: sgv1.NoticeContent{Title: "网站关停公告", Text: "本网站已整合至区政府门户网站。", Contact: "022-23456789"},
			},
		}
		Expect(k8sClient.Create(ctx, t)).To(Succeed())
		signChain(t, false, "unit", "city", "province")
		managerKilledAt(faults.TakedownServiceSwitched)
		By("T5: the Service was switched to the notice before the kill; the site's status does not say so yet")
		svc := &corev1.Service{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: fns, Name: builders.PublicServiceName(s)}, svc)).To(Succeed())
		Expect(svc.Spec.Selector).To(HaveKeyWithValue(builders.LabelComponent, builders.ComponentNotice))

		restartOperator()
		Eventually(func() *metav1.Condition {
			return meta.FindStatusCondition(site(fns, s.Name).Status.Conditions, sgv1.ConditionReady)
		}).Should(And(Not(BeNil()), HaveField("Reason", sgv1.ReasonTakenDown)), func() string { return siteReport(fns, s.Name) })
		base := portForward(fns, builders.PublicServiceName(s))
		Eventually(func(g Gomega) {
			resp, body := get(base, string(s.Spec.Domains[0]))
			g.Expect(resp.StatusCode).To(Equal(http.StatusOK), "T7: the closure notice, during its 30 days")
			g.Expect(body).To(ContainSubstring("网站关停公告"))
		}).Should(Succeed())
		noOrphans(fns)
		adminNotExposed(fns, s)
	})

	It("T7: during the archive, before and after its read-back: closed once, verified by a second pod, its volume retained", func() {
		// 31 days on: the notice period is over and the archive starts.
		ahead := 31 * 24 * time.Hour
		restartOperatorWith(faults.ArchiveWritten, ahead)
		managerKilledAt(faults.ArchiveWritten)
		restartOperatorWith(faults.ArchiveReadBack, ahead)
		managerKilledAt(faults.ArchiveReadBack)
		t := &sgv1.TakedownRequest{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: fns, Name: "closure"}, t)).To(Succeed())
		Expect(t.Status.Phase).To(Equal(sgv1.TakedownArchiving), "nothing released before the archive is verified")

		restartOperatorWith("", ahead)
		Eventually(func() sgv1.TakedownPhase {
			_ = k8sClient.Get(ctx, client.ObjectKeyFromObject(t), t)
			return t.Status.Phase
		}).Should(Equal(sgv1.TakedownClosed), func() string { return fmt.Sprintf("takedown status: %+v", t.Status) })
		a := t.Status.Archive
		Expect(a.VerifiedAt).NotTo(BeNil())
		Expect(a.Attempt).To(BeEquivalentTo(1), "the kills cost no attempt")
		Expect(a.VerifiedBy).NotTo(BeEmpty())
		Expect(a.VerifiedBy).NotTo(Equal(a.WrittenBy), "T7: read back by a pod that did not write it")
		Expect(jobsOf(fns, builders.ComponentArchive)).To(HaveLen(1), "one writer Job")
		Expect(jobsOf(fns, builders.ComponentArchiveVerify)).To(HaveLen(1), "one read-back Job")
		pv := &corev1.PersistentVolume{}
		Expect(k8sClient.Get(ctx, client.ObjectKey{Name: a.VolumeName}, pv)).To(Succeed())
		Expect(pv.Spec.PersistentVolumeReclaimPolicy).To(Equal(corev1.PersistentVolumeReclaimRetain), "T7: the archive outlives its claim")
		noOrphans(fns)
		adminNotExposed(fns, s)
	})
})

// kubectlOnNode runs kubectl against the real node, bounded by a minute.
func kubectlOnNode(args ...string) error {
	bin, err := testenv.BinDir()
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	args = append([]string{"--kubeconfig", filepath.Join(root, "bin", "realnode", "kubeconfig")}, args...)
	out, err := exec.CommandContext(cctx, filepath.Join(bin, "kubectl"), args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// restartOperatorWith restarts the operator as the fault suite's build,
// armed to kill itself at point (none when empty) and its clock ahead by
// ahead.
func restartOperatorWith(point string, ahead time.Duration) {
	GinkgoHelper()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "hack", "e2e", "restart-manager.sh"))
	cmd.Env = append(os.Environ(), "SITEGROUP_CRASH_AT="+point, "SITEGROUP_CLOCK_OFFSET="+ahead.String())
	if point == "" && ahead == 0 {
		cmd.Env = os.Environ()
	}
	out, err := cmd.CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), string(out))
}

// managerKilledAt waits until the manager said it reached point and its
// process is gone.
func managerKilledAt(point string) {
	GinkgoHelper()
	logFile := filepath.Join(root, "bin", "realnode", "logs", "sitegroup-manager.log")
	pidFile := filepath.Join(root, "bin", "realnode", "pids", "sitegroup-manager.pid")
	Eventually(func(g Gomega) {
		log, err := os.ReadFile(logFile)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(string(log)).To(ContainSubstring("fault point "+point+": SIGKILL"), "the manager has not reached %s", point)
		pid, err := os.ReadFile(pidFile)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(processGone(strings.TrimSpace(string(pid)))).To(BeTrue(), "the manager still runs")
	}, 5*time.Minute, time.Second).Should(Succeed())
}

// processGone: no such process, or a zombie nobody reaped.
func processGone(pid string) bool {
	if _, err := strconv.Atoi(pid); err != nil {
		return true
	}
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return true
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] == "Z"
}

// jobsOf lists a namespace's Jobs of one component.
func jobsOf(ns, component string) []batchv1.Job {
	GinkgoHelper()
	jobs := &batchv1.JobList{}
	Expect(k8sClient.List(ctx, jobs, client.InNamespace(ns), client.MatchingLabels{builders.LabelComponent: component})).To(Succeed())
	return jobs.Items
}

// prelaunchJobs lists the Jobs of the namespace's prelaunch runs.
func prelaunchJobs(ns string) []batchv1.Job {
	GinkgoHelper()
	runs := &sgv1.InspectionRunList{}
	Expect(k8sClient.List(ctx, runs, client.InNamespace(ns))).To(Succeed())
	var out []batchv1.Job
	for _, run := range runs.Items {
		if run.Spec.Purpose != sgv1.PurposePrelaunch {
			continue
		}
		jobs := &batchv1.JobList{}
		Expect(k8sClient.List(ctx, jobs, client.InNamespace(ns))).To(Succeed())
		for _, j := range jobs.Items {
			if metav1.IsControlledBy(&j, &run) {
				out = append(out, j)
			}
		}
	}
	return out
}

// noOrphans: every Job and pod in the namespace belongs to an object that
// exists (the legacy writer, made by the suite, aside).
func noOrphans(ns string) {
	GinkgoHelper()
	jobs := &batchv1.JobList{}
	Expect(k8sClient.List(ctx, jobs, client.InNamespace(ns))).To(Succeed())
	for _, j := range jobs.Items {
		Expect(ownerExists(ns, j.OwnerReferences)).To(BeTrue(), "Job %s has no live owner: %+v", j.Name, j.OwnerReferences)
	}
	pods := &corev1.PodList{}
	Expect(k8sClient.List(ctx, pods, client.InNamespace(ns))).To(Succeed())
	for _, p := range pods.Items {
		if p.Name == "legacy-writer" || !p.DeletionTimestamp.IsZero() {
			continue
		}
		Expect(ownerExists(ns, p.OwnerReferences)).To(BeTrue(), "pod %s has no live owner: %+v", p.Name, p.OwnerReferences)
	}
}

// ownerExists: the controller owner of an object is there, by UID.
func ownerExists(ns string, refs []metav1.OwnerReference) bool {
	GinkgoHelper()
	for _, ref := range refs {
		if ref.Controller == nil || !*ref.Controller {
			continue
		}
		owner := &metav1.PartialObjectMetadata{}
		owner.SetGroupVersionKind(schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind))
		if err := k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: ref.Name}, owner); err != nil {
			return false
		}
		return owner.UID == ref.UID
	}
	return false
}

// adminNotExposed: the admin Service stays cluster-internal and no route
// of the namespace sends traffic to it (S7).
func adminNotExposed(ns string, s *sgv1.GovWebsite) {
	GinkgoHelper()
	svc := &corev1.Service{}
	err := k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: builders.AdminServiceName(s)}, svc)
	Expect(client.IgnoreNotFound(err)).To(Succeed())
	if err == nil {
		Expect(svc.Spec.Type).To(Equal(corev1.ServiceTypeClusterIP), "S7: the admin Service stays inside the cluster")
	}
	routes := &gatewayv1.HTTPRouteList{}
	Expect(k8sClient.List(ctx, routes, client.InNamespace(ns))).To(Succeed())
	for _, r := range routes.Items {
		for _, rule := range r.Spec.Rules {
			for _, b := range rule.BackendRefs {
				Expect(string(b.Name)).NotTo(Equal(builders.AdminServiceName(s)), "S7: route %s sends traffic to the admin", r.Name)
			}
		}
	}
}
