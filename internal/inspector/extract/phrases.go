package extract

import (
	"sync"
	"unsafe"
)

// phraseSet finds many short phrases in a page's text in one pass
// (issue 16's speed work: a bytes.Index per phrase cost a quarter of the
// crawl, as Chinese text is full of the lead bytes every phrase starts
// with). A phrase whose first character is a three-byte one (Chinese)
// is found by that character's last two bytes, looked up in a table at
// every three-byte character of the text (textChecks.add's one pass,
// which also reads the digits of ID numbers); the others (rare: ASCII
// phrases) by bytes.Index.
type phraseSet struct {
	second [256]bool            // the second byte of a first character: most characters stop here
	first  [1 << 16 / 64]uint64 // bits: the last two bytes of a first character
	byKey  map[uint16][]int
	words  [][]byte
	others []int // phrases not starting with a three-byte character
}

func newPhraseSet(words []string) *phraseSet {
	p := &phraseSet{byKey: map[uint16][]int{}}
	for i, w := range words {
		b := []byte(w)
		p.words = append(p.words, b)
		if len(b) >= 3 && b[0] >= 0xE0 && b[0] < 0xF0 {
			k := uint16(b[1])<<8 | uint16(b[2])
			p.first[k>>6] |= 1 << (k & 63)
			p.second[b[1]] = true
			p.byKey[k] = append(p.byKey[k], i)
			continue
		}
		if len(b) > 0 {
			p.others = append(p.others, i)
		}
	}
	return p
}

// phrase kinds a page's text is read for.
const (
	phraseMarker = iota // a blank column's text (暂无信息)
	phraseLabel         // a publish date's label (发布时间)
	phraseWrong         // a wrong name (V5)
	phraseAsked         // a message record's label (留言时间)
)

// textPhrases is the set textChecks reads: the blank markers, the
// publish-date labels and the wrong names, with each phrase's kind.
type textPhrases struct {
	set   *phraseSet
	kinds []int
	words []string
}

// phraseCache keeps the last crawl's set: every page of a crawl shares
// its Options' lists, so the set is built once, not per page.
var phraseCache struct {
	sync.Mutex
	markers, wrong []string
	last           *textPhrases
}

func sameList(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.SliceData(a) == unsafe.SliceData(b))
}

func phrasesFor(markers, wrong []string) *textPhrases {
	c := &phraseCache
	c.Lock()
	defer c.Unlock()
	if c.last != nil && sameList(c.markers, markers) && sameList(c.wrong, wrong) {
		return c.last
	}
	t := &textPhrases{}
	add := func(kind int, words ...string) {
		for _, w := range words {
			if w != "" {
				t.words = append(t.words, w)
				t.kinds = append(t.kinds, kind)
			}
		}
	}
	add(phraseMarker, markers...)
	for _, l := range pubLabelBytes {
		add(phraseLabel, string(l))
	}
	add(phraseWrong, wrong...)
	add(phraseAsked, askedLabel)
	t.set = newPhraseSet(t.words)
	c.markers, c.wrong, c.last = markers, wrong, t
	return t
}
