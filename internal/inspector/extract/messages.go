package extract

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Message is one public message (留言) of a consultation channel (V4).
type Message struct {
	Title   string
	Asked   time.Time // 留言时间
	Replied time.Time // 回复时间; zero when none is shown
	// Answered: the page says 已回复 (or shows a reply time); false for
	// 未回复 / 待回复 or no reply at all.
	Answered bool
}

const askedLabel = "留言时间"

var (
	replyLabels     = []string{"回复时间", "答复时间", "办结时间", "回复日期", "答复日期"}
	answeredWords   = []string{"已回复", "已答复", "已办结", "已处理"}
	unansweredWords = []string{"未回复", "待回复", "未答复", "未办结", "办理中", "待处理", "处理中"}
	askedRE         = regexp.MustCompile(askedLabel + `\s*[:：]?\s*`)
	repliedRE       = regexp.MustCompile(`(?:回复|答复|办结)(?:时间|日期)\s*[:：]?\s*`)
)

// maxMessagesPerPage bounds what one page can add.
const maxMessagesPerPage = 500

// messages reads message records two ways: tables whose header row names
// the columns (留言时间 | 回复时间 | 状态), and records that label their
// own fields (留言时间：2026-01-05 … 回复时间：… 已回复).
func (x *extractor) messages(doc *html.Node) []Message {
	var out []Message
	done := map[*html.Node]bool{}
	for _, table := range descendants(doc, atom.Table) {
		if msgs, ok := tableMessages(table); ok {
			out = append(out, msgs...)
			done[table] = true
		}
	}
	counts := map[*html.Node]int{}
	countLabels(doc, counts)
	seen := map[*html.Node]bool{}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) < maxMessagesPerPage; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && (skipped(c) || done[c]):
			case c.Type == html.TextNode && strings.Contains(c.Data, askedLabel):
				if rec := recordOf(c, counts); rec != nil && !seen[rec] {
					seen[rec] = true
					if m, ok := labelledMessage(rec); ok {
						out = append(out, m)
					}
				}
			default:
				visit(c)
			}
		}
	}
	visit(doc)
	if len(out) > maxMessagesPerPage {
		out = out[:maxMessagesPerPage]
	}
	return out
}

// countLabels counts, for every node, the 留言时间 labels under it.
func countLabels(n *html.Node, counts map[*html.Node]int) int {
	if n.Type == html.TextNode {
		return strings.Count(n.Data, askedLabel)
	}
	if n.Type == html.ElementNode && skipped(n) {
		return 0
	}
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += countLabels(c, counts)
	}
	if total > 0 {
		counts[n] = total
	}
	return total
}

// recordOf is the largest ancestor of a label holding only that one
// label: the message's whole record, with its reply and status.
func recordOf(label *html.Node, counts map[*html.Node]int) *html.Node {
	var rec *html.Node
	for n := label.Parent; n != nil && counts[n] == 1; n = n.Parent {
		rec = n
	}
	return rec
}

func labelledMessage(rec *html.Node) (Message, bool) {
	t := text(rec)
	m := Message{Title: firstTitle(rec)}
	if m.Title == "" {
		m.Title = textBefore(t, askedLabel)
	}
	var ok bool
	if m.Asked, ok = dateAfter(t, askedRE); !ok {
		return Message{}, false
	}
	m.Replied, _ = dateAfter(t, repliedRE)
	m.Answered = answered(t, !m.Replied.IsZero())
	return m, true
}

// dateAfter finds the date right after a label (cells joined by a space):
// "留言时间：2026-01-05", not a date further on that belongs to another field.
func dateAfter(t string, label *regexp.Regexp) (time.Time, bool) {
	for _, loc := range label.FindAllStringIndex(t, -1) {
		rest := foldWidth(t[loc[1]:])
		if len(rest) > 40 {
			rest = rest[:40]
		}
		if d, at, ok := findDate(rest); ok && at[0] <= maxLabelGap {
			return d, true
		}
	}
	return time.Time{}, false
}

// maxLabelGap allows a bracket or two between a label and its date.
const maxLabelGap = 3

// answered reads a status word; without one, a reply time means answered.
func answered(t string, hasReply bool) bool {
	switch {
	case containsAny(t, unansweredWords):
		return false
	case containsAny(t, answeredWords):
		return true
	}
	return hasReply
}

func firstTitle(n *html.Node) string {
	for _, a := range descendants(n, atom.A) {
		if t := linkText(a); runes(t) >= minTitleRunes && !isPagerOrMore(t) {
			return t
		}
	}
	return ""
}

// maxTitleRunes bounds a message title read from plain text.
const maxTitleRunes = 40

// textBefore is the text ahead of a label: a record's title when it is
// not a link ("关于公交的建议 留言时间：…").
func textBefore(t, label string) string {
	before, _, _ := strings.Cut(t, label)
	r := []rune(strings.TrimSpace(before))
	if len(r) > maxTitleRunes {
		r = r[len(r)-maxTitleRunes:]
	}
	return strings.TrimSpace(string(r))
}

// tableMessages reads a table whose header row has a 留言时间 column.
func tableMessages(table *html.Node) ([]Message, bool) {
	rows := ownRows(table)
	for i, row := range rows {
		cols := headerColumns(row)
		if cols.asked < 0 {
			continue
		}
		var out []Message
		for _, r := range rows[i+1:] {
			if m, ok := rowMessage(r, cols); ok {
				out = append(out, m)
			}
		}
		return out, true
	}
	return nil, false
}

const maxHeaderRunes = 12

type messageColumns struct{ asked, replied, status int }

func headerColumns(row *html.Node) messageColumns {
	cols := messageColumns{-1, -1, -1}
	for i, c := range cells(row) {
		t := boundedText(c, 4*maxHeaderRunes)
		if runes(t) > maxHeaderRunes {
			continue // a layout cell holding a whole block, not a column header
		}
		switch {
		case strings.Contains(t, askedLabel):
			cols.asked = i
		case containsAny(t, replyLabels):
			cols.replied = i
		case strings.Contains(t, "状态") || strings.Contains(t, "是否回复"):
			cols.status = i
		}
	}
	return cols
}

func rowMessage(row *html.Node, cols messageColumns) (Message, bool) {
	cs := cells(row)
	if cols.asked >= len(cs) {
		return Message{}, false
	}
	asked, ok := FindDate(text(cs[cols.asked]))
	if !ok {
		return Message{}, false
	}
	m := Message{Title: firstTitle(row), Asked: asked}
	if m.Title == "" && len(cs) > 0 && cols.asked != 0 {
		m.Title = textBefore(text(cs[0]), askedLabel)
	}
	if cols.replied >= 0 && cols.replied < len(cs) {
		m.Replied, _ = FindDate(text(cs[cols.replied]))
	}
	status := text(row)
	if cols.status >= 0 && cols.status < len(cs) {
		status = text(cs[cols.status])
	}
	m.Answered = answered(status, !m.Replied.IsZero())
	return m, true
}

// ownRows are a table's rows, not those of tables nested in it.
func ownRows(table *html.Node) []*html.Node {
	var rows []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Table {
				continue
			}
			if c.DataAtom == atom.Tr {
				rows = append(rows, c)
				continue
			}
			visit(c)
		}
	}
	visit(table)
	return rows
}

func cells(row *html.Node) []*html.Node {
	var out []*html.Node
	for c := row.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			out = append(out, c)
		}
	}
	return out
}
