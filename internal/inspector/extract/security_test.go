package extract

import (
	"strings"
	"testing"
)

// containsFold finds V5's defacement phrases in every text of a page.
func TestContainsFold(t *testing.T) {
	cases := []struct {
		text, phrase string
		want         bool
	}{
		{"This site was HACKED BY someone", "hacked by", true},
		{"hacked b", "hacked by", false},
		{"Hacked By", "hacked by", true},
		{"hhhacked by", "hacked by", true},  // a false start before the match
		{"Hh hacked by", "hacked by", true}, // upper case candidate first, then lower
		{"hacked  by", "hacked by", false},  // two spaces
		{"网站被黑客入侵了", "被黑客入侵", true},         // no letters: plain search
		{"网站被黑客攻击", "被黑客入侵", false},
		{"h4CKED BY x", "h4cked by", true},
		{"", "hacked by", false},
		{"anything", "", true},
		{"DEFACED by", "defaced by", true},
		{"xDEFACED BX", "defaced by", false},
		{"ending with H", "hacked by", false}, // a candidate too near the end
	}
	for _, c := range cases {
		if got := containsFold([]byte(c.text), []byte(c.phrase)); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", c.text, c.phrase, got, c.want)
		}
	}
}

// FuzzContainsFold holds containsFold to the plain definition: the text,
// its ASCII letters lower-cased, contains the (lower-case) phrase.
func FuzzContainsFold(f *testing.F) {
	for _, seed := range [][2]string{{"HACKED BY x", "hacked by"}, {"被黑客入侵", "被黑客入侵"}, {"hH", "h"}, {"abc", ""}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, text, phrase string) {
		if asciiLower(phrase) != phrase {
			return // the phrases are lower-cased once, when read
		}
		want := strings.Contains(asciiLower(text), phrase)
		if got := containsFold([]byte(text), []byte(phrase)); got != want {
			t.Fatalf("containsFold(%q, %q) = %v, want %v", text, phrase, got, want)
		}
	})
}

func TestBlank(t *testing.T) {
	for s, want := range map[string]bool{"": true, " \n\t\r\f": true, " x ": false, "\u3000": false} {
		if got := blank([]byte(s)); got != want {
			t.Errorf("blank(%q) = %v, want %v", s, got, want)
		}
	}
}
