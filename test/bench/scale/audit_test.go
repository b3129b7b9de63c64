package scale

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// window is a span of the run: a request counts in it when the API server
// received it within [from, to).
type window struct{ from, to time.Time }

// tally is the operator's requests in one window.
type tally struct {
	requests int
	byVerb   map[string]int
	// byKey counts every request by verb and resource, writes by verb,
	// resource and subresource ("patch govwebsites.sitegroup.io/status").
	byKey, writes map[string]int
	// failed counts the answers of 400 and above by code and key.
	failed map[string]int
	// perMinute counts the writes of each minute of the window.
	perMinute []int
}

func (t tally) writeCount() int {
	n := 0
	for _, c := range t.writes {
		n += c
	}
	return n
}

var writeVerbs = map[string]bool{"create": true, "update": true, "patch": true, "delete": true, "deletecollection": true}

// auditEvent is what the benchmark reads of an audit.k8s.io/v1 Event.
type auditEvent struct {
	AuditID    string `json:"auditID"`
	Stage      string `json:"stage"`
	Verb       string `json:"verb"`
	RequestURI string `json:"requestURI"`
	User       struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Subresource string `json:"subresource"`
		APIGroup    string `json:"apiGroup"`
	} `json:"objectRef"`
	ResponseStatus *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
	RequestReceivedTimestamp time.Time `json:"requestReceivedTimestamp"`
}

// auditTally counts the user's requests in each window from the API
// server's JSON audit log files. A request counts once: a watch when its
// response starts (it may stay open past the run), any other request when
// it completes (or panics).
func auditTally(files []string, user string, windows []window) ([]tally, error) {
	out := make([]tally, len(windows))
	for i := range out {
		out[i] = tally{byVerb: map[string]int{}, byKey: map[string]int{}, writes: map[string]int{}, failed: map[string]int{},
			perMinute: make([]int, int(windows[i].to.Sub(windows[i].from).Minutes()+0.999))}
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		err = readAudit(f, user, windows, out)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return out, nil
}

func readAudit(r io.Reader, user string, windows []window, out []tally) error {
	started := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e auditEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return err
		}
		if e.User.Username != user {
			continue
		}
		switch {
		case e.Verb == "watch" && e.Stage == "ResponseStarted":
			started[e.AuditID] = true
		case e.Verb == "watch" && e.Stage == "ResponseComplete" && started[e.AuditID]:
			delete(started, e.AuditID)
			continue
		case e.Stage != "ResponseComplete" && e.Stage != "Panic":
			continue
		}
		for i, w := range windows {
			at := e.RequestReceivedTimestamp
			if at.Before(w.from) || !at.Before(w.to) {
				continue
			}
			t := &out[i]
			t.requests++
			t.byVerb[e.Verb]++
			resource, sub := "nonresource "+e.RequestURI, ""
			if e.ObjectRef != nil {
				resource = e.ObjectRef.Resource
				if e.ObjectRef.APIGroup != "" {
					resource += "." + e.ObjectRef.APIGroup
				}
				if e.ObjectRef.Subresource != "" {
					sub = "/" + e.ObjectRef.Subresource
				}
			}
			t.byKey[e.Verb+" "+resource]++
			if writeVerbs[e.Verb] {
				t.writes[e.Verb+" "+resource+sub]++
				if m := int(at.Sub(w.from).Minutes()); m < len(t.perMinute) {
					t.perMinute[m]++
				}
			}
			if e.ResponseStatus != nil && e.ResponseStatus.Code >= 400 {
				t.failed[fmt.Sprintf("%d %s %s%s", e.ResponseStatus.Code, e.Verb, resource, sub)]++
			}
		}
	}
	return sc.Err()
}

// The checks below run in `make test` (they need no cluster).

func TestAuditTallyCountsEachRequestOnceInItsWindow(t *testing.T) {
	const op = "system:serviceaccount:sitegroup-system:sitegroup-manager"
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	line := func(id, stage, verb, user, resource, group, sub string, code int, at time.Duration) string {
		ref := ""
		if resource != "" {
			ref = fmt.Sprintf(`,"objectRef":{"resource":%q,"apiGroup":%q,"subresource":%q}`, resource, group, sub)
		}
		return fmt.Sprintf(`{"kind":"Event","auditID":%q,"stage":%q,"verb":%q,"requestURI":"/x","user":{"username":%q}%s,"responseStatus":{"code":%d},"requestReceivedTimestamp":%q}`,
			id, stage, verb, user, ref, code, t0.Add(at).Format(time.RFC3339Nano))
	}
	log := strings.Join([]string{
		line("1", "ResponseComplete", "patch", op, "govwebsites", "sitegroup.io", "status", 200, 10*time.Second),
		line("2", "ResponseStarted", "watch", op, "pods", "", "", 200, 20*time.Second),
		line("2", "ResponseComplete", "watch", op, "pods", "", "", 200, 20*time.Second),
		line("3", "ResponseComplete", "watch", op, "nodes", "", "", 403, 30*time.Second), // refused before it started
		line("4", "ResponseComplete", "patch", "someone", "services", "", "", 200, 40*time.Second),
		line("5", "ResponseComplete", "create", op, "events", "events.k8s.io", "", 409, 70*time.Second),
		line("6", "ResponseComplete", "get", op, "", "", "", 200, 80*time.Second),
		line("7", "ResponseComplete", "update", op, "leases", "coordination.k8s.io", "", 200, 130*time.Second),
	}, "\n")
	windows := []window{{t0, t0.Add(2 * time.Minute)}, {t0.Add(2 * time.Minute), t0.Add(3 * time.Minute)}}
	out := make([]tally, 2)
	for i := range out {
		out[i] = tally{byVerb: map[string]int{}, byKey: map[string]int{}, writes: map[string]int{}, failed: map[string]int{}, perMinute: make([]int, 2)}
	}
	if err := readAudit(strings.NewReader(log), op, windows, out); err != nil {
		t.Fatal(err)
	}
	first := out[0]
	if first.requests != 5 {
		t.Errorf("requests in the first window: %d, want 5", first.requests)
	}
	if want := map[string]int{"patch": 1, "watch": 2, "create": 1, "get": 1}; !reflect.DeepEqual(first.byVerb, want) {
		t.Errorf("by verb %v, want %v", first.byVerb, want)
	}
	if want := map[string]int{"patch govwebsites.sitegroup.io/status": 1, "create events.events.k8s.io": 1}; !reflect.DeepEqual(first.writes, want) {
		t.Errorf("writes %v, want %v", first.writes, want)
	}
	if want := []int{1, 1}; !reflect.DeepEqual(first.perMinute, want) {
		t.Errorf("writes per minute %v, want %v", first.perMinute, want)
	}
	if want := map[string]int{"403 watch nodes": 1, "409 create events.events.k8s.io": 1}; !reflect.DeepEqual(first.failed, want) {
		t.Errorf("failed %v, want %v", first.failed, want)
	}
	if out[1].writeCount() != 1 || out[1].writes["update leases.coordination.k8s.io"] != 1 {
		t.Errorf("second window's writes %v", out[1].writes)
	}
}

func TestProcParsing(t *testing.T) {
	rss, hwm, err := parseStatus("Name:\tsitegroup\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n")
	if err != nil || rss != 100 || hwm != 200 {
		t.Errorf("parseStatus: rss %v hwm %v err %v, want 100 200", rss, hwm, err)
	}
	// utime and stime are fields 14 and 15; the command name may hold spaces and parentheses.
	cpu, err := parseStat("4242 (site group) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 12 0 1 2 3")
	if err != nil || cpu != 4 {
		t.Errorf("parseStat: %v %v, want 4 s", cpu, err)
	}
	if _, err := parseStat("4242 (sitegroup) Z 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 12 0 1 2 3"); err == nil {
		t.Error("a zombie counts as gone")
	}
}

func TestParseSizes(t *testing.T) {
	if got, err := parseSizes("250, 500,1000"); err != nil || !reflect.DeepEqual(got, []int{250, 500, 1000}) {
		t.Errorf("parseSizes: %v %v", got, err)
	}
	for _, bad := range []string{"", "0", "10000", "x"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
}

func TestOtherCores(t *testing.T) {
	busy := parseProcStat("cpu  1000 50 300 9000 20 10 40 0 0 0\ncpu0 1 2 3\n")
	if busy != 14 { // (1000+50+300+10+40+0)/100
		t.Fatalf("parseProcStat: %v, want 14", busy)
	}
	t0 := time.Unix(100, 0)
	from, to := cpuSample{at: t0, busy: 14, ours: 4}, cpuSample{at: t0.Add(10 * time.Second), busy: 29, ours: 9}
	if got := otherCores(from, to); got != 1 { // 15 s busy, 5 s ours, over 10 s
		t.Errorf("otherCores: %v, want 1", got)
	}
}

// Errors logged once the benchmark stops the manager (its reconciles
// cancelled) are the benchmark's, not the operator's: only those before
// the end of the steady window count.
func TestReconcileErrorsUntilTheStop(t *testing.T) {
	stop := time.Date(2026, 12, 7, 22, 59, 30, 500e6, time.UTC)
	log := `{"level":"error","ts":"2026-12-07T22:41:32Z","msg":"Reconciler error","controller":"govwebsite","error":"applying Service s0712-web: conflict"}
{"level":"info","ts":"2026-12-07T22:50:00Z","msg":"Starting workers"}
{"level":"error","ts":"2026-12-07T22:59:29Z","msg":"Reconciler error","controller":"inspectionrun","error":"applying NetworkPolicy s0001-inspection: conflict"}
{"level":"error","ts":"2026-12-07T22:59:30Z","msg":"Reconciler error","controller":"inspectionrun","error":"context canceled"}
{"level":"error","ts":"2026-12-07T22:59:31Z","msg":"Reconciler error","controller":"govwebsite","error":"context canceled"}
`
	path := filepath.Join(t.TempDir(), "manager.log")
	if err := os.WriteFile(path, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	n, samples := reconcileErrors(path, stop)
	if n != 2 || samples["govwebsite: applying Service s#-web: conflict"] != 1 || samples["inspectionrun: applying NetworkPolicy s#-inspection: conflict"] != 1 {
		t.Fatalf("counted %d: %v", n, samples)
	}
}
