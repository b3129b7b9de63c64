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
	return reportArchive(res, a.Report, stdout)
}

func (c *cli) archiveVerifyCommand() *cobra.Command {
	a := jobargs.ArchiveVerify{Report: "/dev/termination-log"}
	cmd := &cobra.Command{
		Use:   "archive-verify --archive FILE --sha256 DIGEST",
		Short: "read an archive back and check its digest (permanent closure, a pod other than the writer)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(a, func() error { return runArchiveVerify(a, c.stdout) })
		},
	}
	a.Bind(cmd.Flags())
	return cmd
}

// runArchiveVerify reads an archive back in a pod that did not write it
// (T7) and reports what it read; a digest that does not match fails it.
func runArchiveVerify(a jobargs.ArchiveVerify, stdout io.Writer) error {
	if a.Archive == "" || len(a.SHA256) != 64 {
		return usageError{"--archive and a 64-digit --sha256 are required"}
	}
	res, err := archive.Verify(a.Archive, a.SHA256)
	if err != nil {
		return err
	}
	return reportArchive(res, a.Report, stdout)
}

// reportArchive writes the result where the operator reads it (the
// termination message) and to stdout.
func reportArchive(res archive.Result, report string, stdout io.Writer) error {
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if err := os.WriteFile(report, data, 0o644); err != nil {
		return err
	}
	_, err = stdout.Write(append(data, '\n'))
	return err
}
