// Package spotcheck is the city office's quarterly spot check (003 §五:
// 建立季度抽查机制 … 每季度末将被抽查网站名单、抽查结果及有关整改情况定期通报):
// which quarter a time is in, which sites a quarter samples, and the
// report published at the quarter's end. Pure and table-tested; the
// SpotCheck controller runs it.
package spotcheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Quarter is one calendar quarter in the platform's calendar.
type Quarter struct {
	Year, Q    int
	Start, End time.Time // End is the next quarter's start
}

// QuarterOf is the quarter t falls in, in loc.
func QuarterOf(t time.Time, loc *time.Location) Quarter {
	t = t.In(loc)
	q := (int(t.Month())-1)/3 + 1
	start := time.Date(t.Year(), time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, loc)
	return Quarter{Year: t.Year(), Q: q, Start: start, End: start.AddDate(0, 3, 0)}
}

// Previous is the quarter before.
func (q Quarter) Previous() Quarter {
	return QuarterOf(q.Start.Add(-time.Second), q.Start.Location())
}

// String is 2026-Q4, the label of the quarter's runs and report.
func (q Quarter) String() string { return fmt.Sprintf("%d-Q%d", q.Year, q.Q) }

// Slug is 2026q4, for object names.
func (q Quarter) Slug() string { return fmt.Sprintf("%dq%d", q.Year, q.Q) }

// Sample picks n of the candidate sites ("namespace/name") for a quarter:
// an order no department can predict or steer (a hash of the quarter and
// the site), the same on every replica and restart, so a quarter is
// sampled once whatever happens to the manager.
func Sample(candidates []string, q Quarter, n int) []string {
	type ranked struct{ site, rank string }
	var all []ranked
	for _, c := range candidates {
		sum := sha256.Sum256([]byte(q.String() + "/" + c))
		all = append(all, ranked{c, hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(all, func(a, b ranked) int { return strings.Compare(a.rank, b.rank) })
	out := make([]string, 0, min(n, len(all)))
	for _, r := range all[:min(n, len(all))] {
		out = append(out, r.site)
	}
	slices.Sort(out)
	return out
}

// Entry is one sampled site's line of the report.
type Entry struct {
	Site         string   `json:"site"`
	Organization string   `json:"organization"`
	Run          string   `json:"run"`
	Phase        string   `json:"phase"`
	Verdict      string   `json:"verdict,omitempty"`
	Score        *int32   `json:"score,omitempty"`
	Vetoes       []string `json:"vetoes,omitempty"`
	// OpenTickets and ClosedTickets are the site's rectification tickets
	// opened by the spot check's run (整改情况).
	OpenTickets   int `json:"openTickets"`
	ClosedTickets int `json:"closedTickets"`
}

// Report is the quarter's published report.
type Report struct {
	Quarter string  `json:"quarter"`
	Final   bool    `json:"final"`
	AsOf    string  `json:"asOf"`
	Sites   []Entry `json:"sites"`
}

// Render writes the report as JSON and as Markdown (in Chinese, for the
// notice the city office sends the province).
func Render(r Report) (jsonDoc, markdown string) {
	slices.SortFunc(r.Sites, func(a, b Entry) int { return strings.Compare(a.Site, b.Site) })
	if r.Sites == nil {
		r.Sites = []Entry{}
	}
	j, _ := json.MarshalIndent(r, "", "  ") // plain fields: never fails
	var b bytes.Buffer
	state := "进行中（季度末定稿）"
	if r.Final {
		state = "季度末定稿"
	}
	fmt.Fprintf(&b, "# %s 政府网站季度抽查通报\n\n状态：%s；截至 %s。\n\n", r.Quarter, state, r.AsOf)
	fmt.Fprintln(&b, "| 网站 | 主办单位 | 检查 | 结果 | 得分 | 单项否决 | 整改（未结/已结） |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|")
	for _, e := range r.Sites {
		verdict, score := orDash(e.Verdict), "—"
		if e.Phase != "Succeeded" {
			verdict = e.Phase
		}
		if e.Score != nil {
			score = fmt.Sprint(*e.Score)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d / %d |\n", e.Site, e.Organization, e.Run, verdict, score,
			orDash(strings.Join(e.Vetoes, ", ")), e.OpenTickets, e.ClosedTickets)
	}
	if len(r.Sites) == 0 {
		fmt.Fprintln(&b, "\n本季度没有可抽查的网站。")
	}
	return string(j), b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
