package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector"
	"sitegroup.io/operator/internal/inspector/crawl"
	"sitegroup.io/operator/internal/inspector/scoring"
	"sitegroup.io/operator/internal/jobargs"
)

// inspectFlags is the command line of `sitegroup inspect` (issue 7): the
// flags the InspectionRun Job passes (internal/builders.InspectionJob
// writes them) and those only a run by hand sets.
type inspectFlags struct {
	job           jobargs.Inspect
	now           time.Time
	maxLinks      int
	concurrency   int
	probes        int
	retries       int
	externalLinks string
	allowAddrs    []string
}

func (c *cli) inspectCommand() *cobra.Command {
	f := inspectFlags{
		job: jobargs.Inspect{Output: "text", MaxPages: inspector.DefaultMaxPages, MaxDepth: inspector.DefaultMaxDepth,
			Rate: inspector.DefaultRate, Timeout: inspector.DefaultTimeout},
		concurrency:   inspector.DefaultConcurrency,
		probes:        inspector.DefaultProbes,
		retries:       inspector.DefaultRetries,
		externalLinks: string(inspector.ExternalAuto),
	}
	cmd := &cobra.Command{
		Use:   "inspect --url URL",
		Short: "inspect one site against the national indicators",
		Long: "Inspect crawls one site and judges it against the national indicators; the report goes to stdout.\n" +
			"It exits 0 whenever the inspection ran, whatever the verdict, and 2 on bad arguments.\n\n" +
			"Check families (--checks): " + strings.Join(inspector.Families, ", ") + ".",
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(f, func() error { return runInspect(f, c.stdout) })
		},
	}
	fs := cmd.Flags()
	f.job.Bind(fs)
	bindNow(fs, &f.now, "today as RFC 3339 (reproducible results); the clock when empty")
	fs.IntVar(&f.maxLinks, "max-links", 0, "links checked at most (10 × max-pages, at least 1000, when 0)")
	fs.IntVar(&f.concurrency, "concurrency", f.concurrency, "requests in flight at most")
	fs.IntVar(&f.probes, "probes", f.probes, "homepage probes for V1 (one before the crawl, the rest after)")
	fs.IntVar(&f.retries, "retries", f.retries, "retries of a transient failure")
	fs.StringVar(&f.externalLinks, "external-links", f.externalLinks, "check links to other sites: auto (not with --host-header), check, skip")
	fs.StringArrayVar(&f.allowAddrs, "allow-addr", nil, "host:port reached even on loopback or in a denied range, besides the site's own (repeatable; tests, a second local site)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"json", "text"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("external-links", cobra.FixedCompletions([]string{"auto", "check", "skip"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runInspect crawls one site and prints its report. Bad arguments are
// usage errors; a site that fails is a verdict, not an error.
func runInspect(f inspectFlags, stdout io.Writer) error {
	cfg, err := f.config()
	if err != nil {
		return usageError{err.Error()}
	}
	inspector.TuneRuntime() // the Job's memory limit and collector pace (issue 16)
	report := inspector.Run(context.Background(), cfg)
	if err := writeReport(stdout, f.job.Output, report); err != nil {
		return err
	}
	return reportSink{summaryFile: f.job.SummaryFile}.publish(report)
}

func writeReport(w io.Writer, output string, r findings.Report) error {
	if output == "text" {
		return inspector.WriteText(w, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// config reads and checks what the flags said.
func (f inspectFlags) config() (inspector.Config, error) {
	a := f.job
	cfg := inspector.Config{
		HostHeader: a.HostHeader, Portal: a.Portal, MaxPages: a.MaxPages, MaxDepth: a.MaxDepth, MaxLinks: f.maxLinks,
		Concurrency: f.concurrency, Rate: a.Rate, Timeout: a.Timeout, Probes: f.probes, Retries: f.retries,
		Backoff: inspector.DefaultBackoff, Now: f.now,
	}
	u, err := url.Parse(a.URL)
	switch {
	case a.URL == "":
		return cfg, errors.New("--url is required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return cfg, fmt.Errorf("--url %q is not an http(s) URL", a.URL)
	case a.Output != "json" && a.Output != "text":
		return cfg, fmt.Errorf("--output %q: json or text", a.Output)
	case cfg.MaxPages < 1 || cfg.MaxDepth < 0 || cfg.MaxLinks < 0:
		return cfg, errors.New("--max-pages must be at least 1, --max-depth and --max-links at least 0")
	case cfg.Concurrency < 1 || cfg.Concurrency > 256:
		return cfg, errors.New("--concurrency must be within 1..256")
	case cfg.Rate < 0 || cfg.Timeout <= 0 || cfg.Probes < 0 || cfg.Retries < 0 || cfg.Retries > 5:
		return cfg, errors.New("--rate must be at least 0, --timeout positive, --probes at least 0, --retries within 0..5")
	case strings.ContainsAny(cfg.HostHeader, "/ @"):
		return cfg, fmt.Errorf("--host-header %q is not a host name", cfg.HostHeader)
	}
	cfg.URL = u
	switch inspector.External(f.externalLinks) {
	case inspector.ExternalAuto, inspector.ExternalCheck, inspector.ExternalSkip:
		cfg.External = inspector.External(f.externalLinks)
	default:
		return cfg, fmt.Errorf("--external-links %q: auto, check or skip", f.externalLinks)
	}
	if cfg.DenyCIDRs, err = crawl.ParseCIDRs(append(a.DenyCIDRs, apiServer()...)); err != nil {
		return cfg, fmt.Errorf("--deny-cidr: %w", err)
	}
	cfg.AllowAddrs = f.allowAddrs
	if cfg.Profile, err = loadProfile(a.Profile); err != nil {
		return cfg, err
	}
	if cfg.Checks, err = inspector.ParseChecks(strings.Join(a.Checks, ",")); err != nil {
		return cfg, err
	}
	cfg.ColumnHints = map[string]string{}
	for _, h := range a.ColumnHints {
		name, kind, err := inspector.ParseColumnHint(h, cfg.Profile)
		if err != nil {
			return cfg, err
		}
		cfg.ColumnHints[name] = kind
	}
	return cfg, nil
}

// apiServer is the API server's address as a pod sees it: the inspection
// never reaches it (issue 16, SSRF), whatever the Job's flags say.
func apiServer() []string {
	if h := os.Getenv("KUBERNETES_SERVICE_HOST"); h != "" {
		return []string{h}
	}
	return nil
}

func loadProfile(path string) (*scoring.Profile, error) {
	if path == "" {
		return scoring.Default(), nil
	}
	return scoring.Load(path)
}
