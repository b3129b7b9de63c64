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

// ArchiveVerify is the command line of `sitegroup archive-verify`: a second
// Job, whose pod did not write the archive, reads it back and checks the
// digest the writer reported (T7, internal/builders.ArchiveVerifyJob).
type ArchiveVerify struct {
	// Archive is the tarball read back.
	Archive string
	// SHA256 is the digest the writer reported.
	SHA256 string
	// Report receives the verified result as JSON, as Archive's does.
	Report string
}

// Args renders the command line, "archive-verify" first: Archive and SHA256
// always, Report when set.
func (a ArchiveVerify) Args() []string {
	args := argList{"archive-verify"}
	args.add(flagArchive, a.Archive)
	args.add(flagSHA256, a.SHA256)
	args.addSet(flagReport, a.Report)
	return args
}

// Bind defines the command's flags on fs, bound to a's fields.
func (a *ArchiveVerify) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&a.Archive, flagArchive, a.Archive, "archive file to read back (.tar.gz)")
	fs.StringVar(&a.SHA256, flagSHA256, a.SHA256, "the digest the writer reported")
	fs.StringVar(&a.Report, flagReport, a.Report, "where to write the JSON result")
}
