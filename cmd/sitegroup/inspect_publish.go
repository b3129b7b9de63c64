package main

import (
	"context"
	"fmt"
	"os"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"

	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/reportstore"
)

// reportSink says where an inspection inside a Job hands its results back:
// the summary to the termination message, the full report to a ConfigMap
// owned by the InspectionRun. Both empty outside a Job.
type reportSink struct {
	summaryFile string // --summary-file, /dev/termination-log in a Job
	configMap   string // --report-configmap
	namespace   string // --report-namespace (POD_NAMESPACE in a Job)
	runName     string // --report-owner-name
	runUID      string // --report-owner-uid
}

// publish writes the ConfigMap first so the summary can name it.
func (s reportSink) publish(ctx context.Context, r findings.Report) error {
	sum := findings.Summarize(r)
	if s.configMap != "" {
		truncated, err := s.writeConfigMap(ctx, r)
		if err != nil {
			return err
		}
		sum.ReportConfigMap, sum.ReportTruncated = s.configMap, truncated
	}
	if s.summaryFile != "" {
		if err := os.WriteFile(s.summaryFile, sum.Encode(), 0o644); err != nil {
			return fmt.Errorf("writing the summary: %w", err)
		}
	}
	return nil
}

func (s reportSink) writeConfigMap(ctx context.Context, r findings.Report) (bool, error) {
	if s.namespace == "" || s.runName == "" || s.runUID == "" {
		return false, usageError{"--report-configmap needs --report-namespace, --report-owner-name and --report-owner-uid"}
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return false, fmt.Errorf("no cluster to write the report to: %w", err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return false, err
	}
	owner := metav1.OwnerReference{APIVersion: "sitegroup.io/v1alpha1", Kind: "InspectionRun",
		Name: s.runName, UID: types.UID(s.runUID), Controller: ptr.To(true)}
	cm, truncated := reportstore.ConfigMap(s.namespace, s.configMap, owner, s.runName, r)
	// The inspector may only create ConfigMaps: a retried pod finds its
	// predecessor's report there and leaves it (the controller reads the
	// one the last summary names; the name is per pod).
	if _, err := cs.CoreV1().ConfigMaps(s.namespace).Create(ctx, cm, metav1.CreateOptions{FieldManager: "sitegroup-inspector"}); err != nil && !apierrors.IsAlreadyExists(err) {
		return false, fmt.Errorf("writing report configmap %s/%s: %w", s.namespace, s.configMap, err)
	}
	return truncated, nil
}
