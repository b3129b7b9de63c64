#!/usr/bin/env bash
# sync-chart.sh [--check]: copies what the Helm chart shares with config/
# into charts/sitegroup-operator, so both install the same operator:
#   config/crd/bases/*.yaml               -> crds/ (Helm installs them first)
#   config/rbac/role.yaml                 -> files/rbac/role.yaml (markers' RBAC)
#   config/webhook/manifests.yaml         -> files/webhook/manifests.yaml
#   config/admission/domestic-placement.yaml -> files/admission/domestic-placement.yaml
#   config/admission/site-namespace-guard.yaml -> files/admission/ (the operator's user templated)
#   config/rbac/personas.yaml             -> files/rbac/personas.yaml (the personas' ClusterRoles)
#   internal/inspector/scoring/profile-2019.yaml -> files/scoring/profile-2019.yaml
#                                               and config/manager/scoring-profile-2019.yaml
# `make manifests` runs it; --check only reports files that are out of step
# (exit 1), for `make chart-test`.
set -euo pipefail
cd "$(dirname "$0")/.."
chart=charts/sitegroup-operator
check=false
[ "${1:-}" = --check ] && check=true

pairs=()
for f in config/crd/bases/*.yaml; do
  pairs+=("$f" "$chart/crds/$(basename "$f")")
done
pairs+=(config/rbac/role.yaml "$chart/files/rbac/role.yaml")
pairs+=(config/webhook/manifests.yaml "$chart/files/webhook/manifests.yaml")
pairs+=(config/admission/domestic-placement.yaml "$chart/files/admission/domestic-placement.yaml")
pairs+=(config/admission/site-namespace-guard.yaml "$chart/files/admission/site-namespace-guard.yaml")
pairs+=(config/rbac/personas.yaml "$chart/files/rbac/personas.yaml")
# The inspector's embedded profile, shipped as an editable ConfigMap.
pairs+=(internal/inspector/scoring/profile-2019.yaml "$chart/files/scoring/profile-2019.yaml")
pairs+=(internal/inspector/scoring/profile-2019.yaml config/manager/scoring-profile-2019.yaml)

stale=()
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
  src=${pairs[i]} dst=${pairs[i + 1]}
  if ! cmp -s "$src" "$dst"; then
    stale+=("$dst")
    $check || install -D -m 0644 "$src" "$dst"
  fi
done
# CRDs removed from config/crd/bases leave the chart too.
for f in "$chart"/crds/*.yaml; do
  [ -e "$f" ] || continue
  if [ ! -e "config/crd/bases/$(basename "$f")" ]; then
    stale+=("$f")
    $check || rm -f "$f"
  fi
done

if $check; then
  if [ ${#stale[@]} -gt 0 ]; then
    echo "the chart is out of step with config/ (run hack/sync-chart.sh or make manifests):" >&2
    printf '  %s\n' "${stale[@]}" >&2
    exit 1
  fi
  echo "chart files in step with config/"
elif [ ${#stale[@]} -gt 0 ]; then
  printf 'synced %s\n' "${stale[@]}"
fi
