package extract

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Security is what one page shows of V5 (serious errors, injected
// content, leaked personal data), as far as a crawler can see.
type Security struct {
	// IDNumbers are resident ID numbers (18 digits, valid check digit)
	// in the page's text, masked: the report must not leak them again.
	IDNumbers []string
	// Gambling are links to non-government sites whose text or address
	// carries gambling words: injected content.
	Gambling []Link
	// HiddenExternal are links to non-government sites inside hidden
	// elements: a link farm's signature.
	HiddenExternal []Link
	// Defacement is a defacement phrase found in the text.
	Defacement string
}

const maxSecurityFindings = 20

// security adds the link checks to what the text showed.
func (x *extractor) security(text *textChecks) Security {
	s := Security{IDNumbers: text.ids, Defacement: text.defacement}
	for _, l := range x.page.Links {
		if l.Kind != Anchor || l.OnSite || IsGovHost(l.URL.Hostname()) {
			continue
		}
		if isGambling(l, x.opt.GamblingWords) && len(s.Gambling) < maxSecurityFindings {
			s.Gambling = append(s.Gambling, l)
		}
		if l.Hidden && len(s.HiddenExternal) < maxSecurityFindings {
			s.HiddenExternal = append(s.HiddenExternal, l)
		}
	}
	return s
}

// textChecks reads a page's text piece by piece (the tokenizer's text
// runs) for what V5 and blank columns look for, keeping none of it.
type textChecks struct {
	markers     []string // blank-column texts
	phrases     []string // defacement phrases (the profile's are lower-case already)
	ids         []string
	defacement  string
	placeholder bool
}

func newTextChecks(opt Options) textChecks {
	t := textChecks{markers: opt.BlankMarkers, phrases: opt.DefacementPhrases}
	if slices.ContainsFunc(t.phrases, func(p string) bool { return asciiLower(p) != p }) {
		// Copied only then: every page makes its textChecks.
		t.phrases = make([]string, len(opt.DefacementPhrases))
		for i, p := range opt.DefacementPhrases {
			t.phrases[i] = asciiLower(p)
		}
	}
	return t
}

func (t *textChecks) add(s []byte) {
	if len(t.ids) < maxSecurityFindings {
		t.ids = appendIDNumbers(t.ids, s, maxSecurityFindings)
	}
	if !t.placeholder {
		for _, m := range t.markers {
			if bytes.Contains(s, []byte(m)) { // short: converted on the stack
				t.placeholder = true
				break
			}
		}
	}
	if t.defacement == "" {
		for _, p := range t.phrases {
			if containsFold(s, []byte(p)) {
				t.defacement = p
				break
			}
		}
	}
}

// blank says s holds only ASCII white space.
func blank(s []byte) bool {
	for _, c := range s {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			return false
		}
	}
	return true
}

// containsFold says s contains the lower-case ASCII phrase p, ignoring
// the case of ASCII letters, without copying s. It is run on every text
// of every page, so candidates are found with bytes.IndexByte (vectorised),
// not byte by byte.
func containsFold(s, p []byte) bool {
	if len(p) == 0 {
		return true
	}
	first, upper := p[0], p[0]
	if first >= 'a' && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	if first == upper && !hasLetter(p) {
		return bytes.Contains(s, p)
	}
	for len(s) >= len(p) {
		i := indexEither(s[:len(s)-len(p)+1], first, upper)
		if i < 0 {
			return false
		}
		if equalFold(s[i:i+len(p)], p) {
			return true
		}
		s = s[i+1:]
	}
	return false
}

// indexEither is the first index of a or b in s, or -1.
func indexEither(s []byte, a, b byte) int {
	i := bytes.IndexByte(s, a)
	if a == b {
		return i
	}
	if i >= 0 {
		s = s[:i] // b only matters before a
	}
	if j := bytes.IndexByte(s, b); j >= 0 {
		return j
	}
	return i
}

func hasLetter(p []byte) bool {
	for _, c := range p {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

func equalFold(s, lower []byte) bool {
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func isGambling(l Link, words []string) bool {
	where := asciiLower(l.Text + " " + l.URL.Host + l.URL.Path)
	for _, w := range words {
		if strings.Contains(where, asciiLower(w)) {
			return true
		}
	}
	return false
}

// IsGovHost says a host is a government site's (.gov.cn, or the Chinese
// .政务 top-level domain, S3): links to them are never injected content.
func IsGovHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if u, err := url.Parse("http://" + h); err == nil {
		h = u.Hostname()
	}
	return h == "gov.cn" || strings.HasSuffix(h, ".gov.cn") || strings.HasSuffix(h, ".政务") || strings.HasSuffix(h, ".xn--zfr164b")
}

// FindIDNumbers finds resident identity numbers (GB 11643: region,
// birth date, sequence, ISO 7064 MOD 11-2 check digit), returned masked.
func FindIDNumbers(text string, limit int) []string {
	return appendIDNumbers(nil, []byte(text), limit)
}

// fullWidthLead starts the UTF-8 of full-width forms (U+FF00–FF3F): the
// digits U+FF10–FF19 are EF BC 90–99.
var fullWidthLead = []byte{0xEF, 0xBC}

// hasFullWidthDigit says text holds a full-width digit. Chinese text is
// full of full-width punctuation (，：（）) that shares the digits' lead
// bytes, so only the third byte tells them apart.
func hasFullWidthDigit(text []byte) bool {
	for {
		i := bytes.Index(text, fullWidthLead)
		if i < 0 || i+2 >= len(text) {
			return false
		}
		if b := text[i+2]; b >= 0x90 && b <= 0x99 {
			return true
		}
		text = text[i+2:]
	}
}

// appendIDNumbers scans for runs of exactly 17 digits and a digit or X by
// hand, without a regexp: every page's whole text goes through it.
func appendIDNumbers(out []string, text []byte, limit int) []string {
	if hasFullWidthDigit(text) {
		text = []byte(foldWidth(string(text)))
	}
	for i := 0; i < len(text) && len(out) < limit; {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		end := j
		if j-i == 17 && j < len(text) && (text[j] == 'X' || text[j] == 'x') {
			end = j + 1
		}
		if end-i == 18 && (end == len(text) || !isIDChar(text[end])) && (i == 0 || !isIDChar(text[i-1])) {
			if id := string(text[i:end]); ValidIDNumber(id) {
				out = append(out, MaskID(id))
			}
		}
		i = max(end, i+1)
	}
	return out
}

func isIDChar(b byte) bool { return isDigit(b) || b == 'X' || b == 'x' }

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// ValidIDNumber checks an 18-character ID number: a province code that
// exists, a real birth date and the check digit.
func ValidIDNumber(id string) bool {
	if len(id) != 18 || !validProvince(id[:2]) {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if !isDigit(id[i]) {
			return false
		}
		sum += int(id[i]-'0') * idWeights[i]
	}
	if !validBirth(id[6:14]) {
		return false
	}
	return strings.ToUpper(id[17:]) == string("10X98765432"[sum%11])
}

// validBirth checks the YYYYMMDD birth date inside an ID number.
func validBirth(ymd string) bool {
	y, m, d := atoi(ymd[:4]), atoi(ymd[4:6]), atoi(ymd[6:8])
	if y < 1900 || y > maxYear || m < 1 || m > 12 || d < 1 {
		return false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() == d
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Province-level codes of GB/T 2260 (the first two digits).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true, "50": true, "51": true,
	"52": true, "53": true, "54": true, "61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

func validProvince(p string) bool { return provinces[p] }

// MaskID keeps the region's first four and the last four characters.
func MaskID(id string) string { return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:] }
