package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"sitegroup.io/operator/internal/contentimport"
	"sitegroup.io/operator/internal/jobargs"
)

func (c *cli) contentImportCommand() *cobra.Command {
	ci := jobargs.ContentImport{Timeout: 30 * time.Minute}
	cmd := &cobra.Command{
		Use:   "content-import --to DIR (--from-dir DIR | --archive-url URL)",
		Short: "fill a content volume from a migrated site, once",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(ci, func() error { return runContentImport(ci, c.stdout) })
		},
	}
	ci.Bind(cmd.Flags())
	return cmd
}

// runContentImport fills a content volume once from a migrated site.
func runContentImport(ci jobargs.ContentImport, stdout io.Writer) error {
	if ci.To == "" || (ci.FromDir == "") == (ci.ArchiveURL == "") {
		return usageError{"--to and exactly one of --from-dir or --archive-url are required"}
	}
	var st contentimport.Stats
	var err error
	if ci.FromDir != "" {
		st, err = contentimport.CopyDir(ci.FromDir, ci.To)
	} else {
		st, err = contentimport.FetchArchive(context.Background(), ci.ArchiveURL, ci.To, ci.Timeout)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "imported %d files, %d bytes into %s\n", st.Files, st.Bytes, ci.To)
	return err
}
