package jobargs

import "github.com/spf13/pflag"

// Archive is the command line of `sitegroup archive`, which a permanent
// closure's Job runs before anything is deleted (internal/builders.ArchiveJob).
type Archive struct {
	// From is the content directory archived.
	From string
	// To is the archive written (.tar.gz).
	To string
	// Report receives the verified result as JSON. The Job leaves it at the
	// command's default, the termination message, where the operator reads it.
	Report string
}

// Args renders the command line, "archive" first: From and To always,
// Report when set.
func (a Archive) Args() []string {
	args := argList{"archive"}
	args.add(flagFrom, a.From)
	args.add(flagTo, a.To)
	args.addSet(flagReport, a.Report)
	return args
}

// Bind defines the command's flags on fs, bound to a's fields.
func (a *Archive) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&a.From, flagFrom, a.From, "content directory")
	fs.StringVar(&a.To, flagTo, a.To, "archive file to write (.tar.gz)")
	fs.StringVar(&a.Report, flagReport, a.Report, "where to write the JSON result")
}
