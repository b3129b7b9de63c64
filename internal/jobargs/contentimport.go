package jobargs

import (
	"time"

	"github.com/spf13/pflag"
)

// ContentImport is the command line of `sitegroup content-import`, which a
// migrated site's import Job runs once (internal/builders.ImportJob): it
// fills To from exactly one of FromDir or ArchiveURL.
type ContentImport struct {
	// To is the content directory filled.
	To string
	// FromDir is a directory whose files are copied.
	FromDir string
	// ArchiveURL is a .tar.gz fetched and unpacked.
	ArchiveURL string
	// Timeout is the time limit of a fetch.
	Timeout time.Duration
}

// Args renders the command line, "content-import" first: To always, the
// source and Timeout when set.
func (c ContentImport) Args() []string {
	args := argList{"content-import"}
	args.add(flagTo, c.To)
	args.addSet(flagFromDir, c.FromDir)
	args.addSet(flagArchiveURL, c.ArchiveURL)
	if c.Timeout != 0 {
		args.add(flagTimeout, c.Timeout.String())
	}
	return args
}

// Bind defines the command's flags on fs, bound to c's fields.
func (c *ContentImport) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&c.To, flagTo, c.To, "content directory to fill")
	fs.StringVar(&c.FromDir, flagFromDir, c.FromDir, "copy the files of this directory")
	fs.StringVar(&c.ArchiveURL, flagArchiveURL, c.ArchiveURL, "fetch and unpack this .tar.gz")
	fs.DurationVar(&c.Timeout, flagTimeout, c.Timeout, "time limit of a fetch")
}
