package jobargs

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// commandLine is what every struct of this package is.
type commandLine interface{ Args() []string }

// parse binds a zero value of the same struct as want and parses want's
// command line into it.
func parse(t *testing.T, want commandLine) any {
	t.Helper()
	got := reflect.New(reflect.TypeOf(want))
	fs := pflag.NewFlagSet(want.Args()[0], pflag.ContinueOnError)
	got.Interface().(interface{ Bind(*pflag.FlagSet) }).Bind(fs)
	if err := fs.Parse(want.Args()[1:]); err != nil {
		t.Fatalf("%v: %v", want.Args(), err)
	}
	if fs.NArg() != 0 {
		t.Fatalf("%v: arguments left over: %v", want.Args(), fs.Args())
	}
	return got.Elem().Interface()
}

// TestArgsParseBack: what Args writes, Bind reads back, for every field set.
func TestArgsParseBack(t *testing.T) {
	for _, want := range []commandLine{
		Inspect{URL: "http://edu-web.tjhp.svc/", HostHeader: "edu.tj.gov.cn", Output: "json", SummaryFile: "/dev/termination-log",
			MaxPages: 50, MaxDepth: 2, Rate: 2.5, Timeout: 3 * time.Minute, Checks: []string{"availability", "deadlinks"},
			ColumnHints: []string{"和平要闻=news", "人事 信息=personnel"}, Profile: "/etc/sitegroup/scoring/profile.yaml"},
		ContentImport{To: "/srv/www", FromDir: "/import", Timeout: time.Hour},
		ContentImport{To: "/srv/www", ArchiveURL: "https://old.example.gov.cn/site.tar.gz?x=1&y=2"},
		Notice{Config: "/etc/notice/notice.json", Port: "8080"},
		Archive{From: "/srv/www", To: "/archive/edu.tar.gz", Report: "/tmp/result.json"},
		ArchiveVerify{Archive: "/archive/edu.tar.gz", SHA256: "ab12", Report: "/tmp/result.json"},
	} {
		if got := parse(t, want); !reflect.DeepEqual(got, want) {
			t.Errorf("%v parses back as %+v, want %+v", want.Args(), got, want)
		}
	}
}

// TestArgsLeaveUnsetFlagsOut: an unset optional field writes no flag, so
// the command's default applies; a zero budget is still written.
func TestArgsLeaveUnsetFlagsOut(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{Inspect{URL: "http://x/", Output: "json"}.Args(),
			[]string{"inspect", "--url", "http://x/", "--output", "json", "--summary-file", "", "--max-pages", "0", "--max-depth", "0", "--rate", "0", "--timeout", "0s"}},
		{ContentImport{To: "/srv/www", ArchiveURL: "http://x/a.tar.gz"}.Args(),
			[]string{"content-import", "--to", "/srv/www", "--archive-url", "http://x/a.tar.gz"}},
		{Archive{From: "/srv/www", To: "/archive/a.tar.gz"}.Args(),
			[]string{"archive", "--from", "/srv/www", "--to", "/archive/a.tar.gz"}},
		{ArchiveVerify{Archive: "/archive/a.tar.gz", SHA256: "ab12"}.Args(),
			[]string{"archive-verify", "--archive", "/archive/a.tar.gz", "--sha256", "ab12"}},
	} {
		if !slices.Equal(tc.args, tc.want) {
			t.Errorf("args %q, want %q", tc.args, tc.want)
		}
	}
}

// TestBindTakesDefaultsFromTheFields: the command sets its defaults in the
// struct before binding; an absent flag leaves them.
func TestBindTakesDefaultsFromTheFields(t *testing.T) {
	a := Archive{From: "/srv/www", Report: "/dev/termination-log"}
	fs := pflag.NewFlagSet("archive", pflag.ContinueOnError)
	a.Bind(fs)
	if err := fs.Parse([]string{"--to", "/archive/a.tar.gz"}); err != nil {
		t.Fatal(err)
	}
	if a != (Archive{From: "/srv/www", To: "/archive/a.tar.gz", Report: "/dev/termination-log"}) {
		t.Errorf("parsed %+v", a)
	}
	if f := fs.Lookup("report"); f.DefValue != "/dev/termination-log" {
		t.Errorf("--report's help shows the default %q", f.DefValue)
	}
}

// TestRepeatedFlags: --checks replaces (the last one wins), --column-hint adds.
func TestRepeatedFlags(t *testing.T) {
	a := Inspect{Checks: []string{"columns"}}
	fs := pflag.NewFlagSet("inspect", pflag.ContinueOnError)
	a.Bind(fs)
	if err := fs.Parse([]string{"--checks", "homepage,identity", "--checks", "security", "--column-hint", "a=news", "--column-hint", "b=other"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Checks, []string{"security"}) || !slices.Equal(a.ColumnHints, []string{"a=news", "b=other"}) {
		t.Errorf("checks %q, column hints %q", a.Checks, a.ColumnHints)
	}
}
