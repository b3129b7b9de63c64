package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"sitegroup.io/operator/internal/notice"
)

// runNotice serves a taken-down site's closure-notice page (T5, T7) from the
// JSON the operator renders into the notice ConfigMap.
func runNotice(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("notice", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "/etc/notice/notice.json", "the notice's JSON")
	port := fs.String("port", envOr("PORT", "8080"), "port to listen on")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if _, err := notice.Load(*config); err != nil {
		return fmt.Errorf("reading the notice: %w", err)
	}
	h := notice.Handler(func() (notice.Page, error) { return notice.Load(*config) }, time.Now)
	fmt.Fprintf(stdout, "serving the notice on :%s\n", *port)
	return serveUntilSignal(":"+*port, h)
}
