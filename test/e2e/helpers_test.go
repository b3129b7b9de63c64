package e2e_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/testenv"
)

const testapp = "sitegroup.io/testapp:v1"

var podCount int

// fetch runs a one-shot client pod in a namespace that GETs url (3 tries, a
// 2 s timeout each: dropped traffic times out) and returns whether it got a
// 2xx and what it printed.
func fetch(ns, url string) (bool, string) {
	GinkgoHelper()
	podCount++
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: fmt.Sprintf("client-%d", podCount)},
		Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: "get", Image: testapp, ImagePullPolicy: corev1.PullIfNotPresent,
				Args: []string{"get", url, "3", "2s"}}},
		},
	}
	Expect(k8sClient.Create(ctx, pod)).To(Succeed())
	DeferCleanup(func() { _ = k8sClient.Delete(ctx, pod, client.GracePeriodSeconds(0)) })
	Eventually(func() corev1.PodPhase {
		_ = k8sClient.Get(ctx, client.ObjectKeyFromObject(pod), pod)
		return pod.Status.Phase
	}).Should(Or(Equal(corev1.PodSucceeded), Equal(corev1.PodFailed)), "waiting for client pod %s/%s to finish GET %s", ns, pod.Name, url)
	logs, err := clientset.CoreV1().Pods(ns).GetLogs(pod.Name, &corev1.PodLogOptions{}).DoRaw(ctx)
	Expect(err).NotTo(HaveOccurred())
	return pod.Status.Phase == corev1.PodSucceeded, string(logs)
}

// portForward forwards a loopback port to a Service, as `kubectl
// port-forward` does; it stops at the end of the spec. kubectl exits when
// the Service has no ready pod yet, so it is retried, bounded.
func portForward(ns, svc string) string {
	GinkgoHelper()
	var base string
	Eventually(func() error {
		var err error
		base, err = startPortForward(ns, svc)
		return err
	}, time.Minute, 2*time.Second).Should(Succeed(), "kubectl port-forward to %s/%s", ns, svc)
	return base
}

func startPortForward(ns, svc string) (string, error) {
	bin, err := testenv.BinDir()
	if err != nil {
		return "", err
	}
	kubectl := filepath.Join(bin, "kubectl")
	cmd := exec.Command(kubectl, "--kubeconfig", filepath.Join(root, "bin", "realnode", "kubeconfig"),
		"-n", ns, "port-forward", "--address", "127.0.0.1", "svc/"+svc, ":80")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`127\.0\.0\.1:(\d+)`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case port := <-found:
		DeferCleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return "http://127.0.0.1:" + port, nil
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return "", fmt.Errorf("kubectl port-forward did not start in 10s")
	}
}

// get sends one request with the site's Host header, bounded by 5 s.
func get(base, host string) (*http.Response, string) {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	Expect(err).NotTo(HaveOccurred())
	req.Host = host
	c := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(body)
}

func site(ns, name string) *sgv1.GovWebsite {
	s := &sgv1.GovWebsite{}
	_ = k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, s)
	return s
}

// freshNamespace creates a namespace, first removing one a previous run
// left: its sites are closed with the force annotation (T7 holds them
// otherwise) and the namespace is awaited until gone.
func freshNamespace(name string) {
	GinkgoHelper()
	nsObj := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(nsObj), nsObj); err == nil {
		sites := &sgv1.GovWebsiteList{}
		Expect(k8sClient.List(ctx, sites, client.InNamespace(name))).To(Succeed())
		for i := range sites.Items {
			s := &sites.Items[i]
			patch := client.MergeFrom(s.DeepCopy())
			if s.Annotations == nil {
				s.Annotations = map[string]string{}
			}
			s.Annotations[sgv1.AnnotationForceDelete] = "true"
			Expect(k8sClient.Patch(ctx, s, patch)).To(Succeed())
		}
		_ = k8sClient.Delete(ctx, nsObj)
		Eventually(func() bool {
			return apierrors.IsNotFound(k8sClient.Get(ctx, client.ObjectKeyFromObject(nsObj), &corev1.Namespace{}))
		}).Should(BeTrue(), "waiting for namespace %s of a previous run to go", name)
	}
	Expect(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}})).To(Succeed())
	bindNamespacePersonas(name)
}

// The people of the suite, bound to the shipped roles
// (config/rbac/personas.yaml) as a platform engineer binds them: the unit
// head and the web team in each site namespace (freshNamespace), the city
// and province offices cluster-wide (bindPersonas).
var signers = map[string]string{"unit": "chen.jing", "city": "zhang.wei", "province": "li.na"}

const department = "webmaster"

// bindPersonas binds the city and province offices cluster-wide.
func bindPersonas() {
	GinkgoHelper()
	for role, user := range map[string]string{"sitegroup-city-office": signers["city"], "sitegroup-province-office": signers["province"]} {
		b := &rbacv1.ClusterRoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: "e2e:" + role},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
			Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
		}
		Expect(client.IgnoreAlreadyExists(k8sClient.Create(ctx, b))).To(Succeed())
	}
}

// bindNamespacePersonas binds a site namespace's unit head, and its web
// team with the department role plus Kubernetes' ordinary edit rights.
func bindNamespacePersonas(ns string) {
	GinkgoHelper()
	for _, b := range []struct{ role, user string }{
		{"sitegroup-unit-head", signers["unit"]}, {"sitegroup-department", department}, {"edit", department},
	} {
		Expect(k8sClient.Create(ctx, &rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: b.role + ":" + b.user},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: b.role},
			Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: b.user}},
		})).To(Succeed())
	}
}

// as is a client acting as a persona.
func as(user string) client.Client {
	GinkgoHelper()
	cl, err := testenv.As(cfg, user)
	Expect(err).NotTo(HaveOccurred())
	return cl
}

// signChain has each level sign obj (a GovWebsite or a TakedownRequest, or
// its return when ret) as its own signer, one write each (S1, T1, T6); the
// webhook stamps who and when.
func signChain(obj client.Object, ret bool, levels ...string) {
	GinkgoHelper()
	for _, level := range levels {
		c := as(signers[level])
		Eventually(func() error {
			if err := c.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
				return err
			}
			a := sgv1.Approval{Level: level, Decision: sgv1.DecisionApproved}
			switch o := obj.(type) {
			case *sgv1.GovWebsite:
				o.Spec.Approvals = append(o.Spec.Approvals, a)
			case *sgv1.TakedownRequest:
				if ret {
					o.Spec.ReturnRequest.Approvals = append(o.Spec.ReturnRequest.Approvals, a)
				} else {
					o.Spec.Approvals = append(o.Spec.Approvals, a)
				}
			}
			return c.Update(ctx, obj)
		}).Should(Succeed(), "%s signing %s at level %s", signers[level], obj.GetName(), level)
	}
}

func restartOperator() {
	GinkgoHelper()
	out, err := exec.CommandContext(context.Background(), filepath.Join(root, "hack", "e2e", "restart-manager.sh")).CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), string(out))
}

var errNoRun = fmt.Errorf("the prereturn run is not created yet")

// siteReport says where a site stands — state, conditions, its runs and
// pods — so that a wait that times out explains itself in the CI log.
func siteReport(ns, name string) string {
	s := site(ns, name)
	var b strings.Builder
	fmt.Fprintf(&b, "site %s/%s is %q (generation %d, observed %d)\n", ns, name, s.Status.State, s.Generation, s.Status.ObservedGeneration)
	for _, c := range s.Status.Conditions {
		fmt.Fprintf(&b, "  condition %s=%s %s: %s\n", c.Type, c.Status, c.Reason, c.Message)
	}
	runs := &sgv1.InspectionRunList{}
	_ = k8sClient.List(ctx, runs, client.InNamespace(ns))
	for _, r := range runs.Items {
		fmt.Fprintf(&b, "  run %s: %s %s %s\n", r.Name, r.Status.Phase, r.Status.Verdict, r.Status.FailureReason)
	}
	pods := &corev1.PodList{}
	_ = k8sClient.List(ctx, pods, client.InNamespace(ns))
	for _, p := range pods.Items {
		fmt.Fprintf(&b, "  pod %s: %s", p.Name, p.Status.Phase)
		for _, cs := range p.Status.ContainerStatuses {
			if w := cs.State.Waiting; w != nil {
				fmt.Fprintf(&b, " (%s waiting: %s %s)", cs.Name, w.Reason, w.Message)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
