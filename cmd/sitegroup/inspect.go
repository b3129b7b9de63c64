package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/inspector"
	"sitegroup.io/operator/internal/inspector/scoring"
)

// inspectOptions is the command line of `sitegroup inspect` (issue 7; the
// InspectionRun Job passes the flags internal/builders.inspectArgs writes).
type inspectOptions struct {
	cfg    inspector.Config
	output string
	sink   reportSink
}

// runInspect crawls one site and prints its report. It exits 0 whenever
// the inspection ran, whatever the verdict; bad arguments are usage errors.
func runInspect(args []string, stdout, stderr io.Writer) error {
	opts, err := parseInspect(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	report := inspector.Run(context.Background(), opts.cfg)
	if err := writeReport(stdout, opts.output, report); err != nil {
		return err
	}
	return opts.sink.publish(report)
}

func writeReport(w io.Writer, output string, r findings.Report) error {
	if output == "text" {
		return inspector.WriteText(w, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// multiFlag collects a repeatable flag (--column-hint).
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func parseInspect(args []string, stderr io.Writer) (inspectOptions, error) {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o                                  inspectOptions
		rawURL, now, profile, checks, exts string
		hints                              multiFlag
	)
	fs.StringVar(&rawURL, "url", "", "the site's homepage, http(s)://... (required)")
	fs.StringVar(&o.cfg.HostHeader, "host-header", "", "the site's public domain: sent as Host to --url's address; links to it are the site's own")
	fs.StringVar(&now, "now", "", "today as RFC 3339 (reproducible results); the clock when empty")
	fs.StringVar(&profile, "profile", "", "scoring profile YAML (the embedded 2019 profile when empty)")
	fs.IntVar(&o.cfg.MaxPages, "max-pages", inspector.DefaultMaxPages, "pages crawled at most")
	fs.IntVar(&o.cfg.MaxDepth, "max-depth", inspector.DefaultMaxDepth, "link hops from the homepage at most")
	fs.IntVar(&o.cfg.MaxLinks, "max-links", 0, "links checked at most (10 × max-pages, at least 1000, when 0)")
	fs.IntVar(&o.cfg.Concurrency, "concurrency", inspector.DefaultConcurrency, "requests in flight at most")
	fs.Float64Var(&o.cfg.Rate, "rate", inspector.DefaultRate, "requests per second per host; 0 is unlimited")
	fs.DurationVar(&o.cfg.Timeout, "timeout", inspector.DefaultTimeout, "time budget of the whole crawl")
	fs.IntVar(&o.cfg.Probes, "probes", inspector.DefaultProbes, "homepage probes for V1 (one before the crawl, the rest after)")
	fs.IntVar(&o.cfg.Retries, "retries", inspector.DefaultRetries, "retries of a transient failure")
	fs.StringVar(&checks, "checks", "", "check families to run, comma-separated (all when empty): "+strings.Join(inspector.Families, ","))
	fs.Var(&hints, "column-hint", "name=kind: a column's kind when its name does not tell (repeatable)")
	fs.StringVar(&exts, "external-links", string(inspector.ExternalAuto), "check links to other sites: auto (not with --host-header), check, skip")
	fs.StringVar(&o.output, "output", "text", "json or text")
	fs.StringVar(&o.sink.summaryFile, "summary-file", "", "also write the summary (the Job's termination message) here")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	o.cfg.Backoff = inspector.DefaultBackoff
	if err := o.complete(rawURL, now, profile, checks, exts, hints); err != nil {
		return o, usageError{err.Error()}
	}
	return o, nil
}

// complete reads and checks what the flags said.
func (o *inspectOptions) complete(rawURL, now, profile, checks, exts string, hints []string) error {
	u, err := url.Parse(rawURL)
	switch {
	case rawURL == "":
		return errors.New("--url is required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("--url %q is not an http(s) URL", rawURL)
	case o.output != "json" && o.output != "text":
		return fmt.Errorf("--output %q: json or text", o.output)
	case o.cfg.MaxPages < 1 || o.cfg.MaxDepth < 0 || o.cfg.MaxLinks < 0:
		return errors.New("--max-pages must be at least 1, --max-depth and --max-links at least 0")
	case o.cfg.Concurrency < 1 || o.cfg.Concurrency > 256:
		return errors.New("--concurrency must be within 1..256")
	case o.cfg.Rate < 0 || o.cfg.Timeout <= 0 || o.cfg.Probes < 0 || o.cfg.Retries < 0 || o.cfg.Retries > 5:
		return errors.New("--rate must be at least 0, --timeout positive, --probes at least 0, --retries within 0..5")
	case strings.ContainsAny(o.cfg.HostHeader, "/ @"):
		return fmt.Errorf("--host-header %q is not a host name", o.cfg.HostHeader)
	}
	o.cfg.URL = u
	switch inspector.External(exts) {
	case inspector.ExternalAuto, inspector.ExternalCheck, inspector.ExternalSkip:
		o.cfg.External = inspector.External(exts)
	default:
		return fmt.Errorf("--external-links %q: auto, check or skip", exts)
	}
	if now != "" {
		t, err := time.Parse(time.RFC3339, now)
		if err != nil {
			return fmt.Errorf("--now %q is not RFC 3339 (2026-11-20T09:00:00+08:00)", now)
		}
		o.cfg.Now = t
	}
	if o.cfg.Profile, err = loadProfile(profile); err != nil {
		return err
	}
	if o.cfg.Checks, err = inspector.ParseChecks(checks); err != nil {
		return err
	}
	o.cfg.ColumnHints = map[string]string{}
	for _, h := range hints {
		name, kind, err := inspector.ParseColumnHint(h, o.cfg.Profile)
		if err != nil {
			return err
		}
		o.cfg.ColumnHints[name] = kind
	}
	return nil
}

func loadProfile(path string) (*scoring.Profile, error) {
	if path == "" {
		return scoring.Default(), nil
	}
	return scoring.Load(path)
}
