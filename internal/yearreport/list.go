package yearreport

import (
	"context"
	"fmt"
	"io"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
)

// pageSize bounds one List call; the report pages through bigger lists.
const pageSize = 500

// List reads every GovWebsite, TakedownRequest and InspectionRun of a
// namespace, or of all namespaces when namespace is empty.
func List(ctx context.Context, c client.Reader, namespace string) (Input, error) {
	var in Input
	var opts []client.ListOption
	if namespace != "" {
		opts = append(opts, client.InNamespace(namespace))
	}
	err := pages(ctx, c, opts, func() client.ObjectList { return &sgv1.GovWebsiteList{} },
		func(l client.ObjectList) { in.Sites = append(in.Sites, l.(*sgv1.GovWebsiteList).Items...) })
	if err != nil {
		return Input{}, fmt.Errorf("listing GovWebsites: %w", err)
	}
	err = pages(ctx, c, opts, func() client.ObjectList { return &sgv1.TakedownRequestList{} },
		func(l client.ObjectList) { in.Takedowns = append(in.Takedowns, l.(*sgv1.TakedownRequestList).Items...) })
	if err != nil {
		return Input{}, fmt.Errorf("listing TakedownRequests: %w", err)
	}
	err = pages(ctx, c, opts, func() client.ObjectList { return &sgv1.InspectionRunList{} },
		func(l client.ObjectList) { in.Runs = append(in.Runs, l.(*sgv1.InspectionRunList).Items...) })
	if err != nil {
		return Input{}, fmt.Errorf("listing InspectionRuns: %w", err)
	}
	return in, nil
}

// pages lists page by page, each into a new list (a decoder reusing a
// list would write into the items already collected).
func pages(ctx context.Context, c client.Reader, opts []client.ListOption, newList func() client.ObjectList, collect func(client.ObjectList)) error {
	cont := ""
	for {
		list := newList()
		o := append([]client.ListOption{client.Limit(pageSize)}, opts...)
		if cont != "" {
			o = append(o, client.Continue(cont))
		}
		if err := c.List(ctx, list, o...); err != nil {
			return err
		}
		collect(list)
		if cont = list.GetContinue(); cont == "" {
			return nil
		}
	}
}

// Format of the written report.
type Format string

const (
	FormatMarkdown Format = "markdown"
	FormatCSV      Format = "csv"
)

// Request is one report as the command asks for it.
type Request struct {
	Year      int
	Format    Format
	Namespace string
	Now       time.Time
}

// Write reads the objects in scope through c and writes the report of
// req.Year in req.Format to w.
func Write(ctx context.Context, c client.Reader, req Request, w io.Writer) error {
	in, err := List(ctx, c, req.Namespace)
	if err != nil {
		return err
	}
	scope := "all namespaces"
	if req.Namespace != "" {
		scope = "namespace " + req.Namespace
	}
	rep := Build(in, Options{Year: req.Year, Generated: req.Now, Scope: scope})
	switch req.Format {
	case FormatMarkdown, "":
		return Markdown(w, rep)
	case FormatCSV:
		return CSV(w, rep)
	}
	return fmt.Errorf("unknown format %q: markdown or csv", req.Format)
}
