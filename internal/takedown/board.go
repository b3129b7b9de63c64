package takedown

import (
	"bytes"
	"encoding/json"
	"html/template"
	"sort"
	"time"

	"sitegroup.io/operator/internal/clock"
)

// BoardEntry is one current takedown of a portal's sub-site, for the
// notice the portal posts (Nanjing's rule, T5: the notice also appears on
// the city portal).
type BoardEntry struct {
	Site         string     `json:"site"`
	Organization string     `json:"organization"`
	Domains      []string   `json:"domains"`
	Type         string     `json:"type"`
	Phase        string     `json:"phase"`
	Title        string     `json:"title"`
	Since        time.Time  `json:"since"`
	Until        *time.Time `json:"until,omitempty"`
}

// Board renders the portal's board as JSON and as an HTML fragment the
// portal can embed: its sub-sites' takedowns in force (T5, Nanjing's rule)
// and, beside them by the same mechanism, the opening announcements
// (开通公告) of its newly launched sub-sites (S5). Entries are sorted so an
// unchanged board renders the same bytes (no needless writes).
func Board(takedowns, openings []BoardEntry) (jsonDoc, htmlFragment string, err error) {
	t, o := sortedEntries(takedowns), sortedEntries(openings)
	j, err := json.MarshalIndent(map[string]any{"takedowns": t, "openings": o}, "", "  ")
	if err != nil {
		return "", "", err
	}
	var h bytes.Buffer
	if err := boardTemplate.Execute(&h, map[string][]BoardEntry{"Takedowns": t, "Openings": o}); err != nil {
		return "", "", err
	}
	return string(j), h.String(), nil
}

func sortedEntries(entries []BoardEntry) []BoardEntry {
	sorted := append([]BoardEntry{}, entries...)
	sort.Slice(sorted, func(i, j int) bool {
		if !sorted[i].Since.Equal(sorted[j].Since) {
			return sorted[i].Since.Before(sorted[j].Since)
		}
		return sorted[i].Site < sorted[j].Site
	})
	return sorted
}

var boardTemplate = template.Must(template.New("board").Funcs(template.FuncMap{
	"ptr": func(t time.Time) *time.Time { return &t },
	"day": func(t *time.Time) string {
		if t == nil {
			return "另行通知"
		}
		return t.In(clock.Shanghai).Format("2006年1月2日")
	},
}).Parse(`<section class="sitegroup-takedowns" aria-labelledby="sitegroup-takedowns-title">
<h2 id="sitegroup-takedowns-title">网站关停公告</h2>
{{with .Takedowns}}<ul>
{{range .}}<li><strong>{{.Organization}}</strong>（{{range $i, $d := .Domains}}{{if $i}}、{{end}}{{$d}}{{end}}）：{{.Title}}，{{day (ptr .Since)}}起{{if eq .Type "temporary"}}临时关停，预计{{day .Until}}恢复{{else}}永久关闭{{end}}。</li>
{{end}}</ul>
{{else}}<p>目前没有关停的网站。</p>
{{end}}</section>
{{with .Openings}}<section class="sitegroup-openings" aria-labelledby="sitegroup-openings-title">
<h2 id="sitegroup-openings-title">网站开通公告</h2>
<ul>
{{range .}}<li><strong>{{.Organization}}</strong>（{{range $i, $d := .Domains}}{{if $i}}、{{end}}{{$d}}{{end}}）：经审批并通过上线前检查，网站于{{day (ptr .Since)}}正式开通。</li>
{{end}}</ul>
</section>
{{end}}`))
