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
	j, h, err := Board(entries)
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
	_, empty, err := Board(nil)
	if err != nil || !strings.Contains(empty, "目前没有关停的网站") {
		t.Errorf("empty board: %q %v", empty, err)
	}
	jEmpty, _, _ := Board(nil)
	if !strings.Contains(jEmpty, `"takedowns": []`) {
		t.Errorf("an empty board is an empty list, not null: %s", jEmpty)
	}
	_, escaped, _ := Board([]BoardEntry{{Organization: "<script>x</script>", Type: "permanent", Since: since}})
	if strings.Contains(escaped, "<script>") {
		t.Error("names are escaped")
	}
}
