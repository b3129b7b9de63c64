package main

import (
	"fmt"
	"os"

	"sitegroup.io/operator/internal/findings"
)

// reportSink says where an inspection inside a Job hands its summary back:
// the termination message (kept under 4 KiB). The full report goes to
// stdout; the manager reads it from the pod's log, because the inspector
// pod reads untrusted pages and has no API token.
type reportSink struct {
	summaryFile string // --summary-file, /dev/termination-log in a Job
}

// publish writes the summary when a summary file is named.
func (s reportSink) publish(r findings.Report) error {
	if s.summaryFile == "" {
		return nil
	}
	if err := os.WriteFile(s.summaryFile, findings.Summarize(r).Encode(), 0o644); err != nil {
		return fmt.Errorf("writing the summary: %w", err)
	}
	return nil
}
