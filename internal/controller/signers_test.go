package controller_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/testenv"
)

// The people of the suite, bound to the shipped roles
// (config/rbac/personas.yaml) the way a platform engineer binds them
// (README "Who may do what").
const (
	// unitHead signs at level unit, by a RoleBinding in each site namespace.
	unitHead = "chen.jing"
	// cityOffice and provinceOffice sign at their levels everywhere.
	cityOffice     = "zhang.wei"
	provinceOffice = "li.na"
	// department is a site namespace's web team (sitegroup-department).
	department = "webmaster"
	// outsider is another member of the department's team, who tries to
	// sign at a level that is not theirs.
	outsider = "wu.gang"
	// otherUnitHead heads another department: no right in this one.
	otherUnitHead = "liu.yang"
	// platformEngineer sets the platform's fields (sitegroup-platform-admin).
	platformEngineer = "ops"
	// auditor reads the record (sitegroup-auditor).
	auditor = "audit"
	// kubeController stands for the kube-controller-manager's Job and
	// ReplicaSet controllers, which create the pods of the operator's Jobs
	// and Deployments (envtest runs none; the site-namespace policy lets them).
	kubeController = "system:serviceaccount:kube-system:job-controller"
	// garbageCollector stands for the garbage collector, which alone
	// besides the operator removes the operator's objects.
	garbageCollector = "system:serviceaccount:kube-system:generic-garbage-collector"
)

// signer is a person of an approval level.
type signer struct{ level, user string }

var (
	chainSigners  = []signer{{"unit", unitHead}, {"city", cityOffice}, {"province", provinceOffice}}
	returnSigners = chainSigners[:2]
)

// bindPersonas binds the cluster-wide personas, and the stand-in for the
// kube-controller-manager's controller.
func bindPersonas() {
	GinkgoHelper()
	for role, user := range map[string]string{
		"sitegroup-city-office":     cityOffice,
		"sitegroup-province-office": provinceOffice,
		"sitegroup-platform-admin":  platformEngineer,
		"sitegroup-auditor":         auditor,
	} {
		Expect(testenv.BindClusterRole(ctx, k8sClient, role, user)).To(Succeed())
	}
	Expect(k8sClient.Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-controllers-stand-in"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects: []rbacv1.Subject{
			{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: kubeController},
			{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: garbageCollector},
		},
	})).To(Succeed())
}

// bindNamespacePersonas binds a site namespace's own people: its unit head
// and its web team (the outsider among them).
func bindNamespacePersonas(ns string) {
	GinkgoHelper()
	bindRole(ns, "sitegroup-unit-head", unitHead)
	bindRole(ns, "sitegroup-department", department)
	bindRole(ns, "sitegroup-department", outsider)
}

// bindRole binds a ClusterRole to a user in one namespace, as a platform
// engineer binds a department's people.
func bindRole(ns, role, user string) {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: role + ":" + user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	})).To(Succeed())
}

// as returns a client acting as a persona.
func as(user string, groups ...string) client.Client {
	GinkgoHelper()
	cl, err := testenv.As(cfg, user, groups...)
	Expect(err).NotTo(HaveOccurred())
	return cl
}

// asOperator is a client acting as the operator: the suite plays its
// scheduler where a run must count in the record (S5, T8).
func asOperator() client.Client {
	GinkgoHelper()
	return as(testenv.OperatorUser, testenv.OperatorGroups...)
}

// sign appends one approval to the takedown "rebuild" as its signer; the
// webhook stamps who and when.
func sign(ns string, s signer, returnApproval bool, mutate ...func(*sgv1.Approval)) error {
	c := as(s.user)
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

// signSite appends one approval to a site as its signer (S1).
func signSite(ns, name string, s signer, decision sgv1.ApprovalDecision) error {
	c := as(s.user)
	site := &sgv1.GovWebsite{}
	if err := c.Get(ctx, key(ns, name), site); err != nil {
		return err
	}
	site.Spec.Approvals = append(site.Spec.Approvals, sgv1.Approval{Level: s.level, Decision: decision})
	return c.Update(ctx, site)
}

// createApproved creates a site as the platform engineer does, then each
// level signs it as itself, in chain order (S1).
func createApproved(site *sgv1.GovWebsite) {
	GinkgoHelper()
	Expect(k8sClient.Create(ctx, site)).To(Succeed())
	signSiteChain(site.Namespace, site.Name, chainSigners)
}

func signSiteChain(ns, name string, signers []signer) {
	GinkgoHelper()
	for _, s := range signers {
		Eventually(func() error { return signSite(ns, name, s, sgv1.DecisionApproved) }, timeout, interval).
			Should(Succeed(), "%s signing site %s/%s at %s", s.user, ns, name, s.level)
	}
}
