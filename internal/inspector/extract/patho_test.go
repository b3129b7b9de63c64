package extract

import (
	"strings"
	"testing"
	"time"
)

// TestPathologicalPages: pages built to make a careless extractor
// quadratic (50,000 sibling paragraphs, deep nesting) finish in well under
// a second each; the test's timeout catches a regression.
func TestPathologicalPages(t *testing.T) {
	cases := map[string]string{
		"deep li 4 anchors": strings.Repeat(`<li><a href="a">aaa</a><a href="b">bbb</a><a href="c">ccc</a><a href="d">ddd</a>`, 20000),
		"deep div":          strings.Repeat(`<div>`, 500) + `<a href="x">title</a>`,
		"wide divs":         strings.Repeat(`<div class="x"><span>t</span></div>`, 50000),
		"deep ul":           strings.Repeat(`<ul><li><a href="x">a</a><a href="x">a</a><a href="x">a</a><a href="x">a</a>`, 250),
		"deep tables":       strings.Repeat(`<table><tr><td>留言时间`, 160),
		"many labels":       strings.Repeat(`<p>留言时间：2026-01-01 `, 50000),
		"deep divs anchors": strings.Repeat(`<div><a href="x">aa</a><a href="x">aa</a><a href="x">aa</a><a href="x">aa</a>`, 500),
	}
	for name, body := range cases {
		start := time.Now()
		_, err := Parse(strings.NewReader(body), testBase, testOptions)
		t.Logf("%s: %d bytes %v %v", name, len(body), time.Since(start), err)
	}
}
