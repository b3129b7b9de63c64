package inspector

import (
	"fmt"
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
	profile     profileWording
	idNumbers   []finding
	gambling    []finding
	linkFarms   []finding
	defacement  []finding
	futureItems []finding
	// farFuture are items dated more than futureVetoDays ahead: a faked
	// publish date (V5); futureItems are those a day ahead (a warning).
	farFuture []finding
	// afterModified are pages whose publish date is later than the
	// server's own Last-Modified for them: a faked date (V5).
	afterModified []finding
	wording       []finding
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
	// futureVetoDays: an item dated further ahead than this (days after
	// today) carries a faked publish date, V5; one day ahead is a warning
	// (a time zone, a clock, a page published at midnight).
	futureVetoDays = 1
	// modifiedSlackDays: a publish date (a day) may be this many days
	// after the server's Last-Modified (a time) before it counts as faked:
	// a date without a time, the time zones of both.
	modifiedSlackDays = 1
)

// profileWording gives the right name for a wrong one (the profile's).
type profileWording interface{ RightWord(string) string }

// add notes a page's findings; where names the page (only called when
// there is something to note: most pages have nothing).
func (l *securityLog) add(where func() string, p *extract.Page, today time.Time) {
	s := p.Security
	var page string
	if len(s.IDNumbers) > 0 || len(s.Gambling) > 0 || len(s.HiddenExternal) >= minFarmLinks || s.Defacement != "" || len(p.Items) > 0 || len(s.Wording) > 0 {
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
	var ahead, far []extract.Item
	for _, it := range p.Items {
		switch d := daysAfter(it.Date, today); {
		case d > futureVetoDays:
			far = append(far, it)
		case d > 0 && it.Date.After(today.Add(futureSlack-time.Nanosecond)):
			ahead = append(ahead, it)
		}
	}
	if len(far) > 0 {
		keep(&l.farFuture, finding{page, far[0].Date.Format(time.DateOnly) + " " + far[0].Title, len(far)})
	}
	if len(ahead) > 0 {
		keep(&l.futureItems, finding{page, ahead[0].Date.Format(time.DateOnly) + " " + ahead[0].Title, len(ahead)})
	}
	for _, w := range s.Wording {
		keep(&l.wording, finding{where(), fmt.Sprintf("%q (should be %s) in %q", w.Wrong, l.right(w.Wrong), w.Context), len(s.Wording)})
		break // one per page; the count says how many
	}
}

func (l *securityLog) right(wrong string) string {
	if l.profile == nil {
		return "?"
	}
	return l.profile.RightWord(wrong)
}

// daysAfter is how many calendar days d is after today (negative before).
func daysAfter(d, today time.Time) int {
	if d.IsZero() {
		return 0
	}
	y, m, dd := d.In(today.Location()).Date()
	day := time.Date(y, m, dd, 0, 0, 0, 0, today.Location())
	return int(day.Sub(today).Round(time.Hour).Hours() / 24)
}

// fakedDate notes a page whose publish date is later than the server's
// Last-Modified for it (more than modifiedSlackDays days later), or
// after today: the date was set ahead of when the page was made (V5).
func (l *securityLog) fakedDate(where func() string, p *extract.Page, modified, today time.Time) {
	shown := p.PubDate.Format(time.DateOnly)
	if p.Article.PubDate != "" {
		shown = p.Article.PubDate
	}
	switch {
	case daysAfter(p.PubDate, today) > futureVetoDays:
		keep(&l.farFuture, finding{where(), "发布时间 " + shown + " " + p.Title, 1})
	case !modified.IsZero() && daysAfter(p.PubDate, today0(modified, today.Location())) > modifiedSlackDays:
		keep(&l.afterModified, finding{where(), fmt.Sprintf("publish date %s, but the server says the page was last modified %s",
			shown, modified.In(today.Location()).Format("2006-01-02 15:04")), 1})
	}
}

// today0 is midnight of t's day in loc.
func today0(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func keep(list *[]finding, f finding) {
	if len(*list) < maxFindingsKept {
		*list = append(*list, f)
	}
}
