// Package reportstore keeps an inspection's full report in a ConfigMap owned
// by its InspectionRun: the inspector pod writes it (create only, its
// ServiceAccount may do nothing else), the controller reads it.
package reportstore

import (
	"bytes"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"sitegroup.io/operator/internal/findings"
)

// Key is the ConfigMap key holding the JSON report.
const Key = "report.json"

// MaxBytes caps a report: a ConfigMap holds at most 1 MiB, and reports are
// read by people, so the lists are cut well before that.
const MaxBytes = 512 * 1024

// LabelInspectionRun names the run a report belongs to (as on its Job).
const LabelInspectionRun = "sitegroup.io/inspection-run"

// Encode marshals a report within max bytes. When it must cut, it halves the
// longest lists (dead links, then columns) and says so in Truncated.
func Encode(r findings.Report, max int) (data []byte, truncated bool) {
	dropped := ""
	for i := 0; i < 32; i++ {
		data, _ = json.Marshal(r)
		if len(data) <= max {
			return data, truncated
		}
		truncated = true
		switch {
		case len(r.DeadLinks) > 0 && len(r.DeadLinks) >= len(r.Columns):
			r.DeadLinks = r.DeadLinks[:len(r.DeadLinks)/2]
		case len(r.Columns) > 0:
			r.Columns = r.Columns[:len(r.Columns)/2]
		default:
			r.Warnings, r.Deductions = nil, nil
			dropped = "; warnings and deductions dropped"
		}
		r.Truncated = fmt.Sprintf("cut to fit %d bytes: %d dead links and %d columns kept%s; the counts in the summary are whole", max, len(r.DeadLinks), len(r.Columns), dropped)
	}
	return data, truncated
}

// ConfigMap is the report's object, owned by the run so it goes with it.
func ConfigMap(namespace, name string, owner metav1.OwnerReference, runName string, r findings.Report) (*corev1.ConfigMap, bool) {
	data, truncated := Encode(r, MaxBytes)
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: namespace,
			Labels: map[string]string{
				"app.kubernetes.io/managed-by": "sitegroup-operator",
				"app.kubernetes.io/component":  "inspection-report",
				LabelInspectionRun:             runName,
			},
			OwnerReferences: []metav1.OwnerReference{owner},
		},
		Data: map[string]string{Key: string(data)},
	}, truncated
}

// Decode reads a report from its ConfigMap.
func Decode(cm *corev1.ConfigMap) (findings.Report, error) {
	var r findings.Report
	raw, ok := cm.Data[Key]
	if !ok {
		return r, fmt.Errorf("configmap %s/%s has no %q key", cm.Namespace, cm.Name, Key)
	}
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return r, fmt.Errorf("configmap %s/%s: %w", cm.Namespace, cm.Name, err)
	}
	return r, nil
}

// FromLog finds the report in an inspector's log: `sitegroup inspect
// --output json` prints exactly one JSON object on stdout; anything else
// in the log (stderr lines) comes before or after it.
func FromLog(log []byte) (findings.Report, error) {
	for start := 0; start < len(log); {
		i := bytes.IndexByte(log[start:], '{')
		if i < 0 {
			break
		}
		start += i
		if start == 0 || log[start-1] == '\n' {
			var r findings.Report // fresh for each try: a JSON log line before the report leaves nothing in it
			dec := json.NewDecoder(bytes.NewReader(log[start:]))
			if err := dec.Decode(&r); err == nil && r.Verdict != "" {
				return r, nil
			}
		}
		start++
	}
	return findings.Report{}, fmt.Errorf("no inspection report in the inspector's log (%d bytes)", len(log))
}
