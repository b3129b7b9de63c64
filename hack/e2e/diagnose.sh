#!/usr/bin/env bash
# Printed by hack/e2e/run.sh when the suite fails: what the cluster and the
# operator looked like, so that a CI log alone explains the failure.
# Every command is bounded; nothing here fails the run.
set -uo pipefail
source "$(dirname "$0")/../realnode/lib.sh"
section() { echo; echo "---- e2e diagnostics: $* ----"; }
k() { timeout 20 "$kubectl" --kubeconfig "$KUBECONFIG" "$@" 2>&1 | head -200; }

# The most telling sections come last: a CI log often shows only its tail.
section "the node"
k describe node | sed -n '/Conditions:/,/Addresses:/p;/Allocated resources:/,/Events:/p'
section "the operator's log (last 80 lines)"
tail -80 "$log_dir/sitegroup-manager.log" 2>&1
section "pods not running or succeeded"
for p in $(k get pods -A --field-selector 'status.phase!=Running,status.phase!=Succeeded' -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{end}'); do
  k describe pod -n "${p%%/*}" "${p#*/}" | tail -25
done
section "jobs and pods"
k get jobs,pods -A -o wide
section "warning events"
k get events -A --field-selector type=Warning --sort-by=.lastTimestamp | tail -40
section "site status (YAML)"
k get govwebsites -A -o yaml | sed -n '/^  status:/,/^- apiVersion/p' | head -150
section "sites, runs, takedowns"
k get govwebsites,inspectionruns,takedownrequests -A -o wide
section "inspection runs (status)"
k get inspectionruns -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}: {.status.phase} {.status.verdict} {.status.failureReason}{"\n"}{end}'
