package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"sitegroup.io/operator/internal/samplesite"
)

// runSampleContent writes a sample department site (the demo's and the
// end-to-end suite's migrated content) into a directory.
func runSampleContent(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sample-content", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write the site into")
	o := samplesite.Options{}
	fs.StringVar(&o.Identity.Organizer, "organizer", "", "主办单位, the organization running the site")
	fs.StringVar(&o.Identity.SiteCode, "site-code", "", "网站标识码")
	fs.StringVar(&o.Identity.ICP, "icp", "", "ICP备案号")
	fs.StringVar(&o.Identity.PublicSecurity, "public-security", "", "公网安备案号")
	fs.IntVar(&o.StaleDays, "stale-days", 0, "age every item by this many days (60 makes the site fail V2/V3)")
	nowFlag := fs.String("now", "", "RFC 3339 time the dates count back from (now when empty)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *out == "" || o.Identity.Organizer == "" {
		return usageError{"--out and --organizer are required"}
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageError{"--now: " + err.Error()}
		}
		now = t
	}
	if err := samplesite.Write(*out, o, now); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote a sample site for %s to %s\n", o.Identity.Organizer, *out)
	return nil
}
