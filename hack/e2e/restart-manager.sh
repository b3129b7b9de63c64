#!/usr/bin/env bash
# Restarts the operator of an e2e run (content must survive it). With
# SITEGROUP_CRASH_AT or SITEGROUP_CLOCK_OFFSET in the environment it starts
# the fault suite's build (internal/faults), which reads them.
set -euo pipefail
source "$(dirname "$0")/../realnode/lib.sh"
stop sitegroup-manager 10
binary="$root/bin/sitegroup"
if [ -n "${SITEGROUP_CRASH_AT:-}${SITEGROUP_CLOCK_OFFSET:-}" ]; then
  binary="$root/bin/sitegroup-faults"
fi
# The operator runs as its ServiceAccount (hack/e2e/up.sh wrote the kubeconfig).
start_ns sitegroup-manager "$binary" manager --kubeconfig "$root/bin/e2e/operator.kubeconfig" \
  --metrics-bind-address 127.0.0.1:18090 --health-probe-bind-address 127.0.0.1:18091 \
  --webhook-port 19444 --webhook-cert-dir "$root/bin/e2e/pki/webhook" --leader-elect=false \
  --operator-image "$sitegroup_image"
wait_for "the operator's readiness" 60 nsx curl -sf http://127.0.0.1:18091/readyz
