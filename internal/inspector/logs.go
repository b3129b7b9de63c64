package inspector

import (
	"time"

	"sitegroup.io/operator/internal/inspector/extract"
)

// messageLog keeps what V4 needs of the consultation messages seen, in
// bounded memory: counts, the newest reply, and a few overdue examples.
type messageLog struct {
	seen      map[string]bool // a message on its list page and its detail page counts once
	total     int
	answered  int
	lastReply time.Time
	all       []extract.Message // the first ones, for V4's judgement
}

const (
	maxMessagesSeen = 20000
	maxMessagesKept = 5000
)

func (l *messageLog) add(msgs []extract.Message) {
	for _, m := range msgs {
		key := m.Title + "|" + m.Asked.Format(time.DateOnly)
		if l.seen[key] || len(l.seen) >= maxMessagesSeen {
			continue
		}
		l.seen[key] = true
		l.total++
		if m.Answered {
			l.answered++
		}
		if m.Replied.After(l.lastReply) {
			l.lastReply = m.Replied
		}
		if len(l.all) < maxMessagesKept {
			l.all = append(l.all, m)
		}
	}
}

// securityLog keeps the V5 findings, a few of each.
type securityLog struct {
	idNumbers   []finding
	gambling    []finding
	linkFarms   []finding
	defacement  []finding
	futureItems []finding
}

type finding struct {
	page   string
	detail string
	count  int
}

const (
	maxFindingsKept = 10
	// minFarmLinks hidden links to non-government sites on one page make a
	// link farm; one could be a forgotten widget.
	minFarmLinks = 3
	// futureSlack allows for clocks and time zones before a date counts as
	// in the future.
	futureSlack = 24 * time.Hour
)

// add notes a page's findings; where names the page (only called when
// there is something to note: most pages have nothing).
func (l *securityLog) add(where func() string, p *extract.Page, today time.Time) {
	s := p.Security
	var page string
	if len(s.IDNumbers) > 0 || len(s.Gambling) > 0 || len(s.HiddenExternal) >= minFarmLinks || s.Defacement != "" || len(p.Items) > 0 {
		page = where()
	}
	if len(s.IDNumbers) > 0 {
		keep(&l.idNumbers, finding{page, s.IDNumbers[0], len(s.IDNumbers)})
	}
	if len(s.Gambling) > 0 {
		keep(&l.gambling, finding{page, s.Gambling[0].Text + " → " + s.Gambling[0].URL.String(), len(s.Gambling)})
	}
	if len(s.HiddenExternal) >= minFarmLinks {
		keep(&l.linkFarms, finding{page, s.HiddenExternal[0].URL.String(), len(s.HiddenExternal)})
	}
	if s.Defacement != "" {
		keep(&l.defacement, finding{page, s.Defacement, 1})
	}
	future := 0
	var first extract.Item
	for _, it := range p.Items {
		if it.Date.After(today.Add(futureSlack)) {
			if future == 0 {
				first = it
			}
			future++
		}
	}
	if future > 0 {
		keep(&l.futureItems, finding{page, first.Date.Format(time.DateOnly) + " " + first.Title, future})
	}
}

func keep(list *[]finding, f finding) {
	if len(*list) < maxFindingsKept {
		*list = append(*list, f)
	}
}
