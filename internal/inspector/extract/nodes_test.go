package extract

import (
	"strings"
	"testing"
)

// TestCollapseSpace: the one-pass reading agrees with Fields and Join,
// Chinese spaces, no-break spaces and broken UTF-8 included.
func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "通知公告", "  通知\t公告 \n", "a  b", "留言时间\u00a02026-01-05", "工作\u3000动态", "\xff \xfe\u3000x", " 2026年 11月 ",
	} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzCollapseSpace(f *testing.F) {
	f.Add("  通知\t公告 \n")
	f.Add("\xff\u3000\u00a0x")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
