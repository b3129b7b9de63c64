package controller

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/policy"
)

const (
	vTrue         = metav1.ConditionTrue
	vFalse        = metav1.ConditionFalse
	vUnknown      = metav1.ConditionUnknown
	testRequired  = policy.HostSeparationRequired
	testPreferred = policy.HostSeparationPreferred
)

var testAllowed = []string{"cn-north-1", "cn-east-2"}

func testLevels(names ...string) []sgv1.ApprovalLevel {
	out := make([]sgv1.ApprovalLevel, len(names))
	for i, n := range names {
		out[i] = sgv1.ApprovalLevel{Name: n, Scopes: []sgv1.ApprovalScope{sgv1.ScopeSite}}
	}
	return out
}

func testApproved(level string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: level + "-head", Decision: sgv1.DecisionApproved}
}

func testRejected(level, comment string) sgv1.Approval {
	return sgv1.Approval{Level: level, Approver: level + "-head", Decision: sgv1.DecisionRejected, Comment: comment}
}

// checkTestVerdict compares status and reason, and requires every part in the message.
func checkTestVerdict(t *testing.T, got verdict, status metav1.ConditionStatus, reason string, parts ...string) {
	t.Helper()
	if got.status != status || got.reason != reason {
		t.Errorf("verdict %s/%s, want %s/%s (message %q)", got.status, got.reason, status, reason, got.message)
	}
	for _, p := range parts {
		if !strings.Contains(got.message, p) {
			t.Errorf("message %q lacks %q", got.message, p)
		}
	}
}

func TestS1ApprovalVerdict(t *testing.T) {
	chain := testLevels("unit", "city", "province")
	cases := []struct {
		name      string
		approvals []sgv1.Approval
		levels    []sgv1.ApprovalLevel
		status    metav1.ConditionStatus
		reason    string
		parts     []string
	}{
		{"S1 all approved", []sgv1.Approval{testApproved("unit"), testApproved("city"), testApproved("province")}, chain,
			vTrue, "Approved", []string{"S1", "unit, city, province"}},
		{"S1 approvals in any order", []sgv1.Approval{testApproved("province"), testApproved("unit"), testApproved("city")}, chain,
			vTrue, "Approved", nil},
		{"S1 nothing signed", nil, chain,
			vFalse, "AwaitingApproval", []string{"level unit, city, province;", "not routed"}},
		{"S1 missing levels in chain order", []sgv1.Approval{testApproved("city")}, chain,
			vFalse, "AwaitingApproval", []string{"level unit, province;"}},
		{"S1 approval at an unknown level does not count", []sgv1.Approval{testApproved("unit"), testApproved("city"), testApproved("district")}, chain,
			vFalse, "AwaitingApproval", []string{"level province;"}},
		{"S1 the newest rejection stands", []sgv1.Approval{testApproved("unit"), testRejected("city", "domain not filed")}, chain,
			vFalse, "Rejected", []string{"level city", "city-head", "domain not filed"}},
		{"S1 signatures after a rejection start a new round", []sgv1.Approval{testApproved("unit"), testRejected("city", "domain not filed"), testApproved("province")}, chain,
			vFalse, "AwaitingApproval", []string{"level unit, city;"}},
		{"S1 a rejection wins over missing levels", []sgv1.Approval{testRejected("province", "no")}, chain,
			vFalse, "Rejected", []string{"level province"}},
		{"S1 a rejection is not overridden by the same level's later approval", []sgv1.Approval{testApproved("unit"), testRejected("city", "fix footer"), testApproved("city"), testApproved("province")}, chain,
			vFalse, "AwaitingApproval", []string{"level unit;"}},
		{"S1 a re-submission signed again from the first level", []sgv1.Approval{testApproved("unit"), testRejected("city", "fix footer"), testApproved("unit"), testApproved("city"), testApproved("province")}, chain,
			vTrue, "Approved", nil},
		{"S1 later rejection of the same level counts", []sgv1.Approval{testApproved("unit"), testApproved("city"), testApproved("province"), testRejected("unit", "withdrawn")}, chain,
			vFalse, "Rejected", []string{"level unit", "withdrawn"}},
		{"S1 policy with one level", []sgv1.Approval{testApproved("city")}, testLevels("city"),
			vTrue, "Approved", []string{"(city)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkTestVerdict(t, approvalVerdict(c.approvals, c.levels), c.status, c.reason, c.parts...)
		})
	}
}

func testFrontendPod(name, node, region string) observedPod {
	return observedPod{Name: name, Component: builders.ComponentFrontend, Node: node, Region: region}
}

func testAdminPod(name, node, region string) observedPod {
	return observedPod{Name: name, Component: builders.ComponentAdmin, Node: node, Region: region}
}

func TestPlacementReport(t *testing.T) {
	cases := []struct {
		name           string
		pods           []observedPod
		hostSeparation string
		wantFE, wantAD []string
		wantViolations []string // "rule pod node"
	}{
		{"S6 S7 domestic and separated", []observedPod{testFrontendPod("f1", "n2", "cn-north-1"), testFrontendPod("f2", "n1", "cn-east-2"), testAdminPod("a1", "n3", "cn-north-1")}, testRequired,
			[]string{"n1", "n2"}, []string{"n3"}, nil},
		{"pending pods are not listed", []observedPod{testFrontendPod("f1", "", ""), testAdminPod("a1", "n3", "cn-north-1")}, testRequired,
			nil, []string{"n3"}, nil},
		{"S6 pod abroad", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testAdminPod("a1", "hk1", "ap-east-1")}, testRequired,
			[]string{"n1"}, []string{"hk1"}, []string{"S6 a1 hk1"}},
		{"S6 node without a region label", []observedPod{testFrontendPod("f1", "n9", "")}, testRequired,
			[]string{"n9"}, nil, []string{"S6 f1 n9"}},
		{"S6 import pod abroad", []observedPod{{Name: "imp", Component: builders.ComponentImport, Node: "hk1", Region: "ap-east-1"}}, testRequired,
			nil, nil, []string{"S6 imp hk1"}},
		{"S7 shared host with Required", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testAdminPod("a1", "n1", "cn-north-1")}, testRequired,
			[]string{"n1"}, []string{"n1"}, []string{"S7 (front end and admin) n1"}},
		{"S7 shared host with Preferred", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testAdminPod("a1", "n1", "cn-north-1")}, testPreferred,
			[]string{"n1"}, []string{"n1"}, nil},
		{"two pods on one node listed once", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testFrontendPod("f2", "n1", "cn-north-1")}, testRequired,
			[]string{"n1"}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := placementReport(c.pods, testAllowed, c.hostSeparation)
			if !slices.Equal(r.FrontendNodes, c.wantFE) || !slices.Equal(r.AdminNodes, c.wantAD) {
				t.Errorf("nodes fe=%v ad=%v, want fe=%v ad=%v", r.FrontendNodes, r.AdminNodes, c.wantFE, c.wantAD)
			}
			var got []string
			for _, v := range r.Violations {
				got = append(got, v.Rule+" "+v.Pod+" "+v.Node)
			}
			if !slices.Equal(got, c.wantViolations) {
				t.Errorf("violations %v, want %v", got, c.wantViolations)
			}
		})
	}
}

func TestS6PlacedVerdict(t *testing.T) {
	cases := []struct {
		name   string
		pods   []observedPod
		status metav1.ConditionStatus
		reason string
		parts  []string
	}{
		{"S6 all domestic", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testAdminPod("a1", "n2", "cn-east-2")},
			vTrue, "Domestic", []string{"2 pods", "cn-north-1, cn-east-2"}},
		{"S6 pending pods are not counted", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testFrontendPod("f2", "", "")},
			vTrue, "Domestic", []string{"1 pods"}},
		{"S6 abroad", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), testAdminPod("a1", "hk1", "ap-east-1")},
			vFalse, "OutsideAllowedRegions", []string{"a1", "hk1", "(ap-east-1)"}},
		{"S6 abroad without region label", []observedPod{testFrontendPod("f1", "n9", "")},
			vFalse, "OutsideAllowedRegions", []string{"f1", "n9", "(no region label)"}},
		{"S6 abroad wins over unschedulable", []observedPod{testAdminPod("a1", "hk1", "ap-east-1"), {Name: "f2", Component: builders.ComponentFrontend, Unschedulable: "0/3 nodes"}},
			vFalse, "OutsideAllowedRegions", nil},
		{"S6 unschedulable", []observedPod{testFrontendPod("f1", "n1", "cn-north-1"), {Name: "a1", Component: builders.ComponentAdmin, Unschedulable: "0/3 nodes are available: node affinity"}},
			vFalse, "Unschedulable", []string{"a1", "cn-north-1, cn-east-2", "0/3 nodes are available: node affinity"}},
		{"S6 nothing scheduled", []observedPod{testFrontendPod("f1", "", "")},
			vUnknown, "NoPodsScheduled", nil},
		{"S6 no pods at all", nil,
			vUnknown, "NoPodsScheduled", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := placementReport(c.pods, testAllowed, testRequired)
			checkTestVerdict(t, placedVerdict(c.pods, r, testAllowed), c.status, c.reason, c.parts...)
		})
	}
}

func TestS7IsolatedVerdict(t *testing.T) {
	cases := []struct {
		name           string
		fe, ad         []string
		hostSeparation string
		status         metav1.ConditionStatus
		reason         string
		parts          []string
	}{
		{"S7 separate hosts", []string{"n1", "n2"}, []string{"n3"}, testRequired,
			vTrue, "Separated", []string{"front end on n1, n2", "admin on n3", "4 NetworkPolicies"}},
		{"S7 nothing scheduled yet", nil, nil, testRequired,
			vTrue, "Separated", []string{"front end on (none yet)", "admin on (none yet)"}},
		{"S7 shared host with Required", []string{"n1", "n2"}, []string{"n2"}, testRequired,
			vFalse, "SharedHost", []string{"share node n2"}},
		{"S7 shared host with Preferred", []string{"n1"}, []string{"n1"}, testPreferred,
			vTrue, "SharedHostAllowed", []string{"share node n1", "hostSeparation=Preferred", "4 NetworkPolicies"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &sgv1.PlacementReport{FrontendNodes: c.fe, AdminNodes: c.ad}
			checkTestVerdict(t, isolatedVerdict(r, c.hostSeparation, 4, nil), c.status, c.reason, c.parts...)
		})
	}
	// S7 reads what exists: a missing or altered NetworkPolicy is not isolation,
	// on separate hosts or not.
	r := &sgv1.PlacementReport{FrontendNodes: []string{"n1"}, AdminNodes: []string{"n2"}}
	checkTestVerdict(t, isolatedVerdict(r, testRequired, 2, []string{"edu-default-deny", "edu-admin-ingress"}),
		vFalse, "NetworkPolicyNotInForce", "NetworkPolicy edu-default-deny, edu-admin-ingress is missing or not as the operator wrote it")
}

// deploy is a Deployment of spec replicas with the given observed state.
func testDeployment(replicas *int32, generation, observed int64, available int32) *appsv1.Deployment {
	d := &appsv1.Deployment{}
	d.Generation = generation
	d.Spec.Replicas = replicas
	d.Status.ObservedGeneration = observed
	d.Status.AvailableReplicas = available
	return d
}

func TestServingVerdict(t *testing.T) {
	two := ptr.To[int32](2)
	cases := []struct {
		name     string
		approved bool
		frontend *appsv1.Deployment
		routedBy string
		status   metav1.ConditionStatus
		reason   string
		parts    []string
	}{
		{"no front end yet", true, nil, "Ingress edu", vFalse, "FrontendMissing", nil},
		{"rollout not observed", true, testDeployment(two, 3, 2, 2), "Ingress edu", vFalse, "FrontendUnavailable", nil},
		{"not all available", true, testDeployment(two, 1, 1, 1), "Ingress edu", vFalse, "FrontendUnavailable", []string{"1/2"}},
		{"T5 scaled to zero is not serving", true, testDeployment(ptr.To[int32](0), 1, 1, 0), "Ingress edu", vFalse, "FrontendUnavailable", []string{"0/0"}},
		{"nil replicas means 1", true, testDeployment(nil, 1, 1, 1), "Ingress edu", vTrue, "Serving", []string{"1/1"}},
		{"S1 available but not approved", false, testDeployment(two, 1, 1, 2), "Ingress edu", vFalse, "NotRouted", []string{"2/2", "S1"}},
		{"approved, no route configured", true, testDeployment(two, 1, 1, 2), "", vTrue, "ServiceOnly", []string{"2/2"}},
		{"approved and routed", true, testDeployment(two, 1, 1, 2), "HTTPRoute edu on Gateway gw/public", vTrue, "Serving", []string{"2/2", "HTTPRoute edu on Gateway gw/public"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkTestVerdict(t, servingVerdict(c.approved, true, c.frontend, c.routedBy), c.status, c.reason, c.parts...)
		})
	}
}

func TestAdminVerdict(t *testing.T) {
	cases := []struct {
		name   string
		admin  *appsv1.Deployment
		status metav1.ConditionStatus
		reason string
	}{
		{"missing", nil, vFalse, "AdminMissing"},
		{"rollout not observed", testDeployment(ptr.To[int32](1), 2, 1, 1), vFalse, "AdminUnavailable"},
		{"unavailable", testDeployment(ptr.To[int32](1), 1, 1, 0), vFalse, "AdminUnavailable"},
		{"available", testDeployment(ptr.To[int32](1), 1, 1, 1), vTrue, "AdminAvailable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkTestVerdict(t, adminVerdict(c.admin), c.status, c.reason)
		})
	}
}

func TestSiteOutcome(t *testing.T) {
	ok := func(reason string) verdict { return verdict{vTrue, reason, reason + " message"} }
	no := func(reason string) verdict { return verdict{vFalse, reason, reason + " message"} }
	good := siteOutcome{approval: ok("Approved"), launch: ok("Launched"), placed: ok("Domestic"), isolated: ok("Separated"), serving: ok("Serving"), admin: ok("AdminAvailable"), content: ok("ContentReady")}
	with := func(f func(*siteOutcome)) siteOutcome { o := good; f(&o); return o }
	const absent = metav1.ConditionStatus("")
	cases := []struct {
		name                      string
		o                         siteOutcome
		state                     sgv1.SiteState
		ready, reconcile, stalled metav1.ConditionStatus
		reason                    string
	}{
		{"all good is Ready Serving", good, sgv1.StateServing, vTrue, absent, absent, "Serving"},
		{"S1 rejected is Stalled", with(func(o *siteOutcome) { o.approval = no("Rejected"); o.serving = no("NotRouted") }),
			sgv1.StateRejected, vFalse, absent, vTrue, "Rejected"},
		{"S1 rejected wins over abroad", with(func(o *siteOutcome) { o.approval = no("Rejected"); o.placed = no("OutsideAllowedRegions") }),
			sgv1.StateRejected, vFalse, absent, vTrue, "Rejected"},
		{"S6 abroad is Stalled Degraded", with(func(o *siteOutcome) { o.placed = no("OutsideAllowedRegions") }),
			sgv1.StateDegraded, vFalse, absent, vTrue, "OutsideAllowedRegions"},
		{"S6 abroad while awaiting approval is Stalled Degraded", with(func(o *siteOutcome) { o.approval = no("AwaitingApproval"); o.placed = no("Unschedulable") }),
			sgv1.StateDegraded, vFalse, absent, vTrue, "Unschedulable"},
		{"S7 shared host is Stalled Degraded", with(func(o *siteOutcome) { o.isolated = no("SharedHost") }),
			sgv1.StateDegraded, vFalse, absent, vTrue, "SharedHost"},
		{"S1 awaiting approval is Reconciling", with(func(o *siteOutcome) { o.approval = no("AwaitingApproval"); o.serving = no("NotRouted") }),
			sgv1.StateAwaitingApproval, vFalse, vTrue, absent, "AwaitingApproval"},
		{"front end coming up is Provisioning", with(func(o *siteOutcome) { o.serving = no("FrontendUnavailable") }),
			sgv1.StateProvisioning, vFalse, vTrue, absent, "Provisioning"},
		{"admin coming up is Provisioning", with(func(o *siteOutcome) { o.admin = no("AdminMissing") }),
			sgv1.StateProvisioning, vFalse, vTrue, absent, "Provisioning"},
		{"S6 nothing scheduled is Provisioning", with(func(o *siteOutcome) { o.placed = verdict{vUnknown, "NoPodsScheduled", "m"} }),
			sgv1.StateProvisioning, vFalse, vTrue, absent, "Provisioning"},
		{"S7 shared host allowed is Ready", with(func(o *siteOutcome) { o.isolated = ok("SharedHostAllowed") }),
			sgv1.StateServing, vTrue, absent, absent, "Serving"},
		{"content still importing is Provisioning", with(func(o *siteOutcome) { o.content = contentVerdict(&sgv1.ContentStatus{ImportPhase: "Running"}) }),
			sgv1.StateProvisioning, vFalse, vTrue, absent, "Provisioning"},
		{"a failed import is Stalled Degraded", with(func(o *siteOutcome) { o.content = contentVerdict(&sgv1.ContentStatus{ImportPhase: "Failed"}) }),
			sgv1.StateDegraded, vFalse, absent, vTrue, "ImportFailed"},
		{"S5 waiting for the prelaunch inspection is Reconciling Launching", with(func(o *siteOutcome) { o.launch = no("Inspecting"); o.serving = no("NotLaunched") }),
			sgv1.StateLaunching, vFalse, vTrue, absent, "Inspecting"},
		{"S5 a failed prelaunch inspection is Stalled Launching", with(func(o *siteOutcome) { o.launch = no("PrelaunchFailed"); o.serving = no("NotLaunched") }),
			sgv1.StateLaunching, vFalse, absent, vTrue, "PrelaunchFailed"},
		{"S1 awaiting approval wins over launch", with(func(o *siteOutcome) { o.approval = no("AwaitingApproval"); o.launch = no("AwaitingPrelaunch") }),
			sgv1.StateAwaitingApproval, vFalse, vTrue, absent, "AwaitingApproval"},
		{"no import is ready content", with(func(o *siteOutcome) { o.content = contentVerdict(nil) }),
			sgv1.StateServing, vTrue, absent, absent, "Serving"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Start from the opposite of the wanted triad, so stale conditions must be removed.
			st := &sgv1.GovWebsiteStatus{Conditions: []metav1.Condition{
				{Type: sgv1.ConditionReady, Status: vTrue, Reason: "Old"},
				{Type: sgv1.ConditionReconciling, Status: vTrue, Reason: "Old"},
				{Type: sgv1.ConditionStalled, Status: vTrue, Reason: "Old"},
			}}
			c.o.apply(st, 5)
			if st.State != c.state {
				t.Errorf("state %s, want %s", st.State, c.state)
			}
			if st.ObservedGeneration != 5 {
				t.Errorf("observedGeneration %d, want 5", st.ObservedGeneration)
			}
			for typ, want := range map[string]metav1.ConditionStatus{sgv1.ConditionReady: c.ready, sgv1.ConditionReconciling: c.reconcile, sgv1.ConditionStalled: c.stalled} {
				got := meta.FindStatusCondition(st.Conditions, typ)
				switch {
				case want == absent && got != nil:
					t.Errorf("%s present (%s), want absent", typ, got.Status)
				case want == absent:
				case got == nil || got.Status != want:
					t.Errorf("%s = %v, want %s", typ, got, want)
				case got.ObservedGeneration != 5:
					t.Errorf("%s observedGeneration %d", typ, got.ObservedGeneration)
				}
			}
			if r := meta.FindStatusCondition(st.Conditions, sgv1.ConditionReady); r != nil && r.Reason != c.reason {
				t.Errorf("Ready reason %q, want %q", r.Reason, c.reason)
			}
			for typ, v := range map[string]verdict{sgv1.ConditionApproved: c.o.approval, sgv1.ConditionLaunched: c.o.launch, sgv1.ConditionPlaced: c.o.placed, sgv1.ConditionIsolated: c.o.isolated, sgv1.ConditionServing: c.o.serving} {
				got := meta.FindStatusCondition(st.Conditions, typ)
				if got == nil || got.Status != v.status || got.Reason != v.reason || got.Message != v.message || got.ObservedGeneration != 5 {
					t.Errorf("%s condition %+v, want %s/%s", typ, got, v.status, v.reason)
				}
			}
		})
	}
}

func TestProvisioningMessageNamesFirstProblem(t *testing.T) {
	o := siteOutcome{
		approval: verdict{vTrue, "Approved", ""}, launch: verdict{vTrue, "Launched", ""}, isolated: verdict{vTrue, "Separated", ""},
		placed:  verdict{vUnknown, "NoPodsScheduled", "placed msg"},
		serving: verdict{vTrue, "Serving", "serving msg"},
		admin:   verdict{vFalse, "AdminMissing", "admin msg"},
	}
	st := &sgv1.GovWebsiteStatus{}
	o.apply(st, 1)
	if r := meta.FindStatusCondition(st.Conditions, sgv1.ConditionReady); r == nil || r.Message != "admin msg" {
		t.Errorf("Ready message %+v, want the admin's (serving, admin, placed order)", r)
	}
}

func TestEndpoints(t *testing.T) {
	s := &sgv1.GovWebsite{Spec: sgv1.GovWebsiteSpec{Domains: []sgv1.Domain{"www.tj.gov.cn", "天津.政务"}}}
	cases := []struct {
		name          string
		approved, tls bool
		want          []string
	}{
		{"S1 not approved: no endpoints", false, true, nil},
		{"approved over HTTP", true, false, []string{"http://www.tj.gov.cn/", "http://天津.政务/"}},
		{"approved over HTTPS", true, true, []string{"https://www.tj.gov.cn/", "https://天津.政务/"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := endpoints(s, c.approved, c.tls); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestS8SignersOfTheCurrentRound(t *testing.T) {
	got := signersOf([]sgv1.Approval{testApproved("unit"), testRejected("city", "fix the footer"), testApproved("unit"), testApproved("city"), testApproved("province")})
	want := []string{"unit unit-head", "city city-head", "province province-head"}
	if !slices.Equal(got, want) {
		t.Errorf("signers %v, want %v (the rejected round is not this change's)", got, want)
	}
}

func TestS8PendingChange(t *testing.T) {
	chain := []string{"unit", "city", "province"}
	checkTestVerdict(t, pendingChange([]string{"domains: a → b"}, []sgv1.Approval{testApproved("unit")}, chain),
		vTrue, "IdentityChangePending", "S8: the change (domains: a → b) waits for approval at level city, province", "the approved identity stays in force")
	checkTestVerdict(t, pendingChange([]string{"domains: a → b"}, []sgv1.Approval{testApproved("unit"), testRejected("city", "not filed")}, chain),
		vTrue, "IdentityChangePending", "was rejected at level city by city-head: not filed; revise it and re-submit")
}

func TestPlacementReportBounds(t *testing.T) {
	abroad := func(n int) []observedPod {
		var pods []observedPod
		for i := range n {
			pods = append(pods, observedPod{Name: fmt.Sprintf("web-%03d", i), Component: builders.ComponentFrontend,
				Node: fmt.Sprintf("node-%03d", i), Region: "us-west-1"})
		}
		return pods
	}
	cases := []struct {
		name                 string
		pods                 int
		violations, vOmitted int
		frontNodes, nOmitted int
	}{
		{"S6 32 pods abroad: every one listed", 32, 32, 0, 32, 0},
		{"S6 33 pods abroad: 32 listed, 1 counted", 33, 32, 1, 33, 0},
		{"S6 64 nodes: every one listed", 64, 32, 32, 64, 0},
		{"S6 65 nodes: 64 listed, 1 counted", 65, 32, 33, 64, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := placementReport(abroad(tc.pods), testAllowed, testRequired)
			if len(r.Violations) != tc.violations || int(r.ViolationsOmitted) != tc.vOmitted ||
				len(r.FrontendNodes) != tc.frontNodes || int(r.NodesOmitted) != tc.nOmitted {
				t.Errorf("%d violations (+%d), %d nodes (+%d); want %d (+%d), %d (+%d)", len(r.Violations), r.ViolationsOmitted,
					len(r.FrontendNodes), r.NodesOmitted, tc.violations, tc.vOmitted, tc.frontNodes, tc.nOmitted)
			}
			if len(r.Violations) > sgv1.MaxPlacementViolations || len(r.FrontendNodes) > sgv1.MaxPlacementNodes {
				t.Error("a list beyond its CRD bound: the status write would fail")
			}
		})
	}
	// The cache's order does not change the report.
	pods := abroad(40)
	reversed := append([]observedPod(nil), pods...)
	slices.Reverse(reversed)
	a, b := placementReport(pods, testAllowed, testRequired), placementReport(reversed, testAllowed, testRequired)
	if fmt.Sprint(a.Violations) != fmt.Sprint(b.Violations) {
		t.Error("the same pods in another order give another report: a status write at steady state")
	}
}
