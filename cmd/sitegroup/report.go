package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/client/config"

	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/scheme"
	"sitegroup.io/operator/internal/yearreport"
)

// reportTimeout bounds reading the objects from the cluster.
const reportTimeout = 2 * time.Minute

// newReportReader reads the cluster; tests replace it.
var newReportReader = func(kubeconfig string) (client.Reader, error) {
	get := ctrlconfig.GetConfig
	if kubeconfig != "" {
		get = func() (*rest.Config, error) { return clientcmd.BuildConfigFromFlags("", kubeconfig) }
	}
	cfg, err := get()
	if err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: scheme.New()})
}

// reportOptions are the parsed flags of `sitegroup report`.
type reportOptions struct {
	kubeconfig string
	req        yearreport.Request
}

// runReport prints the yearly site-management report (监管年度报表, due by
// 31 January: RULES.md §4) of one calendar year from the cluster's
// GovWebsites, TakedownRequests and InspectionRuns.
func runReport(args []string, stdout, stderr io.Writer) error {
	o, err := parseReportFlags(args, stderr, time.Now)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	c, err := newReportReader(o.kubeconfig)
	if err != nil {
		return fmt.Errorf("connecting to the cluster: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), reportTimeout)
	defer cancel()
	return yearreport.Write(ctx, c, o.req, stdout)
}

func parseReportFlags(args []string, stderr io.Writer, now func() time.Time) (reportOptions, error) {
	var o reportOptions
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	year := fs.Int("year", 0, "calendar year reported (Asia/Shanghai calendar), e.g. 2026")
	previous := fs.Bool("previous-year", false, "report the year before --now (instead of --year), for a January schedule")
	format := fs.String("format", string(yearreport.FormatMarkdown), "output format: markdown or csv")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "path to a kubeconfig; in-cluster or $KUBECONFIG when empty")
	fs.StringVar(&o.req.Namespace, "namespace", "", "report the sites of one namespace; all namespaces when empty")
	nowFlag := fs.String("now", "", "generation time, RFC 3339 (default: the current time)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sitegroup report (--year YYYY | --previous-year) [--format markdown|csv] [--kubeconfig PATH] [--namespace NS] [--now RFC3339]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected arguments %q", fs.Args())}
	}

	o.req.Now = now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return o, usageError{fmt.Sprintf("--now %q is not an RFC 3339 time: %v", *nowFlag, err)}
		}
		o.req.Now = t
	}

	yearSet := false
	fs.Visit(func(f *flag.Flag) { yearSet = yearSet || f.Name == "year" })
	switch {
	case yearSet && *previous:
		return o, usageError{"give --year or --previous-year, not both"}
	case *previous:
		o.req.Year = o.req.Now.In(clock.Shanghai).Year() - 1
	case yearSet:
		if *year < 1970 || *year > 9999 {
			return o, usageError{fmt.Sprintf("--year %d is not a calendar year (YYYY)", *year)}
		}
		o.req.Year = *year
	default:
		return o, usageError{"--year YYYY (or --previous-year) is required"}
	}

	switch f := yearreport.Format(*format); f {
	case yearreport.FormatMarkdown, yearreport.FormatCSV:
		o.req.Format = f
	default:
		return o, usageError{fmt.Sprintf("--format %q: markdown or csv", *format)}
	}
	return o, nil
}
