package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// What the CMSes government sites are built with (TRS WCM/海云, 大汉
// Hanweb jcms) put in script rather than in links, and the article
// metadata of the national standard (issue 16).

// ArticleMeta are the meta tags government CMSes write on every page
// (政府网站网页设计规范: SiteName, SiteDomain, SiteIDCode, ColumnName,
// ArticleTitle, PubDate, ContentSource).
type ArticleMeta struct {
	SiteName      string
	SiteDomain    string
	SiteIDCode    string
	ColumnName    string
	ArticleTitle  string
	PubDate       string // as written ("2026-11-18 09:30")
	ContentSource string
}

// maxScriptPages bounds the pages a script pager adds to a list: the
// crawl's page budget bounds them too.
const maxScriptPages = 200

// forwardMaxLinks and forwardMaxRunes: a page that forwards elsewhere
// (meta refresh, window.location) and shows little else is a forwarding
// root, not a homepage; a homepage with a mobile redirect in its script
// shows far more.
const (
	forwardMaxLinks = 5
	forwardMaxRunes = 300
)

var (
	// TRS: createPageHTML(countPage, currentPage, "index", "html"), the
	// arguments numbers or variables set above (var countPage = 5).
	createPageRE = regexp.MustCompile(`createPageHTML\(\s*([\w.]+)\s*,\s*([\w.]+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']`)
	jsVarRE      = regexp.MustCompile(`\b(\w+)\s*=\s*(\d+)\b`)
	// Hanweb jpage: $('#id').jpage({ totalRecord: 120, perPage: 15, proxyUrl: '...', ajaxParam: {...} })
	jpageRE      = regexp.MustCompile(`\.jpage\(\s*\{`)
	jpageIntRE   = regexp.MustCompile(`\b(totalRecord|perPage|groupSize)\s*:\s*['"]?(\d+)`)
	jpageProxyRE = regexp.MustCompile(`\bproxyUrl\s*:\s*['"]([^'"]+)['"]`)
	jpageParamRE = regexp.MustCompile(`\bajaxParam\s*:\s*\{([^}]*)\}`)
	jsPairRE     = regexp.MustCompile(`['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w.-]+))`)
	nextgroupRE  = regexp.MustCompile(`(?s)<nextgroup>\s*<!\[CDATA\[.*?href=["']([^"']+)["']`)
	recordRE     = regexp.MustCompile(`(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	// locationRE is tried where "location" is (scriptLocation): window.location,
	// top.location.href, location.replace(…) all end in it.
	locationRE    = regexp.MustCompile(`^location(?:\.href)?\s*=\s*['"]([^'"]+)['"]|^location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]\s*\)`)
	refreshURLRE  = regexp.MustCompile(`(?i)url\s*=\s*['"]?([^'";\s]+)`)
	pubLabelBytes = [][]byte{[]byte("发布时间"), []byte("发布日期"), []byte("发表时间")}
)

// readScripts reads what a page's scripts say (before the page is
// walked, as the records they hold become part of it): Hanweb's data
// stores (their records are the list's items), Hanweb's jpage pager,
// TRS's createPageHTML pager, and a window.location forward.
func (x *extractor) readScripts(doc *html.Node) {
	var scripts []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Script {
				scripts = append(scripts, c)
				continue
			}
			visit(c)
		}
	}
	visit(doc)
	records := 0
	var jpage []string
	for _, s := range scripts {
		t := scriptText(s)
		if strings.Contains(t, "<datastore") || strings.Contains(t, "<record") {
			records += x.expandDatastore(s, t)
			if m := nextgroupRE.FindStringSubmatch(t); m != nil && x.nextgroup == "" {
				x.nextgroup = m[1]
			}
			continue
		}
		// The regexps only where their words are: every page read in full
		// has its templates' scripts, and they hold none of these.
		if strings.Contains(t, ".jpage(") && jpageRE.MatchString(t) {
			jpage = append(jpage, t)
		}
		if x.page.Next == nil && strings.Contains(t, "createPageHTML") {
			x.page.Next = x.trsNext(t)
		}
		if x.forward == nil {
			if to, ok := scriptLocation(t); ok {
				x.forward, x.forwardBy = x.resolveString(to), "script"
			}
		}
	}
	for _, t := range jpage {
		x.page.ScriptPages = append(x.page.ScriptPages, x.jpagePages(t, records)...)
	}
}

// scriptLocation finds a line that sends the reader elsewhere
// (window.location.href = "…", location.replace("…")): the regexp runs
// only where "location" is, not over the whole script.
func scriptLocation(t string) (string, bool) {
	for at := 0; ; {
		i := strings.Index(t[at:], "location")
		if i < 0 {
			return "", false
		}
		at += i
		if m := locationRE.FindStringSubmatch(t[at:min(len(t), at+maxLocationLine)]); m != nil {
			return m[1] + m[2], true
		}
		at += len("location")
	}
}

// maxLocationLine bounds the line a forward is read from.
const maxLocationLine = 512

func scriptText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// expandDatastore puts the records of a Hanweb data store (<script
// type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>)
// into the page, where the script renders them: a <div> of the parsed
// records next to the script. It returns how many records there were.
func (x *extractor) expandDatastore(script *html.Node, text string) int {
	recs := recordRE.FindAllStringSubmatch(text, -1)
	if len(recs) == 0 || script.Parent == nil {
		return 0
	}
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(r[1])
		b.WriteByte('\n')
	}
	holder := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div",
		Attr: []html.Attribute{{Key: "class", Val: "datastore"}}}
	nodes, err := html.ParseFragment(strings.NewReader(wrapRecords(b.String())), holder)
	if err != nil {
		return 0
	}
	for _, n := range nodes {
		holder.AppendChild(n)
	}
	script.Parent.InsertBefore(holder, script)
	return len(recs)
}

// wrapRecords puts list entries in a list, as the page's own template
// does around the script: <li> records parsed alone would lose their <ul>.
func wrapRecords(s string) string {
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(t, "<li"):
		return "<ul>" + s + "</ul>"
	case strings.HasPrefix(t, "<tr"):
		return "<table>" + s + "</table>"
	}
	return s
}

// datastoreDocument says a body is a data store by itself: the answer
// of Hanweb's dataproxy.jsp to a jpage request, XML whose records are
// the next items of a list.
func datastoreDocument(b []byte) bool {
	b = bytes.TrimLeft(b, "\ufeff \t\r\n")
	return bytes.HasPrefix(b, []byte("<?xml")) && bytes.Contains(b[:min(len(b), 512)], []byte("<datastore")) ||
		bytes.HasPrefix(b, []byte("<datastore"))
}

// datastoreAsHTML turns a data store answer into a page holding its
// records, parsed as the list page would show them.
func datastoreAsHTML(b []byte) []byte {
	var out bytes.Buffer
	out.WriteString("<!DOCTYPE html><html><body><div class=\"datastore\">")
	var recs strings.Builder
	for _, r := range recordRE.FindAllSubmatch(b, maxPageLinks) {
		recs.Write(r[1])
		recs.WriteByte('\n')
	}
	out.WriteString(wrapRecords(recs.String()))
	out.WriteString("</div></body></html>")
	return out.Bytes()
}

// trsNext reads TRS's script pager: createPageHTML(5, 0, "index",
// "html") on index.html says there are index_1.html … index_4.html; the
// next page of page n is name_(n+1).ext.
func (x *extractor) trsNext(t string) *url.URL {
	m := createPageRE.FindStringSubmatch(t)
	if m == nil {
		return nil
	}
	vars := map[string]int{}
	for _, v := range jsVarRE.FindAllStringSubmatch(t, 50) {
		if n, err := strconv.Atoi(v[2]); err == nil {
			if _, seen := vars[v[1]]; !seen {
				vars[v[1]] = n
			}
		}
	}
	value := func(s string) (int, bool) {
		if n, err := strconv.Atoi(s); err == nil {
			return n, true
		}
		n, ok := vars[s]
		return n, ok
	}
	count, ok1 := value(m[1])
	current, ok2 := value(m[2])
	if !ok1 || !ok2 || current+1 >= min(count, maxScriptPages) || current < 0 {
		return nil
	}
	return x.resolveString(m[3] + "_" + strconv.Itoa(current+1) + "." + m[4])
}

// jpagePages are the requests Hanweb's jpage makes for the rest of a
// list: its proxy (dataproxy.jsp) asked for records startrecord to
// endrecord, perPage × groupSize at a time, past the records the page
// holds, with the pager's own parameters (ajaxParam, or the query of the
// data store's nextgroup link).
func (x *extractor) jpagePages(t string, have int) []*url.URL {
	cfg := map[string]int{"groupSize": 3}
	for _, m := range jpageIntRE.FindAllStringSubmatch(t, -1) {
		cfg[m[1]], _ = strconv.Atoi(m[2])
	}
	total, per := cfg["totalRecord"], cfg["perPage"]
	proxy := jpageProxyRE.FindStringSubmatch(t)
	if total <= have || per <= 0 || proxy == nil {
		return nil
	}
	base := x.resolveString(proxy[1])
	if base == nil {
		return nil
	}
	q := url.Values{}
	if x.nextgroup != "" {
		if u, err := url.Parse(strings.ReplaceAll(x.nextgroup, "&amp;", "&")); err == nil {
			for k, v := range u.Query() {
				q[k] = v
			}
		}
	}
	if m := jpageParamRE.FindStringSubmatch(t); m != nil {
		for _, p := range jsPairRE.FindAllStringSubmatch(m[1], -1) {
			q.Set(p[1], p[2]+p[3]+p[4])
		}
	}
	q.Del("page")
	step := per * max(cfg["groupSize"], 1)
	var out []*url.URL
	for start := have + 1; start <= total && len(out) < maxScriptPages; start += step {
		q.Set("startrecord", strconv.Itoa(start))
		q.Set("endrecord", strconv.Itoa(min(start+step-1, total)))
		q.Set("perpage", strconv.Itoa(per))
		u := *base
		u.RawQuery = q.Encode()
		out = append(out, &u)
	}
	return out
}

// readMeta reads one <meta>: the article metadata, and a refresh that
// forwards the page.
func (x *extractor) readMeta(name, httpEquiv, content string) {
	content = strings.TrimSpace(content)
	if strings.EqualFold(httpEquiv, "refresh") {
		if m := refreshURLRE.FindStringSubmatch(content); m != nil && x.forward == nil {
			x.forward, x.forwardBy = x.resolveString(m[1]), "meta-refresh"
		}
		return
	}
	a := &x.page.Article
	switch strings.ToLower(name) {
	case "sitename":
		a.SiteName = content
	case "sitedomain":
		a.SiteDomain = content
	case "siteidcode":
		a.SiteIDCode = content
	case "columnname":
		a.ColumnName = content
	case "articletitle":
		a.ArticleTitle = content
	case "pubdate":
		a.PubDate = content
	case "contentsource":
		a.ContentSource = content
	}
}

// readHead reads the <meta> tags of a page built into a tree.
func (x *extractor) readHead(n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Meta {
		x.readMeta(attr(n, "name"), attr(n, "http-equiv"), attr(n, "content"))
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom != atom.Html && c.DataAtom != atom.Head && c.DataAtom != atom.Meta {
			continue // the head's metas; the body's are rare and late
		}
		x.readHead(c)
	}
}

// finish settles what the page read says of itself: its publish date
// (the PubDate meta, else its 发布时间 line), and whether it only
// forwards elsewhere.
func (x *extractor) finish(text *textChecks, visibleRunes int) {
	p := x.page
	if d, ok := FindDate(p.Article.PubDate); ok {
		p.PubDate = d
	} else {
		p.PubDate = text.pubDate
	}
	if x.forward != nil && !sameDoc(x.forward, x.base) && len(p.Links) <= forwardMaxLinks && visibleRunes <= forwardMaxRunes {
		p.Forward, p.ForwardBy = x.forward, x.forwardBy
	}
}

// pubDateAfterLabel finds the date of a 发布时间 line in a text.
func pubDateAfterLabel(s []byte) (time.Time, bool) {
	for _, label := range pubLabelBytes {
		i := bytes.Index(s, label)
		if i < 0 {
			continue
		}
		rest := s[i+len(label):]
		rest = rest[:min(len(rest), 48)]
		if d, at, ok := findDate(foldWidth(string(rest))); ok && at[0] <= 8 {
			return d, true
		}
	}
	return time.Time{}, false
}
