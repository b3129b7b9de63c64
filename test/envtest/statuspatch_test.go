package envtest_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/statuspatch"
)

var _ = Describe("the status patch (issue 17)", func() {
	It("carries the resourceVersion it was computed from: a stale status is refused, and the reconcile asks again", func() {
		Expect(client.IgnoreAlreadyExists(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "statuspatch"}}))).To(Succeed())
		site := validSite("statuspatch", "edu")
		Expect(k8sClient.Create(ctx, site)).To(Succeed())

		read := &sgv1.GovWebsite{}
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(site), read)).To(Succeed())
		patcher := statuspatch.New(read)
		read.Status.State = sgv1.StateProvisioning

		By("someone changes the site after the reconcile read it")
		newer := read.DeepCopy()
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(site), newer)).To(Succeed())
		metav1.SetMetaDataAnnotation(&newer.ObjectMeta, "example.com/touched", "yes")
		Expect(k8sClient.Update(ctx, newer)).To(Succeed())

		var result ctrl.Result
		var err error
		written := patcher.Finish(ctx, k8sClient, read, &result, &err)
		Expect(written).To(BeFalse(), "a status computed from a stale read is not written over a newer object")
		Expect(err).NotTo(HaveOccurred(), "a conflict is no error")
		Expect(result.Requeue).To(BeTrue(), "the reconcile runs again from a fresh read") //nolint:staticcheck
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(site), newer)).To(Succeed())
		Expect(newer.Status.State).To(BeEmpty())

		By("from a fresh read, the status is written")
		fresh := &sgv1.GovWebsite{}
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(site), fresh)).To(Succeed())
		patcher = statuspatch.New(fresh)
		fresh.Status.State = sgv1.StateProvisioning
		result, err = ctrl.Result{}, nil
		Expect(patcher.Finish(ctx, k8sClient, fresh, &result, &err)).To(BeTrue())
		Expect(err).NotTo(HaveOccurred())
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(site), newer)).To(Succeed())
		Expect(newer.Status.State).To(Equal(sgv1.StateProvisioning))
	})
})
