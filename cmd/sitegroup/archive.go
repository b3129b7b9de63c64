package main

import (
	"encoding/json"
	"io"
	"os"

	"github.com/spf13/cobra"

	"sitegroup.io/operator/internal/archive"
	"sitegroup.io/operator/internal/jobargs"
)

func (c *cli) archiveCommand() *cobra.Command {
	// The archive Job leaves --report here: the termination message is where
	// the operator reads the verified digest.
	a := jobargs.Archive{From: "/srv/www", Report: "/dev/termination-log"}
	cmd := &cobra.Command{
		Use:   "archive --to FILE",
		Short: "archive a site's content and verify it (permanent closure)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(a, func() error { return runArchive(a, c.stdout) })
		},
	}
	a.Bind(cmd.Flags())
	return cmd
}

// runArchive archives a site's content before a permanent closure (T7) and
// reports the verified digest through the Job's termination message.
func runArchive(a jobargs.Archive, stdout io.Writer) error {
	if a.To == "" {
		return usageError{"--to is required"}
	}
	res, err := archive.Write(a.From, a.To)
	if err != nil {
		return err
	}
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if err := os.WriteFile(a.Report, data, 0o644); err != nil {
		return err
	}
	_, err = stdout.Write(append(data, '\n'))
	return err
}
