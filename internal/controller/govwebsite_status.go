package controller

// Status of a GovWebsite, computed by pure functions from what the
// reconciler observed. Each function decides one condition.

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	certmanagerv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/conditions"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
)

// verdict is one condition's outcome before it is stamped on the object.
type verdict struct {
	status  metav1.ConditionStatus
	reason  string
	message string
}

func (v verdict) ok() bool { return v.status == metav1.ConditionTrue }

func (v verdict) set(conds *[]metav1.Condition, generation int64, typ string) {
	conditions.Set(conds, generation, typ, v.status, v.reason, v.message)
}

// approvalVerdict decides S1: every level of the policy's site chain has
// approved, and nobody rejected.
func approvalVerdict(approvals []sgv1.Approval, levels []sgv1.ApprovalLevel) verdict {
	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = l.Name
	}
	_, rejected, missing := policy.ReadChain(approvals, names)
	switch {
	case rejected != nil:
		return verdict{metav1.ConditionFalse, sgv1.ReasonRejected, fmt.Sprintf("S1: rejected at level %s by %s: %s", rejected.Level, rejected.Approver, rejected.Comment)}
	case len(missing) > 0:
		return verdict{metav1.ConditionFalse, sgv1.ReasonAwaitingApproval, "S1: waiting for approval at level " + strings.Join(missing, ", ") + "; the site is provisioned but not routed"}
	}
	return verdict{metav1.ConditionTrue, sgv1.ReasonApproved, "S1: approved at every level (" + strings.Join(names, ", ") + ")"}
}

// observedPod is what placement needs to know of one pod of the site.
type observedPod struct {
	Name      string
	Component string
	Node      string
	Region    string
	// Unschedulable is the scheduler's message when it cannot place the pod.
	Unschedulable string
}

// placementReport lists where the site's pods run and which break S6 or S7.
func placementReport(pods []observedPod, allowed []string, hostSeparation string) *sgv1.PlacementReport {
	r := &sgv1.PlacementReport{}
	fe, ad := map[string]bool{}, map[string]bool{}
	for _, p := range pods {
		if p.Node == "" {
			continue
		}
		switch p.Component {
		case builders.ComponentFrontend:
			fe[p.Node] = true
		case builders.ComponentAdmin:
			ad[p.Node] = true
		}
		if !slices.Contains(allowed, p.Region) {
			r.Violations = append(r.Violations, sgv1.PlacementViolation{Pod: p.Name, Node: p.Node, Region: p.Region, Rule: "S6"})
		}
	}
	r.FrontendNodes, r.AdminNodes = sortedSet(fe), sortedSet(ad)
	if hostSeparation != policy.HostSeparationPreferred {
		for _, n := range r.FrontendNodes {
			if ad[n] {
				r.Violations = append(r.Violations, sgv1.PlacementViolation{Pod: "(front end and admin)", Node: n, Rule: "S7"})
			}
		}
	}
	return boundPlacement(r)
}

// boundPlacement cuts the report's lists to the bounds the CRD enforces,
// counting what it cut: an unbounded list would fail every status write
// while S6 is broken, the moment the status matters most.
func boundPlacement(r *sgv1.PlacementReport) *sgv1.PlacementReport {
	// The same pods list the same violations in the same order, whatever
	// order the cache lists them in: no status write at steady state.
	slices.SortStableFunc(r.Violations, func(a, b sgv1.PlacementViolation) int {
		return strings.Compare(a.Rule+"/"+a.Pod+"/"+a.Node, b.Rule+"/"+b.Pod+"/"+b.Node)
	})
	if n := len(r.Violations); n > sgv1.MaxPlacementViolations {
		r.ViolationsOmitted = int32(n - sgv1.MaxPlacementViolations)
		r.Violations = r.Violations[:sgv1.MaxPlacementViolations]
	}
	for _, nodes := range []*[]string{&r.FrontendNodes, &r.AdminNodes} {
		if n := len(*nodes); n > sgv1.MaxPlacementNodes {
			r.NodesOmitted += int32(n - sgv1.MaxPlacementNodes)
			*nodes = (*nodes)[:sgv1.MaxPlacementNodes]
		}
	}
	return r
}

// placedVerdict decides S6: every pod on a node in an allowed region.
func placedVerdict(pods []observedPod, report *sgv1.PlacementReport, allowed []string) verdict {
	for _, v := range report.Violations {
		if v.Rule == "S6" {
			region := v.Region
			if region == "" {
				region = "no region label"
			}
			return verdict{metav1.ConditionFalse, sgv1.ReasonOutsideAllowedRegions, fmt.Sprintf("S6: pod %s runs on node %s (%s), outside the allowed regions %s", v.Pod, v.Node, region, strings.Join(allowed, ", "))}
		}
	}
	for _, p := range pods {
		if p.Unschedulable != "" {
			return verdict{metav1.ConditionFalse, sgv1.ReasonUnschedulable, fmt.Sprintf("S6: pod %s cannot be placed on a node in %s: %s", p.Name, strings.Join(allowed, ", "), p.Unschedulable)}
		}
	}
	scheduled := 0
	for _, p := range pods {
		if p.Node != "" {
			scheduled++
		}
	}
	if scheduled == 0 {
		return verdict{metav1.ConditionUnknown, sgv1.ReasonNoPodsScheduled, "S6: no pod of the site is scheduled yet"}
	}
	return verdict{metav1.ConditionTrue, sgv1.ReasonDomestic, fmt.Sprintf("S6: %d pods on nodes in %s", scheduled, strings.Join(allowed, ", "))}
}

// isolatedVerdict decides S7: front end and admin on different hosts, and
// the site's NetworkPolicies in place.
func isolatedVerdict(report *sgv1.PlacementReport, hostSeparation string, inForce int, notInForce []string) verdict {
	shared := []string{}
	for _, n := range report.FrontendNodes {
		if slices.Contains(report.AdminNodes, n) {
			shared = append(shared, n)
		}
	}
	switch {
	case len(notInForce) > 0:
		return verdict{metav1.ConditionFalse, sgv1.ReasonNetworkPolicyNotInForce, "S7: NetworkPolicy " + strings.Join(notInForce, ", ") + " is missing or not as the operator wrote it; the admin is not isolated until it is restored"}
	case len(shared) > 0 && hostSeparation != policy.HostSeparationPreferred:
		return verdict{metav1.ConditionFalse, sgv1.ReasonSharedHost, "S7: front end and admin share node " + strings.Join(shared, ", ")}
	case len(shared) > 0:
		return verdict{metav1.ConditionTrue, sgv1.ReasonSharedHostAllowed, fmt.Sprintf("S7: front end and admin share node %s (policy hostSeparation=Preferred); %d NetworkPolicies keep the admin off the internet", strings.Join(shared, ", "), inForce)}
	}
	return verdict{metav1.ConditionTrue, sgv1.ReasonSeparated, fmt.Sprintf("S7: front end on %s, admin on %s; %d NetworkPolicies keep the admin off the internet",
		listOrNone(report.FrontendNodes), listOrNone(report.AdminNodes), inForce)}
}

// servingVerdict decides whether the public reaches the site.
func servingVerdict(approved, launched bool, frontend *appsv1.Deployment, routedBy string) verdict {
	if frontend == nil {
		return verdict{metav1.ConditionFalse, sgv1.ReasonFrontendMissing, "the front end is being created"}
	}
	want := ptr.Deref(frontend.Spec.Replicas, 1)
	if frontend.Status.ObservedGeneration < frontend.Generation || frontend.Status.AvailableReplicas < want || want == 0 {
		return verdict{metav1.ConditionFalse, sgv1.ReasonFrontendUnavailable, fmt.Sprintf("front end %d/%d available", frontend.Status.AvailableReplicas, want)}
	}
	if !approved {
		return verdict{metav1.ConditionFalse, sgv1.ReasonNotRouted, fmt.Sprintf("front end %d/%d available; not routed until approved (S1)", frontend.Status.AvailableReplicas, want)}
	}
	if !launched {
		return verdict{metav1.ConditionFalse, sgv1.ReasonNotLaunched, fmt.Sprintf("front end %d/%d available; not routed until its prelaunch inspection passes (S5)", frontend.Status.AvailableReplicas, want)}
	}
	if routedBy == "" && launched {
		return verdict{metav1.ConditionTrue, sgv1.ReasonServiceOnly, fmt.Sprintf("front end %d/%d available through its Service; the policy names no Gateway or ingress class", frontend.Status.AvailableReplicas, want)}
	}
	return verdict{metav1.ConditionTrue, sgv1.ReasonServing, fmt.Sprintf("front end %d/%d available, routed by %s", frontend.Status.AvailableReplicas, want, routedBy)}
}

// adminVerdict says whether the back office is available; it gates Ready
// but is not a condition of its own.
func adminVerdict(admin *appsv1.Deployment) verdict {
	if admin == nil {
		return verdict{metav1.ConditionFalse, sgv1.ReasonAdminMissing, "the admin is being created"}
	}
	want := ptr.Deref(admin.Spec.Replicas, 1)
	if admin.Status.ObservedGeneration < admin.Generation || admin.Status.AvailableReplicas < want {
		return verdict{metav1.ConditionFalse, sgv1.ReasonAdminUnavailable, fmt.Sprintf("admin %d/%d available", admin.Status.AvailableReplicas, want)}
	}
	return verdict{metav1.ConditionTrue, sgv1.ReasonAdminAvailable, "admin available"}
}

// takenDownVerdict: while a takedown is in force the site does not serve
// its content; the notice pods answer in its place (T5).
func takenDownVerdict(name string, notice *appsv1.Deployment) verdict {
	if notice == nil || notice.Status.ObservedGeneration < notice.Generation || notice.Status.AvailableReplicas < 1 {
		return verdict{metav1.ConditionFalse, sgv1.ReasonNoticeStarting, "T5: takedown " + name + " is in force; the notice page is starting"}
	}
	return verdict{metav1.ConditionFalse, sgv1.ReasonNoticeServing, "T5: takedown " + name + " is in force; the public Service serves the notice page, the front end is scaled to zero, the admin and the content stay"}
}

// maxHistorySummary bounds an entry of the history in status (issue 17:
// a year of daily runs keeps the status under 64 KiB); the objects it
// names hold the whole text.
const maxHistorySummary = 256

// mergeHistory adds new records to the compliance history, once each,
// oldest first, keeping the newest limit entries (bounded for etcd).
func mergeHistory(existing, add []sgv1.ComplianceRecord, limit int) []sgv1.ComplianceRecord {
	if limit <= 0 || limit > sgv1.MaxComplianceHistory {
		limit = sgv1.MaxComplianceHistory
	}
	key := func(r sgv1.ComplianceRecord) string { return string(r.Kind) + "/" + r.Ref + "/" + r.Summary }
	seen := map[string]bool{}
	out := make([]sgv1.ComplianceRecord, 0, len(existing)+len(add))
	for _, r := range append(append([]sgv1.ComplianceRecord(nil), existing...), add...) {
		r.Summary = truncate(r.Summary, maxHistorySummary)
		if !seen[key(r)] {
			seen[key(r)] = true
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(&out[j].Time) })
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// contentVerdict: a migrated site is not ready before its content is in.
func contentVerdict(c *sgv1.ContentStatus) verdict {
	switch {
	case c == nil || c.ImportPhase == "" || c.ImportPhase == sgv1.ImportSucceeded:
		return verdict{metav1.ConditionTrue, sgv1.ReasonContentReady, "content in place"}
	case c.ImportPhase == sgv1.ImportFailed:
		return verdict{metav1.ConditionFalse, sgv1.ReasonImportFailed, "content import failed: " + c.ImportMessage}
	}
	return verdict{metav1.ConditionFalse, sgv1.ReasonImporting, "importing the migrated content: " + c.ImportMessage}
}

// summarizeSite computes the site's status from what the reconcile found,
// in the deferred patch, whichever step ended it (as Cluster API's
// machineset_controller_status.go does): a failed step leaves Ready False
// with the step's reason and error, to be retried; a halt says why the
// reconcile stopped; a full pass sets every condition from the children.
// The generation counts as observed only when the reconcile got through.
func summarizeSite(s *siteScope, err error) {
	site := s.site
	st, gen := &site.Status, site.Generation
	if err != nil {
		reason := sgv1.ReasonReadFailed
		var failed *stepError
		if errors.As(err, &failed) && failed.reason != "" {
			reason = failed.reason
		}
		conditions.MarkReconciling(&st.Conditions, gen, reason, err.Error())
		return
	}
	switch {
	case s.halt != nil && s.halt.suspended:
		st.State = sgv1.StateSuspended
	case s.halt != nil:
		conditions.MarkStalled(&st.Conditions, gen, s.halt.stalled.reason, s.halt.stalled.message)
	case s.children != nil:
		summarizeChildren(s)
	default:
		return
	}
	st.ObservedGeneration = gen
}

// summarizeChildren sets the domain conditions, the kstatus triad, the
// state, the placement report and the endpoints from a full pass.
func summarizeChildren(s *siteScope) {
	site, c, p := s.site, s.children, s.policy
	st := &site.Status
	report := placementReport(c.pods, p.Placement.AllowedRegions, p.Placement.HostSeparation)
	st.Placement = report
	outcome := siteOutcome{
		approval: s.approval,
		launch:   s.launch,
		placed:   placedVerdict(c.pods, report, p.Placement.AllowedRegions),
		isolated: isolatedVerdict(report, p.Placement.HostSeparation, c.policiesInForce, c.policiesNotInForce),
		serving:  servingVerdict(s.approval.ok(), s.launch.ok(), c.frontend, c.routedBy),
		admin:    adminVerdict(c.admin),
		content:  contentVerdict(st.Content),
	}
	if down := s.takedowns.inForce; down != nil {
		v := takenDownVerdict(down.Name, c.notice)
		outcome.takenDown = &v
	}
	warnOnPlacementLoss(s, outcome.placed)
	outcome.apply(st, site.Generation)
	tls := false
	if c.certificate != nil {
		v := certificateVerdict(c.certificate)
		v.set(&st.Conditions, site.Generation, sgv1.ConditionCertificateReady)
		tls = v.ok()
	}
	st.Endpoints = endpoints(identity.InForce(site), s.approval.ok(), tls)
}

// warnOnPlacementLoss emits one Warning event when Placed turns False (S6).
func warnOnPlacementLoss(s *siteScope, placed verdict) {
	prev := meta.FindStatusCondition(s.site.Status.Conditions, sgv1.ConditionPlaced)
	if placed.status == metav1.ConditionFalse && (prev == nil || prev.Status != metav1.ConditionFalse || prev.Reason != placed.reason) {
		s.event(corev1.EventTypeWarning, placed.reason, "Placement", placed.message)
	}
}

// certificateVerdict: cert-manager issued the site's certificate.
func certificateVerdict(cert *certmanagerv1.Certificate) verdict {
	for _, c := range cert.Status.Conditions {
		if c.Type == certmanagerv1.CertificateConditionReady && c.Status == cmmeta.ConditionTrue {
			return verdict{metav1.ConditionTrue, sgv1.ReasonCertificateReady, "certificate " + cert.Name + " issued"}
		}
	}
	return verdict{metav1.ConditionFalse, sgv1.ReasonCertificateNotReady, "cert-manager has not issued " + cert.Name + " yet"}
}

// siteOutcome combines the domain verdicts into the kstatus triad and the
// one-word state. Stalled means a person must act: a rejection, a pod that
// can only go abroad, a placement violation.
type siteOutcome struct {
	approval, launch, placed, isolated, serving, admin, content verdict
	// takenDown is set while a takedown is in force (T5): True once the
	// notice pods serve in place of the front end.
	takenDown *verdict
}

func (o siteOutcome) apply(st *sgv1.GovWebsiteStatus, generation int64) {
	o.approval.set(&st.Conditions, generation, sgv1.ConditionApproved)
	o.placed.set(&st.Conditions, generation, sgv1.ConditionPlaced)
	o.isolated.set(&st.Conditions, generation, sgv1.ConditionIsolated)
	o.serving.set(&st.Conditions, generation, sgv1.ConditionServing)
	o.launch.set(&st.Conditions, generation, sgv1.ConditionLaunched)
	switch {
	case o.approval.reason == sgv1.ReasonRejected:
		conditions.MarkStalled(&st.Conditions, generation, sgv1.ReasonRejected, o.approval.message)
		st.State = sgv1.StateRejected
	case o.placed.status == metav1.ConditionFalse:
		conditions.MarkStalled(&st.Conditions, generation, o.placed.reason, o.placed.message)
		st.State = sgv1.StateDegraded
	case o.isolated.status == metav1.ConditionFalse:
		conditions.MarkStalled(&st.Conditions, generation, o.isolated.reason, o.isolated.message)
		st.State = sgv1.StateDegraded
	case o.content.reason == sgv1.ReasonImportFailed:
		conditions.MarkStalled(&st.Conditions, generation, o.content.reason, o.content.message)
		st.State = sgv1.StateDegraded
	case o.takenDown != nil:
		o.takenDown.set(&st.Conditions, generation, sgv1.ConditionServing)
		st.State = sgv1.StateTakenDown
		if o.takenDown.reason == sgv1.ReasonNoticeServing {
			conditions.MarkReady(&st.Conditions, generation, sgv1.ReasonTakenDown, o.takenDown.message)
		} else {
			conditions.MarkReconciling(&st.Conditions, generation, sgv1.ReasonTakingDown, o.takenDown.message)
		}
	case !o.approval.ok():
		conditions.MarkReconciling(&st.Conditions, generation, o.approval.reason, o.approval.message)
		st.State = sgv1.StateAwaitingApproval
	case o.launch.reason == sgv1.ReasonPrelaunchFailed || o.launch.reason == sgv1.ReasonPrelaunchNotOperators:
		conditions.MarkStalled(&st.Conditions, generation, o.launch.reason, o.launch.message)
		st.State = sgv1.StateLaunching
	case !o.launch.ok():
		conditions.MarkReconciling(&st.Conditions, generation, o.launch.reason, o.launch.message)
		st.State = sgv1.StateLaunching
	case !o.serving.ok() || !o.placed.ok() || !o.admin.ok() || !o.content.ok():
		conditions.MarkReconciling(&st.Conditions, generation, sgv1.ReasonProvisioning, firstNotOK(o.serving, o.admin, o.placed, o.content).message)
		st.State = sgv1.StateProvisioning
	default:
		conditions.MarkReady(&st.Conditions, generation, sgv1.ReasonServing, o.serving.message)
		st.State = sgv1.StateServing
	}
	st.ObservedGeneration = generation
}

func firstNotOK(vs ...verdict) verdict {
	for _, v := range vs {
		if !v.ok() {
			return v
		}
	}
	return verdict{}
}

// endpoints are the public addresses of an approved site.
func endpoints(site *sgv1.GovWebsite, approved, tls bool) []string {
	if !approved {
		return nil
	}
	scheme := "http://"
	if tls {
		scheme = "https://"
	}
	out := make([]string, 0, len(site.Spec.Domains))
	for _, d := range site.Spec.Domains {
		out = append(out, scheme+string(d)+"/")
	}
	return out
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "(none yet)"
	}
	return strings.Join(s, ", ")
}

// prelaunchNotOperators: a run someone else made holds the prelaunch run's
// name; it never launches the site (S5), and the operator cannot start its own.
func prelaunchNotOperators(run *sgv1.InspectionRun) verdict {
	return verdict{metav1.ConditionFalse, sgv1.ReasonPrelaunchNotOperators, fmt.Sprintf(
		"S5: InspectionRun %s was created by %s, not the operator; it does not count, and a platform engineer must delete it so the operator's prelaunch inspection can run",
		run.Name, run.Annotations[sgv1.AnnotationRequestedBy])}
}

// launchVerdict: a new site goes live only after its prelaunch inspection
// passes (S5); once launched, a site stays launched.
func launchVerdict(launch *sgv1.LaunchStatus, prelaunch *sgv1.InspectionRun) verdict {
	switch {
	case launch != nil && launch.LaunchedAt != nil:
		return verdict{metav1.ConditionTrue, sgv1.ReasonLaunched, "S5: prelaunch inspection " + launch.PrelaunchRun + " passed"}
	case prelaunch == nil:
		return verdict{metav1.ConditionFalse, sgv1.ReasonAwaitingPrelaunch, "S5: the prelaunch inspection is being created"}
	case prelaunch.Status.Phase == sgv1.InspectionSucceeded && prelaunch.Status.Verdict == sgv1.VerdictPass:
		return verdict{metav1.ConditionTrue, sgv1.ReasonLaunched, "S5: prelaunch inspection " + prelaunch.Name + " passed"}
	case prelaunch.Status.Phase == sgv1.InspectionSucceeded:
		return verdict{metav1.ConditionFalse, sgv1.ReasonPrelaunchFailed, fmt.Sprintf("S5: prelaunch inspection %s failed (%s); fix the site and delete the run to inspect again", prelaunch.Name, verdictMessage(prelaunch.Status))}
	case prelaunch.Status.Phase == sgv1.InspectionFailed:
		return verdict{metav1.ConditionFalse, sgv1.ReasonPrelaunchFailed, fmt.Sprintf("S5: prelaunch inspection %s ended without a verdict: %s; delete the run to try again", prelaunch.Name, prelaunch.Status.FailureReason)}
	}
	return verdict{metav1.ConditionFalse, sgv1.ReasonInspecting, "S5: prelaunch inspection " + prelaunch.Name + " is running against the site's internal Service"}
}
