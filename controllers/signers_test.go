package controllers_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/testenv"
)

// signer is a person of an approval level: a user in the level's group.
type signer struct{ level, user, group string }

var (
	takedownSigners = []signer{
		{"unit", "chen.jing", "sitegroup:unit-heads"},
		{"city", "zhang.wei", "sitegroup:city-office"},
		{"province", "li.na", "sitegroup:province-office"},
	}
	returnSigners = takedownSigners[:2]
)

// grantSigners lets the approval groups read and sign TakedownRequests, as
// a platform would (the chart ships the same role).
func grantSigners() {
	GinkgoHelper()
	role := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "sitegroup-takedown-signer"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{"sitegroup.io"}, Resources: []string{"takedownrequests"}, Verbs: []string{"get", "list", "watch", "update", "patch"}}},
	}
	Expect(k8sClient.Create(ctx, role)).To(Succeed())
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "sitegroup-takedown-signer"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
	}
	for _, g := range []string{"sitegroup:unit-heads", "sitegroup:city-office", "sitegroup:province-office", "sitegroup:outsiders"} {
		binding.Subjects = append(binding.Subjects, rbacv1.Subject{Kind: "Group", Name: g, APIGroup: "rbac.authorization.k8s.io"})
	}
	Expect(k8sClient.Create(ctx, binding)).To(Succeed())
}

// as returns a client acting as a user of a group.
func as(user, group string) client.Client {
	GinkgoHelper()
	cl, err := testenv.As(cfg, user, group)
	Expect(err).NotTo(HaveOccurred())
	return cl
}

// sign appends one approval as its signer; the webhook stamps who and when.
func sign(ns string, s signer, returnApproval bool, mutate ...func(*sgv1.Approval)) error {
	c := as(s.user, s.group)
	t := &sgv1.TakedownRequest{}
	if err := c.Get(ctx, key(ns, "rebuild"), t); err != nil {
		return err
	}
	a := sgv1.Approval{Level: s.level, Decision: sgv1.DecisionApproved}
	for _, m := range mutate {
		m(&a)
	}
	if returnApproval {
		t.Spec.ReturnRequest.Approvals = append(t.Spec.ReturnRequest.Approvals, a)
	} else {
		t.Spec.Approvals = append(t.Spec.Approvals, a)
	}
	return c.Update(ctx, t)
}

func signAll(ns string, signers []signer) {
	GinkgoHelper()
	returnApproval := len(signers) == len(returnSigners)
	for _, s := range signers {
		Eventually(func() error { return sign(ns, s, returnApproval) }, timeout, interval).Should(Succeed(), "%s signing at %s", s.user, s.level)
	}
}
