// Package findings is the contract between the inspector (`sitegroup
// inspect`, which produces a Report) and the InspectionRun controller (which
// reads a Summary from the Job's termination message and the full Report
// from a ConfigMap). It holds types and the summary rule only, so the
// controller does not import the crawler.
package findings

import (
	"encoding/json"
	"time"
)

// Verdicts of an inspection (RULES.md §3: any veto, or a score below 60, fails).
const (
	Pass = "pass"
	Fail = "fail"
	// Unjudged: the homepage did not open, so nothing on the site could be
	// judged. Not a V1 veto: V1 is judged on the 7-day window of the
	// operator's spaced probes (≥20 a day), which one run's few probes
	// cannot stand for (issue 16). The run records no verdict.
	Unjudged = "unjudged"
)

// Report is everything one inspection found: `sitegroup inspect --output json`
// prints exactly one.
type Report struct {
	URL        string      `json:"url"`
	Now        time.Time   `json:"now"`
	Profile    string      `json:"profile"` // name@version of the scoring profile
	Verdict    string      `json:"verdict"`
	Score      int         `json:"score"`
	Vetoes     []Veto      `json:"vetoes"`
	Deductions []Deduction `json:"deductions"`
	DeadLinks  []DeadLink  `json:"deadLinks"`
	Columns    []Column    `json:"columns"`
	Identity   Identity    `json:"identity"`
	Warnings   []Warning   `json:"warnings"`
	Stats      Stats       `json:"stats"`
	// Truncated says what was cut when the report had to fit a ConfigMap.
	Truncated string `json:"truncated,omitempty"`
	// Forwarded says the homepage asked for only forwards elsewhere (an
	// HTTP redirect, a meta refresh, a window.location line): the page it
	// forwards to is the one judged, when it is on the site.
	Forwarded *Forward `json:"forwarded,omitempty"`
	// Unreachable is why the homepage did not open, when it did not (the
	// verdict is then Unjudged).
	Unreachable string `json:"unreachable,omitempty"`
}

// Forward is how the requested homepage forwards to the judged one.
type Forward struct {
	From string `json:"from"`
	To   string `json:"to"`
	// By is http-redirect, meta-refresh or script (window.location).
	By string `json:"by"`
	// Followed is false when the forward leaves the site's own domains:
	// the requested page is judged then.
	Followed bool `json:"followed"`
}

// Veto is a single-veto finding (V1–V5).
type Veto struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Deduction is points taken off by one indicator of the scoring profile.
type Deduction struct {
	ID     string `json:"id"`    // indicator id in the profile
	Group  string `json:"group"` // indicator group the cap applies to
	Points int    `json:"points"`
	Reason string `json:"reason"`
}

// DeadLink is a link that did not open.
type DeadLink struct {
	URL      string `json:"url"`
	Status   int    `json:"status"` // HTTP status, 0 when no response
	FoundOn  string `json:"foundOn"`
	Homepage bool   `json:"homepage,omitempty"` // found on the homepage (counted apart)
}

// Column is one column (栏目) of the site as the crawler saw it.
type Column struct {
	Name   string     `json:"name"`
	URL    string     `json:"url"`
	Kind   string     `json:"kind"` // news, notice, personnel, interaction, other
	Latest *time.Time `json:"latest,omitempty"`
	Items  int        `json:"items"`
	Blank  bool       `json:"blank"`
	Stale  bool       `json:"stale"`
	// Pages of the column's list the crawl read (the 下一页 chain).
	Pages int `json:"pages,omitempty"`
	// NotReached says the crawl did not read the column (a budget ran
	// out, or its page did not open): it is not judged.
	NotReached bool `json:"notReached,omitempty"`
	// Parent names the column whose page listed this one in its own
	// (second-level) navigation; empty for the homepage's columns.
	Parent string `json:"parent,omitempty"`
	// SubColumns counts the columns this one's page listed: a parent
	// column is judged by them, not as a list of its own.
	SubColumns int `json:"subColumns,omitempty"`
	// Content is "prose" (a page of text, 机构职能) or "form" (我要留言)
	// when the column shows that instead of a list: it is not blank.
	Content string `json:"content,omitempty"`
}

// Identity is the homepage footer (S4).
type Identity struct {
	Organizer      string `json:"organizer,omitempty"`      // 主办单位
	Host           string `json:"host,omitempty"`           // 承办单位 / 版权所有
	SiteCode       string `json:"siteCode,omitempty"`       // 网站标识码
	ICP            string `json:"icp,omitempty"`            // ICP备案号
	PublicSecurity string `json:"publicSecurity,omitempty"` // 公网安备
	// SiteCodeFrom says where the site code was read: "footer", or
	// "meta" (the SiteIDCode meta tag, when the footer shows none).
	SiteCodeFrom string `json:"siteCodeFrom,omitempty"`
}

// Warning is an early warning: a veto that is close (RULES.md §3).
type Warning struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Stats are the crawl's sizes.
type Stats struct {
	Pages           int     `json:"pages"`
	Links           int     `json:"links"`
	DurationSeconds float64 `json:"durationSeconds"`
	// BudgetExhausted names the budget that ran out (pages, depth, time), if any.
	BudgetExhausted string `json:"budgetExhausted,omitempty"`
	// Requests sent, and links checked (HEAD, then GET) without being crawled.
	Requests     int `json:"requests,omitempty"`
	LinksChecked int `json:"linksChecked,omitempty"`
	// Probes of the homepage in this run and how many failed (V1: 15 s).
	Probes       int `json:"probes,omitempty"`
	ProbesFailed int `json:"probesFailed,omitempty"`
	// ExternalLinks says whether links to other sites were checked
	// ("checked") or not ("skipped": an in-cluster run cannot reach them).
	ExternalLinks string `json:"externalLinks,omitempty"`
	// DeadLinksOmitted counts dead links left out of deadLinks (bounded).
	DeadLinksOmitted int `json:"deadLinksOmitted,omitempty"`
	// LinksRefused counts links to addresses an inspection never reaches
	// (loopback, link-local, cloud metadata, the cluster's own ranges):
	// neither checked nor dead (issue 16, SSRF).
	LinksRefused int `json:"linksRefused,omitempty"`
}

// Counts the controller copies into the run's status.
type Counts struct {
	Pages             int `json:"pages"`
	Links             int `json:"links"`
	DeadLinks         int `json:"deadLinks"`
	HomepageDeadLinks int `json:"homepageDeadLinks"`
	Columns           int `json:"columns"`
	BlankColumns      int `json:"blankColumns"`
	StaleColumns      int `json:"staleColumns"`
}

// GroupTotal is the points one indicator group took off, capped.
type GroupTotal struct {
	Group  string `json:"group"`
	Points int    `json:"points"`
}

// Summary is what fits in a termination message (Kubernetes keeps 4 KiB).
type Summary struct {
	Verdict    string       `json:"verdict"`
	Score      int          `json:"score"`
	Vetoes     []Veto       `json:"vetoes,omitempty"`
	Deductions []GroupTotal `json:"deductions,omitempty"`
	Counts     Counts       `json:"counts"`
	Warnings   []string     `json:"warnings,omitempty"` // warning ids
	// BudgetExhausted names the crawl budget that ran out (pages, links, time).
	BudgetExhausted string `json:"budgetExhausted,omitempty"`
	// Unreachable is why the homepage did not open (verdict Unjudged).
	Unreachable string `json:"unreachable,omitempty"`
}

// MaxSummaryBytes is the termination message's budget, with room to spare.
const MaxSummaryBytes = 3584

// maxReasonRunes bounds a veto reason in the summary.
const maxReasonRunes = 200

// Summarize reduces a report to its summary. Group totals are the report's
// deductions summed per group; the scoring profile has already capped them.
func Summarize(r Report) Summary {
	s := Summary{Verdict: r.Verdict, Score: r.Score, BudgetExhausted: r.Stats.BudgetExhausted, Unreachable: cut(r.Unreachable, maxReasonRunes)}
	for _, v := range r.Vetoes {
		s.Vetoes = append(s.Vetoes, Veto{ID: v.ID, Reason: cut(v.Reason, maxReasonRunes)})
	}
	totals := map[string]int{}
	var order []string
	for _, d := range r.Deductions {
		if _, seen := totals[d.Group]; !seen {
			order = append(order, d.Group)
		}
		totals[d.Group] += d.Points
	}
	for _, g := range order {
		s.Deductions = append(s.Deductions, GroupTotal{Group: g, Points: totals[g]})
	}
	for _, w := range r.Warnings {
		s.Warnings = append(s.Warnings, w.ID)
	}
	s.Counts = Counts{Pages: r.Stats.Pages, Links: r.Stats.Links, DeadLinks: len(r.DeadLinks) + r.Stats.DeadLinksOmitted, Columns: len(r.Columns)}
	for _, d := range r.DeadLinks {
		if d.Homepage {
			s.Counts.HomepageDeadLinks++
		}
	}
	for _, c := range r.Columns {
		if c.Blank {
			s.Counts.BlankColumns++
		}
		if c.Stale {
			s.Counts.StaleColumns++
		}
	}
	return s
}

// Encode marshals a summary within MaxSummaryBytes, shortening veto
// reasons and then dropping warnings if it must.
func (s Summary) Encode() []byte {
	s.Vetoes = append([]Veto(nil), s.Vetoes...) // shorten a copy: the caller's summary stays whole
	for _, limit := range []int{maxReasonRunes, 80, 0} {
		for i := range s.Vetoes {
			s.Vetoes[i].Reason = cut(s.Vetoes[i].Reason, limit)
		}
		if b, _ := json.Marshal(s); len(b) <= MaxSummaryBytes {
			return b
		}
	}
	s.Warnings = nil
	b, _ := json.Marshal(s)
	return b
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n == 0 {
		return ""
	}
	return string(r[:n-1]) + "…"
}
