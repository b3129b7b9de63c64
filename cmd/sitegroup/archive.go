package main

import (
	"encoding/json"
	"flag"
	"io"
	"os"

	"sitegroup.io/operator/internal/archive"
)

// runArchive archives a site's content before a permanent closure (T7) and
// reports the verified digest through the Job's termination message.
func runArchive(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "/srv/www", "content directory")
	to := fs.String("to", "", "archive file to write (.tar.gz)")
	report := fs.String("report", "/dev/termination-log", "where to write the JSON result")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *to == "" {
		return usageError{"--to is required"}
	}
	res, err := archive.Write(*from, *to)
	if err != nil {
		return err
	}
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*report, data, 0o644); err != nil {
		return err
	}
	_, err = stdout.Write(append(data, '\n'))
	return err
}
