package inspector

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector/extract"
	"sitegroup.io/operator/internal/inspector/scoring"
	"sitegroup.io/operator/internal/workday"
)

// Thresholds of the single-veto items (RULES.md §3). They are the national
// rules, not points, so they are code; the profile holds the points and
// the early-warning thresholds.
const (
	// V2: no new homepage item in 14 days.
	homepageMaxAgeDays = 14
	// V3(a): stale news plus notice columns, together.
	vetoNewsNoticeStale = 5
	// V3(b): stale columns of any kind that must be updated.
	vetoStaleColumns = 10
	// V3(c): blank columns.
	vetoBlankColumns = 5
	// V4: a message unanswered more than 3 months, within the last 12.
	unansweredMonths = 3
	lookbackMonths   = 12
	// Deduction: no message answered in the last 2 months.
	recentReplyMonths = 2
)

// Kinds the V3(a) rule names.
const (
	kindNews   = "news"
	kindNotice = "notice"
)

// observation is everything the checks read: what the crawl saw, reduced.
type observation struct {
	today        time.Time // midnight, platform calendar
	home         *extract.Page
	columns      []findings.Column
	channel      bool // a consultation channel exists (V4)
	messages     *messageLog
	security     *securityLog
	dead         []findings.DeadLink
	probes       int
	probesFailed int
	https        httpsState
	admin        []string
	portal       bool // the site is a portal (000 §二(三))
}

type httpsState int

const (
	httpsServed httpsState = iota
	httpsMissing
	httpsUnknown // crawled in-cluster over the Service: TLS is the gateway's
)

// judgement collects what the checks decide.
type judgement struct {
	vetoes   []findings.Veto
	found    []scoring.Finding
	warnings []findings.Warning
}

func (j *judgement) veto(id, format string, args ...any) {
	j.vetoes = append(j.vetoes, findings.Veto{ID: id, Reason: fmt.Sprintf(format, args...)})
}

func (j *judgement) deduct(indicator string, count int, format string, args ...any) {
	if count > 0 {
		j.found = append(j.found, scoring.Finding{Indicator: indicator, Count: count, Reason: fmt.Sprintf(format, args...)})
	}
}

func (j *judgement) warn(id, format string, args ...any) {
	j.warnings = append(j.warnings, findings.Warning{ID: id, Reason: fmt.Sprintf(format, args...)})
}

// today is midnight of now's day in the platform's calendar: dates are
// judged by day.
func today(now time.Time) time.Time {
	y, m, d := now.In(clock.Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, clock.Shanghai)
}

// ageDays is how many days ago a date was.
func ageDays(today, d time.Time) int { return int(today.Sub(d).Hours() / 24) }

// checkAvailability reports this run's homepage probes as evidence for
// V1, never as a veto: V1 is judged on the 7-day window of at least 20
// spaced probes a day that the operator's prober keeps (issue 16), which
// a run's few probes cannot stand for.
func checkAvailability(j *judgement, o *observation, _ scoring.Warnings) {
	if o.probes == 0 || o.probesFailed == 0 {
		return
	}
	j.warn("V1-probes", "%d of this run's %d homepage probes failed (a probe fails when the homepage has not opened after 15 s): evidence for V1, which is judged on the 7-day window of spaced probes",
		o.probesFailed, o.probes)
}

// checkHomepage is V2: a new homepage item within 14 days; undated
// items count as not updated; a homepage that is only navigation is
// judged by its second-level pages.
func checkHomepage(j *judgement, o *observation, w scoring.Warnings) {
	if len(o.home.Items) == 0 {
		checkSecondLevel(j, o, w)
		return
	}
	latest := newest(o.home.Items)
	if latest.IsZero() {
		j.veto("V2", "homepage not updated: none of its %d items shows a publish date (V2 counts undated items as not updated)", len(o.home.Items))
		return
	}
	age := ageDays(o.today, latest)
	switch {
	case age > homepageMaxAgeDays:
		j.veto("V2", "homepage not updated: its newest item (%s) is %d days old (V2: a new item within 14 days)", latest.Format(time.DateOnly), age)
	case w.HomepageStaleDays > 0 && age >= w.HomepageStaleDays:
		j.warn("V2-homepage", "the homepage's newest item (%s) is %d days old; V2 fails after 14", latest.Format(time.DateOnly), age)
	}
}

// checkSecondLevel: "if the homepage is only navigation, all second-level
// pages are checked" (V2): each must show a new item within 14 days.
// Consultation channels list messages, not items: V4 judges them.
func checkSecondLevel(j *judgement, o *observation, w scoring.Warnings) {
	var stale, near []string
	reached := 0
	for _, c := range o.columns {
		if c.NotReached || c.Kind == scoring.KindInteraction || c.Parent != "" || c.SubColumns > 0 || c.Content != "" {
			continue // second-level pages are the homepage's columns' lists
		}
		reached++
		switch {
		case c.Latest == nil || ageDays(o.today, *c.Latest) > homepageMaxAgeDays:
			stale = append(stale, c.Name)
		case w.HomepageStaleDays > 0 && ageDays(o.today, *c.Latest) >= w.HomepageStaleDays:
			near = append(near, c.Name)
		}
	}
	switch {
	case reached == 0:
		j.veto("V2", "homepage not updated: it lists no items and no second-level page could be read")
	case len(stale) > 0:
		j.veto("V2", "homepage not updated: it is only navigation, and %d of its %d second-level pages have no new item within 14 days: %s",
			len(stale), reached, names(stale))
	case len(near) > 0:
		j.warn("V2-homepage", "the homepage is only navigation; second-level pages without a new item for %d days or more: %s",
			w.HomepageStaleDays, names(near))
	}
}

func newest(items []extract.Item) time.Time {
	var latest time.Time
	for _, it := range items {
		if it.Date.After(latest) {
			latest = it.Date
		}
	}
	return latest
}

// checkColumns is V3 (a)(b)(c), the column deductions and their early
// warnings. Column staleness was decided by kind when the columns were
// read (news 14 days, notice 6 months, personnel 1 year, ...).
func checkColumns(j *judgement, o *observation, w scoring.Warnings) {
	staleByKind := map[string][]string{}
	var kinds, blank []string
	stale := 0
	for _, c := range o.columns {
		switch {
		case c.Blank:
			blank = append(blank, c.Name)
		case c.Stale:
			if len(staleByKind[c.Kind]) == 0 {
				kinds = append(kinds, c.Kind)
			}
			staleByKind[c.Kind] = append(staleByKind[c.Kind], c.Name)
			stale++
		}
	}
	newsNotice := len(staleByKind[kindNews]) + len(staleByKind[kindNotice])
	if newsNotice >= vetoNewsNoticeStale {
		j.veto("V3", "columns not updated: %d news columns stale over 14 days plus notice/policy columns stale over 6 months (V3(a) fails at 5): %s",
			newsNotice, names(append(append([]string{}, staleByKind[kindNews]...), staleByKind[kindNotice]...)))
	}
	if stale >= vetoStaleColumns {
		j.veto("V3", "columns not updated: %d columns that must be updated are stale (V3(b) fails at 10)", stale)
	} else if w.StaleColumns > 0 && stale > w.StaleColumns {
		j.warn("V3-stale-columns", "%d stale columns; V3(b) fails at 10", stale)
	}
	if len(blank) >= vetoBlankColumns {
		j.veto("V3", "%d blank columns (V3(c) fails at 5): %s", len(blank), names(blank))
	} else if w.BlankColumns > 0 && len(blank) > w.BlankColumns {
		j.warn("V3-blank-columns", "%d blank columns (%s); V3(c) fails at 5", len(blank), names(blank))
	}
	for _, k := range kinds {
		j.deduct(k+"-column-stale", len(staleByKind[k]), "%d %s column(s) not updated in time: %s", len(staleByKind[k]), k, names(staleByKind[k]))
	}
	j.deduct("blank-column", len(blank), "%d blank column(s): %s", len(blank), names(blank))
}

// checkInteraction is V4: a consultation channel exists, and no message
// of the last 12 months went unanswered for more than 3 months (a reply
// that came later than that counts too: the message was unanswered that
// long). A deduction when nothing was answered in the last 2 months.
func checkInteraction(j *judgement, o *observation) {
	if !o.channel {
		j.veto("V4", "no consultation channel (留言、咨询、信箱、互动) on the site")
		return
	}
	since := scoring.Age{Months: lookbackMonths}.Before(o.today)
	overdueBefore := scoring.Age{Months: unansweredMonths}.Before(o.today)
	var overdue []extract.Message
	for _, m := range o.messages.all {
		if m.Asked.Before(since) || !m.Asked.Before(overdueBefore) {
			continue
		}
		late := !m.Replied.IsZero() && m.Replied.After(scoring.AddMonths(m.Asked, unansweredMonths))
		if !m.Answered || late {
			overdue = append(overdue, m)
		}
	}
	if len(overdue) > 0 {
		first := overdue[0]
		j.veto("V4", "%d message(s) of the last 12 months unanswered for more than 3 months, e.g. %q asked %s",
			len(overdue), first.Title, first.Asked.Format(time.DateOnly))
	}
	if o.messages.total == 0 {
		return
	}
	checkReplyDeadlines(j, o, workday.Embedded())
	recent := scoring.Age{Months: recentReplyMonths}.Before(o.today)
	if o.messages.lastReply.IsZero() && o.messages.answered == 0 {
		j.deduct("no-recent-replies", 1, "none of %d messages is answered", o.messages.total)
	} else if !o.messages.lastReply.IsZero() && o.messages.lastReply.Before(recent) {
		j.deduct("no-recent-replies", 1, "no message answered in the last 2 months (last reply %s)", o.messages.lastReply.Format(time.DateOnly))
	}
}

// checkReplyDeadlines judges the reply times the inspector found against
// the deadlines in working days of the official calendar (002 (四): public
// messages are answered within 7 working days, 15 for complex ones): a
// reply later than 15 working days is a deduction; one later than 7, or a
// message still unanswered after 7, an early warning (the inspector
// cannot tell a complex message). Not a veto: V4 is 3 months. A year the
// calendar lacks, or holds only provisionally, is said in a warning, never
// counted silently.
func checkReplyDeadlines(j *judgement, o *observation, cal *workday.Calendar) {
	since := scoring.Age{Months: lookbackMonths}.Before(o.today)
	var late, slow, waiting []string
	calendar := map[string]bool{}
	for _, m := range o.messages.all {
		if m.Asked.IsZero() || m.Asked.Before(since) || (m.Replied.IsZero() && m.Answered) {
			continue // no dates to judge by: V4 and the reply count judge it
		}
		end := m.Replied
		if end.IsZero() {
			end = o.today
		}
		took := cal.WorkdaysBetween(m.Asked, end)
		for _, w := range took.Warnings {
			calendar[w] = true
		}
		line := fmt.Sprintf("%q asked %s: %d working days", m.Title, m.Asked.Format(time.DateOnly), took.Days)
		switch {
		case !m.Replied.IsZero() && took.Days > workday.ComplexMessageAnswerDays:
			late = append(late, line)
		case !m.Replied.IsZero() && took.Days > workday.MessageAnswerDays:
			slow = append(slow, line)
		case m.Replied.IsZero() && took.Days > workday.MessageAnswerDays:
			waiting = append(waiting, line)
		}
	}
	if len(late) > 0 {
		j.deduct("reply-late", len(late), "%d message(s) answered later than %d working days (002 (四)), e.g. %s",
			len(late), workday.ComplexMessageAnswerDays, late[0])
	}
	if len(slow) > 0 {
		j.warn("reply-slow", "%d message(s) answered later than %d working days (15 if complex: 002 (四)), e.g. %s", len(slow), workday.MessageAnswerDays, slow[0])
	}
	if len(waiting) > 0 {
		j.warn("reply-waiting", "%d message(s) unanswered after %d working days (002 (四)), e.g. %s", len(waiting), workday.MessageAnswerDays, waiting[0])
	}
	for _, w := range slices.Sorted(maps.Keys(calendar)) {
		j.warn("workday-calendar", "reply deadlines: %s", w)
	}
}

// stateCouncilFresh is how recent a portal's 国务院信息 column's newest
// item must be: the news columns' 14 days (V3).
const stateCouncilFresh = 14

// checkStateCouncilColumn: a portal carries a 国务院信息 column on its
// homepage, kept fresh (000 §二(三): 开设"国务院信息"专栏, 及时转载); a
// deduction when it is missing or its newest item is older than 14 days.
func checkStateCouncilColumn(j *judgement, o *observation) {
	if !o.portal {
		return
	}
	var col *findings.Column
	for i, c := range o.columns {
		if c.Parent == "" && strings.Contains(c.Name, "国务院") {
			col = &o.columns[i]
			break
		}
	}
	switch {
	case col == nil:
		j.deduct("state-council-column-missing", 1, "the portal's homepage has no 国务院信息 column (000 §二(三))")
	case col.Latest == nil:
		j.deduct("state-council-column-stale", 1, "the portal's column %s shows no dated item (000 §二(三))", col.Name)
	case ageDays(o.today, *col.Latest) > stateCouncilFresh:
		j.deduct("state-council-column-stale", 1, "the portal's column %s was last updated %s, more than %d days ago (000 §二(三))",
			col.Name, col.Latest.Format(time.DateOnly), stateCouncilFresh)
	}
}

// checkAdvertising: no commercial advertising on a government site (004
// §三): a homepage link, frame or script from an advertising network the
// scoring profile lists is a deduction, naming the host.
func checkAdvertising(j *judgement, o *observation, adHosts []string) {
	if o.home == nil || len(adHosts) == 0 {
		return
	}
	var found []string
	for _, l := range o.home.Links {
		if l.URL == nil {
			continue
		}
		host := strings.ToLower(l.URL.Hostname())
		for _, ad := range adHosts {
			if (host == ad || strings.HasSuffix(host, "."+ad)) && !slices.Contains(found, host) {
				found = append(found, host)
			}
		}
	}
	j.deduct("commercial-ads", len(found), "commercial advertising on the homepage (004 §三): %s", strings.Join(found, ", "))
}

func first(fs []finding) (finding, bool) {
	if len(fs) == 0 {
		return finding{}, false
	}
	return fs[0], true
}

// checkSecurity is V5 as far as a crawler can see, and HTTPS.
func checkSecurity(j *judgement, o *observation) {
	s := o.security
	// Each kind is reported once, by its first finding (the log keeps a few).
	if f, ok := first(s.gambling); ok {
		j.veto("V5", "injected gambling link on %s: %s", f.page, f.detail)
	}
	if f, ok := first(s.linkFarms); ok {
		j.veto("V5", "hidden link farm on %s: %d hidden links to non-government sites (e.g. %s)", f.page, f.count, f.detail)
	}
	if f, ok := first(s.defacement); ok {
		j.veto("V5", "defaced page %s: %q", f.page, f.detail)
	}
	if f, ok := first(s.idNumbers); ok {
		j.veto("V5", "personal ID numbers exposed on %s: %d, e.g. %s", f.page, f.count, f.detail)
	}
	if f, ok := first(s.farFuture); ok {
		j.veto("V5", "faked publish date on %s: dated after the crawl (%d, e.g. %s)", f.page, f.count, f.detail)
	}
	if f, ok := first(s.afterModified); ok {
		j.veto("V5", "faked publish date on %s: %s", f.page, f.detail)
	}
	if f, ok := first(s.wording); ok {
		j.veto("V5", "serious wording error on %s: %s", f.page, f.detail)
	}
	if f, ok := first(s.futureItems); ok {
		j.warn("V5-future-dates", "items dated tomorrow on %s (a clock or a faked publish date, V5 past 1 day): %d, e.g. %s", f.page, f.count, f.detail)
	}
	if o.https == httpsMissing {
		j.deduct("https-missing", 1, "the site is inspected over plain HTTP")
	}
}

// checkDeadLinks deducts for dead links, the homepage's counted apart.
func checkDeadLinks(j *judgement, o *observation) {
	var home, other int
	for _, d := range o.dead {
		if d.Homepage {
			home++
		} else {
			other++
		}
	}
	j.deduct("homepage-dead-link", home, "%d homepage link(s) do not open", home)
	j.deduct("dead-link", other, "%d link(s) on other pages do not open", other)
}

// checkIdentity is S4 (the identity footer), the 找错 entry and the
// search box, all on the homepage.
func checkIdentity(j *judgement, o *observation) {
	id := o.home.Identity
	var missing []string
	for _, f := range []struct{ value, name string }{
		{id.Organizer, "主办单位 (organizer)"}, {id.Host, "承办单位/版权所有 (host)"},
		{id.ICP, "ICP备案号"}, {id.PublicSecurity, "公网安备号"},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	switch meta := o.home.Article.SiteIDCode; {
	case id.SiteCode != "" && meta != "" && meta != id.SiteCode:
		missing = append(missing, fmt.Sprintf("a consistent 网站标识码 (the footer says %s, the SiteIDCode meta tag %s)", id.SiteCode, meta))
	case id.SiteCode == "" && id.SiteCodeRaw != "":
		missing = append(missing, fmt.Sprintf("网站标识码 (%q is not 6 region digits + 4, or bm + 8 digits)", id.SiteCodeRaw))
	case id.SiteCode == "":
		missing = append(missing, "网站标识码 (site code)")
	}
	j.deduct("identity-missing", len(missing), "homepage footer lacks %s (S4)", strings.Join(missing, ", "))
	if !o.home.ErrorEntry {
		j.deduct("error-entry-missing", 1, "no 我为政府网站找错 entry on the homepage")
	}
	if !o.home.Search {
		j.deduct("search-missing", 1, "no search box on the homepage")
	}
}

// checkAdmin is S7: the admin system is never reachable from the public site.
func checkAdmin(j *judgement, o *observation) {
	if len(o.admin) > 0 {
		sort.Strings(o.admin)
		j.deduct("admin-exposed", 1, "admin login reachable from the public site (S7): %s", names(o.admin))
	}
}

// names lists names for a reason, a bounded number of them.
func names(list []string) string {
	const shown = 8
	if len(list) <= shown {
		return strings.Join(list, "、")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:shown], "、"), len(list)-shown)
}
