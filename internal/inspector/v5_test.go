package inspector

import (
	"strings"
	"testing"
	"time"

	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/inspector/extract"
	"sitegroup.io/operator/internal/inspector/scoring"
)

// TestFakedPublishDates (V5, issue 16) at each threshold: an item dated
// more than a day after the crawl, a page dated after the crawl, and a
// page whose publish date is more than a day after the server's
// Last-Modified for it.
func TestFakedPublishDates(t *testing.T) {
	at := func(days int, hour int) time.Time {
		d := testToday.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, clock.Shanghai)
	}
	for _, tc := range []struct {
		name       string
		item       time.Time // a list item's date
		pub        time.Time // a page's publish date
		modified   time.Time // its Last-Modified
		veto, warn string
	}{
		{name: "an item dated today", item: at(0, 0)},
		{name: "an item dated tomorrow", item: at(1, 0), warn: "V5-future-dates"},
		{name: "an item dated 2 days ahead", item: at(2, 0), veto: "V5"},
		{name: "a page published today", pub: at(0, 9), modified: at(0, 10)},
		{name: "a page published 2 days ahead", pub: at(2, 9), veto: "V5"},
		{name: "published the day it was last modified", pub: at(-5, 18), modified: at(-5, 9)},
		{name: "published 1 day after it was last modified", pub: at(-4, 9), modified: at(-5, 23)},
		{name: "published 2 days after it was last modified", pub: at(-3, 9), modified: at(-5, 23), veto: "V5"},
		{name: "published long after, no Last-Modified", pub: at(-3, 9)},
		{name: "modified in UTC, the day before in Shanghai", pub: at(-4, 0), modified: time.Date(2026, 11, 15, 17, 0, 0, 0, time.UTC)}, // 11-16 01:00 in Shanghai
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &securityLog{profile: scoring.Default()}
			where := func() string { return "http://site.test/a.html" }
			page := &extract.Page{Title: "通知", PubDate: tc.pub}
			if !tc.item.IsZero() {
				page.Items = []extract.Item{{Title: "关于下月工作安排的通知", Date: tc.item}}
			}
			log.add(where, page, testToday)
			if !tc.pub.IsZero() {
				log.fakedDate(where, page, tc.modified, testToday)
			}
			j := &judgement{}
			checkSecurity(j, &observation{security: log})
			if vetoIDs(j) != tc.veto || warnIDs(j) != tc.warn {
				t.Errorf("vetoes %q warnings %q, want %q %q (%v)", vetoIDs(j), warnIDs(j), tc.veto, tc.warn, j.vetoes)
			}
			if tc.veto != "" && !strings.Contains(j.vetoes[0].Reason, "http://site.test/a.html") {
				t.Errorf("the finding names the page: %q", j.vetoes[0].Reason)
			}
		})
	}
}

// TestWordingVeto (V5): a wrong office name is a veto naming the page,
// the wrong and the right name, and the text around it.
func TestWordingVeto(t *testing.T) {
	log := &securityLog{profile: scoring.Default()}
	page := &extract.Page{Security: extract.Security{Wording: []extract.WordingError{{Wrong: "国务院办公室", Context: "转发国务院办公室关于"}}}}
	log.add(func() string { return "http://site.test/b.html" }, page, testToday)
	j := &judgement{}
	checkSecurity(j, &observation{security: log})
	if vetoIDs(j) != "V5" || !strings.Contains(j.vetoes[0].Reason, "http://site.test/b.html") || !strings.Contains(j.vetoes[0].Reason, "国务院办公厅") ||
		!strings.Contains(j.vetoes[0].Reason, "转发国务院办公室关于") {
		t.Errorf("vetoes %v", j.vetoes)
	}
	j = &judgement{}
	checkSecurity(j, &observation{security: &securityLog{profile: scoring.Default()}})
	if vetoIDs(j) != "" {
		t.Errorf("no wording error: vetoes %v", j.vetoes)
	}
}
