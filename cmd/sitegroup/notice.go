package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"sitegroup.io/operator/internal/jobargs"
	"sitegroup.io/operator/internal/notice"
)

func (c *cli) noticeCommand() *cobra.Command {
	n := jobargs.Notice{Config: "/etc/notice/notice.json", Port: envOr("PORT", "8080")}
	cmd := &cobra.Command{
		Use:   "notice",
		Short: "serve a taken-down site's closure-notice page",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(n, func() error { return runNotice(n, c.stdout) })
		},
	}
	n.Bind(cmd.Flags())
	return cmd
}

// runNotice serves a taken-down site's closure-notice page (T5, T7) from the
// JSON the operator renders into the notice ConfigMap.
func runNotice(n jobargs.Notice, stdout io.Writer) error {
	if _, err := notice.Load(n.Config); err != nil {
		return fmt.Errorf("reading the notice: %w", err)
	}
	h := notice.Handler(func() (notice.Page, error) { return notice.Load(n.Config) }, time.Now)
	fmt.Fprintf(stdout, "serving the notice on :%s\n", n.Port)
	return serveUntilSignal(":"+n.Port, h)
}
