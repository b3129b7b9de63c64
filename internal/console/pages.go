package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/yearreport"
)

// base is what every page's layout reads.
type base struct {
	L     Lang
	User  string
	Nav   string
	CSRF  string
	Title string
	// Switch is this page in the other language.
	Switch string
	// Notes are what could not be read (RBAC refusals), shown at the top.
	Notes []string
}

func (s *Server) base(r *http.Request, nav, title string) base {
	l := Lang{RequestLang(r, s.opts.Lang)}
	other := LangEN
	if l.Code == LangEN {
		other = LangZH
	}
	q := r.URL.Query()
	q.Set("lang", other)
	b := base{L: l, User: s.whoami(r.Context()), Nav: nav, CSRF: s.csrf, Switch: r.URL.Path + "?" + q.Encode()}
	b.Title = l.T(title)
	return b
}

func (b *base) note(err error) {
	if err == nil {
		return
	}
	msg := apiMessage(err)
	if apierrors.IsForbidden(err) {
		msg = b.L.T("forbidden") + ": " + msg
	}
	b.Notes = append(b.Notes, msg)
}

func (s *Server) render(w http.ResponseWriter, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		s.opts.Log.Error("rendering a page", "page", page, "err", err)
		http.Error(w, "rendering the page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

type errorPage struct {
	base
	Message string
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadGateway
	if st, ok := err.(apierrors.APIStatus); ok && st.Status().Code != 0 {
		status = int(st.Status().Code)
	}
	s.opts.Log.Warn("request failed", "path", r.URL.Path, "err", err)
	s.render(w, status, "error", errorPage{base: s.base(r, "", "error"), Message: apiMessage(err)})
}

func (s *Server) ctx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), readTimeout)
}

// overview: every site the user may read.

type overviewPage struct {
	base
	Overview
	Filter  Filter
	Waiting int
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.ctx(r)
	defer cancel()
	p := overviewPage{base: s.base(r, "overview", "nav.overview")}
	sites, note, err := s.sites(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.note(note)
	q := r.URL.Query()
	p.Filter = Filter{Namespace: q.Get("namespace"), Kind: q.Get("kind"), State: q.Get("state")}
	p.Overview = BuildOverview(sites, p.Filter, s.opts.Now())
	s.render(w, http.StatusOK, "overview", p)
}

// site: one site's record.

type sitePage struct {
	base
	Site      *sgv1.GovWebsite
	Row       SiteRow
	Takedowns []sgv1.TakedownRequest
	Run       *sgv1.InspectionRun
	Report    *findings.Report
	Tickets   []ticketView
	Charts    chartData
	HasCharts bool
	Mine      []Item
	Done      string
}

type ticketView struct {
	sgv1.RectificationTicket
	Open, Overdue bool
}

// chartData is what console.js draws, handed over as JSON.
type chartData struct {
	Lang         string         `json:"lang"`
	Monthly      []monthPoint   `json:"monthly"`
	Availability []availability `json:"availability"`
}

type monthPoint struct {
	Month   string `json:"month"`
	Score   *int32 `json:"score"`
	Verdict string `json:"verdict"`
	Run     string `json:"run"`
}

type availability struct {
	Day    string  `json:"day"`
	Probes int32   `json:"probes"`
	Failed int32   `json:"failed"`
	Rate   float64 `json:"rate"`
}

// Charts turns a site's status into the points of its two charts.
func Charts(st sgv1.GovWebsiteStatus) (monthly []monthPoint, avail []availability) {
	for _, m := range st.MonthlyResults {
		monthly = append(monthly, monthPoint{Month: m.Month, Score: m.Score, Verdict: string(m.Verdict), Run: m.Run})
	}
	if st.Availability != nil {
		for _, d := range st.Availability.Days {
			a := availability{Day: d.Day, Probes: d.Probes, Failed: d.Failed}
			if d.Probes > 0 {
				a.Rate = float64(int(float64(d.Failed)/float64(d.Probes)*1000+0.5)) / 10
			}
			avail = append(avail, a)
		}
	}
	return monthly, avail
}

func (s *Server) site(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.ctx(r)
	defer cancel()
	ns, name := r.PathValue("namespace"), r.PathValue("name")
	p := sitePage{base: s.base(r, "overview", "nav.overview"), Done: r.URL.Query().Get("signed")}
	site := &sgv1.GovWebsite{}
	if err := s.client.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, site); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Site, p.Row = site, Row(site, s.opts.Now())
	p.Title = site.Spec.Organization.Name + " · " + name
	now := s.opts.Now()
	for _, t := range site.Status.Tickets {
		p.Tickets = append(p.Tickets, ticketView{RectificationTicket: t, Open: TicketOpen(t), Overdue: TicketOverdue(t, now)})
	}
	all, note, err := s.takedowns(ctx, ns)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.note(note)
	for _, t := range all {
		if t.Spec.SiteRef.Name == name {
			p.Takedowns = append(p.Takedowns, t)
		}
	}
	sort.Slice(p.Takedowns, func(i, j int) bool {
		return p.Takedowns[i].CreationTimestamp.After(p.Takedowns[j].CreationTimestamp.Time)
	})
	run, report, err := s.lastReport(ctx, site)
	p.note(err)
	p.Run, p.Report = run, report
	p.Charts.Lang = p.L.Code
	p.Charts.Monthly, p.Charts.Availability = Charts(site.Status)
	p.HasCharts = len(p.Charts.Monthly) > 0 || len(p.Charts.Availability) > 0

	levels, _ := s.levels(ctx)
	items := Waiting([]sgv1.GovWebsite{*site}, p.Takedowns, levels)
	mine, _, err := s.signable(ctx, items)
	p.note(err)
	p.Mine = mine
	s.render(w, http.StatusOK, "site", p)
}

// sign: what waits at a level the user may sign, and the signature itself.

type signPage struct {
	base
	Mine, Others []Item
	Done         string
	Refused      string
}

func (s *Server) waiting(ctx context.Context, b *base) ([]Item, error) {
	sites, note, err := s.sites(ctx)
	if err != nil {
		return nil, err
	}
	b.note(note)
	tds, note, err := s.takedowns(ctx, "")
	if err != nil {
		return nil, err
	}
	b.note(note)
	levels, err := s.levels(ctx)
	switch {
	case apierrors.IsForbidden(err):
		// the policy's default chains stand in; admission decides with the real one
		b.note(err)
	case err != nil:
		return nil, err
	}
	return Waiting(sites, tds, levels), nil
}

func (s *Server) signList(w http.ResponseWriter, r *http.Request) {
	s.renderSign(w, r, http.StatusOK, r.URL.Query().Get("signed"), "")
}

func (s *Server) renderSign(w http.ResponseWriter, r *http.Request, status int, done, refused string) {
	ctx, cancel := s.ctx(r)
	defer cancel()
	p := signPage{base: s.base(r, "sign", "sign.title"), Done: done, Refused: refused}
	items, err := s.waiting(ctx, &p.base)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Mine, p.Others, err = s.signable(ctx, items); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, status, "sign", p)
}

// sign writes one signature as the user: a JSON patch appending
// {level, decision[, comment]} to the item's approvals, tested against the
// generation the signer saw. The webhook stamps and checks it; a refusal is
// shown with the API server's message, which names the rule.
func (s *Server) sign(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !s.validCSRF(r) {
		http.Error(w, "invalid or missing CSRF token: reload the page", http.StatusForbidden)
		return
	}
	ctx, cancel := s.ctx(r)
	defer cancel()
	id, decision, comment := r.PostFormValue("item"), sgv1.ApprovalDecision(r.PostFormValue("decision")), r.PostFormValue("comment")
	b := s.base(r, "sign", "sign.title")
	items, err := s.waiting(ctx, &b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	it, ok := Find(items, id)
	if !ok {
		s.renderSign(w, r, http.StatusConflict, "", fmt.Sprintf("%s: %s no longer waits for this signature (someone signed or changed it since the page was read)", Chain(strings.SplitN(id, "/", 2)[0]).Rule(), id))
		return
	}
	gen, err := strconv.ParseInt(r.PostFormValue("generation"), 10, 64)
	if err != nil || gen <= 0 {
		http.Error(w, "the form has no generation: reload the page", http.StatusBadRequest)
		return
	}
	it.Generation = gen
	var obj client.Object
	var site *sgv1.GovWebsite
	var td *sgv1.TakedownRequest
	key := client.ObjectKey{Namespace: it.Namespace, Name: it.Name}
	if it.Kind == "GovWebsite" {
		site = &sgv1.GovWebsite{}
		obj = site
	} else {
		td = &sgv1.TakedownRequest{}
		obj = td
	}
	if err := s.client.Get(ctx, key, obj); err != nil {
		s.fail(w, r, err)
		return
	}
	patch, err := SignPatch(it, HasApprovals(it, site, td), decision, comment)
	if err != nil {
		s.renderSign(w, r, http.StatusBadRequest, "", err.Error())
		return
	}
	if err := s.client.Patch(ctx, obj, client.RawPatch(types.JSONPatchType, patch)); err != nil {
		status := http.StatusBadGateway
		if st, ok := err.(apierrors.APIStatus); ok && st.Status().Code != 0 {
			status = int(st.Status().Code)
		}
		msg := apiMessage(err)
		// The API server answers a failed test op of a JSON patch with a bare
		// 422 that does not say which test failed: read the object again.
		if bareInvalid(err) {
			if err := s.client.Get(ctx, key, obj); err == nil && obj.GetGeneration() != it.Generation {
				status = http.StatusConflict
				msg = fmt.Sprintf("the application changed after you read it (metadata.generation %d, now %d): read it again before signing (%s)", it.Generation, obj.GetGeneration(), msg)
			}
		}
		s.opts.Log.Warn("signature refused", "item", id, "err", msg)
		s.renderSign(w, r, status, "", msg)
		return
	}
	target := "/sign?signed=" + url.QueryEscape(id)
	if back := r.PostFormValue("back"); strings.HasPrefix(back, "/sites/") {
		target = back + "?signed=" + url.QueryEscape(id)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// reports: the yearly report and the monthly results.

type reportsPage struct {
	base
	Year     int
	Years    []int
	Markdown string
	Months   []string
	Monthly  []monthlyRow
}

type monthlyRow struct {
	Namespace, Name, Organization string
	Results                       map[string]*sgv1.MonthlyResult
}

// MonthlyTable is every month any site has a result for, newest first, and
// each site's results by month.
func MonthlyTable(sites []sgv1.GovWebsite) (months []string, rows []monthlyRow) {
	for _, site := range sites {
		row := monthlyRow{Namespace: site.Namespace, Name: site.Name, Organization: site.Spec.Organization.Name, Results: map[string]*sgv1.MonthlyResult{}}
		for i := range site.Status.MonthlyResults {
			m := &site.Status.MonthlyResults[i]
			row.Results[m.Month] = m
			if !slices.Contains(months, m.Month) {
				months = append(months, m.Month)
			}
		}
		rows = append(rows, row)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(months)))
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Namespace != rows[j].Namespace {
			return rows[i].Namespace < rows[j].Namespace
		}
		return rows[i].Name < rows[j].Name
	})
	return months, rows
}

func (s *Server) reportYear(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return s.opts.Now().In(clock.Shanghai).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1970 || y > 9999 {
		return 0, fmt.Errorf("year %q is not a calendar year", v)
	}
	return y, nil
}

// yearly writes the yearly report as internal/yearreport renders it, over
// all namespaces, or the one namespace the user is confined to.
func (s *Server) yearly(ctx context.Context, year int, format yearreport.Format, w *bytes.Buffer) error {
	req := yearreport.Request{Year: year, Format: format, Now: s.opts.Now()}
	err := yearreport.Write(ctx, s.client, req, w)
	if apierrors.IsForbidden(err) && len(s.opts.Namespaces) == 1 {
		w.Reset()
		req.Namespace = s.opts.Namespaces[0]
		err = yearreport.Write(ctx, s.client, req, w)
	}
	return err
}

func (s *Server) reports(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.ctx(r)
	defer cancel()
	p := reportsPage{base: s.base(r, "reports", "reports.title")}
	year, err := s.reportYear(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.Year = year
	now := s.opts.Now().In(clock.Shanghai).Year()
	for y := now; y >= now-2; y-- {
		p.Years = append(p.Years, y)
	}
	var md bytes.Buffer
	if err := s.yearly(ctx, year, yearreport.FormatMarkdown, &md); err != nil {
		p.note(err)
	} else {
		p.Markdown = md.String()
	}
	sites, note, err := s.sites(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.note(note)
	p.Months, p.Monthly = MonthlyTable(sites)
	s.render(w, http.StatusOK, "reports", p)
}

// reportFile downloads a report: year-<Y>.md, year-<Y>.csv, monthly.md, monthly.csv.
func (s *Server) reportFile(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.ctx(r)
	defer cancel()
	file := r.PathValue("file")
	var buf bytes.Buffer
	var err error
	contentType := "text/markdown; charset=utf-8"
	if strings.HasSuffix(file, ".csv") {
		contentType = "text/csv; charset=utf-8"
	}
	switch {
	case strings.HasPrefix(file, "year-"):
		var year int
		var ext string
		if _, serr := fmt.Sscanf(file, "year-%d.%s", &year, &ext); serr != nil || year < 1970 || year > 9999 || (ext != "md" && ext != "csv") {
			http.NotFound(w, r)
			return
		}
		format := yearreport.FormatMarkdown
		if ext == "csv" {
			format = yearreport.FormatCSV
		}
		err = s.yearly(ctx, year, format, &buf)
	case file == "monthly.md" || file == "monthly.csv":
		var sites []sgv1.GovWebsite
		var note error
		sites, note, err = s.sites(ctx)
		if err == nil {
			months, rows := MonthlyTable(sites)
			if file == "monthly.csv" {
				err = MonthlyCSV(&buf, months, rows)
			} else {
				err = MonthlyMarkdown(&buf, months, rows, note)
			}
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="sitegroup-`+file+`"`)
	_, _ = buf.WriteTo(w)
}

// bareInvalid is a 422 without causes: what the API server answers when a
// JSON patch's test operation fails (and nothing else it answers with 422:
// validation and admission refusals carry their causes).
func bareInvalid(err error) bool {
	var status apierrors.APIStatus
	if !apierrors.IsInvalid(err) || !errors.As(err, &status) {
		return false
	}
	d := status.Status().Details
	return d == nil || len(d.Causes) == 0
}
