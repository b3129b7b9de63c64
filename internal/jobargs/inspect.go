package jobargs

import (
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Inspect is the command line of `sitegroup inspect` as an InspectionRun's
// Job runs it (internal/builders.InspectionJob). The command has more flags,
// for runs by hand; the Job leaves those at their defaults.
type Inspect struct {
	// URL is the address crawled.
	URL string
	// HostHeader is the site's public domain, sent as Host to URL.
	HostHeader string
	// Portal says the site is a portal (门户网站): it carries a 国务院信息
	// column on its homepage (000 §二(三)).
	Portal bool
	// Output is json or text.
	Output string
	// SummaryFile receives the bounded summary (the Job's termination message).
	SummaryFile string
	MaxPages    int
	MaxDepth    int
	// Rate is requests per second per host; 0 is unlimited.
	Rate    float64
	Timeout time.Duration
	// Checks are the check families run; all when empty.
	Checks []string
	// ColumnHints are name=kind pairs, one flag each.
	ColumnHints []string
	// Profile is the scoring profile's file; the embedded profile when empty.
	Profile string
	// DenyCIDRs are address ranges the inspection never reaches (issue 16,
	// SSRF): the cluster's Service and Pod ranges, the API server's
	// address; one flag each. Loopback, link-local and the cloud metadata
	// addresses are refused without them, and so is the API server the
	// Job's own environment names (KUBERNETES_SERVICE_HOST).
	DenyCIDRs []string
}

// flagDenyCIDR is --deny-cidr (issue 16).
const flagDenyCIDR = "deny-cidr"

// Args renders the command line, "inspect" first. The target, the output
// and the budget are always written (a Rate of 0 means unlimited, not the
// command's default); HostHeader, Checks, ColumnHints and Profile only when
// set. DenyCIDRs are written one flag each.
func (a Inspect) Args() []string {
	args := argList{"inspect"}
	args.add(flagURL, a.URL)
	args.add(flagOutput, a.Output)
	args.add(flagSummaryFile, a.SummaryFile)
	args.add(flagMaxPages, strconv.Itoa(a.MaxPages))
	args.add(flagMaxDepth, strconv.Itoa(a.MaxDepth))
	args.add(flagRate, strconv.FormatFloat(a.Rate, 'f', -1, 64))
	args.add(flagTimeout, a.Timeout.String())
	args.addSet(flagHostHeader, a.HostHeader)
	if a.Portal {
		args = append(args, "--"+flagPortal)
	}
	args.addSet(flagChecks, strings.Join(a.Checks, ","))
	for _, h := range a.ColumnHints {
		args.add(flagColumnHint, h)
	}
	args.addSet(flagProfile, a.Profile)
	for _, c := range a.DenyCIDRs {
		args.add(flagDenyCIDR, c)
	}
	return args
}

// Bind defines the flags Args writes on fs, bound to a's fields.
func (a *Inspect) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&a.URL, flagURL, a.URL, "the site's homepage, http(s)://... (required)")
	fs.StringVar(&a.HostHeader, flagHostHeader, a.HostHeader, "the site's public domain: sent as Host to --url's address; links to it are the site's own")
	fs.BoolVar(&a.Portal, flagPortal, a.Portal, "the site is a portal: its homepage carries a 国务院信息 column kept fresh (000 §二(三))")
	fs.StringVar(&a.Output, flagOutput, a.Output, "json or text")
	fs.StringVar(&a.SummaryFile, flagSummaryFile, a.SummaryFile, "also write the summary (the Job's termination message) here")
	fs.IntVar(&a.MaxPages, flagMaxPages, a.MaxPages, "pages crawled at most")
	fs.IntVar(&a.MaxDepth, flagMaxDepth, a.MaxDepth, "link hops from the homepage at most")
	fs.Float64Var(&a.Rate, flagRate, a.Rate, "requests per second per host; 0 is unlimited")
	fs.DurationVar(&a.Timeout, flagTimeout, a.Timeout, "time budget of the whole crawl")
	fs.Var((*commaList)(&a.Checks), flagChecks, "check families to run, comma-separated (all when empty)")
	fs.StringArrayVar(&a.ColumnHints, flagColumnHint, a.ColumnHints, "name=kind: a column's kind when its name does not tell (repeatable)")
	fs.StringVar(&a.Profile, flagProfile, a.Profile, "scoring profile YAML (the embedded 2019 profile when empty)")
	fs.StringArrayVar(&a.DenyCIDRs, flagDenyCIDR, a.DenyCIDRs, "an address range (or address) never reached: the cluster's Service and Pod ranges, the API server (repeatable; loopback, link-local and cloud metadata are always refused)")
}
