package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"sitegroup.io/operator/internal/samplesite"
)

// sampleContentFlags are the flags of `sitegroup sample-content`.
type sampleContentFlags struct {
	out  string
	site samplesite.Options
	now  time.Time
}

func (c *cli) sampleContentCommand() *cobra.Command {
	var f sampleContentFlags
	cmd := &cobra.Command{
		Use:   "sample-content --out DIR --organizer NAME",
		Short: "write a sample department site (the demo's migrated content)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(f, func() error { return runSampleContent(f, c.now, c.stdout) })
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.out, "out", "", "directory to write the site into")
	fs.StringVar(&f.site.Identity.Organizer, "organizer", "", "主办单位, the organization running the site")
	fs.StringVar(&f.site.Identity.SiteCode, "site-code", "", "网站标识码")
	fs.StringVar(&f.site.Identity.ICP, "icp", "", "ICP备案号")
	fs.StringVar(&f.site.Identity.PublicSecurity, "public-security", "", "公网安备案号")
	fs.IntVar(&f.site.StaleDays, "stale-days", 0, "age every item by this many days (60 makes the site fail V2/V3)")
	bindNow(fs, &f.now, "RFC 3339 time the dates count back from (now when empty)")
	return cmd
}

// runSampleContent writes a sample department site (the demo's and the
// end-to-end suite's migrated content) into a directory.
func runSampleContent(f sampleContentFlags, now func() time.Time, stdout io.Writer) error {
	if f.out == "" || f.site.Identity.Organizer == "" {
		return usageError{"--out and --organizer are required"}
	}
	if f.now.IsZero() {
		f.now = now()
	}
	if err := samplesite.Write(f.out, f.site, f.now); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote a sample site for %s to %s\n", f.site.Identity.Organizer, f.out)
	return nil
}
