package controller

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/findings"
)

// inspJob is an inspection Job with the given active count and conditions.
func inspJob(active int32, conds ...batchv1.JobCondition) *batchv1.Job {
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "run-1", Namespace: "site"}}
	job.Status.Active = active
	job.Status.Conditions = conds
	return job
}

func jobCond(typ batchv1.JobConditionType, status corev1.ConditionStatus, reason, message string) batchv1.JobCondition {
	return batchv1.JobCondition{Type: typ, Status: status, Reason: reason, Message: message}
}

// completedAt is when the test Jobs completed; readAt is when they are read,
// within the summary's grace.
var (
	completedAt = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	readAt      = completedAt.Add(30 * time.Second)
)

var (
	jobComplete = func() batchv1.JobCondition {
		c := jobCond(batchv1.JobComplete, corev1.ConditionTrue, "CompletionsReached", "")
		c.LastTransitionTime = metav1.NewTime(completedAt)
		return c
	}()
	jobDeadline = jobCond(batchv1.JobFailed, corev1.ConditionTrue, batchv1.JobReasonDeadlineExceeded, "Job was active longer than specified deadline")
	jobBackoff  = jobCond(batchv1.JobFailed, corev1.ConditionTrue, batchv1.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit")
)

// inspPod is a pod with one inspector container in the given state.
func inspPod(name string, state corev1.ContainerState) corev1.Pod {
	pod := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "site"}}
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "inspector", State: state}}
	return pod
}

func running() corev1.ContainerState {
	return corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
}

func waiting(reason, message string) corev1.ContainerState {
	return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}}
}

func terminated(code int32, reason, message string) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason, Message: message}}
}

func unschedulablePod(name string) corev1.Pod {
	pod := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "site"}}
	pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse,
		Reason: corev1.PodReasonUnschedulable, Message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."}}
	return pod
}

var testSummary = findings.Summary{Verdict: findings.Fail, Score: 0,
	Vetoes:     []findings.Veto{{ID: "V2", Reason: "homepage not updated in 20 days"}},
	Deductions: []findings.GroupTotal{{Group: "publishing", Points: 5}},
	Counts:     findings.Counts{Pages: 120, Links: 900, DeadLinks: 3, HomepageDeadLinks: 1, Columns: 14, StaleColumns: 2},
	Warnings:   []string{"V1"}}

func TestReadJob(t *testing.T) {
	summary := string(testSummary.Encode())
	cases := []struct {
		name     string
		job      *batchv1.Job
		pods     []corev1.Pod
		phase    sgv1.InspectionPhase
		pod      string   // the pod the summary came from
		parts    []string // in the detail
		noDetail bool
	}{
		{name: "no Job yet: pending", job: nil, phase: sgv1.InspectionPending, parts: []string{"creating the inspection Job"}},
		{name: "a Job without pods: pending", job: inspJob(0), phase: sgv1.InspectionPending, parts: []string{"waiting for the inspection pod"}},
		{name: "an active Job: running", job: inspJob(1), pods: []corev1.Pod{inspPod("p1", running())},
			phase: sgv1.InspectionRunning, parts: []string{"crawling"}},
		{name: "a container being created is no trouble", job: inspJob(1), pods: []corev1.Pod{inspPod("p1", waiting("ContainerCreating", ""))},
			phase: sgv1.InspectionRunning, parts: []string{"crawling"}},
		{name: "the Job complete with the pod's summary: succeeded", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(0, "Completed", summary))},
			phase: sgv1.InspectionSucceeded, pod: "p1", noDetail: true},
		{name: "the Job complete after a failed attempt: the summary of the pod that finished", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(137, "OOMKilled", "")), inspPod("p2", terminated(0, "Completed", summary))},
			phase: sgv1.InspectionSucceeded, pod: "p2", noDetail: true},
		{name: "the Job complete with an unjudged summary (the homepage did not open): read, the run records it", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(0, "Completed", `{"verdict":"unjudged","score":0,"unreachable":"HTTP 503"}`))},
			phase: sgv1.InspectionSucceeded, pod: "p1", noDetail: true},
		{name: "the Job complete but its pod not seen yet: still running", job: inspJob(0, jobComplete),
			phase: sgv1.InspectionRunning, parts: []string{"waiting for its pod's summary"}},
		{name: "the Job complete, its pod ended well without any message: failed, naming the pod", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(0, "Completed", ""))},
			phase: sgv1.InspectionFailed, pod: "p1", parts: []string{"pod p1 finished without the inspector's summary"}},
		{name: "the Job complete, the pod's message not a summary: still running", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(0, "Completed", "inspection done"))},
			phase: sgv1.InspectionRunning, parts: []string{"waiting for its pod's summary"}},
		{name: "the Job complete, a summary with a verdict out of its enum: still running", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(0, "Completed", `{"verdict":"maybe","score":80}`))},
			phase: sgv1.InspectionRunning, parts: []string{"waiting for its pod's summary"}},
		{name: "the Job complete, a summary without verdict: still running", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", terminated(0, "Completed", `{"score":80}`))},
			phase: sgv1.InspectionRunning, parts: []string{"waiting for its pod's summary"}},
		{name: "the Job complete, the pod still running: still running", job: inspJob(0, jobComplete),
			pods:  []corev1.Pod{inspPod("p1", running())},
			phase: sgv1.InspectionRunning, parts: []string{"waiting for its pod's summary"}},
		{name: "a Complete condition not true is not completion", job: inspJob(1, jobCond(batchv1.JobComplete, corev1.ConditionFalse, "", "")),
			pods:  []corev1.Pod{inspPod("p1", running())},
			phase: sgv1.InspectionRunning, parts: []string{"crawling"}},
		{name: "the Job past its deadline: failed, not a site verdict", job: inspJob(0, jobDeadline),
			phase: sgv1.InspectionFailed, parts: []string{"ran past its deadline (DeadlineExceeded)"}},
		{name: "the Job out of retries: failed", job: inspJob(0, jobBackoff),
			pods:  []corev1.Pod{inspPod("p1", terminated(1, "Error", "crawl failed: dial tcp: i/o timeout\ngoroutine 1 [running]"))},
			phase: sgv1.InspectionFailed, parts: []string{"failed on every attempt (BackoffLimitExceeded)", "pod p1: the inspector exited 1: crawl failed: dial tcp: i/o timeout"}},
		{name: "the Job out of retries after running out of memory: both named", job: inspJob(0, jobBackoff),
			pods:  []corev1.Pod{inspPod("p1", terminated(137, "OOMKilled", ""))},
			phase: sgv1.InspectionFailed, parts: []string{"BackoffLimitExceeded", "pod p1 ran out of memory (OOMKilled)"}},
		{name: "the Job failed for another reason: the reason and message", job: inspJob(0, jobCond(batchv1.JobFailed, corev1.ConditionTrue, "PodFailurePolicy", "container inspector exited 3")),
			phase: sgv1.InspectionFailed, parts: []string{"the inspection Job failed: PodFailurePolicy container inspector exited 3"}},
		{name: "a pod out of memory while the Job retries: running, and why", job: inspJob(0),
			pods:  []corev1.Pod{inspPod("p1", terminated(137, "OOMKilled", ""))},
			phase: sgv1.InspectionRunning, parts: []string{"pod p1 ran out of memory (OOMKilled)"}},
		{name: "an image that cannot be pulled: running, and why", job: inspJob(1),
			pods:  []corev1.Pod{inspPod("p1", waiting("ErrImagePull", "manifest unknown"))},
			phase: sgv1.InspectionRunning, parts: []string{"pod p1 cannot start its container: ErrImagePull manifest unknown"}},
		{name: "an image pull backing off: running, and why", job: inspJob(1),
			pods:  []corev1.Pod{inspPod("p1", waiting("ImagePullBackOff", `Back-off pulling image "sitegroup:bad"`))},
			phase: sgv1.InspectionRunning, parts: []string{"cannot start its container: ImagePullBackOff", "sitegroup:bad"}},
		{name: "an unschedulable pod: running, and why", job: inspJob(1), pods: []corev1.Pod{unschedulablePod("p1")},
			phase: sgv1.InspectionRunning, parts: []string{"pod p1 cannot be scheduled: 0/3 nodes are available"}},
		{name: "the Job past its deadline with an unschedulable pod: both named", job: inspJob(0, jobDeadline), pods: []corev1.Pod{unschedulablePod("p1")},
			phase: sgv1.InspectionFailed, parts: []string{"DeadlineExceeded", "pod p1 cannot be scheduled"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got := readJob(tt.job, tt.pods, readAt)
			if got.Phase != tt.phase {
				t.Errorf("phase %s, want %s (detail %q)", got.Phase, tt.phase, got.Detail)
			}
			if (got.Summary != nil) != (tt.phase == sgv1.InspectionSucceeded) || got.Pod != tt.pod {
				t.Errorf("summary %+v from pod %q, want one only when succeeded, from %q", got.Summary, got.Pod, tt.pod)
			}
			if tt.noDetail && got.Detail != "" {
				t.Errorf("detail %q, want none", got.Detail)
			}
			for _, p := range tt.parts {
				if !strings.Contains(got.Detail, p) {
					t.Errorf("detail %q lacks %q", got.Detail, p)
				}
			}
		})
	}
	got := readJob(inspJob(0, jobComplete), []corev1.Pod{inspPod("p1", terminated(0, "Completed", summary))}, readAt)
	if got.Summary == nil || fmt.Sprintf("%+v", *got.Summary) != fmt.Sprintf("%+v", testSummary) {
		t.Errorf("summary read back %+v, want %+v", got.Summary, testSummary)
	}
}

func vetoIDs(vs []sgv1.Veto) string {
	ids := make([]string, 0, len(vs))
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	return strings.Join(ids, ",")
}

func summaryVetoes(ids ...string) []findings.Veto {
	out := make([]findings.Veto, 0, len(ids))
	for i, id := range ids {
		out = append(out, findings.Veto{ID: id, Reason: fmt.Sprintf("reason %d", i)})
	}
	return out
}

func groups(n int) []findings.GroupTotal {
	out := make([]findings.GroupTotal, 0, n)
	for i := range n {
		out = append(out, findings.GroupTotal{Group: fmt.Sprintf("group-%d", i), Points: i + 1})
	}
	return out
}

func warningIDs(n int) []string {
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, fmt.Sprintf("W%d", i))
	}
	return out
}

func TestApplySummary(t *testing.T) {
	cases := []struct {
		name                          string
		sum                           findings.Summary
		vetoes                        string
		deductions, warnings          int
		firstReasonOfV1, lastDeductGp string
	}{
		{name: "nothing found", sum: findings.Summary{Verdict: findings.Pass, Score: 96}},
		{name: "V1–V5 every veto kept", sum: findings.Summary{Verdict: findings.Fail, Vetoes: summaryVetoes("V1", "V2", "V3", "V4", "V5")},
			vetoes: "V1,V2,V3,V4,V5", firstReasonOfV1: "reason 0"},
		{name: "a veto found twice is kept once, the first reason", sum: findings.Summary{Verdict: findings.Fail, Vetoes: summaryVetoes("V1", "V3", "V1")},
			vetoes: "V1,V3", firstReasonOfV1: "reason 0"},
		{name: "duplicates do not take places among the 5", sum: findings.Summary{Verdict: findings.Fail,
			Vetoes: summaryVetoes("V1", "V1", "V2", "V2", "V3", "V3", "V4", "V4", "V5", "V5")}, vetoes: "V1,V2,V3,V4,V5", firstReasonOfV1: "reason 0"},
		{name: "more than 5 distinct vetoes: the first 5", sum: findings.Summary{Verdict: findings.Fail,
			Vetoes: summaryVetoes("V1", "V2", "V3", "V4", "V5", "V6")}, vetoes: "V1,V2,V3,V4,V5", firstReasonOfV1: "reason 0"},
		{name: "8 deduction groups are all kept", sum: findings.Summary{Verdict: findings.Pass, Deductions: groups(8)},
			deductions: 8, lastDeductGp: "group-7"},
		{name: "9 deduction groups: the first 8", sum: findings.Summary{Verdict: findings.Pass, Deductions: groups(9)},
			deductions: 8, lastDeductGp: "group-7"},
		{name: "16 warnings are all kept", sum: findings.Summary{Verdict: findings.Pass, Warnings: warningIDs(16)}, warnings: 16},
		{name: "17 warnings: the first 16", sum: findings.Summary{Verdict: findings.Pass, Warnings: warningIDs(17)}, warnings: 16},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			// The status held an earlier attempt's findings: they are replaced, not added to.
			st := sgv1.InspectionRunStatus{Vetoes: []sgv1.Veto{{ID: "V4", Reason: "old"}}, Warnings: []string{"old"},
				Deductions: []sgv1.DeductionTotal{{Group: "old", Points: 1}}}
			applySummary(&st, tt.sum)
			if st.Verdict != sgv1.Verdict(tt.sum.Verdict) || st.Score == nil || *st.Score != int32(tt.sum.Score) {
				t.Errorf("verdict %s score %v, want %s %d", st.Verdict, st.Score, tt.sum.Verdict, tt.sum.Score)
			}
			if got := vetoIDs(st.Vetoes); got != tt.vetoes {
				t.Errorf("vetoes %s, want %s", got, tt.vetoes)
			}
			if len(st.Vetoes) > 0 && st.Vetoes[0].Reason != tt.firstReasonOfV1 {
				t.Errorf("V1 reason %q, want %q", st.Vetoes[0].Reason, tt.firstReasonOfV1)
			}
			if len(st.Deductions) != tt.deductions || len(st.Warnings) != tt.warnings {
				t.Errorf("%d deductions, %d warnings; want %d, %d", len(st.Deductions), len(st.Warnings), tt.deductions, tt.warnings)
			}
			if tt.lastDeductGp != "" && st.Deductions[len(st.Deductions)-1].Group != tt.lastDeductGp {
				t.Errorf("deductions %+v, want the first %d in order", st.Deductions, tt.deductions)
			}
		})
	}
}

func TestApplySummaryCopiesCountsAndBoundsReasons(t *testing.T) {
	for _, n := range []int{511, 512, 513, 2000} {
		t.Run(fmt.Sprintf("a veto reason of %d runes fits the status's 512", n), func(t *testing.T) {
			var st sgv1.InspectionRunStatus
			reason := strings.Repeat("栏", n)
			applySummary(&st, findings.Summary{Verdict: findings.Fail, Vetoes: []findings.Veto{{ID: "V3", Reason: reason}}})
			got := utf8.RuneCountInString(st.Vetoes[0].Reason)
			if got > 512 {
				t.Errorf("reason of %d runes, the CRD allows 512", got)
			}
			if n <= 512 && st.Vetoes[0].Reason != reason {
				t.Errorf("a reason within 512 runes was cut to %d", got)
			}
		})
	}
	var st sgv1.InspectionRunStatus
	applySummary(&st, findings.Summary{Verdict: findings.Pass, Score: 88, BudgetExhausted: "pages",
		Counts: findings.Counts{Pages: 1, Links: 2, DeadLinks: 3, HomepageDeadLinks: 4, Columns: 5, BlankColumns: 6, StaleColumns: 7}})
	want := sgv1.InspectionCounts{Pages: 1, Links: 2, DeadLinks: 3, HomepageDeadLinks: 4, Columns: 5, BlankColumns: 6, StaleColumns: 7}
	if st.Counts == nil || *st.Counts != want || st.BudgetExhausted != "pages" || *st.Score != 88 {
		t.Errorf("counts %+v budget %q score %v", st.Counts, st.BudgetExhausted, st.Score)
	}
}

func TestVerdictMessage(t *testing.T) {
	cases := []struct {
		name string
		st   sgv1.InspectionRunStatus
		want string
	}{
		{"a pass with its score", sgv1.InspectionRunStatus{Verdict: sgv1.VerdictPass, Score: ptr.To[int32](87)}, "verdict pass, score 87"},
		{"a fail names its vetoes", sgv1.InspectionRunStatus{Verdict: sgv1.VerdictFail, Score: ptr.To[int32](0),
			Vetoes: []sgv1.Veto{{ID: "V1"}, {ID: "V3"}}}, "verdict fail, score 0, vetoes V1 V3"},
		{"a fail on points has no vetoes", sgv1.InspectionRunStatus{Verdict: sgv1.VerdictFail, Score: ptr.To[int32](59)}, "verdict fail, score 59"},
		{"no score", sgv1.InspectionRunStatus{Verdict: sgv1.VerdictPass}, "verdict pass"},
		{"the crawl budget ran out", sgv1.InspectionRunStatus{Verdict: sgv1.VerdictPass, Score: ptr.To[int32](90), BudgetExhausted: "time"},
			"verdict pass, score 90; crawl budget ran out (time)"},
		{"everything", sgv1.InspectionRunStatus{Verdict: sgv1.VerdictFail, Score: ptr.To[int32](0), Vetoes: []sgv1.Veto{{ID: "V2"}}, BudgetExhausted: "pages"},
			"verdict fail, score 0, vetoes V2; crawl budget ran out (pages)"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdictMessage(tt.st); got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
}

var pruneBase = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// pruneRun is a run completed `day` days after pruneBase; scheduled runs
// carry the scheduled-at annotation.
func pruneRun(name string, purpose sgv1.InspectionPurpose, phase sgv1.InspectionPhase, day int, scheduled bool) sgv1.InspectionRun {
	run := sgv1.InspectionRun{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "site"}}
	run.Spec.Purpose = purpose
	run.Status.Phase = phase
	at := pruneBase.Add(time.Duration(day) * 24 * time.Hour)
	if scheduled {
		run.Annotations = map[string]string{sgv1.AnnotationScheduledAt: at.Add(-time.Hour).Format(time.RFC3339)}
	}
	if phase == sgv1.InspectionSucceeded || phase == sgv1.InspectionFailed {
		run.Status.CompletionTime = ptr.To(metav1.NewTime(at))
	}
	return run
}

// dailies are n scheduled daily runs of a phase on days 1..n, named prefix-1..n.
func dailies(prefix string, phase sgv1.InspectionPhase, n int) []sgv1.InspectionRun {
	var out []sgv1.InspectionRun
	for i := 1; i <= n; i++ {
		out = append(out, pruneRun(fmt.Sprintf("%s-%02d", prefix, i), sgv1.PurposeDaily, phase, i, true))
	}
	return out
}

func concat(lists ...[]sgv1.InspectionRun) []sgv1.InspectionRun {
	var out []sgv1.InspectionRun
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func TestRunsToPrune(t *testing.T) {
	counted := pruneBase.Add(365 * 24 * time.Hour) // everything below was folded into the site's record
	ok, failed := sgv1.InspectionSucceeded, sgv1.InspectionFailed
	noAnnotation := pruneRun("manual-01", sgv1.PurposeDaily, ok, 1, false)
	finishedNoTime := pruneRun("no-time", sgv1.PurposeDaily, ok, 1, true)
	finishedNoTime.Status.CompletionTime = nil
	monthly := []sgv1.InspectionRun{pruneRun("monthly-01", sgv1.PurposeMonthly, ok, 1, true), pruneRun("monthly-02", sgv1.PurposeMonthly, ok, 2, true),
		pruneRun("monthly-03", sgv1.PurposeMonthly, ok, 3, true), pruneRun("monthly-04", sgv1.PurposeMonthly, ok, 4, true)}
	cases := []struct {
		name               string
		runs               []sgv1.InspectionRun
		keepOK, keepFailed int
		counted            time.Time
		want               string
	}{
		{"no runs", nil, 3, 3, counted, ""},
		{"2 successful runs, keep 3", dailies("ok", ok, 2), 3, 3, counted, ""},
		{"3 successful runs, keep 3", dailies("ok", ok, 3), 3, 3, counted, ""},
		{"4 successful runs, keep 3: the oldest goes", dailies("ok", ok, 4), 3, 3, counted, "ok-01"},
		{"6 successful runs, keep 3: the newest 3 stay", dailies("ok", ok, 6), 3, 3, counted, "ok-01 ok-02 ok-03"},
		{"newest by completion, whatever the list order", reverse(dailies("ok", ok, 5)), 3, 3, counted, "ok-01 ok-02"},
		{"keep 0: every counted run goes", dailies("ok", ok, 2), 0, 3, counted, "ok-01 ok-02"},
		{"successful and failed counted apart", concat(dailies("ok", ok, 4), dailies("err", failed, 4)), 3, 1, counted,
			"err-01 err-02 err-03 ok-01"},
		{"failed runs do not push successful ones out", concat(dailies("ok", ok, 3), dailies("err", failed, 10)), 3, 3, counted,
			"err-01 err-02 err-03 err-04 err-05 err-06 err-07"},
		{"each purpose counted apart", concat(dailies("ok", ok, 4), monthly), 3, 3, counted, "monthly-01 ok-01"},
		{"runs not scheduled (prelaunch, manual) are never pruned", concat([]sgv1.InspectionRun{noAnnotation}, dailies("ok", ok, 3)), 3, 3, counted, ""},
		{"a manual run does not take a scheduled run's place", concat([]sgv1.InspectionRun{pruneRun("manual-09", sgv1.PurposeDaily, ok, 9, false)}, dailies("ok", ok, 4)), 3, 3, counted, "ok-01"},
		{"unfinished runs are never pruned nor counted", concat(dailies("run", sgv1.InspectionRunning, 5), dailies("pend", sgv1.InspectionPending, 5), dailies("ok", ok, 3)), 3, 3, counted, ""},
		{"a finished run without completion time is left", concat([]sgv1.InspectionRun{finishedNoTime}, dailies("ok", ok, 3)), 0, 0, counted, "ok-01 ok-02 ok-03"},
		{"nothing counted yet: nothing pruned", dailies("ok", ok, 6), 1, 1, time.Time{}, ""},
		{"runs completed after the counted time stay", dailies("ok", ok, 6), 1, 1, pruneBase.Add(3 * 24 * time.Hour), "ok-01 ok-02 ok-03"},
		{"a run completed exactly at the counted time may go", dailies("ok", ok, 6), 1, 1, pruneBase.Add(4 * 24 * time.Hour), "ok-01 ok-02 ok-03 ok-04"},
		{"a run completed a second after the counted time stays", dailies("ok", ok, 6), 1, 1, pruneBase.Add(4*24*time.Hour - time.Second), "ok-01 ok-02 ok-03"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			for _, r := range runsToPrune(tt.runs, tt.keepOK, tt.keepFailed, tt.counted) {
				names = append(names, r.Name)
			}
			if got := strings.Join(names, " "); got != tt.want {
				t.Errorf("pruned %q, want %q", got, tt.want)
			}
		})
	}
}

func reverse(runs []sgv1.InspectionRun) []sgv1.InspectionRun {
	out := make([]sgv1.InspectionRun, len(runs))
	for i, r := range runs {
		out[len(runs)-1-i] = r
	}
	return out
}

// TestReadJobSummaryGrace: a completed Job whose summary never becomes
// readable fails its run once the grace has passed, instead of staying
// Running and blocking every later run of the site.
func TestReadJobSummaryGrace(t *testing.T) {
	unreadable := []corev1.Pod{inspPod("p1", terminated(0, "Completed", `{"verdict":"maybe"}`))}
	cases := []struct {
		name    string
		pods    []corev1.Pod
		after   time.Duration
		phase   sgv1.InspectionPhase
		recheck time.Duration
	}{
		{"unreadable, 1m59s after completion: still waiting, back at the grace's end", unreadable, summaryGrace - time.Second, sgv1.InspectionRunning, time.Second},
		{"unreadable, at the grace's end: failed", unreadable, summaryGrace, sgv1.InspectionFailed, 0},
		{"no pod seen, long after completion: failed", nil, time.Hour, sgv1.InspectionFailed, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := readJob(inspJob(0, jobComplete), tc.pods, completedAt.Add(tc.after))
			if got.Phase != tc.phase || got.RecheckAfter != tc.recheck {
				t.Errorf("phase %s, recheck after %s; want %s, %s (detail %q)", got.Phase, got.RecheckAfter, tc.phase, tc.recheck, got.Detail)
			}
			if tc.phase == sgv1.InspectionFailed && !strings.Contains(got.Detail, "no pod of it left a readable summary") {
				t.Errorf("detail %q", got.Detail)
			}
		})
	}
}
