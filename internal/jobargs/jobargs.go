// Package jobargs is the command lines of the Jobs and Deployments that run
// the operator's own binary: `sitegroup inspect` (an InspectionRun),
// `content-import` (a migrated site's first content), `notice` (a taken-down
// site's notice page), `archive` (a permanent closure) and `archive-verify`
// (its read-back by a second pod). The builders
// render them with Args; the subcommands parse them with the flags Bind
// defines. One definition serves both sides, so a renamed flag breaks the
// build, or cmd/sitegroup's test of the builders' command lines, instead of
// a Job in a cluster.
//
// Bind binds each flag to a field and takes the field's value as the flag's
// default: the command sets its defaults before binding, the builders never
// bind.
package jobargs

import (
	"strings"

	"github.com/spf13/pflag"
)

// The flags' names: Args writes them and Bind defines them from these, so
// the two sides cannot drift apart.
const (
	flagURL         = "url"
	flagHostHeader  = "host-header"
	flagPortal      = "portal"
	flagOutput      = "output"
	flagSummaryFile = "summary-file"
	flagMaxPages    = "max-pages"
	flagMaxDepth    = "max-depth"
	flagRate        = "rate"
	flagTimeout     = "timeout"
	flagChecks      = "checks"
	flagColumnHint  = "column-hint"
	flagProfile     = "profile"
	flagTo          = "to"
	flagFromDir     = "from-dir"
	flagArchiveURL  = "archive-url"
	flagConfig      = "config"
	flagPort        = "port"
	flagFrom        = "from"
	flagReport      = "report"
	flagArchive     = "archive"
	flagSHA256      = "sha256"
)

// BindPort defines --port, the port a serving subcommand listens on: notice,
// and serve-static, which the sample sites run. *port is the default.
func BindPort(fs *pflag.FlagSet, port *string) {
	fs.StringVar(port, flagPort, *port, "port to listen on")
}

// argList is a command line being rendered.
type argList []string

func (l *argList) add(flag, value string) { *l = append(*l, "--"+flag, value) }

// addSet adds the flag only when it has a value: an unset flag keeps the
// command's default.
func (l *argList) addSet(flag, value string) {
	if value != "" {
		l.add(flag, value)
	}
}

// commaList is a flag holding a comma-separated list. A repeated flag
// replaces the list, as a repeated string flag would.
type commaList []string

func (l *commaList) String() string { return strings.Join(*l, ",") }
func (l *commaList) Type() string   { return "strings" }

func (l *commaList) Set(v string) error {
	*l = nil
	if v != "" {
		*l = strings.Split(v, ",")
	}
	return nil
}
