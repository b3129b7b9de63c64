package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
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

// newReportClient reads the cluster (and publishes the report); tests replace it.
var newReportClient = func(kubeconfig string) (client.Client, error) {
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

// reportOptions is what `sitegroup report` reads and from where.
type reportOptions struct {
	kubeconfig string
	req        yearreport.Request
	// publishNamespace, when set, also publishes the report (Markdown and
	// CSV) as a ConfigMap there, for the auditor.
	publishNamespace string
}

// reportFlags are the flags of `sitegroup report`.
type reportFlags struct {
	year         int
	yearSet      bool
	previousYear bool
	format       string
	kubeconfig   string
	namespace    string
	publish      string
	now          time.Time
}

func (c *cli) reportCommand() *cobra.Command {
	f := reportFlags{format: string(yearreport.FormatMarkdown)}
	cmd := &cobra.Command{
		Use:   "report (--year YYYY | --previous-year)",
		Short: "print the yearly site-management report (监管年度报表) as Markdown or CSV",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.yearSet = cmd.Flags().Changed("year")
			return c.run(f, func() error {
				o, err := f.options(c.now)
				if err != nil {
					return err
				}
				return runReport(o, c.stdout)
			})
		},
	}
	fs := cmd.Flags()
	fs.IntVar(&f.year, "year", 0, "calendar year reported (Asia/Shanghai calendar), e.g. 2026")
	fs.BoolVar(&f.previousYear, "previous-year", false, "report the year before --now (instead of --year), for a January schedule")
	fs.StringVar(&f.format, "format", f.format, "output format: markdown or csv")
	bindKubeconfig(fs, &f.kubeconfig)
	fs.StringVar(&f.namespace, "namespace", "", "report the sites of one namespace; all namespaces when empty")
	fs.StringVar(&f.publish, "publish-namespace", "", "also publish the report (Markdown and CSV) as the ConfigMap sitegroup-yearly-report-<year> in this namespace")
	bindNow(fs, &f.now, "generation time, RFC 3339 (default: the current time)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]string{string(yearreport.FormatMarkdown), string(yearreport.FormatCSV)}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runReport prints the yearly site-management report (监管年度报表, due by
// 31 January: RULES.md §4) of one calendar year from the cluster's
// GovWebsites, TakedownRequests and InspectionRuns.
func runReport(o reportOptions, stdout io.Writer) error {
	c, err := newReportClient(o.kubeconfig)
	if err != nil {
		return fmt.Errorf("connecting to the cluster: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), reportTimeout)
	defer cancel()
	if err := yearreport.Write(ctx, c, o.req, stdout); err != nil {
		return err
	}
	if o.publishNamespace == "" {
		return nil
	}
	cm, err := yearreport.Publish(ctx, c, o.req, o.publishNamespace)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\npublished as ConfigMap %s/%s\n", cm.Namespace, cm.Name)
	return err
}

// options checks the flags and says which year is reported; now is the
// clock --now stands for.
func (f reportFlags) options(now func() time.Time) (reportOptions, error) {
	o := reportOptions{kubeconfig: f.kubeconfig, req: yearreport.Request{Namespace: f.namespace, Now: f.now}, publishNamespace: f.publish}
	if o.req.Now.IsZero() {
		o.req.Now = now()
	}
	switch {
	case f.yearSet && f.previousYear:
		return o, usageError{"give --year or --previous-year, not both"}
	case f.previousYear:
		o.req.Year = o.req.Now.In(clock.Shanghai).Year() - 1
	case f.yearSet:
		if f.year < 1970 || f.year > 9999 {
			return o, usageError{fmt.Sprintf("--year %d is not a calendar year (YYYY)", f.year)}
		}
		o.req.Year = f.year
	default:
		return o, usageError{"--year YYYY (or --previous-year) is required"}
	}

	switch format := yearreport.Format(f.format); format {
	case yearreport.FormatMarkdown, yearreport.FormatCSV:
		o.req.Format = format
	default:
		return o, usageError{fmt.Sprintf("--format %q: markdown or csv", f.format)}
	}
	return o, nil
}
