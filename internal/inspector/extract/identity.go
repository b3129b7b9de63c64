package extract

import (
	"regexp"
	"strings"
)

// Identity is a page's footer identity (S4).
type Identity struct {
	Organizer      string // 主办单位
	Host           string // 承办单位 / 版权所有
	SiteCode       string // 网站标识码, only when well formed
	SiteCodeRaw    string // what follows 网站标识码, well formed or not
	ICP            string // e.g. 津ICP备05004466号-1
	PublicSecurity string // e.g. 津公网安备12010102000123号
}

// name is an organisation's name in a footer: it runs up to white space
// or a separator.
const name = `([^\s|｜,，;；/]{2,40})`

var (
	organizerRE  = regexp.MustCompile(`主\s*办(?:\s*单\s*位)?\s*[:：]\s*` + name)
	hostRE       = regexp.MustCompile(`(?:承\s*办(?:\s*单\s*位)?|版权所有|技术支持|运维单位)\s*[:：]\s*` + name)
	ownerRE      = regexp.MustCompile(`([\p{Han}（）()]{2,40})\s*版权所有`)
	ownerAfterRE = regexp.MustCompile(`版权所有\s+(\p{Han}{2,40})`)
	siteCodeRE   = regexp.MustCompile(`网站标识码\s*[:：]?\s*([0-9A-Za-z]{0,16})`)
	// S4: 6-digit region code (first digit 1–8) + 4 digits, or bm + 8 digits.
	validSiteCode = regexp.MustCompile(`^(?:[1-8]\d{9}|bm\d{8})$`)
	icpRE         = regexp.MustCompile(`(\p{Han})\s*ICP\s*备\s*(\d{4,12})\s*号(?:\s*-\s*(\d{1,3}))?`)
	psbRE         = regexp.MustCompile(`(\p{Han})\s*公网安备\s*(\d{8,16})\s*号?`)
)

// readIdentity reads the footer first; whatever it lacks is looked for in
// the whole page (footers a template does not mark as such).
func readIdentity(footer, page string) Identity {
	id := identityIn(clean(foldWidth(footer)))
	whole := identityIn(clean(foldWidth(page)))
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&id.Organizer, whole.Organizer)
	fill(&id.Host, whole.Host)
	fill(&id.SiteCodeRaw, whole.SiteCodeRaw)
	fill(&id.SiteCode, whole.SiteCode)
	fill(&id.ICP, whole.ICP)
	fill(&id.PublicSecurity, whole.PublicSecurity)
	return id
}

func identityIn(t string) Identity {
	var id Identity
	if !strings.Contains(t, "主") && !strings.Contains(t, "承") && !strings.Contains(t, "版权") &&
		!strings.Contains(t, "标识码") && !strings.Contains(t, "ICP") && !strings.Contains(t, "公网安备") {
		return id // nothing to look for: the regexps cost more than this
	}
	if m := organizerRE.FindStringSubmatch(t); m != nil {
		id.Organizer = trimName(m[1])
	}
	if m := hostRE.FindStringSubmatch(t); m != nil {
		id.Host = trimName(m[1])
	} else if m := ownerRE.FindStringSubmatch(t); m != nil {
		id.Host = trimName(m[1])
	} else if m := ownerAfterRE.FindStringSubmatch(t); m != nil {
		id.Host = trimName(m[1])
	}
	if m := siteCodeRE.FindStringSubmatch(t); m != nil {
		id.SiteCodeRaw = m[1]
		if validSiteCode.MatchString(m[1]) {
			id.SiteCode = m[1]
		}
	}
	if m := icpRE.FindStringSubmatch(t); m != nil {
		id.ICP = m[1] + "ICP备" + m[2] + "号"
		if m[3] != "" {
			id.ICP += "-" + m[3]
		}
	}
	if m := psbRE.FindStringSubmatch(t); m != nil {
		id.PublicSecurity = m[1] + "公网安备" + m[2] + "号"
	}
	return id
}

// trimName drops what a footer glues to a name: the next label
// ("天津市人民政府办公厅承办单位…") and trailing punctuation.
func trimName(s string) string {
	for _, next := range []string{"承办", "主办", "网站标识码", "版权所有", "技术支持", "地址", "电话", "邮编", "ICP", "备案"} {
		if i := strings.Index(s, next); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimRight(s, "。.、:：")
}

// ValidSiteCode says a site identification code is well formed (S4).
func ValidSiteCode(code string) bool { return validSiteCode.MatchString(code) }
