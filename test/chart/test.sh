#!/usr/bin/env bash
# make chart-test: the Helm chart and the kustomize config, offline.
#   1. the chart's copies of config/ (CRDs, RBAC, webhooks, S6 policy) are current
#   2. helm lint, with the default and with every values file in values/
#   3. renders (default, values/*.yaml, in sitegroup-system and in another
#      namespace) validated by kubeconform, strict, against Kubernetes' own
#      schemas (from the k8s.io/kubernetes module's OpenAPI) and the CRDs'
#      (ours, Gateway API's, cert-manager's, the Prometheus Operator's
#      ServiceMonitor); the fixtures in testdata/invalid prove the schemas
#      refuse what they should
#   4. every values file in values/bad is refused by values.schema.json
#   5. chart and kustomize give the same objects: default vs config/default,
#      certManager.enabled=false vs config/certrotation
# Needs: HELM, KUBECONFORM (paths), KUBECTL (for `kubectl kustomize`),
# K8S_VERSION (hack/k8s-version.sh), PROMETHEUS_OPERATOR_VERSION; run from the Makefile.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/test/chart"
chart="$root/charts/sitegroup-operator"
out="$root/bin/chart-test"
: "${HELM:?}" "${KUBECONFORM:?}" "${KUBECTL:?}" "${K8S_VERSION:?}" "${PROMETHEUS_OPERATOR_VERSION:?}"
kube_version=${K8S_VERSION#v}
export GOTOOLCHAIN=local
mkdir -p "$out/renders"
start=$(date +%s)
step() { echo "==> $*"; }
fail() { echo "chart-test: FAIL: $*" >&2; exit 1; }

step "chart files in step with config/"
"$root/hack/sync-chart.sh" --check

step "kubeconform schemas (Kubernetes $K8S_VERSION, CRDs)"
# The module cache holds both (no download when the control plane was built).
k8s_dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
promop_dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
swagger="$k8s_dir/api/openapi-spec/swagger.json"
servicemonitor_crd="$promop_dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
[ -f "$swagger" ] || fail "no $swagger"
[ -f "$servicemonitor_crd" ] || fail "no $servicemonitor_crd"
(cd "$root" && go build -o "$out/chartcheck" ./test/chart/chartcheck)
crd_inputs=("$root/config/crd/bases" "$root/config/crd/external" "$servicemonitor_crd")
stamp=$( (echo "$K8S_VERSION $PROMETHEUS_OPERATOR_VERSION"; sha256sum "$out/chartcheck";
  cat "$root"/config/crd/bases/*.yaml "$root"/config/crd/external/*.yaml) | sha256sum | cut -c1-16)
schemas="$root/bin/kubeconform-schemas/$stamp"
if [ ! -f "$schemas/.done" ]; then
  rm -rf "$root/bin/kubeconform-schemas"
  "$out/chartcheck" schemas -swagger "$swagger" -out "$schemas" "${crd_inputs[@]}"
  touch "$schemas/.done"
else
  echo "cached in ${schemas#"$root"/}"
fi
location="$schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
kubeconform() { "$KUBECONFORM" -strict -summary -schema-location "$location" "$@"; }

step "the schemas refuse what they should (testdata/invalid)"
for f in "$here"/testdata/invalid/*.yaml; do
  want=$(sed -n 's/^# expect: //p' "$f")
  if got=$(kubeconform "$f" 2>&1); then
    fail "kubeconform accepted ${f#"$root"/}"
  fi
  grep -qF -- "$want" <<<"$got" || fail "${f#"$root"/}: expected \"$want\", got: $got"
done
echo "$(ls "$here"/testdata/invalid/*.yaml | wc -l) invalid objects refused"

# render NAME NAMESPACE [helm args...]: helm template with the CRDs.
render() {
  local name=$1 ns=$2; shift 2
  "$HELM" template sitegroup-operator "$chart" --namespace "$ns" --kube-version "$kube_version" \
    --include-crds "$@" >"$out/renders/$name.yaml"
  echo "$out/renders/$name.yaml"
}

step "helm knows the Kubernetes version without --kube-version"
# A user runs `helm template` with no cluster and no flag: the chart's
# kubeVersion must hold against the version bin/helm was built for.
"$HELM" template x "$chart" --namespace sitegroup-system >/dev/null || fail "helm template without --kube-version"

step "helm lint"
"$HELM" lint "$chart" --strict --kube-version "$kube_version" --namespace sitegroup-system
for v in "$here"/values/*.yaml; do
  "$HELM" lint "$chart" --strict --kube-version "$kube_version" --namespace sitegroup-system -f "$v" >/dev/null \
    || { "$HELM" lint "$chart" --strict --kube-version "$kube_version" -f "$v"; fail "helm lint -f ${v#"$root"/}"; }
done

step "renders validated by kubeconform"
files=("$(render default sitegroup-system)")
for v in "$here"/values/*.yaml; do
  n=$(basename "$v" .yaml)
  files+=("$(render "$n" sitegroup-system -f "$v")")
  files+=("$(render "$n-other-namespace" platform-ops -f "$v")")
done
summary=$(kubeconform "${files[@]}") || { echo "$summary"; fail "kubeconform refused a render"; }
echo "$summary"
grep -q "Skipped: 0" <<<"$summary" || fail "kubeconform skipped objects"
# Every kind the chart can render must have been seen.
for kind in CustomResourceDefinition Deployment PodDisruptionBudget ServiceAccount ClusterRole ClusterRoleBinding \
  Role RoleBinding Service ConfigMap Secret ValidatingWebhookConfiguration MutatingWebhookConfiguration \
  ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding SiteGroupPolicy Issuer Certificate ServiceMonitor; do
  grep -qx "kind: $kind" "${files[@]}" || fail "no render has a $kind"
done

step "bad values refused by values.schema.json (values/bad)"
for f in "$here"/values/bad/*.yaml; do
  want=$(sed -n 's/^# expect: //p' "$f")
  if got=$("$HELM" template x "$chart" --kube-version "$kube_version" -f "$f" 2>&1); then
    fail "helm accepted ${f#"$root"/}"
  fi
  grep -q "values don't meet the specifications of the schema" <<<"$got" \
    || fail "${f#"$root"/} failed, but not on the schema: $got"
  grep -qF -- "$want" <<<"$got" || fail "${f#"$root"/}: expected \"$want\", got: $got"
done
echo "$(ls "$here"/values/bad/*.yaml | wc -l) bad values files refused"

step "chart and kustomize install the same objects"
"$KUBECTL" kustomize "$root/config/default" >"$out/renders/kustomize-default.yaml"
"$KUBECTL" kustomize "$root/config/certrotation" >"$out/renders/kustomize-certrotation.yaml"
kubeconform "$out/renders/kustomize-default.yaml" "$out/renders/kustomize-certrotation.yaml" >/dev/null \
  || fail "kubeconform refused a kustomize build"
"$out/chartcheck" compare -chart "$out/renders/default.yaml" -kustomize "$out/renders/kustomize-default.yaml"
"$out/chartcheck" compare -chart "$out/renders/certrotation.yaml" -kustomize "$out/renders/kustomize-certrotation.yaml"

echo "chart-test: ok in $(($(date +%s) - start))s (renders in ${out#"$root"/}/renders)"
