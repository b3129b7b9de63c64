package console

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// The console speaks Chinese (zh-CN) first and English second. A request's
// language is, in order: ?lang=, the lang cookie the switch sets, the
// --lang flag, Accept-Language, zh-CN.

// Languages the console has.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// NormalizeLang maps a language tag to one the console has; "" when none.
func NormalizeLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch {
	case tag == "zh" || strings.HasPrefix(tag, "zh-") || strings.HasPrefix(tag, "zh_"):
		return LangZH
	case tag == "en" || strings.HasPrefix(tag, "en-") || strings.HasPrefix(tag, "en_"):
		return LangEN
	}
	return ""
}

// FromAcceptLanguage picks the console's language an Accept-Language
// header prefers most; "" when it names neither.
func FromAcceptLanguage(header string) string {
	type choice struct {
		lang string
		q    float64
		pos  int
	}
	var choices []choice
	for i, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		lang := NormalizeLang(fields[0])
		if lang == "" {
			continue
		}
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if parsed, err := strconv.ParseFloat(v, 64); err == nil {
					q = parsed
				}
			}
		}
		if q > 0 {
			choices = append(choices, choice{lang, q, i})
		}
	}
	if len(choices) == 0 {
		return ""
	}
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].q > choices[j].q })
	return choices[0].lang
}

// langCookie remembers the language switch.
const langCookie = "sitegroup-console-lang"

// RequestLang is the language of one request; def is the --lang flag ("" for none).
func RequestLang(r *http.Request, def string) string {
	if l := NormalizeLang(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l := NormalizeLang(c.Value); l != "" {
			return l
		}
	}
	if l := NormalizeLang(def); l != "" {
		return l
	}
	if l := FromAcceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return LangZH
}

// Lang translates the console's words; templates call it as .L.T "key".
type Lang struct{ Code string }

// T is the text of key in the language; the key itself when missing
// (TestMessagesComplete keeps both tables whole).
func (l Lang) T(key string) string {
	table := messagesZH
	if l.Code == LangEN {
		table = messagesEN
	}
	if s, ok := table[key]; ok {
		return s
	}
	return key
}

// Word translates an API value (a state, verdict, phase, chain, kind…)
// where the console has a word for it, and shows it as it is otherwise.
func (l Lang) Word(v any) string {
	s := toString(v)
	if s == "" {
		return l.T("none")
	}
	if w, ok := l.word(s); ok {
		return w
	}
	return s
}

func (l Lang) word(s string) (string, bool) {
	table := wordsZH
	if l.Code == LangEN {
		table = wordsEN
	}
	w, ok := table[s]
	return w, ok
}

func toString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

var messagesZH = map[string]string{
	"title":               "政府网站集约化平台 · 控制台",
	"nav.overview":        "网站概览",
	"nav.sign":            "待我签批",
	"nav.reports":         "报表",
	"signedin":            "当前身份",
	"lang.switch":         "English",
	"counts.sites":        "网站",
	"counts.failing":      "最近检查不合格",
	"counts.open":         "未关闭整改单",
	"counts.overdue":      "超期整改单",
	"counts.takendown":    "关停中",
	"counts.availability": "可用性预警",
	"filter.namespace":    "区域/命名空间",
	"filter.kind":         "类型",
	"filter.state":        "状态",
	"filter.all":          "全部",
	"filter.apply":        "筛选",
	"col.site":            "网站",
	"col.org":             "主办单位",
	"col.kind":            "类型",
	"col.state":           "状态",
	"col.verdict":         "最近检查",
	"col.score":           "得分",
	"col.tickets":         "整改单（未关闭/超期）",
	"col.takedown":        "关停",
	"col.availability":    "可用性（7天）",
	"col.namespace":       "命名空间",
	"col.month":           "月份",
	"col.run":             "检查任务",
	"col.time":            "时间",
	"col.level":           "层级",
	"col.approver":        "签批人",
	"col.decision":        "意见",
	"col.reference":       "文号",
	"col.comment":         "说明",
	"col.id":              "编号",
	"col.problem":         "问题",
	"col.opened":          "发现",
	"col.due":             "期限",
	"col.fixed":           "已修复",
	"col.closed":          "已关闭",
	"col.result":          "整改结果",
	"col.signers":         "签批",
	"col.type":            "类型",
	"col.phase":           "阶段",
	"col.period":          "时段",
	"col.reason":          "理由",
	"col.kind.record":     "类别",
	"col.summary":         "摘要",
	"col.url":             "链接",
	"col.status":          "状态",
	"col.found":           "所在页面",
	"col.group":           "指标组",
	"col.points":          "扣分",
	"col.rule":            "规则",
	"col.column":          "栏目",
	"col.items":           "条目",
	"col.latest":          "最近更新",
	"col.chain":           "事项",
	"col.object":          "对象",
	"col.signed":          "已签",
	"col.action":          "操作",
	"col.day":             "日期",
	"col.probes":          "探测",
	"col.failed":          "失败",
	"none":                "无",
	"nosites":             "没有可查看的网站（或您无权读取）。",
	"site.monthly":        "月度检查结果（最近24个月）",
	"site.availability":   "可用性监测窗口（V1）",
	"site.report":         "最近一次检查报告",
	"site.vetoes":         "单项否决",
	"site.deductions":     "扣分（按指标组）",
	"site.deadlinks":      "死链",
	"site.columns":        "栏目",
	"site.tickets":        "整改督办单（T9）",
	"site.takedowns":      "关停申请（T1–T7）",
	"site.approvals":      "开办审批（S1）",
	"site.history":        "合规记录",
	"site.identity":       "基本信息",
	"site.domains":        "域名",
	"site.sitecode":       "网站标识码",
	"site.icp":            "ICP备案号",
	"site.psb":            "公安备案号",
	"site.conditions":     "状况",
	"site.timeline":       "时间线",
	"site.nomonthly":      "尚无月度结果。",
	"site.table":          "数据表",
	"site.noavail":        "尚无可用性数据。",
	"site.noreport":       "尚无检查报告。",
	"site.rate":           "失败率",
	"site.sufficient":     "样本充足",
	"site.insufficient":   "样本不足",
	"site.warning":        "预警",
	"site.waiting":        "此网站有待签事项",
	"site.tosign":         "去签批",
	"forbidden":           "无权读取（RBAC 拒绝）",
	"sign.title":          "待我签批",
	"sign.none":           "当前没有等待您签批的事项。",
	"sign.approve":        "同意并签名",
	"sign.reject":         "驳回",
	"sign.comment":        "驳回理由（必填）",
	"sign.done":           "已签名：",
	"sign.refused":        "API 服务器拒绝了签名：",
	"sign.resubmission":   "重新提交",
	"sign.note":           "签名以您的身份写入（与 kubectl 相同），准入 Webhook 记录签批人和时间并检查规则。",
	"sign.notallowed":     "以下事项在等待其他层级签批（您无权签署这些层级）：",
	"reports.title":       "报表",
	"reports.year":        "监管年度报表",
	"reports.monthly":     "月度检查结果",
	"reports.download":    "下载",
	"reports.show":        "显示",
	"reports.yearlabel":   "年度",
	"error":               "出错了",
	"chart.score":         "得分",
	"chart.failrate":      "失败率（%）",
	"chart.probes":        "探测次数",
	"chart.failed":        "失败次数",
	"chart.pass":          "合格",
	"chart.fail":          "不合格",
	"truncated":           "报告已截断：",
	"counts.pages":        "页面",
	"counts.links":        "链接",
}

var messagesEN = map[string]string{
	"title":               "Site group platform · Console",
	"nav.overview":        "Overview",
	"nav.sign":            "To sign",
	"nav.reports":         "Reports",
	"signedin":            "Signed in as",
	"lang.switch":         "中文",
	"counts.sites":        "Sites",
	"counts.failing":      "Failing last inspection",
	"counts.open":         "Open tickets",
	"counts.overdue":      "Overdue tickets",
	"counts.takendown":    "Taken down",
	"counts.availability": "Availability warnings",
	"filter.namespace":    "Region / namespace",
	"filter.kind":         "Kind",
	"filter.state":        "State",
	"filter.all":          "All",
	"filter.apply":        "Filter",
	"col.site":            "Site",
	"col.org":             "Organization",
	"col.kind":            "Kind",
	"col.state":           "State",
	"col.verdict":         "Last inspection",
	"col.score":           "Score",
	"col.tickets":         "Tickets (open/overdue)",
	"col.takedown":        "Takedown",
	"col.availability":    "Availability (7 days)",
	"col.namespace":       "Namespace",
	"col.month":           "Month",
	"col.run":             "Run",
	"col.time":            "Time",
	"col.level":           "Level",
	"col.approver":        "Signer",
	"col.decision":        "Decision",
	"col.reference":       "Reference",
	"col.comment":         "Comment",
	"col.id":              "ID",
	"col.problem":         "Problem",
	"col.opened":          "Opened",
	"col.due":             "Due",
	"col.fixed":           "Fixed",
	"col.closed":          "Closed",
	"col.result":          "Result",
	"col.signers":         "Signers",
	"col.type":            "Type",
	"col.phase":           "Phase",
	"col.period":          "Period",
	"col.reason":          "Reason",
	"col.kind.record":     "Kind",
	"col.summary":         "Summary",
	"col.url":             "URL",
	"col.status":          "Status",
	"col.found":           "Found on",
	"col.group":           "Group",
	"col.points":          "Points",
	"col.rule":            "Rule",
	"col.column":          "Column",
	"col.items":           "Items",
	"col.latest":          "Latest",
	"col.chain":           "Application",
	"col.object":          "Object",
	"col.signed":          "Signed",
	"col.action":          "Action",
	"col.day":             "Day",
	"col.probes":          "Probes",
	"col.failed":          "Failed",
	"none":                "none",
	"nosites":             "No sites to show (or you may not read them).",
	"site.monthly":        "Monthly results (last 24 months)",
	"site.availability":   "Availability window (V1)",
	"site.report":         "Last inspection report",
	"site.vetoes":         "Vetoes",
	"site.deductions":     "Deductions by group",
	"site.deadlinks":      "Dead links",
	"site.columns":        "Columns",
	"site.tickets":        "Rectification tickets (T9)",
	"site.takedowns":      "Takedowns (T1–T7)",
	"site.approvals":      "Approvals (S1)",
	"site.history":        "Compliance history",
	"site.identity":       "Basic information",
	"site.domains":        "Domains",
	"site.sitecode":       "Site code",
	"site.icp":            "ICP filing",
	"site.psb":            "Public-security filing",
	"site.conditions":     "Conditions",
	"site.timeline":       "Timeline",
	"site.nomonthly":      "No monthly results yet.",
	"site.table":          "As a table",
	"site.noavail":        "No availability data yet.",
	"site.noreport":       "No inspection report yet.",
	"site.rate":           "failure rate",
	"site.sufficient":     "enough probes",
	"site.insufficient":   "too few probes",
	"site.warning":        "early warning",
	"site.waiting":        "This site has applications waiting for signatures",
	"site.tosign":         "Go to signing",
	"forbidden":           "not allowed to read (RBAC)",
	"sign.title":          "To sign",
	"sign.none":           "Nothing waits for your signature.",
	"sign.approve":        "Approve and sign",
	"sign.reject":         "Reject",
	"sign.comment":        "Reason for rejecting (required)",
	"sign.done":           "Signed: ",
	"sign.refused":        "The API server refused the signature: ",
	"sign.resubmission":   "re-submission",
	"sign.note":           "You sign as yourself (as with kubectl); the admission webhook stamps the signer and the time and checks the rules.",
	"sign.notallowed":     "These wait for other levels (you may not sign those levels):",
	"reports.title":       "Reports",
	"reports.year":        "Yearly site-management report",
	"reports.monthly":     "Monthly results",
	"reports.download":    "Download",
	"reports.show":        "Show",
	"reports.yearlabel":   "Year",
	"error":               "Something went wrong",
	"chart.score":         "Score",
	"chart.failrate":      "Failure rate (%)",
	"chart.probes":        "Probes",
	"chart.failed":        "Failed",
	"chart.pass":          "pass",
	"chart.fail":          "fail",
	"truncated":           "Report truncated: ",
	"counts.pages":        "pages",
	"counts.links":        "links",
}

// Words for API values; values without one are shown as they are.
var wordsZH = map[string]string{
	"Serving": "运行中", "AwaitingApproval": "待审批", "Rejected": "已驳回", "Provisioning": "创建中",
	"Launching": "待上线检查", "Degraded": "降级", "TakenDown": "已关停", "Suspended": "已暂停", "Closed": "已关闭",
	"pass": "合格", "fail": "不合格",
	"portal": "门户网站", "department": "部门网站",
	"temporary": "临时关停", "permanent": "永久关停",
	"Pending": "待审批", "Approved": "已批准", "Active": "关停中", "Returning": "恢复申请中", "Restored": "已恢复",
	"Overdue": "超期未恢复", "Archiving": "归档中", "Cancelled": "已撤回",
	"site": "网站开办（S1）", "takedown": "关停申请（T1）", "return": "恢复访问（T6）", "rectification": "整改结果（T9）",
	"unit": "单位负责人", "city": "市政府办公厅", "province": "省政府办公厅",
	"Inspection": "检查", "MonthlyResult": "月度结果", "Takedown": "关停", "Approval": "签批", "Rectification": "整改",
	"True": "是", "False": "否", "Unknown": "未知",
}

var wordsEN = map[string]string{
	"AwaitingApproval": "Awaiting approval", "TakenDown": "Taken down",
	"site": "Site (S1)", "takedown": "Takedown (T1)", "return": "Return (T6)", "rectification": "Rectification result (T9)",
	"unit": "unit head", "city": "city office", "province": "province office",
}
