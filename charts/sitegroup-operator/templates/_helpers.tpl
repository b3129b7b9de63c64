{{/*
Names are fixed, not derived from the release: the operator is one per
cluster and its flags, webhooks and kustomize config use the same names.
*/}}
{{- define "sitegroup.name" -}}sitegroup-operator{{- end }}
{{- define "sitegroup.manager" -}}sitegroup-manager{{- end }}
{{- define "sitegroup.webhookService" -}}sitegroup-webhook-service{{- end }}
{{- define "sitegroup.certSecret" -}}sitegroup-webhook-server-cert{{- end }}
{{- define "sitegroup.certificate" -}}sitegroup-serving-cert{{- end }}
{{- define "sitegroup.issuer" -}}sitegroup-selfsigned-issuer{{- end }}
{{- define "sitegroup.validatingWebhook" -}}sitegroup-validating-webhook-configuration{{- end }}
{{- define "sitegroup.mutatingWebhook" -}}sitegroup-mutating-webhook-configuration{{- end }}
{{- define "sitegroup.certDir" -}}/tmp/k8s-webhook-server/serving-certs{{- end }}

{{/* Labels on every object; "component" is passed as .component. */}}
{{- define "sitegroup.labels" -}}
app.kubernetes.io/name: {{ include "sitegroup.name" .root }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The manager pods' selector: stable across upgrades. */}}
{{- define "sitegroup.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sitegroup.name" . }}
app.kubernetes.io/component: manager
{{- end }}

{{- define "sitegroup.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
sitegroup.documents FILE: the YAML documents of a file under files/ (copied
from config/ by hack/sync-chart.sh), each parsed, skipping empty ones.
Returns a list as YAML under the key "items".
*/}}
{{- define "sitegroup.documents" -}}
{{- $items := list }}
{{- range $doc := regexSplit "(?m)^---\\s*$" (.root.Files.Get .file) -1 }}
{{- $obj := fromYaml $doc }}
{{- if and $obj $obj.kind }}
{{- $items = append $items $obj }}
{{- end }}
{{- end }}
{{- toYaml (dict "items" $items) }}
{{- end }}
