package takedown

import (
	"strings"
	"testing"
	"time"
)

func TestBoard(t *testing.T) {
	since := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	until := since.Add(19 * Day)
	entries := []BoardEntry{
		{Site: "wjw", Organization: "天津市和平区卫生健康委员会", Domains: []string{"wjw.tjhp.gov.cn"}, Type: "permanent", Phase: "Active", Title: "网站关闭公告", Since: since.Add(Day)},
		{Site: "edu", Organization: "天津市和平区教育局", Domains: []string{"jyj.tjhp.gov.cn"}, Type: "temporary", Phase: "Active", Title: "临时关停公告", Since: since, Until: &until},
	}
	j, h, err := Board(entries, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Index(j, `"edu"`) > strings.Index(j, `"wjw"`) {
		t.Error("entries are sorted oldest first, so an unchanged board renders the same bytes")
	}
	for _, want := range []string{"天津市和平区教育局", "jyj.tjhp.gov.cn", "临时关停，预计2026年12月20日恢复", "永久关闭", `aria-labelledby`} {
		if !strings.Contains(h, want) {
			t.Errorf("fragment lacks %q:\n%s", want, h)
		}
	}
	_, empty, err := Board(nil, nil)
	if err != nil || !strings.Contains(empty, "目前没有关停的网站") {
		t.Errorf("empty board: %q %v", empty, err)
	}
	jEmpty, _, _ := Board(nil, nil)
	if !strings.Contains(jEmpty, `"takedowns": []`) || !strings.Contains(jEmpty, `"openings": []`) {
		t.Errorf("an empty board is an empty list, not null: %s", jEmpty)
	}
	if strings.Contains(empty, "网站开通公告") {
		t.Error("no openings: no opening section")
	}
	_, escaped, _ := Board([]BoardEntry{{Organization: "<script>x</script>", Type: "permanent", Since: since}}, nil)
	if strings.Contains(escaped, "<script>") {
		t.Error("names are escaped")
	}
}

// TestBoardOpenings: S5's opening announcements sit beside the takedowns.
func TestBoardOpenings(t *testing.T) {
	launched := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	until := launched.Add(30 * Day)
	j, h, err := Board(nil, []BoardEntry{{Site: "tjhp-sw/sw", Organization: "天津市和平区商务局", Domains: []string{"sw.tjhp.gov.cn"},
		Type: "opening", Title: "网站开通公告", Since: launched, Until: &until}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"网站开通公告", "天津市和平区商务局", "sw.tjhp.gov.cn", "网站于2026年11月20日正式开通", "目前没有关停的网站"} {
		if !strings.Contains(h, want) {
			t.Errorf("fragment lacks %q:\n%s", want, h)
		}
	}
	if !strings.Contains(j, `"openings": [`) || !strings.Contains(j, `"site": "tjhp-sw/sw"`) {
		t.Errorf("json: %s", j)
	}
}
