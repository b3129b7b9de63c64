package yearreport

import (
	"bytes"
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Keys of the published report's ConfigMap.
const (
	MarkdownKey = "report.md"
	CSVKey      = "report.csv"
	// FieldOwner is the report's field manager for server-side apply.
	FieldOwner = "sitegroup-report"
)

// PublishedName is the ConfigMap a year's report is published as:
// sitegroup-yearly-report-<year>, or -<year>-<namespace> for one
// namespace's report.
func PublishedName(req Request) string {
	if req.Namespace != "" {
		return fmt.Sprintf("sitegroup-yearly-report-%d-%s", req.Year, req.Namespace)
	}
	return fmt.Sprintf("sitegroup-yearly-report-%d", req.Year)
}

// Publish writes the year's report, in Markdown and CSV, into the
// ConfigMap PublishedName(req) in namespace, where the auditor role reads
// it (the yearly site-management report is published, not only printed:
// RULES.md §4). Publishing again replaces it.
func Publish(ctx context.Context, c client.Client, req Request, namespace string) (*corev1.ConfigMap, error) {
	data := map[string]string{}
	for key, format := range map[string]Format{MarkdownKey: FormatMarkdown, CSVKey: FormatCSV} {
		var b bytes.Buffer
		r := req
		r.Format = format
		if err := Write(ctx, c, r, &b); err != nil {
			return nil, err
		}
		data[key] = b.String()
	}
	name := PublishedName(req)
	cm := corev1ac.ConfigMap(name, namespace).
		WithLabels(map[string]string{"app.kubernetes.io/name": "sitegroup-operator", "app.kubernetes.io/component": "yearly-report",
			"sitegroup.io/year": fmt.Sprint(req.Year)}).
		WithData(data)
	if err := c.Apply(ctx, cm, client.FieldOwner(FieldOwner), client.ForceOwnership); err != nil {
		return nil, fmt.Errorf("publishing %s/%s: %w", namespace, name, err)
	}
	out := &corev1.ConfigMap{}
	return out, c.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, out)
}
