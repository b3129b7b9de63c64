package extract

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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
	// Wording are serious wording errors (wrong names of state organs,
	// the profile's list) found in the text, with their context (V5).
	Wording []WordingError
}

// WordingError is one serious wording error found on a page.
type WordingError struct {
	Wrong   string // the wrong text, as the profile lists it
	Right   string // what it should say
	Context string // the text around it on the page
}

const maxSecurityFindings = 20

// security adds the link checks to what the text showed.
func (x *extractor) security(text *textChecks) Security {
	s := Security{IDNumbers: text.ids, Defacement: text.defacement, Wording: text.wording}
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
	words       *textPhrases // blank-column texts, 发布时间 labels, wrong names (V5)
	phrases     []string     // defacement phrases (the profile's are lower-case already)
	wording     []WordingError
	ids         []string
	defacement  string
	placeholder bool
	pubDate     time.Time // the 发布时间 line's date
	asked       bool      // a message record's label (留言时间) is in the text
}

func newTextChecks(opt Options) textChecks {
	t := textChecks{words: phrasesFor(opt.BlankMarkers, opt.WrongWords), phrases: opt.DefacementPhrases}
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
	// One pass over the characters: the phrases (blank markers, the
	// 发布时间 label, wrong names, the 留言时间 label) by their first
	// character, and the runs of digits an ID number is (issue 16: a
	// pass for each was a third of reading an article).
	set := t.words.set
	for _, w := range set.others {
		if at := bytes.Index(s, set.words[w]); at >= 0 {
			t.found(s, w, at)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			if isDigit(c) && len(t.ids) < maxSecurityFindings {
				i = t.idRun(s, i)
				continue
			}
			i++
		case c < 0xE0:
			i += 2
		case c < 0xF0:
			if i+2 >= len(s) {
				i = len(s)
				continue
			}
			if c == 0xEF && s[i+1] == 0xBC && s[i+2]-0x90 <= 9 && len(t.ids) < maxSecurityFindings {
				i = t.idRun(s, i) // a full-width digit
				continue
			}
			if set.second[s[i+1]] {
				if k := uint16(s[i+1])<<8 | uint16(s[i+2]); set.first[k>>6]&(1<<(k&63)) != 0 {
					for _, w := range set.byKey[k] {
						if bytes.HasPrefix(s[i:], set.words[w]) {
							t.found(s, w, i)
						}
					}
				}
			}
			i += 3
		default:
			i += 4
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

// found notes phrase w of the set at s[at:].
func (t *textChecks) found(s []byte, w, at int) {
	word := t.words.words[w]
	switch t.words.kinds[w] {
	case phraseMarker:
		t.placeholder = true
	case phraseAsked:
		t.asked = true
	case phraseLabel:
		if t.pubDate.IsZero() {
			t.pubDate, _ = pubDateAfterLabel(s[at:])
		}
	case phraseWrong:
		if len(t.wording) < maxSecurityFindings && !t.hasWording(word) {
			t.wording = append(t.wording, WordingError{Wrong: word, Context: around(s, at, at+len(word))})
		}
	}
}

// idRun reads the run of digits (ASCII or full-width) at s[i:] and notes
// it when it is a valid resident ID number (18 characters, the last may
// be X); it returns where the run ends.
func (t *textChecks) idRun(s []byte, i int) int {
	var id [18]byte
	n, j := 0, i
	for j < len(s) {
		switch d, size := digitAt(s, j); {
		case size > 0:
			if n < len(id) {
				id[n] = d
			}
			n++
			j += size
			continue
		case n == 17 && (s[j] == 'X' || s[j] == 'x'):
			id[17], n = 'X', 18
			j++
		}
		break
	}
	if n == 18 && (j == len(s) || !isIDChar(s[j])) && (i == 0 || !isIDChar(s[i-1])) {
		if v := string(id[:]); ValidIDNumber(v) {
			t.ids = append(t.ids, MaskID(v))
		}
	}
	return j
}

// digitAt is the digit at s[i:] (ASCII, or full-width ０–９) and its size
// in bytes; size 0 when there is none.
func digitAt(s []byte, i int) (byte, int) {
	if c := s[i]; isDigit(c) {
		return c, 1
	}
	if i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && s[i+2]-0x90 <= 9 {
		return '0' + s[i+2] - 0x90, 3
	}
	return 0, 0
}

func (t *textChecks) hasWording(w string) bool {
	for _, e := range t.wording {
		if e.Wrong == w {
			return true
		}
	}
	return false
}

// contextBytes of text on each side of a finding are quoted with it.
const contextBytes = 36

// around is the text around s[i:j], cut at character boundaries, the
// NULs between a page's texts shown as spaces.
func around(s []byte, i, j int) string {
	from, to := max(i-contextBytes, 0), min(j+contextBytes, len(s))
	for from < i && !utf8.RuneStart(s[from]) {
		from++
	}
	for to > j && to < len(s) && !utf8.RuneStart(s[to]) {
		to--
	}
	return collapseSpace(string(bytes.ReplaceAll(s[from:to], []byte{0}, []byte{' '})))
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

// appendIDNumbers finds the ID numbers of a text (FindIDNumbers), the
// way textChecks reads them.
func appendIDNumbers(out []string, text []byte, limit int) []string {
	t := textChecks{ids: out}
	for i := 0; i < len(text) && len(t.ids) < limit; {
		if _, size := digitAt(text, i); size > 0 {
			i = t.idRun(text, i)
			continue
		}
		i++
	}
	return t.ids
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
