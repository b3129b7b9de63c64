// Package console is `sitegroup console`: a web console that runs on the
// user's machine with the user's own kubeconfig and identity (as kubectl
// proxy or Headlamp's desktop mode do), listening on loopback only. Every
// page is read, and every signature written, through the API server as
// that user: their RBAC decides what they see and what they may sign, and
// the operator's admission webhook stamps and checks each signature as it
// does for kubectl.
//
// This file is the client-facing model: pure functions of the objects and
// the clock (what a row of the overview shows, the counts, which tickets
// are overdue, what waits for a signature, the JSON patch that signs it),
// table-tested without an API server.
package console

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/identity"
	"sitegroup.io/operator/internal/policy"
)

// TicketOpen says a rectification ticket is still open (T9): it has no
// closedAt.
func TicketOpen(t sgv1.RectificationTicket) bool { return t.ClosedAt == nil }

// TicketOverdue says an open ticket is past its day (T9: dueBy), fixed or
// not: it closes only with a signed result.
func TicketOverdue(t sgv1.RectificationTicket, now time.Time) bool {
	return TicketOpen(t) && now.After(t.DueBy.Time)
}

// TicketCounts counts the open and the overdue tickets of a site.
func TicketCounts(ts []sgv1.RectificationTicket, now time.Time) (open, overdue int) {
	for _, t := range ts {
		if TicketOpen(t) {
			open++
		}
		if TicketOverdue(t, now) {
			overdue++
		}
	}
	return open, overdue
}

// SiteRow is one line of the overview.
type SiteRow struct {
	Namespace, Name string
	Organization    string
	Kind            sgv1.SiteKind
	State           sgv1.SiteState
	Domains         []string
	// Verdict and Score of the last inspection; Verdict "" when none ran.
	Verdict     sgv1.Verdict
	Score       *int32
	InspectedAt *time.Time
	// OpenTickets and OverdueTickets count status.tickets (T9).
	OpenTickets, OverdueTickets int
	// Takedown in force (status.currentTakedown), nil when none.
	Takedown *sgv1.TakedownReference
	// Availability is V1's 7-day window, nil before the first probes.
	Availability *sgv1.AvailabilityStatus
}

// Row is a site's line of the overview at now.
func Row(site *sgv1.GovWebsite, now time.Time) SiteRow {
	st := site.Status
	r := SiteRow{
		Namespace: site.Namespace, Name: site.Name, Organization: site.Spec.Organization.Name,
		Kind: site.Spec.SiteKind, State: st.State, Takedown: st.CurrentTakedown, Availability: st.Availability,
	}
	if r.State == "" {
		r.State = sgv1.StateProvisioning
	}
	for _, d := range site.Spec.Domains {
		r.Domains = append(r.Domains, string(d))
	}
	if li := st.LastInspection; li != nil {
		r.Verdict, r.Score = li.Verdict, li.Score
		if li.Time != nil {
			t := li.Time.Time
			r.InspectedAt = &t
		}
	}
	r.OpenTickets, r.OverdueTickets = TicketCounts(st.Tickets, now)
	return r
}

// Filter narrows the overview; an empty field matches everything.
type Filter struct {
	Namespace string
	Kind      string
	State     string
}

// Match says whether a row passes the filter.
func (f Filter) Match(r SiteRow) bool {
	return (f.Namespace == "" || f.Namespace == r.Namespace) &&
		(f.Kind == "" || f.Kind == string(r.Kind)) &&
		(f.State == "" || f.State == string(r.State))
}

// Counts are the figures at the top of the overview, over the rows shown.
type Counts struct {
	Sites                int
	ByState              map[sgv1.SiteState]int
	Failing              int // last verdict fail
	OpenTickets          int
	OverdueTickets       int
	TakenDown            int // a takedown in force
	AvailabilityWarnings int // V1 failing or at the early warning
}

// Overview is what the overview page shows.
type Overview struct {
	Rows   []SiteRow
	Counts Counts
	// Namespaces, Kinds and States are the filter's choices: every value
	// among the sites read, filtered or not.
	Namespaces, Kinds, States []string
}

// BuildOverview turns the sites the user may read into the overview, sorted
// by namespace and name.
func BuildOverview(sites []sgv1.GovWebsite, f Filter, now time.Time) Overview {
	o := Overview{Counts: Counts{ByState: map[sgv1.SiteState]int{}}}
	for i := range sites {
		if sites[i].DeletionTimestamp != nil && len(sites[i].Finalizers) == 0 {
			continue
		}
		r := Row(&sites[i], now)
		o.Namespaces = addUnique(o.Namespaces, r.Namespace)
		o.Kinds = addUnique(o.Kinds, string(r.Kind))
		o.States = addUnique(o.States, string(r.State))
		if !f.Match(r) {
			continue
		}
		o.Rows = append(o.Rows, r)
		c := &o.Counts
		c.Sites++
		c.ByState[r.State]++
		if r.Verdict == sgv1.VerdictFail {
			c.Failing++
		}
		c.OpenTickets += r.OpenTickets
		c.OverdueTickets += r.OverdueTickets
		if r.Takedown != nil && takedownInForce(r.Takedown.Phase) {
			c.TakenDown++
		}
		if a := r.Availability; a != nil && (a.Verdict == sgv1.VerdictFail || a.Warning) {
			c.AvailabilityWarnings++
		}
	}
	sort.Slice(o.Rows, func(i, j int) bool {
		if o.Rows[i].Namespace != o.Rows[j].Namespace {
			return o.Rows[i].Namespace < o.Rows[j].Namespace
		}
		return o.Rows[i].Name < o.Rows[j].Name
	})
	for _, s := range []*[]string{&o.Namespaces, &o.Kinds, &o.States} {
		sort.Strings(*s)
	}
	return o
}

// takedownInForce: the site shows its notice page (internal/takedown.InForce).
func takedownInForce(p sgv1.TakedownPhase) bool {
	switch p {
	case sgv1.TakedownActive, sgv1.TakedownReturning, sgv1.TakedownOverdue, sgv1.TakedownArchiving, sgv1.TakedownClosed:
		return true
	}
	return false
}

func addUnique(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// Chain is one of the approval chains a signer signs.
type Chain string

const (
	// ChainSite is a site's opening (and S8 change) approval, spec.approvals (S1).
	ChainSite Chain = "site"
	// ChainTakedown is a takedown's approval, spec.approvals (T1).
	ChainTakedown Chain = "takedown"
	// ChainReturn is a takedown's return, spec.returnRequest.approvals (T6).
	ChainReturn Chain = "return"
	// ChainRectification is a ticket's result, spec.rectificationReports[i].approvals (T9).
	ChainRectification Chain = "rectification"
)

// Rule is the rule id of a chain, as admission names it.
func (c Chain) Rule() string {
	switch c {
	case ChainSite:
		return "S1"
	case ChainTakedown:
		return "T1"
	case ChainReturn:
		return "T6"
	case ChainRectification:
		return "T9"
	}
	return ""
}

// Levels are the policy's chains, in signing order.
type Levels struct {
	Site, Takedown, Return, Rectification []string
}

// LevelsOf reads the chains from the policy in force.
func LevelsOf(spec sgv1.SiteGroupPolicySpec) Levels {
	p := policy.InForce(spec)
	return Levels{
		Site:          policy.LevelNames(p, sgv1.ScopeSite),
		Takedown:      policy.LevelNames(p, sgv1.ScopeTakedown),
		Return:        policy.LevelNames(p, sgv1.ScopeReturn),
		Rectification: policy.LevelNames(p, sgv1.ScopeRectification),
	}
}

// Item is one application waiting for a signature at a level.
type Item struct {
	Chain Chain
	// Kind and Namespace/Name are the object signed (GovWebsite or TakedownRequest).
	Kind            string
	Namespace, Name string
	// Site is the site it is about.
	Site string
	// Level the chain waits for.
	Level string
	// Summary for the signer: the organization, the takedown's reason, the
	// ticket's problem and result.
	Summary string
	// Detail: the takedown's dates, the site's domains, the ticket's result.
	Detail string
	// Takedown is the type of a takedown or return (T1, T6).
	Takedown sgv1.TakedownType
	// Signed are the signatures of the current round, "unit chen.jing".
	Signed []string
	// Resubmission: the last round was rejected; this one starts again at
	// the first level (S1).
	Resubmission bool
	// Report is the index of the rectification result in
	// spec.rectificationReports and Ticket its ticket (T9 only).
	Report int
	Ticket string
	// Generation of the object the item was read at: the signature's patch
	// tests it, so no one signs a spec that changed after they read it
	// (status writes do not change it).
	Generation int64
}

// ID names the item in a form and a URL.
func (it Item) ID() string {
	id := string(it.Chain) + "/" + it.Namespace + "/" + it.Name + "/" + it.Level
	if it.Chain == ChainRectification {
		id += "/" + strconv.Itoa(it.Report)
	}
	return id
}

// waitingAt reads a chain: the level it waits for ("" when complete, or
// rejected where a rejection ends the application), the signatures of the
// current round and whether it is a re-submission after a rejection.
func waitingAt(approvals []sgv1.Approval, levels []string, resubmit bool) (level string, signed []string, resubmission bool) {
	if len(levels) == 0 {
		return "", nil, false
	}
	_, rejected, _ := policy.ReadChain(approvals, levels)
	if rejected != nil {
		if !resubmit {
			return "", nil, false
		}
		return levels[0], nil, true
	}
	level = policy.NextLevel(approvals, levels)
	// the current round: the approvals after the last rejection
	start := 0
	for i, a := range approvals {
		if a.Decision == sgv1.DecisionRejected {
			start = i + 1
		}
	}
	for _, a := range approvals[start:] {
		signed = append(signed, a.Level+" "+a.Approver)
	}
	return level, signed, false
}

// Waiting lists the applications waiting for a signature: sites whose S1
// chain waits (for the identity the spec applies for, S8), pending
// takedowns (T1), filed returns of live takedowns (T6) and filed results
// of open tickets (T9). Whether the user may sign each level is RBAC's to
// say (Signable). Sorted by chain, namespace, name.
func Waiting(sites []sgv1.GovWebsite, takedowns []sgv1.TakedownRequest, l Levels) []Item {
	var out []Item
	for i := range sites {
		s := &sites[i]
		if s.DeletionTimestamp != nil {
			continue
		}
		if level, signed, resub := waitingAt(identity.Signatures(s), l.Site, true); level != "" {
			out = append(out, Item{Chain: ChainSite, Kind: "GovWebsite", Namespace: s.Namespace, Name: s.Name, Site: s.Name,
				Level: level, Signed: signed, Resubmission: resub, Generation: s.Generation,
				Summary: s.Spec.Organization.Name, Detail: domainList(s.Spec.Domains)})
		}
		for j, r := range s.Spec.RectificationReports {
			t := ticket(s.Status.Tickets, r.Ticket)
			if t == nil || !TicketOpen(*t) {
				continue
			}
			if level, signed, _ := waitingAt(r.Approvals, l.Rectification, false); level != "" {
				out = append(out, Item{Chain: ChainRectification, Kind: "GovWebsite", Namespace: s.Namespace, Name: s.Name, Site: s.Name,
					Level: level, Signed: signed, Report: j, Ticket: r.Ticket, Generation: s.Generation,
					Summary: t.Problem, Detail: r.Result})
			}
		}
	}
	for i := range takedowns {
		t := &takedowns[i]
		if t.DeletionTimestamp != nil || t.Spec.Cancel {
			continue
		}
		detail := t.Spec.Start.In(clock.Shanghai).Format(time.DateOnly)
		if t.Spec.End != nil {
			detail += " – " + t.Spec.End.In(clock.Shanghai).Format(time.DateOnly)
		}
		switch t.Status.Phase {
		case "", sgv1.TakedownPending:
			if level, signed, _ := waitingAt(t.Spec.Approvals, l.Takedown, false); level != "" {
				out = append(out, Item{Chain: ChainTakedown, Kind: "TakedownRequest", Namespace: t.Namespace, Name: t.Name, Site: t.Spec.SiteRef.Name,
					Level: level, Signed: signed, Generation: t.Generation, Summary: t.Spec.Reason, Detail: detail, Takedown: t.Spec.Type})
			}
		case sgv1.TakedownActive, sgv1.TakedownReturning, sgv1.TakedownOverdue:
			rr := t.Spec.ReturnRequest
			if rr == nil || t.Spec.Type != sgv1.TakedownTemporary {
				continue
			}
			if level, signed, _ := waitingAt(rr.Approvals, l.Return, false); level != "" {
				out = append(out, Item{Chain: ChainReturn, Kind: "TakedownRequest", Namespace: t.Namespace, Name: t.Name, Site: t.Spec.SiteRef.Name,
					Level: level, Signed: signed, Generation: t.Generation, Summary: rr.SelfCheck, Detail: detail, Takedown: t.Spec.Type})
			}
		}
	}
	order := map[Chain]int{ChainSite: 0, ChainTakedown: 1, ChainReturn: 2, ChainRectification: 3}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if order[a.Chain] != order[b.Chain] {
			return order[a.Chain] < order[b.Chain]
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Report < b.Report
	})
	return out
}

func ticket(ts []sgv1.RectificationTicket, id string) *sgv1.RectificationTicket {
	for i := range ts {
		if ts[i].ID == id {
			return &ts[i]
		}
	}
	return nil
}

func domainList(ds []sgv1.Domain) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, ", ")
}

// approvalsPath is where an item's signatures are, as a JSON pointer.
func (it Item) approvalsPath() string {
	switch it.Chain {
	case ChainReturn:
		return "/spec/returnRequest/approvals"
	case ChainRectification:
		return "/spec/rectificationReports/" + strconv.Itoa(it.Report) + "/approvals"
	}
	return "/spec/approvals"
}

// patchOp is one operation of a JSON patch (RFC 6902).
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// signature is what the console writes: the level and the decision (and a
// rejection's comment). The webhook stamps the approver, the time and, on
// a site, the identity signed; the console never types them.
type signature struct {
	Level    string                `json:"level"`
	Decision sgv1.ApprovalDecision `json:"decision"`
	Comment  string                `json:"comment,omitempty"`
}

// SignPatch is the JSON patch that appends one signature to the item's
// approvals, as `kubectl patch --type json` does in the README: it first
// tests the generation the item was read at (the API server refuses the
// patch when the spec changed since) and, for a rectification
// result, that the index still names its ticket. hadApprovals says whether
// the list exists (append to it) or not (create it with one element).
func SignPatch(it Item, hadApprovals bool, decision sgv1.ApprovalDecision, comment string) ([]byte, error) {
	switch decision {
	case sgv1.DecisionApproved:
		comment = ""
	case sgv1.DecisionRejected:
		if strings.TrimSpace(comment) == "" {
			return nil, fmt.Errorf("%s: a rejection says why: the comment is required", it.Chain.Rule())
		}
	default:
		return nil, fmt.Errorf("decision %q: Approved or Rejected", decision)
	}
	if it.Level == "" {
		return nil, fmt.Errorf("no level to sign")
	}
	sig := signature{Level: it.Level, Decision: decision, Comment: strings.TrimSpace(comment)}
	var ops []patchOp
	if it.Generation != 0 {
		ops = append(ops, patchOp{Op: "test", Path: "/metadata/generation", Value: it.Generation})
	}
	if it.Chain == ChainRectification {
		ops = append(ops, patchOp{Op: "test", Path: "/spec/rectificationReports/" + strconv.Itoa(it.Report) + "/ticket", Value: it.Ticket})
	}
	if hadApprovals {
		ops = append(ops, patchOp{Op: "add", Path: it.approvalsPath() + "/-", Value: sig})
	} else {
		ops = append(ops, patchOp{Op: "add", Path: it.approvalsPath(), Value: []signature{sig}})
	}
	return json.Marshal(ops)
}

// HasApprovals says whether the item's approvals list already exists on
// the object, so SignPatch appends to it.
func HasApprovals(it Item, site *sgv1.GovWebsite, t *sgv1.TakedownRequest) bool {
	switch it.Chain {
	case ChainSite:
		return site != nil && len(site.Spec.Approvals) > 0
	case ChainRectification:
		return site != nil && it.Report < len(site.Spec.RectificationReports) && len(site.Spec.RectificationReports[it.Report].Approvals) > 0
	case ChainTakedown:
		return t != nil && len(t.Spec.Approvals) > 0
	case ChainReturn:
		return t != nil && t.Spec.ReturnRequest != nil && len(t.Spec.ReturnRequest.Approvals) > 0
	}
	return false
}

// Find returns the waiting item with the given ID.
func Find(items []Item, id string) (Item, bool) {
	for _, it := range items {
		if it.ID() == id {
			return it, true
		}
	}
	return Item{}, false
}
